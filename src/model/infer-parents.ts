// Parents inferred from timing, for spans that name none: log lines with a trace id and a span id but no
// parent id (pino, zap, logback, structlog with the OTel log instrumentations). Within a trace, such a
// span's parent is the span of the trace that encloses it and started last — on one host the enclosing
// span, across services the caller's span active when the call began:
//
//     gateway  |--------------------------------------|
//     orders      |---------------------------|            orders   ≈ under gateway
//     payments       |---------------|  |---|              payments ≈ under orders (started after gateway)
//     db                 |-----|                           db       ≈ under payments: the latest start
//
// The rule, in full:
// - Enclosing: p.start <= c.start + slack and p.end >= c.end - slack, slack = min(1 ms, a tenth of c's
//   length): a little room for clocks of two hosts and for times logged in whole milliseconds, never
//   enough to put a short call under the sibling that ended just before it began.
// - A parent is never shorter than its child; of two spans of one length, the earlier in start order is
//   the parent (equal intervals: the one with the lower span id). So inferred links never loop.
// - Of the enclosing spans, the one that started last; equal starts: the shorter (the tighter one);
//   equal intervals: the later in that order (the deeper of the two).
// - Overlapping siblings are ambiguous: when the enclosing span that started before the chosen one does
//   not enclose the chosen one, the choice is counted (`ambiguous`).
//
//     orders   |----------------------------|
//     a           |-------------|                    a and b overlap: c lies in both; the rule takes b
//     b                  |-------------|             (it started last) and counts c as ambiguous
//     c                    |----|
//
// - A link that would close a loop with the named parents (the would-be parent hangs under the child
//   by parent ids) is refused; the child takes the next enclosing span, or stays a root.
// Only the spans the caller marks as children get a parent; only those it marks as candidates can be
// one. Each child costs a search of a segment tree over the candidates in start order: O(n log n) for
// the trace, no recursion.
import type { Micros } from '../core/time.js';

/** At most this much room for two hosts' clocks and times rounded to the millisecond. */
export const INFER_SLACK: Micros = 1000;

/** A child's slack: INFER_SLACK, or a tenth of its length when that is less. */
export const slackOf = (start: Micros, end: Micros): Micros => Math.min(INFER_SLACK, Math.floor((end - start) / 10));

/** How many enclosing spans a child tries when the first ones would close a loop. */
const TRIES = 8;

export interface InferInput {
  start: Float64Array;
  end: Float64Array;
  /** Sub-µs part of start, ordering only. */
  startNanos: Float64Array;
  /** The span's id, the last tie-break. */
  id: (i: number) => string;
  /** Parents already known (-1: none); read, not changed. */
  parent: Int32Array;
  /** 1: the span may be given a parent (it names none). */
  child: Uint8Array;
  /** 1: the span may be a parent. */
  candidate: Uint8Array;
}

export interface Inferred {
  /** The inferred parent of each span, -1 where none was inferred. */
  parent: Int32Array;
  /** How many spans got one. */
  count: number;
  /** How many of those had overlapping enclosing spans to choose between. */
  ambiguous: number;
}

/**
 * Whether span k of n (times by place) could get a parent from timing: another span encloses it within
 * its slack and is not shorter. A superset of what inferParents links (it also refuses loops and takes only
 * the caller's candidates), so a shortcut that skips buildTree stays exact on a trace whose one parentless
 * log span this says no for: the usual root of a trace whose other spans name their parents.
 */
export function mayInferParent(k: number, n: number, start: ArrayLike<number>, end: ArrayLike<number>): boolean {
  const s = start[k]!;
  const e = end[k]!;
  const slack = Math.max(0, slackOf(s, e));
  for (let j = 0; j < n; j++) {
    if (j !== k && start[j]! <= s + slack && end[j]! >= e - slack && end[j]! - start[j]! >= e - s) return true;
  }
  return false;
}

export function inferParents(input: InferInput): Inferred {
  const { start, end, startNanos, id, parent: named, child, candidate } = input;
  const n = start.length;
  const out = new Int32Array(n).fill(-1);
  const result: Inferred = { parent: out, count: 0, ambiguous: 0 };
  const byTime = (a: number, b: number): number => {
    const d = start[a]! - start[b]! || startNanos[a]! - startNanos[b]! || end[b]! - end[a]!;
    if (d) return d;
    const x = id(a);
    const y = id(b);
    return (x < y ? -1 : x > y ? 1 : 0) || a - b;
  };
  // Candidates in start order (equal starts: longer first): their places in the segment tree.
  const places: number[] = [];
  let anyChild = false;
  for (let i = 0; i < n; i++) {
    if (candidate[i]) places.push(i);
    if (child[i]) anyChild = true;
  }
  if (!anyChild || places.length === 0) return result;
  places.sort(byTime);
  const m = places.length;
  const placeOf = new Int32Array(n).fill(-1);
  const starts = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    placeOf[places[k]!] = k;
    starts[k] = start[places[k]!]!;
  }
  const tree = new MaxTree(m);
  const group = components(named);

  // Longest first (then start order): a span's possible parents are all in the tree when it is reached.
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (child[i] || candidate[i]) order.push(i);
  order.sort((a, b) => end[b]! - start[b]! - (end[a]! - start[a]!) || byTime(a, b));
  for (const c of order) {
    if (child[c]) {
      const slack = slackOf(start[c]!, end[c]!);
      const low = end[c]! - slack;
      let limit = upperBound(starts, start[c]! + slack) - 1;
      for (let t = 0; t < TRIES && limit >= 0; t++) {
        const k = tree.rightmost(limit, low);
        if (k < 0) break;
        const p = places[k]!;
        const top = find(group, p);
        if (top === c) {
          limit = k - 1; // p hangs under c: try the next enclosing span
          continue;
        }
        group[c] = top;
        out[c] = p;
        result.count++;
        const next = k > 0 ? tree.rightmost(k - 1, low) : -1;
        if (next >= 0 && end[places[next]!]! < end[p]!) result.ambiguous++;
        break;
      }
    }
    if (candidate[c]) tree.set(placeOf[c]!, end[c]!);
  }
  return result;
}

/** The first place whose value exceeds x (a sorted array). */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Each span's group under the named parents: the root its parents lead to, or for spans under a parent
 * cycle one member of the cycle. Spans naming no parent are their own group. A union-find array:
 * find() follows it to a group's root.
 */
function components(parent: Int32Array): Int32Array {
  const n = parent.length;
  const comp = new Int32Array(n).fill(-1);
  const seen = new Int32Array(n);
  const path = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (comp[i] !== -1) continue;
    let len = 0;
    let v = i;
    while (v !== -1 && comp[v] === -1 && seen[v] !== i + 1) {
      seen[v] = i + 1;
      path[len++] = v;
      v = parent[v]!;
    }
    const c = v === -1 ? path[len - 1]! : comp[v] !== -1 ? comp[v]! : v;
    for (let k = 0; k < len; k++) comp[path[k]!] = c;
  }
  return comp;
}

function find(group: Int32Array, x: number): number {
  while (group[x] !== x) {
    const up = group[group[x]!]!;
    group[x] = up;
    x = up;
  }
  return x;
}

/** A segment tree of the largest end by place; -∞ where nothing is set. */
class MaxTree {
  private readonly size: number;
  private readonly max: Float64Array;

  constructor(n: number) {
    let size = 1;
    while (size < n) size <<= 1;
    this.size = size;
    this.max = new Float64Array(2 * size).fill(-Infinity);
  }

  set(k: number, value: number): void {
    let v = k + this.size;
    this.max[v] = value;
    for (v >>= 1; v >= 1; v >>= 1) this.max[v] = Math.max(this.max[2 * v]!, this.max[2 * v + 1]!);
  }

  /** The last place <= limit whose value is at least `low`, or -1. */
  rightmost(limit: number, low: number): number {
    const max = this.max;
    // The nodes that exactly cover [0, limit], right to left, from the bottom-up walk's right edge.
    let l = this.size;
    let r = limit + 1 + this.size;
    const left: number[] = [];
    while (l < r) {
      if (l & 1) left.push(l++);
      if (r & 1) {
        r--;
        if (max[r]! >= low) return this.descend(r, low);
      }
      l >>= 1;
      r >>= 1;
    }
    for (let k = left.length - 1; k >= 0; k--) if (max[left[k]!]! >= low) return this.descend(left[k]!, low);
    return -1;
  }

  private descend(v: number, low: number): number {
    while (v < this.size) v = this.max[2 * v + 1]! >= low ? 2 * v + 1 : 2 * v;
    return v - this.size;
  }
}
