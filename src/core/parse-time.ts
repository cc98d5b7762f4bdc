import type { Micros } from './time.js';

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
  if (cachedPrefix.length === 19 && s.startsWith(cachedPrefix)) {
    const fast = sameSecond(s);
    if (fast !== undefined) return fast;
  }
  const m = ISO.exec(s);
  if (!m) return undefined;
  const prefix = s.slice(0, 19);
  let baseMs: number;
  if (prefix === cachedPrefix) {
    baseMs = cachedMs;
  } else {
    const month = +m[2]!, day = +m[3]!, hour = +m[4]!, minute = +m[5]!, second = m[6] ? +m[6] : 0;
    // Date.UTC rolls "2024-13-45" over into 2025 instead of refusing it: check the fields first.
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
    baseMs = Date.UTC(+m[1]!, month - 1, day, hour, minute, second);
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
  return inRange(us, nanos);
}

/**
 * The hot path: a time in the same second as the one before (most lines of a log), written
 * "<cached prefix>[.fraction](Z|z)". Read with char codes instead of the regex; anything else (an
 * offset, odd spacing) returns undefined and takes the full path.
 */
function sameSecond(s: string): Instant | undefined {
  let i = 19;
  let us = cachedMs * 1000;
  let nanos = 0;
  const n = s.length;
  let c = s.charCodeAt(i);
  if (c === 0x2e /* . */ || c === 0x2c /* , */) {
    let digits = 0;
    let frac = 0;
    i++;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      if (digits < 9) frac = frac * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0) return undefined;
    for (let k = Math.min(digits, 9); k < 9; k++) frac *= 10;
    const fracUs = Math.floor(frac / 1000);
    us += fracUs;
    nanos = frac - fracUs * 1000;
  }
  // The same range check as the full path: an answer must not depend on which path a string took.
  if (i === n - 1 && (s.charCodeAt(i) === 0x5a /* Z */ || s.charCodeAt(i) === 0x7a /* z */)) return inRange(us, nanos);
  return undefined;
}

/**
 * parseIsoTime's hot path on bytes (a plain ASCII JSON string's content, b[from, to)): the same answer
 * sameSecond gives for the same text, written into `out` (true), or false, `out` left as it was, where
 * parseIsoTime would have to go further — the caller then makes the string and calls parseTimeValue.
 * Spares a string a line for the field scanner, and an Instant a line (a seventh of what reading
 * corpus a allocated).
 * It repeats sameSecond's steps on bytes instead of char codes: one function over both would read each
 * character through a callback, on the hottest path of every log. parse-time.test.ts holds the two equal.
 */
export function sameSecondBytes(b: Uint8Array, from: number, to: number, out: Instant): boolean {
  const p = cachedPrefix;
  if (p.length !== 19 || to - from < 20) return false;
  for (let x = 0; x < 19; x++) if (b[from + x] !== p.charCodeAt(x)) return false;
  let i = from + 19;
  let us = cachedMs * 1000;
  let nanos = 0;
  let c = b[i]!;
  if (c === 0x2e /* . */ || c === 0x2c /* , */) {
    let digits = 0;
    let frac = 0;
    i++;
    for (; i < to; i++) {
      c = b[i]!;
      if (c < 0x30 || c > 0x39) break;
      if (digits < 9) frac = frac * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0) return false;
    for (let k = Math.min(digits, 9); k < 9; k++) frac *= 10;
    const fracUs = Math.floor(frac / 1000);
    us += fracUs;
    nanos = frac - fracUs * 1000;
  }
  if (i === to - 1 && (b[i] === 0x5a /* Z */ || b[i] === 0x7a /* z */) && Number.isSafeInteger(us)) {
    out.us = us;
    out.nanos = nanos;
    return true;
  }
  return false;
}

/**
 * Instants are kept only while their microseconds are exact integers (|µs| ≤ 2^53, about the years
 * 1685–2255): past that a "time" is a counter or garbage, and arithmetic on it would round.
 */
function inRange(us: number, nanos: number): Instant | undefined {
  return Number.isSafeInteger(us) ? { us, nanos } : undefined;
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
const UNIT_TO_NS_DIGITS: Record<TimeUnit, number> = { s: 9, ms: 6, us: 3, ns: 0 };

/**
 * An epoch number (possibly fractional) in the given or guessed unit.
 *
 * Integers whose microseconds are exact take the arithmetic path. Anything else goes through the
 * number's shortest decimal form (`String(n)`), read digit by digit: `1714557600.123456 * 1e6` is
 * 1714557600123455.8 in binary floating point, which would floor to the wrong microsecond, while the
 * decimal "1714557600.123456" is exactly what the logger meant. The shortest decimal form is monotonic
 * in the double, so ns epochs past 2^53 still keep their order.
 */
export function epochNumberToInstant(n: number, unit?: TimeUnit): Instant | undefined {
  if (!Number.isFinite(n)) return undefined;
  const u = unit ?? guessEpochUnit(Math.abs(n));
  if (Number.isInteger(n) && u !== 'ns') {
    const us = n * UNIT_TO_US[u];
    return inRange(us, 0);
  }
  const text = String(n);
  if (text.includes('e')) {
    // Only tiny (|n| < 1e-6) or huge (≥ 1e21) numbers print with an exponent: huge is out of range.
    return Math.abs(n) < 1 ? { us: 0, nanos: 0 } : undefined;
  }
  return decimalToInstant(text, u);
}

/**
 * "[-]digits[.digits]" in a unit → instant, exactly: the decimal point is moved to nanoseconds as text,
 * so no digit passes through a double. Digits below a nanosecond are dropped (truncated).
 */
function decimalToInstant(text: string, unit: TimeUnit): Instant | undefined {
  const neg = text.charCodeAt(0) === 0x2d; /* - */
  const body = neg ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const intPart = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  const shift = UNIT_TO_NS_DIGITS[unit];
  const ns = intPart + (frac + '000000000').slice(0, shift); // leading zeros are harmless to Number()
  const usAbs = ns.length > 3 ? Number(ns.slice(0, -3)) : 0;
  const nanosAbs = Number(ns.slice(-3));
  if (!neg) return inRange(usAbs, nanosAbs);
  // Before 1970 the sub-microsecond part still counts forward: -1.5 µs is -2 µs + 500 ns.
  return nanosAbs === 0 ? inRange(-usAbs, 0) : inRange(-usAbs - 1, 1000 - nanosAbs);
}

const DIGITS = /^-?\d+(?:\.\d+)?$/;

/**
 * A numeric string is read digit by digit, never through a double: a nanosecond epoch
 * ("1714557600123456789") is 19 digits, past 2^53, so its last three digits become `nanos` exactly.
 */
export function epochStringToInstant(s: string, unit?: TimeUnit): Instant | undefined {
  if (!DIGITS.test(s)) return undefined;
  const dot = s.indexOf('.');
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const u = unit ?? guessEpochUnit(Math.abs(Number(intPart)));
  return decimalToInstant(s, u);
}

/** Cloud Logging's `{"seconds": 1714557600, "nanos": 123456789}` (protobuf Timestamp as JSON). */
function secondsNanosToInstant(v: { seconds?: unknown; nanos?: unknown }): Instant | undefined {
  const s = typeof v.seconds === 'string' ? Number(v.seconds) : v.seconds;
  const n = v.nanos === undefined ? 0 : v.nanos;
  if (typeof s !== 'number' || !Number.isInteger(s) || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 999_999_999) return undefined;
  return inRange(s * 1e6 + Math.floor(n / 1000), n % 1000);
}

/** Any supported time value: ISO string, epoch number, numeric string, or a `{seconds, nanos}` object. */
export function parseTimeValue(v: unknown, unit?: TimeUnit): Instant | undefined {
  if (typeof v === 'string') {
    if (v.length === 0) return undefined;
    const c = v.charCodeAt(0);
    if (v.length >= 16 && c >= 0x30 && c <= 0x39 && v.charCodeAt(4) === 0x2d /* - */) return parseIsoTime(v);
    const e = epochStringToInstant(v, unit);
    if (e) return e;
    const ms = Date.parse(v); // RFC 2822 and other forms Date knows
    return Number.isNaN(ms) ? undefined : inRange(ms * 1000, 0);
  }
  if (typeof v === 'number') return epochNumberToInstant(v, unit);
  if (v !== null && typeof v === 'object' && 'seconds' in v) return secondsNanosToInstant(v as { seconds?: unknown });
  return undefined;
}
