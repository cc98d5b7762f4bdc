import type { Micros } from '../model/time.js';

/** A parsed instant: integer microseconds since the epoch, plus the sub-microsecond nanoseconds. */
export interface Instant {
  us: Micros;
  nanos: number;
}

export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

// "2024-05-01T10:00:00.123456789Z", "2024-05-01 10:00:00,123+02:00", "2024-05-01T10:00:00-0800"
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,9})\d*)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

// Most lines of a log share the same second: cache the epoch of the last "YYYY-MM-DDTHH:MM:SS" prefix.
let cachedPrefix = '';
let cachedMs = 0;

/**
 * ISO 8601 / RFC 3339 at any precision and offset. A time without an offset is read as UTC (what most
 * loggers mean, and the only reading that gives the same answer on every machine).
 */
export function parseIsoTime(s: string): Instant | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const prefix = s.slice(0, 19);
  let baseMs: number;
  if (prefix === cachedPrefix) {
    baseMs = cachedMs;
  } else {
    baseMs = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0);
    if (Number.isNaN(baseMs)) return undefined;
    if (m[6]) {
      cachedPrefix = prefix;
      cachedMs = baseMs;
    }
  }
  let us = baseMs * 1000;
  let nanos = 0;
  const frac = m[7];
  if (frac) {
    const padded = (frac + '000000000').slice(0, 9);
    us += Number(padded.slice(0, 6));
    nanos = Number(padded.slice(6));
  }
  const off = m[8];
  if (off && off !== 'Z' && off !== 'z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    us -= sign * minutes * 60_000_000;
  }
  return { us, nanos };
}

/**
 * The unit of an epoch number guessed from its magnitude, as hl does: between 1973 and 5138 a value is
 * unambiguous in each unit (seconds < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns).
 */
export function guessEpochUnit(abs: number): TimeUnit {
  if (abs < 1e11) return 's';
  if (abs < 1e14) return 'ms';
  if (abs < 1e17) return 'us';
  return 'ns';
}

const UNIT_TO_US: Record<TimeUnit, number> = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };

/** An epoch number (possibly fractional) in the given or guessed unit. */
export function epochNumberToInstant(n: number, unit?: TimeUnit): Instant | undefined {
  if (!Number.isFinite(n)) return undefined;
  const u = unit ?? guessEpochUnit(Math.abs(n));
  if (u === 'ns') {
    // Past 2^53 the number itself has already lost its low digits; keep what it has.
    const us = Math.floor(n / 1000);
    return { us, nanos: Math.round(n - us * 1000) };
  }
  const exact = n * UNIT_TO_US[u];
  const us = Math.floor(exact);
  return { us, nanos: Math.round((exact - us) * 1000) };
}

const DIGITS = /^-?\d+(?:\.\d+)?$/;

/**
 * A numeric string is read digit by digit where a double would lose precision: a nanosecond epoch
 * ("1714557600123456789") is 19 digits, past 2^53, so its last three digits become `nanos` exactly.
 */
export function epochStringToInstant(s: string, unit?: TimeUnit): Instant | undefined {
  if (!DIGITS.test(s)) return undefined;
  const dot = s.indexOf('.');
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const neg = intPart.startsWith('-');
  const abs = neg ? intPart.slice(1) : intPart;
  const u = unit ?? guessEpochUnit(Number(abs));
  if (u === 'ns' && dot < 0 && !neg && abs.length > 3) {
    return { us: Number(abs.slice(0, -3)), nanos: Number(abs.slice(-3)) };
  }
  return epochNumberToInstant(Number(s), u);
}

/** Any supported time value: ISO string, epoch number, or numeric string. */
export function parseTimeValue(v: unknown, unit?: TimeUnit): Instant | undefined {
  if (typeof v === 'string') {
    if (v.length === 0) return undefined;
    const c = v.charCodeAt(0);
    if (v.length >= 16 && c >= 0x30 && c <= 0x39 && v.charCodeAt(4) === 0x2d /* - */) return parseIsoTime(v);
    const e = epochStringToInstant(v, unit);
    if (e) return e;
    const ms = Date.parse(v); // RFC 2822 and other forms Date knows
    return Number.isNaN(ms) ? undefined : { us: ms * 1000, nanos: 0 };
  }
  if (typeof v === 'number') return epochNumberToInstant(v, unit);
  return undefined;
}
