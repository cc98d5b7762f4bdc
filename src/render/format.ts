import { cutToWidth, displayWidth } from './display-width.js';
import type { Micros } from '../core/time.js';

/** "350µs", "12.3ms", "1.25s", "2m05s": three significant figures, the unit a human reads fastest. */
export function formatDuration(us: Micros): string {
  if (!Number.isFinite(us)) return '-';
  const neg = us < 0;
  const a = Math.abs(us);
  let s: string;
  if (a < 999.5) s = MICROS[Math.round(a)]!;
  else if (a < 1000) s = `${Math.round(a)}µs`;
  else if (a < 1e6) s = sig(a / 1000, (MS ??= sigTexts('ms')));
  else if (a < 60e6) s = sig(a / 1e6, (SECONDS ??= sigTexts('s')));
  else if (a < 3600e6) {
    const m = Math.floor(a / 60e6);
    s = `${m}m${twoDigits(Math.floor((a - m * 60e6) / 1e6))}s`;
  } else {
    const h = Math.floor(a / 3600e6);
    s = `${h}h${twoDigits(Math.floor((a - h * 3600e6) / 60e6))}m`;
  }
  return neg ? `-${s}` : s;
}

// A tree of a million spans formats two durations a row, and number-to-text costs ~50 ns a call: the
// texts of 0..999 µs, and of every three-figure value with its unit, are made once — the latter on first
// use (~3 MB of resident memory that a run printing no duration need not pay).
const MICROS: readonly string[] = Array.from({ length: 1000 }, (_, i) => `${i}µs`);
const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** 0..59 from the table; anything else (float rounding at a unit's edge can give -1 or 60) as written. */
const twoDigits = (n: number): string => TWO_DIGITS[n] ?? String(n).padStart(2, '0');

/** Texts of three significant figures with a unit: x in [1, 10) by hundredths, [10, 100) by tenths, [100, 1000). */
interface SigTexts {
  hundredths: string[];
  tenths: string[];
  units: string[];
  unit: string;
}

function sigTexts(unit: string): SigTexts {
  const hundredths: string[] = [];
  const tenths: string[] = [];
  const units: string[] = [];
  for (let r = 0; r <= 1000; r++) {
    hundredths.push(sigText(r / 100) + unit);
    tenths.push(sigText(r / 10) + unit);
    units.push(sigText(r) + unit);
  }
  return { hundredths, tenths, units, unit };
}

let MS: SigTexts | undefined;
let SECONDS: SigTexts | undefined;

/**
 * sigText(x) + unit for x >= 1, from the tables: x is scaled and rounded as toFixed would, except where
 * the scaled value lies within a hair of a half (there the float product may round the other way than
 * the exact decimal toFixed rounds), which goes the long way.
 */
function sig(x: number, t: SigTexts): string {
  if (x >= 1000) return sigText(x) + t.unit;
  const table = x >= 100 ? t.units : x >= 10 ? t.tenths : t.hundredths;
  const scaled = x >= 100 ? x : x >= 10 ? x * 10 : x * 100;
  const frac = scaled - Math.floor(scaled);
  if (Math.abs(frac - 0.5) < 1e-6) return sigText(x) + t.unit;
  return table[Math.round(scaled)]!;
}

/** Three significant figures without trailing zeros ("1.5", "12", "120"). */
function sigText(x: number): string {
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
  return isoMillis(ms);
}

/** new Date(ms).toISOString() for ms within what Date holds. */
function isoMillis(ms: number): string {
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
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return null; // an invalid Date
  const iso = isoMillis(ms);
  return `${iso.slice(0, iso.length - 1)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  return p >= 10 || p === 0 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
}

/** Cut to a display width with an ellipsis, by whole grapheme clusters (display-width.ts). */
export const truncate = cutToWidth;

const SPACES: string[] = [];
/** n spaces (none for n <= 0), each length made once: tables and trees pad every row. */
export function spaces(n: number): string {
  if (n <= 0) return '';
  return (SPACES[n] ??= ' '.repeat(n));
}

/**
 * The widest display width in a list, with a floor. A loop, not Math.max(...xs): spreading a million
 * rows into arguments overflows the stack.
 */
export function maxWidth(items: readonly string[], floor = 0): number {
  let m = floor;
  for (const s of items) {
    const w = displayWidth(s);
    if (w > m) m = w;
  }
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
