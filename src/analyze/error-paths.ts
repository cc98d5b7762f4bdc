// Error paths: where did a failure start, and how did it travel up? In a trace, errors usually propagate:
// the database call fails, the repository span fails, the handler fails. The ORIGIN is an error span none
// of whose descendants is an error; everything above it that also failed is propagation.
//
//   api  GET /orders        error    <- failed ancestor
//   └─ orders  load         error    <- failed ancestor
//      ├─ db  SELECT        error    <- origin (no failing descendant)
//      └─ cache  get        ok
//
// A trace can have several origins (two independent failures, or a retry that failed twice); each gets its
// own path. `summarizeErrors` groups origins across traces by service + operation + a normalized message,
// so "timeout after 3012ms on order 8812" and "timeout after 2999ms on order 17" count as one problem.
import type { Span } from '../model/span.js';
import type { SpanNode, TraceTree } from '../model/tree.js';
import type { Micros } from '../core/time.js';
import { compareStrings } from './top-n.js';
import { spanRef, type SpanRef } from './span-ref.js';

/** One hop of an error path: the span's facts (span-ref.ts). */
export type ErrorHop = SpanRef;

export interface ErrorPath {
  traceId: string;
  /** Root first, origin last. */
  hops: ErrorHop[];
  origin: ErrorHop & { message?: string };
  /** Span ids (SpanNode.key where set) of the origin's ancestors that are errors too, nearest first. */
  failedAncestors: string[];
}

/** The error message of a span: its own, else the first error- or fatal-level event's. */
export function errorMessageOf(span: Span): string | undefined {
  if (span.errorMessage) return span.errorMessage;
  for (const e of span.events) if (e.level === 'error' || e.level === 'fatal') return e.message;
  return undefined;
}


/**
 * Origins of a trace: error spans with no error below them, in pre-order (so in start order along each
 * branch). Found in one backwards pass over the pre-order node list: a node's subtree follows it, so by the
 * time we reach a node every descendant has reported into `errorBelow`.
 */
export function errorOrigins(tree: TraceTree): SpanNode[] {
  const errorBelow = new Set<SpanNode>();
  const origins: SpanNode[] = [];
  for (let i = tree.nodes.length - 1; i >= 0; i--) {
    const n = tree.nodes[i]!;
    const below = errorBelow.has(n);
    if (n.span.error && !below) origins.push(n);
    if ((n.span.error || below) && n.parent) errorBelow.add(n.parent);
  }
  return origins.reverse();
}

export function errorPaths(tree: TraceTree): ErrorPath[] {
  return errorOrigins(tree).map((origin) => {
    const hops: ErrorHop[] = [];
    const failedAncestors: string[] = [];
    const seen = new Set<SpanNode>();
    for (let n: SpanNode | undefined = origin; n && !seen.has(n); n = n.parent) {
      seen.add(n);
      hops.push(spanRef(n));
      if (n !== origin && n.span.error) failedAncestors.push(n.key ?? n.span.spanId);
    }
    hops.reverse();
    const o: ErrorPath['origin'] = spanRef(origin);
    const message = errorMessageOf(origin.span);
    if (message !== undefined) o.message = message;
    return { traceId: tree.traceId, hops, origin: o, failedAncestors };
  });
}

/** Error paths of every trace that has an error, in input order. */
export function allErrorPaths(trees: Iterable<TraceTree>): ErrorPath[] {
  const out: ErrorPath[] = [];
  for (const t of trees) for (const p of errorPaths(t)) out.push(p);
  return out;
}

// Order matters: uuids before hex runs before plain digits, or a uuid would be chewed into pieces.
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_PREFIXED = /\b0x[0-9a-f]+\b/gi;
// A bare hex run counts as an id when it is long (8+) and mixes digits and letters: words made of the
// letters a-f ("facade", "accede") stay words, and all-digit runs are left for NUMBER to make "<n>".
const HEX_RUN = /\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/** Replace the parts of an error message that differ between occurrences of the same error. */
export function normalizeMessage(message: string): string {
  return message.replace(UUID, '<uuid>').replace(HEX_PREFIXED, '<hex>').replace(HEX_RUN, '<hex>').replace(NUMBER, '<n>');
}

export const NO_MESSAGE = '(no message)';

export interface ErrorGroup {
  service: string;
  operation: string;
  /** Normalized message, or NO_MESSAGE. */
  message: string;
  /** The raw message of the group's earliest origin, to show what a real one looked like. */
  example?: string;
  count: number;
  /** Distinct traces with at least one origin in the group. */
  traces: number;
  firstSeen: Micros;
  lastSeen: Micros;
  /** Up to 3 trace ids, earliest origin first. */
  exampleTraceIds: string[];
}

interface GroupAcc extends ErrorGroup {
  traceSet: Set<string>;
  exampleStart: Micros;
  examples: { traceId: string; start: Micros }[];
}

const MAX_EXAMPLES = 3;

/** Origins grouped by service + operation + normalized message; count desc, then first seen, then key. */
export function summarizeErrors(trees: Iterable<TraceTree>): ErrorGroup[] {
  const groups = new Map<string, GroupAcc>();
  for (const tree of trees) {
    for (const origin of errorOrigins(tree)) {
      const s = origin.span;
      const raw = errorMessageOf(s);
      const message = raw === undefined ? NO_MESSAGE : normalizeMessage(raw);
      const key = `${s.service}\u0000${s.operation}\u0000${message}`;
      let g = groups.get(key);
      if (!g) {
        g = { service: s.service, operation: s.operation, message, count: 0, traces: 0, firstSeen: s.start, lastSeen: s.start, exampleTraceIds: [], traceSet: new Set(), examples: [], exampleStart: Infinity };
        groups.set(key, g);
      }
      // Messages in a group differ only in ids and numbers; the earliest is as good as any and stable.
      if (raw !== undefined && s.start < g.exampleStart) {
        g.example = raw;
        g.exampleStart = s.start;
      }
      g.count++;
      if (s.start < g.firstSeen) g.firstSeen = s.start;
      if (s.start > g.lastSeen) g.lastSeen = s.start;
      if (!g.traceSet.has(tree.traceId)) {
        g.traceSet.add(tree.traceId);
        keepExample(g.examples, { traceId: tree.traceId, start: s.start });
      }
    }
  }
  const out: ErrorGroup[] = [];
  for (const g of groups.values()) {
    const { traceSet, examples, exampleStart: _exampleStart, ...rest } = g;
    out.push({ ...rest, traces: traceSet.size, exampleTraceIds: examples.map((e) => e.traceId) });
  }
  out.sort(
    (a, b) =>
      b.count - a.count ||
      a.firstSeen - b.firstSeen ||
      compareStrings(a.service, b.service) ||
      compareStrings(a.operation, b.operation) ||
      compareStrings(a.message, b.message),
  );
  return out;
}

// Keep the 3 earliest (by origin start, then trace id) so the examples do not depend on input order.
function keepExample(list: { traceId: string; start: Micros }[], e: { traceId: string; start: Micros }): void {
  const before = (a: typeof e, b: typeof e): boolean => a.start < b.start || (a.start === b.start && a.traceId < b.traceId);
  let i = list.length;
  while (i > 0 && before(e, list[i - 1]!)) i--;
  if (i >= MAX_EXAMPLES) return;
  list.splice(i, 0, e);
  if (list.length > MAX_EXAMPLES) list.pop();
}
