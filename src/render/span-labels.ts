import type { Span } from '../model/span.js';
import type { NodeMarks, TraceTree } from '../model/tree.js';
import { formatDuration, formatTime } from './format.js';
import type { Palette } from './palette.js';
import { redactText } from './redact.js';
import { clean } from './sanitize.js';

/**
 * The markers after a span's row, shared by tree and timeline so both say the same thing the same way:
 *   ✗ message          an error (with its message)
 *   ⚠ missing parent X  a root whose parent is not in the input
 *   ⟲ parent cycle cut   a root whose named parent is its own descendant (or itself): cut to make a tree
 *   ~ inferred          a placeholder holding lines without a span id
 *   ↷ async …           starts inside its parent and ends after it: not waited for
 *   ⇆ skew …            starts before its parent, or lies wholly outside it, on another host
 *   ↦ shifted …         moved by --adjust-skew
 *   ⌛ time out of range  far from the rest of the trace; not part of its start and end
 *   ⌛ no start time      recorded without one; placed at its parent's start
 */
/** `marks`: the node's (a SpanNode is one), or the tree's marks of the span (TraceTree.marks); `redact`: see render/redact.ts. */
export function spanMarkers(s: Span, marks: NodeMarks | undefined, p: Palette, redact = true): string[] {
  const out: string[] = [];
  if (s.error) out.push(p.error(`✗ ${clean(redactText(s.errorMessage ?? 'error', redact))}`));
  if (marks?.missingParent !== undefined) out.push(p.warn(`⚠ missing parent ${clean(marks.missingParent)}`));
  if (marks?.cutParent !== undefined) out.push(p.warn(s.parentSpanId === s.spanId ? '⟲ names itself as its parent' : `⟲ parent cycle cut (named ${clean(marks.cutParent)})`));
  if (s.inferred) out.push(p.dim('~ inferred (lines without a span id)'));
  if (marks?.asyncEndsAfter !== undefined) out.push(p.dim(`↷ async: ends ${formatDuration(marks.asyncEndsAfter)} after parent`));
  if (marks?.skew) {
    const parts: string[] = [];
    if (marks.skew.startsBefore > 0) parts.push(`starts ${formatDuration(marks.skew.startsBefore)} before parent`);
    if (marks.skew.endsAfter > 0) parts.push(`ends ${formatDuration(marks.skew.endsAfter)} after parent`);
    out.push(p.warn(`⇆ skew: ${parts.join(', ')}`));
  }
  if (marks?.shift !== undefined && marks.shift !== 0) out.push(p.warn(`↦ shifted ${marks.shift > 0 ? '+' : ''}${formatDuration(marks.shift)}`));
  if (marks?.outOfRange) out.push(p.warn(`⌛ time out of range (${formatTime(s.start)})`));
  if (marks?.noStartTime) out.push(p.warn('⌛ no start time'));
  return out;
}

/** What stands before the label of a span whose parent was inferred from timing (tree and timeline). */
export const INFERRED_MARK = '≈ ';

/**
 * The line under a one-trace output's header when parents were inferred from timing
 * (model/infer-parents.ts): `≈ parents inferred from timing: 6 of 7`, with the ambiguous choices.
 */
export function inferredNote(tree: TraceTree): string | undefined {
  const inferred = tree.parentsInferred;
  if (inferred === undefined || inferred.count === 0) return undefined;
  const ambiguous = inferred.ambiguous > 0 ? ` (${inferred.ambiguous} among overlapping spans: the one that started last taken)` : '';
  return `≈ parents inferred from timing: ${inferred.count} of ${tree.layout.spanIndex.length}${ambiguous}`;
}
