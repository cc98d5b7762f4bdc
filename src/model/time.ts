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
