import type { TraceTree } from '../model/tree.js';
import { cellOf, drawBar } from './bar.js';
import { displayWidth, fitLine, padEndWidth } from './display-width.js';
import { formatDuration, formatTime, spaces, truncate } from './format.js';
import type { Palette } from './palette.js';
import { clean } from './sanitize.js';
import { redactText } from './redact.js';
import { INFERRED_MARK, inferredNote, spanMarkers } from './span-labels.js';

export interface TimelineOptions {
  width: number;
  palette: Palette;
  /** Rows must fit this many columns: the markers after a row are cut to what is left (none: not cut). */
  limit?: number;
  /** Secret text in error messages shown as [REDACTED]; on unless false. */
  redact?: boolean;
}

const MAX_INDENT = 24;

/**
 * A waterfall: one row per span in tree order (children by start time under their parent, as Jaeger
 * draws it), indented by depth, bars on one shared axis; log events as markers on their span's row
 * (• an event, ! an error-level event).
 *
 *   label                      0        120ms      240ms      360ms     480ms
 *   web GET /checkout          ████████████████████████████████████████████  480ms
 *     api POST /charge           ██████████████████████•████████████████!█    460ms
 */
export function renderTimelineText(tree: TraceTree, o: TimelineOptions): string {
  const p = o.palette;
  const labelWidth = Math.max(16, Math.min(40, Math.floor(o.width * 0.35)));
  const markers = tree.nodes.map((node) => spanMarkers(node.span, node, p, o.redact !== false));
  // Under a width limit the bar leaves room for the markers: as wide as the widest, up to a quarter of it.
  let reserve = 0;
  if (o.limit !== undefined && o.limit !== Infinity) {
    for (const m of markers) if (m.length > 0) reserve = Math.max(reserve, displayWidth(m.join('  ')) + 2);
    reserve = Math.min(reserve, Math.floor(o.limit / 4));
  }
  const barWidth = Math.max(10, o.width - labelWidth - 2 - 9 - reserve);
  const out: string[] = [];
  out.push(`${p.bold(clean(tree.traceId))}  ${formatDuration(tree.end - tree.start)}  ${tree.nodes.length} spans  ${formatTime(tree.start)}`);
  const note = inferredNote(tree);
  if (note !== undefined) out.push(p.dim(note));
  out.push(' '.repeat(labelWidth + 2) + axis(tree.end - tree.start, barWidth));
  for (const [k, node] of tree.nodes.entries()) {
    const s = node.span;
    const indent = '  '.repeat(Math.min(node.depth, MAX_INDENT)) + (node.depth > MAX_INDENT ? `[${node.depth}] ` : '') + (node.parentInferred ? INFERRED_MARK : '');
    const operation = clean(redactText(s.operation, o.redact !== false));
    const plain = `${indent}${clean(s.service)} ${operation}`;
    const plainWidth = displayWidth(plain);
    const label = plainWidth <= labelWidth ? `${indent}${p.service(s.service, clean(s.service))} ${operation}${spaces(labelWidth - plainWidth)}` : padEndWidth(truncate(plain, labelWidth), labelWidth);
    const cells = [...drawBar(s.start, s.end, tree.start, tree.end, barWidth)];
    for (const ev of s.events) {
      if (ev.time === undefined) continue;
      const c = cellOf(ev.time, tree.start, tree.end, barWidth);
      cells[c] = ev.level === 'error' || ev.level === 'fatal' ? '!' : '•';
    }
    const bar = cells.join('');
    const row = `${label}  ${s.error ? p.error(bar) : p.accent(bar)} ${formatDuration(s.end - s.start).padStart(8)}`;
    const room = (o.limit ?? Infinity) - displayWidth(row) - 2;
    out.push(markers[k]!.length > 0 && room >= 2 ? `${row}  ${fitLine(markers[k]!.join('  '), room)}` : row);
  }
  return out.join('\n') + '\n';
}

/**
 * Tick labels at 0, ¼, ½, ¾ and the end of the axis, placed at their columns. The ends are placed first,
 * then the middle, then the quarters; a label that would touch one already placed (no space between) is
 * left out, so labels never run together on a narrow axis.
 */
export function axis(total: number, width: number): string {
  const cells = Array<string>(width).fill(' ');
  const taken: [number, number][] = [];
  for (const t of [0, 1, 0.5, 0.25, 0.75]) {
    const label = t === 0 ? '0' : formatDuration(total * t);
    let at = Math.round(t * (width - 1));
    if (t === 1) at = width - label.length;
    else if (t > 0) at -= Math.floor(label.length / 2);
    at = Math.max(0, Math.min(width - label.length, at));
    const end = at + label.length;
    if (at < 0 || taken.some(([a, b]) => at <= b && end >= a)) continue;
    taken.push([at, end]);
    for (let i = 0; i < label.length; i++) cells[at + i] = label[i]!;
  }
  return cells.join('').trimEnd();
}
