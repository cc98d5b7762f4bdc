import type { SpanNode } from '../model/tree.js';
import { formatDuration, formatTime } from './format.js';
import type { Palette } from './palette.js';
import { clean } from './sanitize.js';

/**
 * The markers after a span's row, shared by tree and timeline so both say the same thing the same way:
 *   ✗ message          an error (with its message)
 *   ⚠ missing parent X  a root whose parent is not in the input
 *   ~ inferred          a placeholder holding lines without a span id
 *   ⇆ skew …            starts before / ends after its parent on another host
 *   ↦ shifted …         moved by --adjust-skew
 *   ⌛ time out of range  far from the rest of the trace; not part of its start and end
 */
export function spanMarkers(node: SpanNode, p: Palette): string[] {
  const s = node.span;
  const out: string[] = [];
  if (s.error) out.push(p.error(`✗ ${clean(s.errorMessage ?? 'error')}`));
  if (node.missingParent !== undefined) out.push(p.warn(`⚠ missing parent ${clean(node.missingParent)}`));
  if (s.inferred) out.push(p.dim('~ inferred (lines without a span id)'));
  if (node.skew) {
    const parts: string[] = [];
    if (node.skew.startsBefore > 0) parts.push(`starts ${formatDuration(node.skew.startsBefore)} before parent`);
    if (node.skew.endsAfter > 0) parts.push(`ends ${formatDuration(node.skew.endsAfter)} after parent`);
    out.push(p.warn(`⇆ skew: ${parts.join(', ')}`));
  }
  if (node.shift !== undefined && node.shift !== 0) out.push(p.warn(`↦ shifted ${node.shift > 0 ? '+' : ''}${formatDuration(node.shift)}`));
  if (node.outOfRange) out.push(p.warn(`⌛ time out of range (${formatTime(s.start)})`));
  return out;
}
