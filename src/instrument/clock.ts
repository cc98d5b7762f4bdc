/**
 * Wall-clock time in epoch milliseconds with sub-millisecond precision: the process's time origin plus
 * the monotonic clock, so durations measured from two readings never go negative and two events in
 * the same millisecond keep their order.
 */
import { performance } from 'node:perf_hooks';

export type Clock = () => number;

export const epochMs: Clock = () => performance.timeOrigin + performance.now();

/** RFC 3339 with microseconds ("2024-05-01T10:00:00.123456Z"): readers order lines within a millisecond. */
export function isoMicros(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.floor((ms - whole) * 1000));
  const iso = new Date(whole).toISOString(); // ...ss.mmmZ
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}
