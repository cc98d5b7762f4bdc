// Which root stands for a trace when there are several (a missing parent splits a trace into a forest):
// the longest one, because it is most likely the real entry point and spans the most of the trace.
// Ties go to the earliest-starting root (roots are sorted by start), then to its order.
import type { SpanNode, TraceTree } from '../model/tree.js';

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
