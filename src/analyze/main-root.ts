// Which root stands for a trace when there are several (a missing parent splits a trace into a forest):
// the longest one, because it is most likely the real entry point and spans the most of the trace.
// Ties go to the earliest-starting root (roots are sorted by start), then to its order.
import type { SpanNode, TraceTree, TreeLayout } from '../model/tree.js';

export function mainRoot(tree: TraceTree): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const r of tree.roots) {
    if (best === undefined || standsBefore(r.span.start, r.span.end, best.span.start, best.span.end)) best = r;
  }
  return best;
}

/** Does a root of these times stand for the trace before the best so far? The rule above, in one place. */
function standsBefore(start: number, end: number, bestStart: number, bestEnd: number): boolean {
  const d = end - start;
  const bd = bestEnd - bestStart;
  return d > bd || (d === bd && start < bestStart);
}

/**
 * mainRoot from a layout in pre-order (parents first), by node index, with the number of roots: the
 * same choice, read from the layout's times (the placed spans' own) instead of the nodes.
 */
export function mainRootOf(layout: TreeLayout): { index: number; roots: number } {
  const { parent, start, end } = layout;
  let best = -1;
  let roots = 0;
  for (let k = 0; k < parent.length; k++) {
    if (parent[k] !== -1) continue;
    roots++;
    if (best === -1 || standsBefore(start[k]!, end[k]!, start[best]!, end[best]!)) best = k;
  }
  return { index: best, roots };
}
