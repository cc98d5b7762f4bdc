// "What was slow?" at three grains: whole traces, single spans, and service+operation pairs ranked by p99.
// Traces and spans keep only a bounded top-N heap, so memory does not grow with the input; operations need
// every duration for an exact p99, so they keep one number per span.
//
// Tie-breaking is explicit so output never depends on hash or arrival order:
//   traces:     duration desc, trace id asc, start asc
//   spans:      duration desc, trace id asc, start asc, span id asc
//   operations: p99 desc, max desc, count desc, service asc, operation asc
import type { Span } from '../model/span.js';
import type { SpanNode, TraceTree } from '../model/tree.js';
import type { Micros } from '../core/time.js';
import { distribution } from './percentiles.js';
import { TopN, compareStrings, knownFirst } from './top-n.js';
import { spanRef, type SpanRef } from './span-ref.js';
import { mainRootOf } from './main-root.js';
import { appendAll, mergeByKey, removeValue } from './merge-by-key.js';

/**
 * The least a trace needs to be ranked. Times are optional so streaming summaries (model/trace-summary.ts,
 * where a trace of untimed lines has no duration) can be ranked directly, e.g. as
 * `{ traceId: s.traceId, start: s.spanStart ?? s.firstTime, duration: s.duration }`; unknown sorts last.
 */
export interface TraceDuration {
  traceId: string;
  start?: Micros | undefined;
  duration?: Micros | undefined;
}

export interface SlowTrace {
  traceId: string;
  start: Micros;
  duration: Micros;
  spanCount: number;
  errorCount: number;
  /** Service and operation of the main root (main-root.ts); absent for an empty trace. */
  rootService?: string;
  rootOperation?: string;
}

export interface PathHop {
  spanId: string;
  /** SpanNode.key, when the trace has another span with the same id. */
  key?: string;
  service: string;
  operation: string;
}

export interface SlowSpan extends SpanRef {
  traceId: string;
  inferred: boolean;
  /** From the root down to and including this span. */
  path: PathHop[];
}

export interface SlowOperation {
  service: string;
  operation: string;
  count: number;
  errors: number;
  p50: Micros;
  p99: Micros;
  max: Micros;
}

/** Ranking for anything with a trace id, start and duration: use with `new TopN(n, compareSlowTraces)`. */
export function compareSlowTraces(a: TraceDuration, b: TraceDuration): number {
  return knownFirst(a.duration, b.duration, -1) || compareStrings(a.traceId, b.traceId) || knownFirst(a.start, b.start, 1);
}

interface RankedNode {
  traceId: string;
  node: SpanNode;
}

function compareSlowSpans(a: RankedNode, b: RankedNode): number {
  const x = a.node.span;
  const y = b.node.span;
  return (
    knownFirst(x.end - x.start, y.end - y.start, -1) ||
    compareStrings(a.traceId, b.traceId) ||
    knownFirst(x.start, y.start, 1) ||
    compareStrings(a.node.key ?? x.spanId, b.node.key ?? y.spanId)
  );
}

/** compareSlowSpans on the rows spans() gives: the same order. */
function compareSlowSpanRows(a: SlowSpan, b: SlowSpan): number {
  return (
    knownFirst(a.duration, b.duration, -1) ||
    compareStrings(a.traceId, b.traceId) ||
    knownFirst(a.start, b.start, 1) ||
    compareStrings(a.key ?? a.spanId, b.key ?? b.spanId)
  );
}

function compareSlowOperations(a: SlowOperation, b: SlowOperation): number {
  return (
    knownFirst(a.p99, b.p99, -1) ||
    knownFirst(a.max, b.max, -1) ||
    b.count - a.count ||
    compareStrings(a.service, b.service) ||
    compareStrings(a.operation, b.operation)
  );
}

/** A trace's row, from its span list and layout (no SpanNode is made: TraceTree.nodes). */
export function summarizeTrace(tree: TraceTree): SlowTrace {
  let errorCount = 0;
  for (const s of tree.spans) if (s.error) errorCount++;
  const root = mainRootOf(tree).index;
  const empty = tree.spans.length === 0;
  const out: SlowTrace = {
    traceId: tree.traceId,
    start: empty ? 0 : tree.start,
    duration: empty ? 0 : tree.end - tree.start,
    spanCount: tree.spans.length,
    errorCount,
  };
  if (root >= 0) {
    const span = tree.spans[tree.layout.spanIndex[root]!]!;
    out.rootService = span.service;
    out.rootOperation = span.operation;
  }
  return out;
}

/** Path of hops from the root to `node`, walking parent links (iterative; fine for very deep chains). */
export function pathFromRoot(node: SpanNode): PathHop[] {
  const path: PathHop[] = [];
  const seen = new Set<SpanNode>(); // a malformed tree with a parent cycle must not hang us
  for (let n: SpanNode | undefined = node; n && !seen.has(n); n = n.parent) {
    seen.add(n);
    const hop: PathHop = { spanId: n.span.spanId, service: n.span.service, operation: n.span.operation };
    if (n.key !== undefined) hop.key = n.key;
    path.push(hop);
  }
  return path.reverse();
}

interface OpAcc {
  service: string;
  operation: string;
  durations: number[];
  errors: number;
}

export type SlowestKind = 'traces' | 'spans' | 'operations';

/**
 * Streaming collector for the rankings: `add` each trace, read the results at any time. `kinds` limits the
 * work to what is wanted (operations keep a number per span; the others are bounded).
 */
/** What a SlowestCollector holds, as plain data that can cross threads. */
export interface SlowestState {
  traces: SlowTrace[];
  spans: SlowSpan[];
  ops: [string, OpAcc][];
}

export class SlowestCollector {
  private readonly topTraces: TopN<SlowTrace>;
  private readonly topSpans: TopN<RankedNode>;
  /** The best spans of traces another collector saw (absorb): rows already, as their nodes stayed there. */
  private readonly otherSpans: SlowSpan[] = [];
  private readonly ops = new Map<string, OpAcc>();
  private readonly want: ReadonlySet<SlowestKind>;

  constructor(
    readonly n: number,
    kinds: readonly SlowestKind[] = ['traces', 'spans', 'operations'],
  ) {
    this.topTraces = new TopN<SlowTrace>(n, compareSlowTraces);
    this.topSpans = new TopN<RankedNode>(n, compareSlowSpans);
    this.want = new Set(kinds);
  }

  add(tree: TraceTree): void {
    if (this.want.has('traces')) this.topTraces.push(summarizeTrace(tree));
    const spans = this.want.has('spans');
    const ops = this.want.has('operations');
    if (!spans && !ops) return;
    for (const node of tree.nodes) {
      const s = node.span;
      if (spans) {
        const ref = { traceId: tree.traceId, node };
        if (this.topSpans.wouldAccept(ref)) this.topSpans.push(ref);
      }
      if (ops) this.addOperation(s.service, s.operation, s.end - s.start, s.error);
    }
  }

  /**
   * Takes back what add(tree) added for a trace (a followed trace whose update, the whole trace, is added
   * in its place: its duration and each of its spans' at least as long, so the best N stay exact).
   */
  withdraw(tree: TraceTree): void {
    const id = tree.traceId;
    this.topTraces.remove((t) => t.traceId === id);
    this.topSpans.remove((s) => s.traceId === id);
    if (!this.want.has('operations')) return;
    for (const node of tree.nodes) {
      const s = node.span;
      const key = `${s.service}\u0000${s.operation}`;
      const op = this.ops.get(key);
      if (op === undefined) continue;
      removeValue(op.durations, s.end - s.start);
      if (s.error) op.errors--;
      if (op.durations.length === 0) this.ops.delete(key);
    }
  }

  exportState(): SlowestState {
    return { traces: this.traces(), spans: this.spans(), ops: [...this.ops] };
  }

  /**
   * Adds what another collector (same N and kinds, over other traces) holds. Every ranking is a total
   * order, so the best N of both parts' best N are the best N of all; operations join their durations.
   */
  absorb(state: SlowestState): void {
    for (const t of state.traces) this.topTraces.push(t);
    for (const s of state.spans) this.otherSpans.push(s); // not push(...): --top may be large
    mergeByKey(this.ops, state.ops, (op, theirs) => {
      appendAll(op.durations, theirs.durations);
      op.errors += theirs.errors;
    });
  }

  /**
   * For `--by span` alone: a trace none of whose spans lasts as long as the shortest of the N kept cannot
   * place one (durations as the tree will have them: an end before the start counts as the start).
   * Only strictly shorter: ties are ranked by what the tree says (duplicate ids' keys).
   */
  passesOver(_traceId: string, _start: Micros, _end: Micros, spans: readonly Span[]): boolean {
    if (this.want.size !== 1 || !this.want.has('spans')) return false;
    const worst = this.topSpans.worstKept();
    if (worst === undefined) return false;
    const bar = worst.node.span.end - worst.node.span.start;
    for (const s of spans) if (!(Math.max(s.end, s.start) - s.start < bar)) return false;
    return true;
  }

  /**
   * For `--by operation` alone no tree is needed: a duration and an error flag per span, durations
   * clamped as the tree clamps them (an end before the start counts as the start).
   */
  addSpans(spans: readonly Span[]): boolean {
    if (this.want.size !== 1 || !this.want.has('operations')) return false;
    for (const s of spans) this.addOperation(s.service, s.operation, Math.max(s.end, s.start) - s.start, s.error);
    return true;
  }

  private addOperation(service: string, operation: string, duration: Micros, error: boolean): void {
    const key = `${service}\u0000${operation}`;
    let op = this.ops.get(key);
    if (!op) {
      op = { service, operation, durations: [], errors: 0 };
      this.ops.set(key, op);
    }
    op.durations.push(duration);
    if (error) op.errors++;
  }

  traces(): SlowTrace[] {
    return this.topTraces.toArray();
  }

  spans(): SlowSpan[] {
    const rows = this.topSpans.toArray().map(({ traceId, node }): SlowSpan => {
      return { traceId, ...spanRef(node), inferred: node.span.inferred === true, path: pathFromRoot(node) };
    });
    if (this.otherSpans.length === 0) return rows;
    return [...rows, ...this.otherSpans].sort(compareSlowSpanRows).slice(0, this.n);
  }

  operations(): SlowOperation[] {
    const top = new TopN<SlowOperation>(this.n, compareSlowOperations);
    for (const op of this.ops.values()) {
      const d = distribution(op.durations);
      top.push({ service: op.service, operation: op.operation, count: d.count, errors: op.errors, p50: d.p50, p99: d.p99, max: d.max });
    }
    return top.toArray();
  }
}

/** A slow trace with the services it touched, as `slowest` shows it. */
export interface SlowTraceRow extends SlowTrace {
  services: string[];
}

/**
 * The bounded top N of traces, with the services each touched (SlowestCollector's trace rows do not carry
 * them). The service set is only built for a trace that would make the cut.
 */
export class TraceRanker {
  private readonly top: TopN<SlowTraceRow>;

  constructor(n: number) {
    this.top = new TopN<SlowTraceRow>(n, compareSlowTraces);
  }

  /** A trace that would rank below the N kept: its tree is not needed (TraceAnalyzer). */
  passesOver(traceId: string, start: Micros, end: Micros): boolean {
    return this.passesOverBounds(traceId, start, end);
  }

  /** The same from the bounds alone: a trace folded from log lines is passed over before its spans are made. */
  passesOverBounds(traceId: string, start: Micros, end: Micros): boolean {
    return !this.top.wouldAccept({ traceId, start, duration: end - start, spanCount: 0, errorCount: 0, services: [] });
  }

  add(tree: TraceTree): void {
    const row = { ...summarizeTrace(tree), services: [] as string[] };
    if (!this.top.wouldAccept(row)) return;
    const services = new Set<string>();
    for (const s of tree.spans) services.add(s.service);
    row.services = [...services].sort(compareStrings);
    this.top.push(row);
  }

  /** Takes a trace's row back (a followed trace whose update, the whole trace, is added in its place). */
  withdraw(tree: TraceTree): void {
    this.top.remove((r) => r.traceId === tree.traceId);
  }

  exportState(): SlowTraceRow[] {
    return this.rows();
  }

  /** Another ranker's rows (over other traces): the ranking is a total order, so the merge is exact. */
  absorb(rows: SlowTraceRow[]): void {
    for (const r of rows) this.top.push(r);
  }

  rows(): SlowTraceRow[] {
    return this.top.toArray();
  }
}

function collect(trees: Iterable<TraceTree>, n: number, kind: SlowestKind): SlowestCollector {
  const c = new SlowestCollector(n, [kind]);
  for (const t of trees) c.add(t);
  return c;
}

export function slowestTraces(trees: Iterable<TraceTree>, n: number): SlowTrace[] {
  return collect(trees, n, 'traces').traces();
}

export function slowestSpans(trees: Iterable<TraceTree>, n: number): SlowSpan[] {
  return collect(trees, n, 'spans').spans();
}

export function slowestOperations(trees: Iterable<TraceTree>, n: number): SlowOperation[] {
  return collect(trees, n, 'operations').operations();
}
