import { Readable } from 'node:stream';
import type { TraceFilter } from '../analyze/filters.js';
import { ingest } from '../ingest/read-inputs.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import type { Entry } from '../entries/entry.js';
import { WhereMatcher } from '../model/where.js';
import type { Io } from './io.js';
import { withDecidedUnits } from './decided-units.js';
import { ingestOptionsFrom, sourcesFrom, type CommonFlags } from './options.js';

/**
 * --where: a first pass over the inputs finds the traces with a line or span meeting every expression,
 * and the filter then keeps those (TraceFilter.traceIds), on one thread or many alike. The pass reads
 * every line with JSON.parse and keeps its fields; stdin is held in memory to be read twice. Returns the
 * io to read with from then on (stdin replaced by what was held).
 */
export async function applyWhere(filter: TraceFilter, inputs: readonly string[], flags: CommonFlags, io: Io): Promise<Io> {
  if (flags.where === undefined || flags.where.length === 0) return io;
  let readIo = io;
  if (inputs.length === 0 || inputs.includes('-')) {
    if (io.stdinIsTTY && inputs.length === 0) return io; // readAll says there is no input
    const held: Buffer[] = [];
    for await (const b of io.stdin as AsyncIterable<Buffer | string>) held.push(typeof b === 'string' ? Buffer.from(b) : b);
    const bytes = Buffer.concat(held);
    readIo = { ...io, stdin: Readable.from([bytes]) };
    io = { ...io, stdin: Readable.from([bytes]) };
  }
  const matcher = new WhereMatcher(flags.where);
  const bits = new Map<string, number>();
  const note = (traceId: string | undefined, b: number): void => {
    if (traceId !== undefined && b !== 0) bits.set(traceId, (bits.get(traceId) ?? 0) | b);
  };
  const entry = (e: Entry): void => {
    if (e.traceId !== undefined) note(e.traceId, matcher.entry(e));
  };
  const options = ingestOptionsFrom(flags, readIo);
  options.normalize = { ...options.normalize, keepFields: true };
  options.strict = false; // the reading pass after this one decides about --strict and reports
  await ingest(await withDecidedUnits(sourcesFrom(inputs, readIo), options), {
    entry,
    spans(result) {
      for (const s of result.spans) note(s.traceId, matcher.span(s));
      for (const e of result.entries) entry(e);
    },
  }, options, new IngestStats());
  const all = matcher.all;
  const ids = new Set<string>();
  for (const [id, b] of bits) if (b === all) ids.add(id);
  filter.traceIds = ids;
  return io;
}
