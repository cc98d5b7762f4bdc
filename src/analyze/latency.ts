// Latency breakdown: where did the time go, per service, per operation, or per value of an attribute
// (`{ attr: 'http.status_code' }`). Each row carries both total time (sum of durations, which double-counts
// nested spans of the same group) and self time (see self-time.ts, which does not), so "which service is
// slow" and "which service is slow on its own" are both answerable.
//
// Inferred placeholder spans (made to hold log lines that had a trace id but no span id) are counted like
// any other span in every column; `inferred` says how many of a row's `count` were placeholders, so a
// renderer can flag rows whose timing is only as good as the first and last log line.
//
// Streaming: `new LatencyAccumulator(by)`, `add(tree)` per trace, `finish()` once. Memory is one duration per
// span (exact percentiles), plus a few counters per group.
import type { Span } from '../model/span.js';
import type { TraceTree } from '../model/tree.js';
import type { Micros } from '../core/time.js';
import { selfTimesBySpan } from './self-time.js';
import { linkedSelfTimes, PLAIN_MAX_SPANS, plainSelfTimes } from './plain-self-times.js';
import { SpanColumns } from '../model/span-columns.js';
import type { TraceFold } from '../model/span-fold.js';
import { distributionOfParts } from './percentiles.js';
import { compareStrings, knownFirst } from './top-n.js';
import { appendAll, mergeByKey, removeValue } from './merge-by-key.js';

export type LatencyBy = 'service' | 'operation' | { attr: string };

/** The group value used when a span lacks the attribute. */
export const NO_VALUE = '(none)';

export interface LatencyRow {
  /** The grouping value(s): service; service and operation; or the attribute value as a string. */
  service?: string;
  operation?: string;
  value?: string;
  count: number;
  /** How many of `count` are inferred placeholder spans. */
  inferred: number;
  errors: number;
  errorPct: number; // 0..100
  total: Micros;
  self: Micros;
  selfPct: number; // share of all self time in the report, 0..100
  min: Micros;
  p50: Micros;
  p90: Micros;
  p95: Micros;
  p99: Micros;
  max: Micros;
}

export interface LatencyReport {
  by: LatencyBy;
  /** Sorted by self time desc, then total desc, then the grouping value(s) asc. */
  rows: LatencyRow[];
  totals: { traces: number; spans: number; inferred: number; errors: number; total: Micros; self: Micros };
}

/** Attribute values as group keys: strings as they are, other scalars via String, the rest as JSON. */
export function attributeKey(v: unknown): string {
  if (v === undefined || v === null) return NO_VALUE;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v); // cyclic structures cannot come from JSON input, but attributes are untrusted
  }
}

interface Group {
  service?: string;
  operation?: string;
  value?: string;
  durations: number[];
  /** Durations of other parts of the traces (absorb), as they came. */
  parts: Float64Array[];
  inferred: number;
  errors: number;
  total: Micros;
  self: Micros;
}

/** What a LatencyAccumulator holds, as plain data that can cross threads: its groups by key. */
export interface LatencyState {
  traces: number;
  groups: [string, Group][];
}

export class LatencyAccumulator {
  private readonly groups = new Map<string, Group>();
  /**
   * The `operation` groups by service, then operation (the collector's interned strings): a span's group
   * found without making its key string, which cost a string made, flattened and hashed per span.
   */
  private readonly pairs = new Map<string, Map<string, Group>>();
  private traces = 0;
  private readonly selfScratch = new Float64Array(PLAIN_MAX_SPANS);
  private readonly columns = new SpanColumns(PLAIN_MAX_SPANS);

  constructor(readonly by: LatencyBy) {}

  /** Each group's durations go as one Float64Array: cloned to another thread as one block of memory. */
  exportState(): LatencyState {
    const groups: [string, Group][] = [];
    for (const [key, g] of this.groups) groups.push([key, { ...g, durations: [], parts: [Float64Array.from(g.durations), ...g.parts] }]);
    return { traces: this.traces, groups };
  }

  /**
   * Adds what another accumulator (of the same grouping, over other traces) holds. Counts and sums add
   * (durations are whole microseconds, so their sums are exact in any order), durations are kept as they
   * came, to be ranked with this one's at finish(), and rows are sorted there under a total order: the
   * report is the one a single accumulator of all the traces gives.
   */
  absorb(state: LatencyState): void {
    this.traces += state.traces;
    mergeByKey(this.groups, state.groups, (g, theirs) => {
      appendAll(g.durations, theirs.durations);
      for (const part of theirs.parts) g.parts.push(part);
      g.inferred += theirs.inferred;
      g.errors += theirs.errors;
      g.total += theirs.total;
      g.self += theirs.self;
    });
  }

  add(tree: TraceTree): void {
    this.traces++;
    // From the layout and the span list, no SpanNode object (TraceTree.nodes): self times in tree order,
    // where a node's children sit just after it, then the spans in input order, the order they lie in
    // memory. On a million spans walking them in tree order was a cache miss a span (~0.3 s).
    const { layout, spans } = tree;
    this.addEach(spans, selfTimesBySpan(layout, spans.length));
  }

  /**
   * A trace from its spans alone, when its tree is plain (plain-self-times.ts): what add(buildTree(spans))
   * adds, in the same order, without the tree. False when the trace needs the tree builder.
   */
  addSpans(spans: readonly Span[]): boolean {
    const self = this.selfScratch;
    if (!plainSelfTimes(spans, self)) return false;
    this.traces++;
    this.addEach(spans, self);
    return true;
  }

  /**
   * A trace folded from log lines, from its folds alone when its tree is plain and the grouping is by
   * service or operation (the fields the columns hold): what add(buildTree(fold.spans())) adds, without
   * a Span object. The order spans are added in changes nothing: sums are of whole microseconds,
   * durations are ranked at finish() and rows sorted under a total order. False when the trace needs spans.
   */
  addFold(fold: TraceFold): boolean {
    const by = this.by;
    if (by !== 'service' && by !== 'operation') return false;
    const c = this.columns;
    const self = this.selfScratch;
    if (!fold.columns(c) || !linkedSelfTimes(c.length, c.start, c.end, c.parent, self)) return false;
    this.traces++;
    for (let i = 0; i < c.length; i++) {
      const service = c.service[i]!;
      const g = by === 'service' ? this.groupOf(service, service) : this.groupOfPair(service, c.operation[i]!);
      const d = c.end[i]! - c.start[i]!;
      g.durations.push(d);
      g.total += d;
      g.self += self[i]!;
      if (c.error[i] === 1) g.errors++;
    }
    return true;
  }

  /**
   * Takes back what add(tree) added for a trace (a followed trace whose update, the whole trace, is added
   * in its place): each value it added, exactly, since sums are of whole microseconds. Durations are
   * taken from this accumulator's own (a followed command reads on one thread: no parts).
   */
  withdraw(tree: TraceTree): void {
    this.traces--;
    const { layout, spans } = tree;
    const self = selfTimesBySpan(layout, spans.length);
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i]!;
      const g = this.group(s);
      const d = Math.max(s.end, s.start) - s.start;
      removeValue(g.durations, d);
      g.total -= d;
      g.self -= self[i]!;
      if (s.error) g.errors--;
      if (s.inferred) g.inferred--;
      if (g.durations.length === 0 && g.parts.length === 0) this.dropGroup(s);
    }
  }

  /** Each span with its self time (by its place in `spans`), in that order; an end before the start counts as the start, as the tree clamps it. */
  private addEach(spans: readonly Span[], self: Float64Array): void {
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i]!;
      const g = this.group(s);
      const d = Math.max(s.end, s.start) - s.start;
      g.durations.push(d);
      g.total += d;
      g.self += self[i]!;
      if (s.error) g.errors++;
      if (s.inferred) g.inferred++;
    }
  }

  /** A group left without spans: as if none had come. */
  private dropGroup(s: Span): void {
    const by = this.by;
    if (by === 'operation') {
      this.pairs.get(s.service)?.delete(s.operation);
      this.groups.delete(`${s.service}\u0000${s.operation}`);
    } else if (by === 'service') this.groups.delete(s.service);
    else this.groups.delete(Object.prototype.hasOwnProperty.call(s.attributes, by.attr) ? attributeKey(s.attributes[by.attr]) : NO_VALUE);
  }

  finish(): LatencyReport {
    let allSelf = 0;
    for (const g of this.groups.values()) allSelf += g.self;
    const totals = { traces: this.traces, spans: 0, inferred: 0, errors: 0, total: 0, self: allSelf };
    const rows: LatencyRow[] = [];
    for (const g of this.groups.values()) {
      const d = distributionOfParts([g.durations, ...g.parts]);
      totals.spans += d.count;
      totals.inferred += g.inferred;
      totals.errors += g.errors;
      totals.total += g.total;
      const row: LatencyRow = {
        count: d.count,
        inferred: g.inferred,
        errors: g.errors,
        errorPct: d.count > 0 ? (g.errors / d.count) * 100 : 0,
        total: g.total,
        self: g.self,
        selfPct: allSelf > 0 ? (g.self / allSelf) * 100 : 0,
        min: d.min,
        p50: d.p50,
        p90: d.p90,
        p95: d.p95,
        p99: d.p99,
        max: d.max,
      };
      if (g.service !== undefined) row.service = g.service;
      if (g.operation !== undefined) row.operation = g.operation;
      if (g.value !== undefined) row.value = g.value;
      rows.push(row);
    }
    rows.sort(
      (a, b) =>
        knownFirst(a.self, b.self, -1) ||
        knownFirst(a.total, b.total, -1) ||
        compareStrings(a.service ?? '', b.service ?? '') ||
        compareStrings(a.operation ?? '', b.operation ?? '') ||
        compareStrings(a.value ?? '', b.value ?? ''),
    );
    return { by: this.by, rows, totals };
  }

  private group(s: Span): Group {
    const by = this.by;
    if (by === 'service') return this.groupOf(s.service, s.service);
    if (by === 'operation') return this.groupOfPair(s.service, s.operation);
    // Own properties only: an attribute named "constructor" must not find Object.prototype's.
    const value = Object.prototype.hasOwnProperty.call(s.attributes, by.attr) ? attributeKey(s.attributes[by.attr]) : NO_VALUE;
    return this.groupOf(value, undefined, undefined, value);
  }

  /** The group of a service and operation (the key groupOf() has for them). */
  private groupOfPair(service: string, operation: string): Group {
    let ops = this.pairs.get(service);
    if (ops === undefined) this.pairs.set(service, (ops = new Map()));
    let g = ops.get(operation);
    if (g === undefined) ops.set(operation, (g = this.groupOf(`${service}\u0000${operation}`, service, operation)));
    return g;
  }

  /** The group of this key, made with these grouping values when new. */
  private groupOf(key: string, service?: string, operation?: string, value?: string): Group {
    let g = this.groups.get(key);
    if (!g) {
      g = { durations: [], parts: [], inferred: 0, errors: 0, total: 0, self: 0 };
      if (service !== undefined) g.service = service;
      if (operation !== undefined) g.operation = operation;
      if (value !== undefined) g.value = value;
      this.groups.set(key, g);
    }
    return g;
  }
}

/** Breakdown over one trace or many. */
export function latencyBreakdown(trees: TraceTree | Iterable<TraceTree>, by: LatencyBy): LatencyReport {
  const acc = new LatencyAccumulator(by);
  if (isTree(trees)) acc.add(trees);
  else for (const t of trees) acc.add(t);
  return acc.finish();
}

function isTree(x: TraceTree | Iterable<TraceTree>): x is TraceTree {
  return typeof (x as TraceTree).traceId === 'string' && Array.isArray((x as TraceTree).nodes);
}
