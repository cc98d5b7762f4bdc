import type { Micros } from '../model/time.js';

/** "350µs", "12.3ms", "1.25s", "2m05s": three significant figures, the unit a human reads fastest. */
export function formatDuration(us: Micros): string {
  if (!Number.isFinite(us)) return '-';
  const neg = us < 0;
  const a = Math.abs(us);
  let s: string;
  if (a < 1000) s = `${Math.round(a)}µs`;
  else if (a < 1e6) s = `${sig(a / 1000)}ms`;
  else if (a < 60e6) s = `${sig(a / 1e6)}s`;
  else if (a < 3600e6) {
    const m = Math.floor(a / 60e6);
    s = `${m}m${String(Math.floor((a - m * 60e6) / 1e6)).padStart(2, '0')}s`;
  } else {
    const h = Math.floor(a / 3600e6);
    s = `${h}h${String(Math.floor((a - h * 3600e6) / 60e6)).padStart(2, '0')}m`;
  }
  return neg ? `-${s}` : s;
}

/** Three significant figures without trailing zeros ("1.5", "12", "120"); by hand, as it runs once per row. */
function sig(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) {
    const t = x.toFixed(1);
    return t.endsWith('.0') ? t.slice(0, -2) : t;
  }
  const t = x.toFixed(2); // always has a '.', so the zeros stripped are decimals
  let end = t.length;
  while (t.charCodeAt(end - 1) === 0x30 /* 0 */) end--;
  if (t.charCodeAt(end - 1) === 0x2e /* . */) end--;
  return end === t.length ? t : t.slice(0, end);
}

/** "+12.3ms" offsets from a trace's start. */
export function formatOffset(us: Micros): string {
  return `+${formatDuration(us)}`;
}

/** ISO 8601 in UTC with milliseconds: what every other tool in the pipe also prints. */
export function formatTime(us: Micros | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return '-';
  const ms = Math.floor(us / 1000);
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return '-'; // beyond what Date holds (and so never cached)
  // Rows come sorted by time, so most fall in the second before them: reuse its text up to the '.'.
  const sec = Math.floor(ms / 1000);
  if (sec === lastSecond) return lastPrefix + MILLIS[ms - sec * 1000] + 'Z';
  const iso = new Date(ms).toISOString();
  lastSecond = sec;
  lastPrefix = iso.slice(0, iso.length - 4); // "2024-05-01T10:00:00."
  return iso;
}

const MAX_DATE_MS = 8.64e15;
let lastSecond = NaN;
let lastPrefix = '';
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** ISO with microseconds, for JSON output where precision matters more than width. */
export function isoMicros(us: Micros | undefined): string | null {
  if (us === undefined || !Number.isFinite(us)) return null;
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const frac = String(us - ms * 1000).padStart(3, '0');
  return d.toISOString().replace('Z', `${frac}Z`);
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  return p >= 10 || p === 0 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
}

/** Cut to a display width with an ellipsis. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  return s.length <= width ? s : width === 1 ? '…' : s.slice(0, width - 1) + '…';
}

/**
 * The longest length in a list, with a floor. A loop, not Math.max(...xs): spreading a million rows
 * into arguments overflows the stack.
 */
export function maxLength(items: readonly string[], floor = 0): number {
  let m = floor;
  for (const s of items) if (s.length > m) m = s.length;
  return m;
}

/**
 * An integer with thousands separators, as toLocaleString('en-US') writes it: the first toLocaleString
 * of a process starts ICU's number formatting (~15 ms), a fixed cost on every run.
 */
export function withThousands(x: number): string {
  if (!Number.isSafeInteger(x)) return x.toLocaleString('en-US');
  const digits = String(Math.abs(x));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return x < 0 ? `-${out}` : out;
}
