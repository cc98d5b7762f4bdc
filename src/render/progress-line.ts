import { formatDuration } from './format.js';

/** What the progress line shows: counts so far and the time since reading began. */
export interface ProgressSnapshot {
  bytes: number;
  /** The input's size, when known (regular files); else the line shows bytes read so far. */
  totalBytes: number | undefined;
  lines: number;
  elapsedMs: number;
}

/**
 * One status line for a long read, no wider than `width` columns (parts are dropped from the end, least
 * useful last): `tracectl: 812 MB of 2.10 GB (38%) · 3,204,118 lines · 41.2 MB/s · ETA 31s`. Fixed words
 * and numbers only: nothing from the input reaches it.
 */
export function renderProgressLine(p: ProgressSnapshot, width: number): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.bytes / seconds : 0;
  const known = p.totalBytes !== undefined && p.totalBytes > 0 && p.bytes <= p.totalBytes;
  const parts = [
    known ? `${bytesText(p.bytes)} of ${bytesText(p.totalBytes!)} (${Math.floor((100 * p.bytes) / p.totalBytes!)}%)` : `${bytesText(p.bytes)} read`,
    `${p.lines.toLocaleString('en-US')} lines`,
    `${bytesText(rate)}/s`,
  ];
  if (known && rate > 0) parts.push(`ETA ${formatDuration(Math.ceil((p.totalBytes! - p.bytes) / rate) * 1e6)}`);
  let line = `tracectl: ${parts.join(' · ')}`;
  while (line.length > width && parts.length > 1) {
    parts.pop();
    line = `tracectl: ${parts.join(' · ')}`;
  }
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}

/** Decimal units, three significant figures: "812 MB", "2.10 GB", "41.2 MB". */
export function bytesText(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 999.5 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const text = i === 0 ? String(Math.round(v)) : v >= 99.95 ? v.toFixed(0) : v >= 9.995 ? v.toFixed(1) : v.toFixed(2);
  return `${text} ${units[i]}`;
}
