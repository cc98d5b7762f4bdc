// Which root stands for a trace when there are several (a missing parent splits a trace into a forest):
// the longest one, because it is most likely the real entry point and spans the most of the trace.
// Ties go to the earliest-starting root (roots are sorted by start), then to its order.
import type { SpanNode, TraceTree, TreeLayout } from '../model/tree.js';

export function mainRoot(tree: TraceTree): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const r of tree.roots) {
    if (best === undefined) {
      best = r;
      continue;
    }
    const d = r.span.end - r.span.start;
    const bd = best.span.end - best.span.start;
    if (d > bd || (d === bd && r.span.start < best.span.start)) best = r;
  }
  return best;
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
    if (best === -1) {
      best = k;
      continue;
    }
    const d = end[k]! - start[k]!;
    const bd = end[best]! - start[best]!;
    if (d > bd || (d === bd && start[k]! < start[best]!)) best = k;
  }
  return { index: best, roots };
}
