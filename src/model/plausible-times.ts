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
import type { Span } from './span.js';
import type { Micros } from './time.js';

export const PLAUSIBLE_FROM: Micros = Date.UTC(2000, 0, 1) * 1000;
export const PLAUSIBLE_UNTIL: Micros = Date.UTC(2100, 0, 1) * 1000;
/** Further than this from the trace's anchor is not the same request: a week. */
export const MAX_SPREAD: Micros = 7 * 24 * 3600 * 1_000_000;

/** Indices of far-off spans (empty when none), with the anchor they were measured from. */
export function farOffSpans(spans: readonly Span[]): { anchor: Micros; far: number[] } {
  const n = spans.length;
  if (n < 2) return { anchor: n === 1 ? spans[0]!.start : 0, far: [] };
  let inWindow = 0;
  for (const s of spans) if (s.start >= PLAUSIBLE_FROM && s.start < PLAUSIBLE_UNTIL) inWindow++;
  const starts = new Float64Array(inWindow > 0 ? inWindow : n);
  let k = 0;
  for (const s of spans) if (inWindow === 0 || (s.start >= PLAUSIBLE_FROM && s.start < PLAUSIBLE_UNTIL)) starts[k++] = s.start;
  starts.sort();
  const anchor = starts[(starts.length - 1) >> 1]!;
  const far: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    if (s.start < anchor - MAX_SPREAD || s.end > anchor + MAX_SPREAD) far.push(i);
  }
  return { anchor, far };
}
