import type { Micros } from '../core/time.js';

/** An instant as the model keeps it: integer microseconds plus the sub-microsecond remainder. */
export interface Instant {
  us: Micros;
  nanos: number;
}

const DIGITS = /^\d+$/;

/**
 * Nanoseconds since the epoch (an OTLP `fixed64`) to an instant. Today's epochs in ns (~1.7e18) are past
 * 2^53, so a decimal string is split by characters rather than parsed whole: the microseconds still fit
 * a double exactly, and the last three digits become `nanos`. Numbers are accepted too, but have
 * already lost precision in JSON.parse; they are only as good as they came. 0 means "unset" in OTLP.
 */
export function nanosToInstant(value: unknown): Instant | undefined {
  if (typeof value === 'string') {
    const s = value.trim();
    if (!DIGITS.test(s)) return undefined;
    const digits = s.replace(/^0+/, '');
    if (digits === '') return undefined;
    if (digits.length <= 3) return { us: 0, nanos: Number(digits) };
    return { us: Number(digits.slice(0, -3)), nanos: Number(digits.slice(-3)) };
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    const us = Math.floor(value / 1000);
    const nanos = Math.min(999, Math.max(0, Math.round(value - us * 1000)));
    return { us, nanos };
  }
  return undefined;
}

/** Epoch or duration in (possibly fractional) milliseconds to integer microseconds. */
export function msToMicros(ms: number): Micros {
  return Math.round(ms * 1000);
}

/** Whole microseconds from a number or numeric string; fractions are rounded. */
export function toMicros(value: unknown): Micros | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value));
  return undefined;
}
