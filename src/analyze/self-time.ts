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
  const stop = k + size[k]!; // the children: k + 1, then each next sibling c + size[c], below stop
  const sweep = SWEEP.open(starts[k]!, ends[k]!);
  for (let c = k + 1; c < stop; c += size[c]!) sweep.add(starts[c]!, ends[c]!);
  return sweep.selfTime();
}

/**
 * The one self-time sweep: a parent's length less the union of its children, each clipped to the parent.
 * open(start, end), add(childStart, childEnd) for each child, then selfTime(). Children usually come in
 * start order (buildTree sorts them, and clipping a start up to the parent's keeps that order): the union
 * is then taken straight from the list; a child out of order (a builder bug must not corrupt the sum)
 * sorts the list first. Runs of overlapping or touching intervals are added in start order, so the same
 * children give the same sum whatever the order they came in.
 */
export class SelfTimeSweep {
  private from = new Float64Array(16);
  private to = new Float64Array(16);
  private count = 0;
  private sorted = true;
  private start = 0;
  private end = 0;

  open(start: Micros, end: Micros): this {
    this.start = start;
    this.end = end;
    this.count = 0;
    this.sorted = true;
    return this;
  }

  add(childStart: Micros, childEnd: Micros): void {
    const s = Math.max(childStart, this.start);
    const e = Math.min(childEnd, this.end);
    if (e <= s) return; // wholly outside, or empty after clipping
    const m = this.count;
    if (m === this.from.length) this.grow();
    if (m > 0 && s < this.from[m - 1]!) this.sorted = false;
    this.from[m] = s;
    this.to[m] = e;
    this.count = m + 1;
  }

  selfTime(): Micros {
    const dur = this.end - this.start;
    if (this.count === 0 || dur <= 0) return Math.max(0, dur);
    if (!this.sorted) this.sort();
    return Math.max(0, dur - coveredInOrder(this.from, this.to, this.count));
  }

  private grow(): void {
    const from = new Float64Array(this.from.length * 2);
    const to = new Float64Array(this.to.length * 2);
    from.set(this.from);
    to.set(this.to);
    this.from = from;
    this.to = to;
  }

  /** Stable, by start: in place for a few children, by an index over many. */
  private sort(): void {
    const m = this.count;
    const { from, to } = this;
    if (m <= 32) {
      for (let i = 1; i < m; i++) {
        const s = from[i]!;
        const e = to[i]!;
        let k = i;
        for (; k > 0 && from[k - 1]! > s; k--) {
          from[k] = from[k - 1]!;
          to[k] = to[k - 1]!;
        }
        from[k] = s;
        to[k] = e;
      }
    } else {
      const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => from[a]! - from[b]!);
      const sortedFrom = Float64Array.from(order, (i) => from[i]!);
      const sortedTo = Float64Array.from(order, (i) => to[i]!);
      from.set(sortedFrom);
      to.set(sortedTo);
    }
    this.sorted = true;
  }
}

/** selfTimeAt's sweep: one self time at a time (nothing between open and selfTime waits). */
const SWEEP = new SelfTimeSweep();

/**
 * The length covered by `count` intervals [from[k], to[k]) given in start order: runs of overlapping or
 * touching intervals, each run's length added in turn (so the same intervals give the same sum).
 */
function coveredInOrder(from: Float64Array, to: Float64Array, count: number): Micros {
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
 * Self time of every span, by its place in TraceTree.spans (`count` of them), from the layout alone:
 * computed in tree order, where a node's children sit just after it.
 */
export function selfTimesBySpan(layout: TreeLayout, count: number): Float64Array {
  const out = new Float64Array(count);
  const spanIndex = layout.spanIndex;
  for (let k = 0; k < spanIndex.length; k++) out[spanIndex[k]!] = selfTimeAt(k, layout);
  return out;
}
