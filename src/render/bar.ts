import type { Micros } from '../core/time.js';

/**
 * A span's place on the trace's time axis, as a row of `width` cells:
 *
 *   trace  |0 ─────────────────────────────────── end|
 *   span   |        ██████████████                  |
 *
 * Every span gets at least one cell, so a 5 µs span in a 10 s trace is still visible.
 */
export function barCells(start: Micros, end: Micros, traceStart: Micros, traceEnd: Micros, width: number): [number, number] {
  const total = Math.max(1, traceEnd - traceStart);
  let from = Math.floor(((start - traceStart) / total) * width);
  let to = Math.ceil(((end - traceStart) / total) * width);
  from = Math.min(Math.max(0, from), width - 1);
  to = Math.min(Math.max(from + 1, to), width);
  return [from, to];
}

export function drawBar(start: Micros, end: Micros, traceStart: Micros, traceEnd: Micros, width: number, fill = '█', empty = ' '): string {
  const [from, to] = barCells(start, end, traceStart, traceEnd, width);
  return empty.repeat(from) + fill.repeat(to - from) + empty.repeat(width - to);
}

/** The cell an instant falls in, for event markers. */
export function cellOf(t: Micros, traceStart: Micros, traceEnd: Micros, width: number): number {
  const total = Math.max(1, traceEnd - traceStart);
  return Math.min(width - 1, Math.max(0, Math.floor(((t - traceStart) / total) * width)));
}
