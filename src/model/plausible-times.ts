// Which spans of a trace lie so far from the rest that their times cannot be right: a zero or missing
// timestamp read as 1970, a seconds value taken for milliseconds (1970-01-20), a counter mistaken for an
// epoch (year 2200). Such a span stays in the tree (every span appears once) and is flagged, but it does
// not stretch the trace's start and end: one bad clock would otherwise turn a 40 ms request into a
// 54-year trace and squash every other bar into one cell.
//
//   anchor = median start of the spans inside [2000, 2100) (of all spans when none is)
//
//      far past          |<------- MAX_SPREAD ------>|<------ MAX_SPREAD ------>|        far future
//   ───────x─────────────|───────────|||||─|─|───────+───────────────────────────|─────────x───────
//                                           anchor
//
// A span is far off when it starts before anchor - MAX_SPREAD or ends after anchor + MAX_SPREAD. The
// window only chooses the anchor, so test data near the epoch (all in 1970) is left alone.
import type { Micros } from '../core/time.js';

export const PLAUSIBLE_FROM: Micros = Date.UTC(2000, 0, 1) * 1000;
export const PLAUSIBLE_UNTIL: Micros = Date.UTC(2100, 0, 1) * 1000;
/** Further than this from the trace's anchor is not the same request: a week. */
export const MAX_SPREAD: Micros = 7 * 24 * 3600 * 1_000_000;

/**
 * Where one time stands among a span's or trace's times, known without the others: 0 inside the plausible
 * years, 1 outside them (a zero timestamp, seconds read as milliseconds, a year-2200 counter), 2 none. The
 * times of the lowest rank present decide a span's start, end and first line (spans-from-entries.ts,
 * span-fold.ts) and a trace's extent (trace-summary.ts), so one bad line cannot stretch a span it shares
 * with good ones; where every time is outside (test data near the epoch), those decide as before.
 */
export const timeRank = (t: Micros | undefined): number => (t === undefined ? 2 : t >= PLAUSIBLE_FROM && t < PLAUSIBLE_UNTIL ? 0 : 1);

/** Indices of far-off spans (empty when none). Every span must end no earlier than it starts. */
export function farOffSpans(starts: ArrayLike<Micros>, ends: ArrayLike<Micros>): number[] {
  const n = starts.length;
  if (n < 2) return [];
  // Nearly every trace lies within MAX_SPREAD end to end, and then none of its spans can be far off: the
  // anchor is one of the starts, so each start is at least the earliest >= anchor - MAX_SPREAD and each
  // end at most the latest <= anchor + MAX_SPREAD. One pass instead of the median (NaN never passes).
  let first = starts[0]!;
  let last = ends[0]!;
  for (let i = 1; i < n; i++) {
    if (starts[i]! < first) first = starts[i]!;
    if (ends[i]! > last) last = ends[i]!;
  }
  if (last - first <= MAX_SPREAD) return [];
  let inWindow = 0;
  for (let i = 0; i < n; i++) if (starts[i]! >= PLAUSIBLE_FROM && starts[i]! < PLAUSIBLE_UNTIL) inWindow++;
  const window = new Float64Array(inWindow > 0 ? inWindow : n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const s = starts[i]!;
    if (inWindow === 0 || (s >= PLAUSIBLE_FROM && s < PLAUSIBLE_UNTIL)) window[k++] = s;
  }
  const anchor = lowerMedian(window);
  const far: number[] = [];
  for (let i = 0; i < n; i++) {
    if (starts[i]! < anchor - MAX_SPREAD || ends[i]! > anchor + MAX_SPREAD) far.push(i);
  }
  return far;
}

/**
 * The value a numeric sort would put at index (length - 1) >> 1, found by selection in linear time (the
 * array is reordered). With a NaN among the values it sorts instead: a sort puts NaN last, selection by
 * comparisons would not.
 */
export function lowerMedian(values: Float64Array): number {
  const want = (values.length - 1) >> 1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) return values.sort()[want]!;
  }
  // Hoare-style quickselect with a middle pivot: narrow [lo, hi] to the part that holds index `want`.
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break; // between j and i every value equals the pivot
  }
  return values[want]!;
}
