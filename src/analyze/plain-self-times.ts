// Self times of a small trace's spans straight from the spans, for the traces whose tree holds no
// surprise: the ones buildTree (model/build-tree.ts) would link by parent id alone. latency needs a
// trace's tree only for its self times, and building it (flat arrays, an id index, child lists, a
// walk) was the larger part of latency's end on logs: ~26,000 trees of a few spans on each thread of
// corpus a, ~170 ms a thread. Here a trace of a few spans costs a few comparisons per pair.
//
// "No surprise" is what lets the answer be buildTree's without its passes: span ids are all different
// (no duplicates to settle), following parents never loops (no cycle to cut), and no span of log lines
// lacks a parent id (buildTree would infer one from timing). Then each span's
// parent is the span its parent id names (none when the id is missing, empty, its own, or not in the
// trace), and its self time is selfTimeAt's: its length less the union of its children clipped to it,
// summed by the same sweep (SelfTimeSweep, so the sums are the same numbers).
//
// Two ways in: Span objects (plainSelfTimes), or columns a trace folded from log lines fills without
// making its spans (linkedSelfTimes; model/span-columns.ts, TraceFold.columns, whose ids are all
// different by construction).
import { mayInferParent } from '../model/infer-parents.js';
import type { Span } from '../model/span.js';
import { MAX_SPREAD } from '../model/plausible-times.js';
import { SelfTimeSweep } from './self-time.js';

/** Past this many spans a trace goes to buildTree: the pairwise comparisons here grow as the square. */
export const PLAIN_MAX_SPANS = 32;

// Scratch for one trace at a time (a trace has at most PLAIN_MAX_SPANS spans here): typed arrays made
// per trace were most of this module's time on corpus a (~26,000 traces a thread).
const PARENT = new Int32Array(PLAIN_MAX_SPANS);
const START = new Float64Array(PLAIN_MAX_SPANS);
const END = new Float64Array(PLAIN_MAX_SPANS);
const SWEEP = new SelfTimeSweep();

/**
 * Each span's self time (by its place in `spans`) into `self`, as selfTimesBySpan(buildTree(spans).layout)
 * gives it; false (and `self` left as it is) when the trace needs buildTree's rules (repeated ids, a
 * parent cycle) or has more than PLAIN_MAX_SPANS spans. Ends before their starts count as their starts,
 * as buildTree clamps them.
 */
export function plainSelfTimes(spans: readonly Span[], self: Float64Array): boolean {
  const n = spans.length;
  if (n > PLAIN_MAX_SPANS || self.length < n) return false;
  const parent = PARENT;
  for (let i = 0; i < n; i++) {
    const id = spans[i]!.spanId;
    for (let j = i + 1; j < n; j++) if (spans[j]!.spanId === id) return false;
  }
  let loose = -1; // the one log span naming no parent, if any
  for (let i = 0; i < n; i++) {
    parent[i] = -1;
    const s = spans[i]!;
    START[i] = s.start;
    END[i] = Math.max(s.end, s.start);
    const named = s.parentSpanId;
    // A log span naming no parent may get one from timing in buildTree (model/infer-parents.ts): two such
    // spans, or one that another span encloses, go the long way.
    if ((named === undefined || named === '') && s.origin === 'log' && n > 1) {
      if (loose !== -1) return false;
      loose = i;
    }
    if (named === undefined || named === '' || named === s.spanId) continue;
    for (let j = 0; j < n; j++) {
      if (spans[j]!.spanId === named) {
        parent[i] = j;
        break;
      }
    }
  }
  if (loose !== -1 && mayInferParent(loose, n, START, END)) return false;
  return linkedSelfTimes(n, START, END, parent, self);
}

/**
 * Each of n spans' self time into `self`, the spans given as columns: start, end (not before start) and
 * the parent's place (-1: none), linked as buildTree links ids that are all different; false (`self` left
 * as it is) when following parents loops, where buildTree would cut the cycle.
 */
export function linkedSelfTimes(n: number, start: Float64Array, end: Float64Array, parent: Int32Array, self: Float64Array): boolean {
  if (n > PLAIN_MAX_SPANS || self.length < n) return false;
  // A cycle: some walk up from a span takes more than n steps.
  for (let i = 0; i < n; i++) {
    let steps = 0;
    for (let v = parent[i]!; v !== -1; v = parent[v]!) if (++steps > n) return false;
  }
  // A span without a start time (0) whose nearest timed ancestor lies far from the epoch: buildTree
  // places it at its parent's start.
  for (let i = 0; i < n; i++) {
    if (start[i] !== 0 || parent[i] === -1) continue;
    let v = parent[i]!;
    while (start[v] === 0 && parent[v] !== -1) v = parent[v]!;
    if (start[v]! > MAX_SPREAD) return false;
  }
  for (let i = 0; i < n; i++) {
    const sweep = SWEEP.open(start[i]!, end[i]!);
    for (let j = 0; j < n; j++) if (parent[j] === i) sweep.add(start[j]!, end[j]!);
    self[i] = sweep.selfTime();
  }
  return true;
}
