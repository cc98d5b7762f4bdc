import type { Micros } from '../core/time.js';

const UNITS: Record<string, number> = {
  ns: 1e-3, us: 1, 'µs': 1, 'μs': 1, ms: 1e3, s: 1e6, sec: 1e6, m: 60e6, min: 60e6, h: 3600e6,
};
const DURATION = /^\s*(-?\d+(?:\.\d+)?)\s*(ns|us|µs|μs|ms|sec|s|min|m|h)?\s*$/;
// Go's time.Duration String(): "1h2m3.5s", "1m30s".
const GO_DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/;

/**
 * A duration in microseconds from a number in `numberUnitUs` units (ms for most fields, ns for ECS
 * `event.duration`) or a string with a unit: "123ms", "1.5s", "250µs", "1m30s". A bare numeric string
 * takes the field's unit. Undefined for anything else.
 */
export function parseDuration(v: unknown, numberUnitUs: number): Micros | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * numberUnitUs) : undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 40) return undefined;
  const m = DURATION.exec(v);
  if (m) {
    const unit = m[2] ? UNITS[m[2]]! : numberUnitUs;
    return Math.round(Number(m[1]) * unit);
  }
  const g = GO_DURATION.exec(v);
  if (g && (g[1] || g[2] || g[3])) {
    return Math.round((Number(g[1] ?? 0) * 3600 + Number(g[2] ?? 0) * 60 + Number(g[3] ?? 0)) * 1e6);
  }
  return undefined;
}
