// Which root stands for a trace when there are several (a missing parent splits a trace into a forest;
// lines without a span id make a placeholder root per service that has no span of its own). The rule is
// jaeger-ui's trace name (getTraceName in model/trace-viewer.tsx): of the spans with no parent in the
// trace, those that name no parent at all before those whose parent is missing, then the earliest start.
// Two classes of ours come after: a placeholder (not a span any service reported), and a root whose
// times cannot be right (far off, plausible-times.ts, or untimed), unless nothing else is left.
//
//   R1 (no parent)          |40=========90|          <- stands for the trace: names no parent
//   R2 (parent missing) |0===================================200|
//   P  (placeholder)   |-5=====30|
//
// Ties go to the root that comes first (roots are in start order). model/trace-summary.ts applies the same
// rule while streaming, so `group`, `slowest`, `tree` and `critical-path` name one root.
import { INFERRED, type SpanNode, type TraceTree } from '../model/tree.js';
import { UNTIMED_ATTRIBUTE } from '../model/spans-from-entries.js';
import type { Span } from '../model/span.js';

/** A root's class under the rule above: lower stands first. */
function classOf(span: Span, placeholder: boolean, outOfRange: boolean): number {
  if (outOfRange || span.attributes[UNTIMED_ATTRIBUTE] === true) return 3;
  if (placeholder) return 2;
  return span.parentSpanId !== undefined && span.parentSpanId !== '' ? 1 : 0;
}

export function mainRoot(tree: TraceTree): SpanNode | undefined {
  let best: SpanNode | undefined;
  let bestClass = 0;
  for (const r of tree.roots) {
    const c = classOf(r.span, r.span.inferred === true, r.outOfRange === true);
    if (best === undefined || c < bestClass || (c === bestClass && r.span.start < best.span.start)) {
      best = r;
      bestClass = c;
    }
  }
  return best;
}

/**
 * mainRoot from a layout in pre-order (parents first), by node index, with the number of roots: the
 * same choice, read from the layout's times (the placed spans' own) instead of the nodes.
 */
export function mainRootOf(tree: Pick<TraceTree, 'layout' | 'spans' | 'marks'>): { index: number; roots: number } {
  const { parent, start, marks, spanIndex } = tree.layout;
  let best = -1;
  let bestClass = 0;
  let roots = 0;
  for (let k = 0; k < parent.length; k++) {
    if (parent[k] !== -1) continue;
    roots++;
    const at = spanIndex[k]!;
    const c = classOf(tree.spans[at]!, (marks[k]! & INFERRED) !== 0, tree.marks.size > 0 && tree.marks.get(at)?.outOfRange === true);
    if (best === -1 || c < bestClass || (c === bestClass && start[k]! < start[best]!)) {
      best = k;
      bestClass = c;
    }
  }
  return { index: best, roots };
}
