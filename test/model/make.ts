// Small builders for model tests: entries and spans with only the fields a case cares about, and a
// one-line-per-node drawing of a tree to compare against.
import type { Entry } from '../../src/entries/entry.js';
import type { Span } from '../../src/model/span.js';
import type { TraceTree } from '../../src/model/tree.js';

let nextLine = 1;

/** An entry of trace 't1' from 'app.log' (line numbers count up unless given). */
export function entry(fields: Partial<Entry> = {}): Entry {
  return { source: 'app.log', line: nextLine++, traceId: 't1', error: false, ...fields };
}

export interface SpanFields extends Partial<Span> {
  parent?: string;
}

/** A span of trace 't1', service 'svc', named after its id; `parent` is short for parentSpanId. */
export function span(spanId: string, start: number, end: number, fields: SpanFields = {}): Span {
  const { parent, ...rest } = fields;
  const s: Span = {
    traceId: 't1',
    spanId,
    service: 'svc',
    operation: `op-${spanId}`,
    start,
    end,
    error: false,
    attributes: {},
    events: [],
    origin: 'record',
    ...rest,
  };
  if (parent !== undefined) s.parentSpanId = parent;
  return s;
}

/**
 * The tree as text, one node a line in pre-order, indented two spaces a level:
 * `id start..end` plus markers: `≈` (parent inferred from timing), `!missing=<id>`,
 * `~skew=<before>/<after>`, `~async=<endsAfter>`, `>>shift=<delta>`.
 */
export function draw(tree: TraceTree): string[] {
  return tree.nodes.map((n) => {
    let s = `${'  '.repeat(n.depth)}${n.parentInferred ? '≈' : ''}${n.key ?? n.span.spanId} ${n.span.start}..${n.span.end}`;
    if (n.missingParent !== undefined) s += ` !missing=${n.missingParent}`;
    if (n.skew) s += ` ~skew=${n.skew.startsBefore}/${n.skew.endsAfter}`;
    if (n.asyncEndsAfter !== undefined) s += ` ~async=${n.asyncEndsAfter}`;
    if (n.shift !== undefined) s += ` >>shift=${n.shift}`;
    return s;
  });
}

/**
 * Span ids in hex, 16 characters, for the big generated traces. slice() hands back a flat string, as
 * JSON.parse would; padStart's rope would make every Map lookup flatten it again and triple the run time.
 */
export const hexId = (i: number): string => ('0000000000000000' + i.toString(16)).slice(-16);
