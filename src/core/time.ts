/**
 * The one time type after parsing: integer microseconds since the Unix epoch (or, for durations and
 * offsets, integer microseconds). Microsecond epochs (~1.7e15) fit exactly in a double (2^53 ≈ 9e15), so
 * arithmetic stays on plain numbers on the hot path. Nanosecond inputs keep their sub-microsecond part
 * in a separate `nanos` field (0..999) that only breaks ties when ordering, so their order is never lost.
 */
export type Micros = number;

export const MICROS_PER_MS = 1000;
export const MICROS_PER_SECOND = 1_000_000;

/** Compare two (micros, nanos) instants; nanos may be undefined (treated as 0). */
export function compareInstants(aUs: Micros, aNs: number | undefined, bUs: Micros, bNs: number | undefined): number {
  if (aUs !== bUs) return aUs < bUs ? -1 : 1;
  return (aNs ?? 0) - (bNs ?? 0);
}

/**
 * The range a read value must lie in, field by field; outside it the field is as if absent, and the run
 * says how many it set aside (`IngestStats.outOfRange`). Times: exact integer microseconds, |µs| ≤ 2^53
 * (about the years 1685–2255); past that a "time" is a counter or garbage, and arithmetic on it would
 * round or overflow. Durations: 0 … 10^13 µs (about 115 days), which no request takes; the bound keeps
 * every sum and every difference of times a plain integer, and every JSON figure free of exponents.
 */
export const MAX_DURATION_US = 1e13;

export function plausibleTime(us: number): boolean {
  return Number.isSafeInteger(us);
}

export function plausibleDuration(us: number): boolean {
  return Number.isFinite(us) && us >= 0 && us <= MAX_DURATION_US;
}

/** The fields whose values are checked against the range, as the run's report names them. */
export type RangedField = 'duration' | 'time';
