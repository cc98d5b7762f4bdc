// Which root stands for a trace when there are several (a missing parent splits a trace into a forest;
// lines without a span id make a placeholder root per service that has no span of its own): the rule of
// model/root-rule.ts (jaeger-ui's trace name, read for logs), which model/trace-summary.ts applies while
// streaming and build-tree.ts keeps a root, so `group`, `slowest`, `tree` and `critical-path` name one
// root. Ties beyond the rule go to the root that comes first (roots are in start order).
import { INFERRED, type SpanNode, type TraceTree } from '../model/tree.js';
import { ranksBefore, rootClass } from '../model/root-rule.js';
import type { Span } from '../model/span.js';

export function mainRoot(tree: TraceTree): SpanNode | undefined {
  let best: SpanNode | undefined;
  let bestClass = 0;
  for (const r of tree.roots) {
    const c = rootClass(r.span, r.span.inferred === true, r.outOfRange === true, tree.namesParents === true);
    if (best === undefined || ranksBefore(r.span, c, best.span, bestClass)) {
      best = r;
      bestClass = c;
    }
  }
  return best;
}

/**
 * mainRoot from a layout in pre-order (parents first), by node index, with the number of roots: the
 * same choice, read from the layout instead of the nodes.
 */
export function mainRootOf(tree: Pick<TraceTree, 'layout' | 'spans' | 'marks' | 'namesParents'>): { index: number; roots: number } {
  const { parent, marks, spanIndex } = tree.layout;
  let best = -1;
  let bestSpan: Span | undefined;
  let bestClass = 0;
  let roots = 0;
  for (let k = 0; k < parent.length; k++) {
    if (parent[k] !== -1) continue;
    roots++;
    const at = spanIndex[k]!;
    const span = tree.spans[at]!;
    const c = rootClass(span, (marks[k]! & INFERRED) !== 0, tree.marks.size > 0 && tree.marks.get(at)?.outOfRange === true, tree.namesParents === true);
    if (bestSpan === undefined || ranksBefore(span, c, bestSpan, bestClass)) {
      best = k;
      bestSpan = span;
      bestClass = c;
    }
  }
  return { index: best, roots };
}
