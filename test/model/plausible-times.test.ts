import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { farOffSpans, lowerMedian, MAX_SPREAD, PLAUSIBLE_FROM, PLAUSIBLE_UNTIL } from '../../src/model/plausible-times.js';

describe('lowerMedian', () => {
  it('is the value a numeric sort puts at (n - 1) >> 1', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1.7e15));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 80 }), (values) => {
        const want = Float64Array.from(values).sort()[(values.length - 1) >> 1]!;
        const got = lowerMedian(Float64Array.from(values));
        // === takes -0 and 0 as one value, as the anchor's arithmetic does.
        expect(Number.isNaN(want) ? Number.isNaN(got) : got === want).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('farOffSpans', () => {
  // The rule as stated, without the shortcut for traces that lie within a week end to end.
  function reference(starts: number[], ends: number[]): number[] {
    if (starts.length < 2) return [];
    const inWindow = starts.filter((s) => s >= PLAUSIBLE_FROM && s < PLAUSIBLE_UNTIL);
    const pool = Float64Array.from(inWindow.length > 0 ? inWindow : starts).sort();
    const anchor = pool[(pool.length - 1) >> 1]!;
    return starts.flatMap((s, i) => (s < anchor - MAX_SPREAD || ends[i]! > anchor + MAX_SPREAD ? [i] : []));
  }

  it('finds the spans the rule names, near and far from a week apart', () => {
    const base = Date.UTC(2024, 4, 1) * 1000;
    const start = fc.oneof(
      fc.integer({ min: 0, max: 3 * MAX_SPREAD }).map((d) => base + d - MAX_SPREAD),
      fc.constantFrom(0, 19 * 86_400 * 1e6, base + MAX_SPREAD, base - MAX_SPREAD, base + MAX_SPREAD + 1, 7.3e15),
    );
    const span = fc.tuple(start, fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(MAX_SPREAD, MAX_SPREAD + 1)));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), (spans) => {
        const starts = spans.map(([s]) => s);
        const ends = spans.map(([s, d]) => s + d);
        expect(farOffSpans(Float64Array.from(starts), Float64Array.from(ends))).toEqual(reference(starts, ends));
      }),
      { numRuns: 2000 },
    );
  });
});
