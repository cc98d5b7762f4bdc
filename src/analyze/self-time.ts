// Self time: how long a span spent on its own, not waiting on a child. Children may run in parallel, so
// subtracting the sum of their durations over-counts; we subtract the UNION of their intervals, each first
// clipped to the parent (a child that outlives its parent, usually clock skew or a fire-and-forget call, only
// covers the part inside the parent). Same idea as jaeger-ui's compute-span-self-time sweep.
//
//   parent   |0==================================100|
//   child A       |10=========60|
//   child B                |30=========80|
//   union         |10====================80|          = 70, self = 100 - 70 = 30
//
//   parent   |0===============100|
//   child              |50================150|        clipped to 50..100, self = 50
//
//   parent        |10=====50|
//   child    |0===================100|               clipped to 10..50, self = 0
import type { TreeLayout } from '../model/tree.js';
import type { Micros } from '../core/time.js';

/**
 * Self time of node k; never negative. Read from the tree's layout alone (times and children by node
 * index), not from span or node objects: latency takes the self time of every span of a million-span
 * trace, and reading each child's span cost a cache miss a child.
 */
export function selfTimeAt(k: number, layout: TreeLayout): Micros {
  const { start: starts, end: ends, size } = layout;
  const start = starts[k]!;
  const end = ends[k]!;
  const dur = end - start;
  const stop = k + size[k]!; // the children: k + 1, then each next sibling c + size[c], below stop
  if (stop === k + 1 || dur <= 0) return Math.max(0, dur);

  // Clip each child to the parent; children are promised sorted by start, and clipping the start up to the
  // parent's start keeps that order. The sweep below runs straight over the children while they are in
  // that order; a child out of order (a builder bug must not corrupt the sum) sends us to the sorted copy.
  const direct = sweepInOrder(k + 1, stop, size, start, end, starts, ends);
  if (direct !== undefined) return Math.max(0, dur - direct);
  const clippedStarts: number[] = [];
  const clippedEnds: number[] = [];
  let sorted = true;
  for (let c = k + 1; c < stop; c += size[c]!) {
    const s = Math.max(starts[c]!, start);
    const e = Math.min(ends[c]!, end);
    if (e <= s) continue; // wholly outside, or empty after clipping
    if (clippedStarts.length > 0 && s < clippedStarts[clippedStarts.length - 1]!) sorted = false;
    clippedStarts.push(s);
    clippedEnds.push(e);
  }
  if (clippedStarts.length === 0) return dur;
  if (!sorted) {
    const order = Array.from({ length: clippedStarts.length }, (_, i) => i);
    order.sort((a, b) => clippedStarts[a]! - clippedStarts[b]!);
    return Math.max(0, dur - coveredInOrder(order.map((i) => clippedStarts[i]!), order.map((i) => clippedEnds[i]!), order.length));
  }
  return Math.max(0, dur - coveredInOrder(clippedStarts, clippedEnds, clippedStarts.length));
}

/**
 * The length covered by `count` intervals [from[k], to[k]) given in start order: runs of overlapping or
 * touching intervals, each run's length added in turn (so the same intervals give the same sum).
 */
export function coveredInOrder(from: ArrayLike<number>, to: ArrayLike<number>, count: number): Micros {
  let covered = 0;
  let runStart = -Infinity;
  let runEnd = -Infinity;
  for (let k = 0; k < count; k++) {
    const s = from[k]!;
    const e = to[k]!;
    if (s > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = s;
      runEnd = e;
    } else if (e > runEnd) {
      runEnd = e;
    }
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return covered;
}

/**
 * The covered length of the children (first child `from`, siblings by subtree size, below `stop`)
 * clipped to [start, end], by the same sweep as selfTimeAt, when the clipped children come in start
 * order; undefined as soon as one does not.
 */
function sweepInOrder(from: number, stop: number, size: Int32Array, start: Micros, end: Micros, starts: Float64Array, ends: Float64Array): Micros | undefined {
  let covered = 0;
  let runStart = -Infinity;
  let runEnd = -Infinity;
  let last = -Infinity;
  for (let c = from; c < stop; c += size[c]!) {
    const s = Math.max(starts[c]!, start);
    const e = Math.min(ends[c]!, end);
    if (e <= s) continue; // wholly outside, or empty after clipping
    if (s < last) return undefined;
    last = s;
    if (s > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = s;
      runEnd = e;
    } else if (e > runEnd) {
      runEnd = e;
    }
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return covered;
}

/**
 * Self time of every span, by its place in TraceTree.spans (`count` of them), from the layout alone:
 * computed in tree order, where a node's children sit just after it.
 */
export function selfTimesBySpan(layout: TreeLayout, count: number): Float64Array {
  const out = new Float64Array(count);
  const spanIndex = layout.spanIndex;
  for (let k = 0; k < spanIndex.length; k++) out[spanIndex[k]!] = selfTimeAt(k, layout);
  return out;
}
