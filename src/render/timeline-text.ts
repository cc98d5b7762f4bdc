import type { TraceTree } from '../model/tree.js';
import { cellOf, drawBar } from './bar.js';
import { formatDuration, formatTime, truncate } from './format.js';
import type { Palette } from './palette.js';
import { clean } from './sanitize.js';
import { spanMarkers } from './span-labels.js';

export interface TimelineOptions {
  width: number;
  palette: Palette;
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
  const barWidth = Math.max(10, o.width - labelWidth - 2 - 9);
  const out: string[] = [];
  out.push(`${p.bold(clean(tree.traceId))}  ${formatDuration(tree.end - tree.start)}  ${tree.nodes.length} spans  ${formatTime(tree.start)}`);
  out.push(' '.repeat(labelWidth + 2) + axis(tree.end - tree.start, barWidth));
  for (const node of tree.nodes) {
    const s = node.span;
    const indent = '  '.repeat(Math.min(node.depth, MAX_INDENT)) + (node.depth > MAX_INDENT ? `[${node.depth}] ` : '');
    const plain = `${indent}${clean(s.service)} ${clean(s.operation)}`;
    const label = plain.length <= labelWidth ? `${indent}${p.service(s.service, clean(s.service))} ${clean(s.operation)}${' '.repeat(labelWidth - plain.length)}` : truncate(plain, labelWidth);
    const cells = [...drawBar(s.start, s.end, tree.start, tree.end, barWidth)];
    for (const ev of s.events) {
      if (ev.time === undefined) continue;
      const c = cellOf(ev.time, tree.start, tree.end, barWidth);
      cells[c] = ev.level === 'error' || ev.level === 'fatal' ? '!' : '•';
    }
    const bar = cells.join('');
    const markers = spanMarkers(node.span, node, p);
    const row = `${label}  ${s.error ? p.error(bar) : p.accent(bar)} ${formatDuration(s.end - s.start).padStart(8)}`;
    out.push(markers.length > 0 ? `${row}  ${markers.join('  ')}` : row);
  }
  return out.join('\n') + '\n';
}

/** Tick labels at 0, ¼, ½, ¾ and the end of the axis, placed at their columns. */
function axis(total: number, width: number): string {
  const cells = Array<string>(width).fill(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  for (const t of ticks) {
    const label = t === 0 ? '0' : formatDuration(total * t);
    let at = Math.round(t * (width - 1));
    if (t === 1) at = width - label.length;
    else if (t > 0) at -= Math.floor(label.length / 2);
    at = Math.max(0, Math.min(width - label.length, at));
    for (let i = 0; i < label.length; i++) cells[at + i] = label[i]!;
  }
  return cells.join('').trimEnd();
}
