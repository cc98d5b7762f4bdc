// Error paths: where did a failure start, and how did it travel up? In a trace, errors usually propagate:
// the database call fails, the repository span fails, the handler fails. A trace's ORIGIN is the one span
// where its failure started; everything above it that also failed is propagation.
//
//   api  GET /orders        error    <- failed ancestor
//   └─ orders  load         error    <- failed ancestor
//      ├─ db  SELECT        error    <- origin: the deepest failing span
//      └─ cache  get        ok
//
// The rule, in this order:
//   1. the deepest failing span in the tree (explicit parents, or inferred ones): a caller fails because
//      what it called failed, never the other way round;
//   2. between failing spans at the same depth, the one whose error came first (its first error or fatal
//      line, else its end: a span record says it failed only once it ends);
//   3. then tree order;
//   4. a failing span that gave up on a call still running — a child (not a message's consumer) that
//      started before the failure and ended after the failing span — failed waiting for it: the origin
//      is that callee (the one that ran on longest), its slowness the cause (D126: nginx's 504 at
//      proxy_read_timeout while the upstream ran on; any caller's timeout alike).
//
//      edge    GET /report  504   |==========|                  <- gave up at proxy_read_timeout
//      └─ api  GET /report            |===============|   ↷     <- origin: still running when edge failed
// With no structure at all (logs with a trace id only: every span is a root at depth 0), 1 decides
// nothing and 2 names the service whose error line came first: the gateway's 502 is logged after the
// payments timeout that caused it.
//
// `summarizeErrors` groups the origins across traces by service + operation + a normalized message, so
// "timeout after 3012ms on order 8812" and "timeout after 2999ms on order 17" count as one problem.
import type { Span } from '../model/span.js';
import type { SpanNode, TraceTree } from '../model/tree.js';
import { isMessageHop } from '../model/clock-skew.js';
import type { Micros } from '../core/time.js';
import { compareStrings } from './top-n.js';
import { spanRef, type SpanRef } from './span-ref.js';

/** One hop of an error path: the span's facts (span-ref.ts). */
export type ErrorHop = SpanRef;

/** The failing caller that gave up on an origin still running (rule 4), and how long that ran on after. */
export interface GaveUp {
  service: string;
  operation: string;
  message?: string;
  /** From the caller's failure to the origin's end. */
  ranOnUs: Micros;
}

/** A failing span named beside the path: the origin's, or one that failed on another branch. */
export type FailedSpan = SpanRef & { message?: string; errorAt: Micros; gaveUp?: GaveUp };

export interface ErrorPath {
  traceId: string;
  /** Root first, origin last. */
  hops: ErrorHop[];
  origin: FailedSpan;
  /** Span ids (SpanNode.key where set) of the origin's ancestors that are errors too, nearest first. */
  failedAncestors: string[];
  /** The trace's other failing spans, off the path (symptoms on other branches, retries), first error first. */
  alsoFailed: FailedSpan[];
}

/** The error message of a span: its own, else the first error- or fatal-level event's. */
export function errorMessageOf(span: Span): string | undefined {
  if (span.errorMessage) return span.errorMessage;
  for (const e of span.events) if (e.level === 'error' || e.level === 'fatal') return e.message;
  return undefined;
}

/**
 * When a failing span's error happened: its earliest error- or fatal-level line (a log line's time is
 * when the failure was seen; `errorAt` where its lines were folded without events), else its end (a span
 * record's status is known when it ends).
 */
export function errorTimeOf(span: Span): Micros {
  let at: Micros | undefined = span.errorAt;
  for (const e of span.events) {
    if ((e.level === 'error' || e.level === 'fatal') && e.time !== undefined && (at === undefined || e.time < at)) at = e.time;
  }
  return at ?? span.end;
}

/** The origin of a trace's failure by the rule above; undefined when no span failed. */
export function errorOrigin(tree: TraceTree): SpanNode | undefined {
  let best: SpanNode | undefined;
  let bestAt = 0;
  for (const n of tree.nodes) {
    if (!n.span.error) continue;
    const at = errorTimeOf(n.span);
    if (best === undefined || n.depth > best.depth || (n.depth === best.depth && at < bestAt)) {
      best = n;
      bestAt = at;
    }
  }
  return best === undefined ? undefined : (abandonedCall(best, bestAt) ?? best);
}

/**
 * Rule 4: the call span `n` (failing at `failedAt`) gave up on, the one that ran on longest; none fails,
 * or it would be deeper than `n`.
 */
function abandonedCall(n: SpanNode, failedAt: Micros): SpanNode | undefined {
  let slowest: SpanNode | undefined;
  for (const c of n.children) {
    const s = c.span;
    if (s.start > failedAt || s.end <= failedAt || s.end <= n.span.end || isMessageHop(s, n.span)) continue;
    if (slowest === undefined || s.end > slowest.span.end) slowest = c;
  }
  return slowest;
}

/** When an origin's failure happened: its error time, or for a call its caller gave up on, the caller's. */
export function originTimeOf(origin: SpanNode): Micros {
  const caller = origin.parent;
  return !origin.span.error && caller !== undefined && caller.span.error ? errorTimeOf(caller.span) : errorTimeOf(origin.span);
}

function failedSpan(n: SpanNode): FailedSpan {
  const f: FailedSpan = { ...spanRef(n), errorAt: errorTimeOf(n.span) };
  const message = errorMessageOf(n.span);
  if (message !== undefined) f.message = message;
  return f;
}

function originSpan(n: SpanNode): FailedSpan {
  const f = failedSpan(n);
  const caller = n.parent;
  if (n.span.error || caller === undefined || !caller.span.error) return f;
  f.errorAt = originTimeOf(n);
  const gaveUp: GaveUp = { service: caller.span.service, operation: caller.span.operation, ranOnUs: n.span.end - f.errorAt };
  const message = errorMessageOf(caller.span);
  if (message !== undefined) gaveUp.message = message;
  f.gaveUp = gaveUp;
  return f;
}

/** The path from the root to the trace's origin (none when nothing failed): one a trace at most. */
export function errorPaths(tree: TraceTree): ErrorPath[] {
  const origin = errorOrigin(tree);
  if (origin === undefined) return [];
  const hops: ErrorHop[] = [];
  const failedAncestors: string[] = [];
  const onPath = new Set<SpanNode>();
  for (let n: SpanNode | undefined = origin; n && !onPath.has(n); n = n.parent) {
    onPath.add(n);
    hops.push(spanRef(n));
    if (n !== origin && n.span.error) failedAncestors.push(n.key ?? n.span.spanId);
  }
  hops.reverse();
  const alsoFailed: FailedSpan[] = [];
  for (const n of tree.nodes) if (n.span.error && !onPath.has(n)) alsoFailed.push(failedSpan(n));
  alsoFailed.sort((a, b) => a.errorAt - b.errorAt); // stable: tree order between equal times
  return [{ traceId: tree.traceId, hops, origin: originSpan(origin), failedAncestors, alsoFailed }];
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
/** The message of an origin that failed by being slow: its caller gave up on it (rule 4). */
export const GAVE_UP_MESSAGE = '(still running when its caller failed)';

export interface ErrorGroup {
  service: string;
  operation: string;
  /** Normalized message, or NO_MESSAGE. */
  message: string;
  /** The raw message of the group's earliest origin, to show what a real one looked like. */
  example?: string;
  count: number;
  /** Distinct traces whose origin is in the group (count, since a trace has one origin). */
  traces: number;
  /** When the group's origins failed: their first error lines (errorTimeOf). */
  firstSeen: Micros;
  lastSeen: Micros;
  /** Up to 3 trace ids, earliest error first. */
  exampleTraceIds: string[];
}

interface GroupAcc extends ErrorGroup {
  /** The group's traces, each with its origin's error time. */
  traceAt: Map<string, Micros>;
  exampleStart: Micros;
  examples: { traceId: string; start: Micros }[];
}

const MAX_EXAMPLES = 3;

/** Trace origins grouped by service + operation + normalized message; count desc, then first seen, then key. */
export function summarizeErrors(trees: Iterable<TraceTree>): ErrorGroup[] {
  const summary = new ErrorSummary();
  for (const tree of trees) summary.add(tree);
  return summary.groups();
}

/** summarizeErrors one trace at a time (errors --follow shows the groups as traces complete). */
export class ErrorSummary {
  private readonly byKey = new Map<string, GroupAcc>();

  /** Adds a trace's origin; returns its group's key, or undefined for a trace without errors. */
  add(tree: TraceTree): string | undefined {
    const groups = this.byKey;
    const origin = errorOrigin(tree);
    if (origin === undefined) return undefined;
    const s = origin.span;
    const at = originTimeOf(origin);
    const raw = s.error ? errorMessageOf(s) : undefined;
    const message = raw !== undefined ? normalizeMessage(raw) : s.error ? NO_MESSAGE : GAVE_UP_MESSAGE;
    const key = errorGroupKey({ service: s.service, operation: s.operation, message });
    let g = groups.get(key);
    if (!g) {
      g = { service: s.service, operation: s.operation, message, count: 0, traces: 0, firstSeen: at, lastSeen: at, exampleTraceIds: [], traceAt: new Map(), examples: [], exampleStart: Infinity };
      groups.set(key, g);
    }
    // Messages in a group differ only in ids and numbers; the earliest is as good as any and stable.
    if (raw !== undefined && at < g.exampleStart) {
      g.example = raw;
      g.exampleStart = at;
    }
    g.count++;
    if (at < g.firstSeen) g.firstSeen = at;
    if (at > g.lastSeen) g.lastSeen = at;
    if (!g.traceAt.has(tree.traceId)) {
      g.traceAt.set(tree.traceId, at);
      keepExample(g.examples, { traceId: tree.traceId, start: at });
    }
    return key;
  }

  /**
   * Takes a trace's origin back (a followed trace whose update, the whole trace, is added in its place):
   * its group counts one less, its times and examples are those of the traces left, and a group left
   * empty is gone. The group's example message stays (a message of that group all the same). Returns the
   * group as it is left (count 0 when gone), or undefined when the trace had no origin here.
   */
  withdraw(traceId: string): ErrorGroup | undefined {
    for (const [key, g] of this.byKey) {
      if (!g.traceAt.delete(traceId)) continue;
      g.count--;
      if (g.traceAt.size === 0) {
        this.byKey.delete(key);
        g.examples = [];
        return publicGroup(g);
      }
      g.firstSeen = Infinity;
      g.lastSeen = -Infinity;
      g.examples = [];
      for (const [id, at] of g.traceAt) {
        if (at < g.firstSeen) g.firstSeen = at;
        if (at > g.lastSeen) g.lastSeen = at;
        keepExample(g.examples, { traceId: id, start: at });
      }
      return publicGroup(g);
    }
    return undefined;
  }

  /** The group of this key, as groups() gives it; undefined when there is none (any more). */
  group(key: string): ErrorGroup | undefined {
    const g = this.byKey.get(key);
    return g === undefined ? undefined : publicGroup(g);
  }

  /** The groups so far, as summarizeErrors orders them. */
  groups(): ErrorGroup[] {
    const groups = this.byKey;
    const out: ErrorGroup[] = [];
    for (const g of groups.values()) out.push(publicGroup(g));
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
}

/** A group's key: service, operation and normalized message. */
export function errorGroupKey(g: Pick<ErrorGroup, 'service' | 'operation' | 'message'>): string {
  return `${g.service}\u0000${g.operation}\u0000${g.message}`;
}

function publicGroup(g: GroupAcc): ErrorGroup {
  const { traceAt, examples, exampleStart: _exampleStart, ...rest } = g;
  return { ...rest, traces: traceAt.size, exampleTraceIds: examples.map((e) => e.traceId) };
}

// Keep the 3 earliest (by error time, then trace id) so the examples do not depend on input order.
function keepExample(list: { traceId: string; start: Micros }[], e: { traceId: string; start: Micros }): void {
  const before = (a: typeof e, b: typeof e): boolean => a.start < b.start || (a.start === b.start && a.traceId < b.traceId);
  let i = list.length;
  while (i > 0 && before(e, list[i - 1]!)) i--;
  if (i >= MAX_EXAMPLES) return;
  list.splice(i, 0, e);
  if (list.length > MAX_EXAMPLES) list.pop();
}
