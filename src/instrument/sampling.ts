/**
 * Head sampling decided from the trace id itself, so every service that sees the same trace id and the
 * same ratio makes the same decision even when no sampled flag travelled with the request. The low 52
 * bits are used: W3C asks that the rightmost 7 bytes of a trace id be random.
 */
const SPACE = 2 ** 52;

export function sampleByRatio(traceId: string, ratio: number): boolean {
  if (!(ratio > 0)) return false; // also NaN
  if (ratio >= 1) return true;
  const low = Number.parseInt(traceId.slice(-13), 16);
  if (!Number.isFinite(low)) return false;
  return low / SPACE < ratio;
}

/** A ratio option made safe: numbers outside 0..1 are clamped, anything else means "sample all". */
export function normalizeRatio(ratio: unknown): number {
  if (typeof ratio !== 'number' || Number.isNaN(ratio)) return 1;
  return Math.min(1, Math.max(0, ratio));
}
