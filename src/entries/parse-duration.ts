import type { Micros } from '../core/time.js';

const UNITS: Record<string, number> = {
  ns: 1e-3, us: 1, 'µs': 1, 'μs': 1, ms: 1e3, s: 1e6, sec: 1e6, m: 60e6, min: 60e6, h: 3600e6,
};
const DURATION = /^\s*(-?\d+(?:\.\d+)?)\s*(ns|us|µs|μs|ms|sec|s|min|m|h)?\s*$/;
// Go's time.Duration String(): "1h2m3.5s", "1m30s".
const GO_DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/;
// .NET TimeSpan.ToString() (the invariant "c" format): "[-][d.]hh:mm:ss[.fffffff]", "1.02:03:04.5".
// Python's str(timedelta): "[D day[s], ]H:MM:SS[.ffffff]", "1 day, 0:00:00"; only the days carry a sign.
// repr(timedelta), which structlog's JSONRenderer writes for values json cannot (_json_fallback_handler):
// "datetime.timedelta(days=1, seconds=3, microseconds=5)", the zero parts left out; "datetime.timedelta(0)".
const TIMEDELTA_REPR = /^datetime\.timedelta\((?:0|(?=\w)(?:days=(-?\d+))?(?:, )?(?:seconds=(\d+))?(?:, )?(?:microseconds=(\d+))?)\)$/;
const CLOCK_DURATION = /^(?:(-?\d+) days?, |(-)?(?:(\d+)\.(?=\d\d:))?)(\d{1,2}):([0-5]\d):([0-5]\d)(?:\.(\d{1,7}))?$/;

/**
 * A duration in microseconds from a number in `numberUnitUs` units (ms for most fields, ns for ECS
 * `event.duration`) or a string with a unit: "123ms", "1.5s", "250µs", "1m30s", a clock-like
 * "hh:mm:ss" as .NET's TimeSpan and Python's str(timedelta) write it, or Python's repr(timedelta). A bare numeric string takes the
 * field's unit. Undefined for anything else.
 */
export function parseDuration(v: unknown, numberUnitUs: number): Micros | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * numberUnitUs) : undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return undefined; // the longest: repr(timedelta) with every part
  const m = DURATION.exec(v);
  if (m) {
    const unit = m[2] ? UNITS[m[2]]! : numberUnitUs;
    return Math.round(Number(m[1]) * unit);
  }
  const g = GO_DURATION.exec(v);
  if (g && (g[1] || g[2] || g[3])) {
    return Math.round((Number(g[1] ?? 0) * 3600 + Number(g[2] ?? 0) * 60 + Number(g[3] ?? 0)) * 1e6);
  }
  const r = v.charCodeAt(0) === 0x64 /* d */ ? TIMEDELTA_REPR.exec(v) : null;
  if (r) return Number(r[1] ?? 0) * 86_400e6 + Number(r[2] ?? 0) * 1e6 + Number(r[3] ?? 0);
  const c = CLOCK_DURATION.exec(v);
  if (c) {
    // The fraction's digits are of a second: .5 is 500 ms whether 1 or 7 digits are written.
    const fraction = c[7] === undefined ? 0 : Math.round(Number(`0.${c[7]}`) * 1e6);
    const clock = (Number(c[4]) * 3600 + Number(c[5]) * 60 + Number(c[6])) * 1e6 + fraction;
    if (c[1] !== undefined) return Number(c[1]) * 86_400e6 + clock; // Python: "-1 day, 23:59:59" is -1 s
    const whole = Number(c[3] ?? 0) * 86_400e6 + clock;
    return c[2] === undefined ? whole : -whole;
  }
  return undefined;
}
