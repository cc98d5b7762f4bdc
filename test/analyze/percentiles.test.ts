import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distribution, distributionOfParts, nearestRank, percentileOfSorted, percentiles, sortedCopy } from '../../src/analyze/percentiles.js';

describe('nearest-rank percentiles', () => {
  it('n = 1: every percentile is the value', () => {
    expect(percentiles([7], [0, 1, 50, 99, 100])).toEqual([7, 7, 7, 7, 7]);
  });

  it('n = 2: p50 is the smaller, anything above p50 the larger; p0 is the min', () => {
    expect(percentiles([20, 10], [0, 50, 51, 99, 100])).toEqual([10, 10, 20, 20, 20]);
  });

  it('1..100: pq is q, p0 is clamped to the minimum', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(v, [0, 1, 50, 90, 95, 99, 100])).toEqual([1, 1, 50, 90, 95, 99, 100]);
  });

  it('floating point does not push an exact rank up (0.95 * 20 = 19, not 20)', () => {
    const v = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentiles(v, [95, 90, 5])).toEqual([19, 18, 1]);
    expect(nearestRank(99.9, 1000)).toBe(999);
    expect(nearestRank(10, 30)).toBe(3);
  });

  it('no values or a quantile outside 0..100 give NaN', () => {
    expect(percentiles([], [50])).toEqual([NaN]);
    expect(percentiles([1, 2], [-1, 101, NaN])).toEqual([NaN, NaN, NaN]);
  });

  it('sorts a copy, leaving the input alone', () => {
    const v = [3, 1, 2];
    expect(Array.from(sortedCopy(v))).toEqual([1, 2, 3]);
    expect(v).toEqual([3, 1, 2]);
    expect(percentileOfSorted(sortedCopy(v), 50)).toBe(2);
  });

  it('distribution gives count, min, max, sum and the standard percentiles', () => {
    expect(distribution([3, 1, 2, 10])).toEqual({ count: 4, min: 1, max: 10, sum: 16, p50: 2, p90: 10, p95: 10, p99: 10 });
    const empty = distribution([]);
    expect(empty.count).toBe(0);
    expect(empty.sum).toBe(0);
    expect(empty.p99).toBeNaN();
  });

  it('handles two million values', () => {
    const n = 2_000_000;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = n - i; // n..1, worst case for a naive sort
    const d = distribution(v);
    expect(d).toMatchObject({ count: n, min: 1, max: n, p50: 1_000_000, p90: 1_800_000, p99: 1_980_000 });
  });
});

describe('distributionOfParts', () => {
  // What a sort of all the values gives (Float64Array's order: NaN last, -0 before +0), found by
  // selection: every field compared with Object.is, so a -0 for a +0 would fail.
  const bySort = (values: number[]) => {
    const sorted = sortedCopy(values);
    const n = sorted.length;
    const at = (q: number) => percentileOfSorted(sorted, q);
    return { count: n, min: n > 0 ? sorted[0]! : NaN, max: n > 0 ? sorted[n - 1]! : NaN, p50: at(50), p90: at(90), p95: at(95), p99: at(99) };
  };
  const same = (got: Record<string, number>, want: Record<string, number>) => {
    for (const k of Object.keys(want)) expect(Object.is(got[k], want[k]), `${k}: ${got[k]} vs ${want[k]}`).toBe(true);
  };

  it('gives what a sort of all the values gives: NaN, -0 and +0, ties, empty parts, number[] and Float64Array', () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(NaN, -0, 0, 1, 2, Infinity, -Infinity), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(value, { maxLength: 40 }), fc.boolean()), { maxLength: 5 }), (raw) => {
        const parts = raw.map(([p, typed]) => (typed ? Float64Array.from(p) : p));
        const all = raw.flatMap(([p]) => p);
        const got = distributionOfParts(parts);
        same(got as unknown as Record<string, number>, bySort(all));
        expect(Object.is(got.sum, all.reduce((a, x) => a + x, 0)) || (Number.isNaN(got.sum) && all.some((x) => Number.isNaN(x)))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  // Selection among hundreds of values: crowded into a few values or spread over many magnitudes,
  // negatives, zeros of both signs and infinities.
  it('gives what a sort gives for hundreds of values, crowded or spread', () => {
    const crowded = fc.oneof(fc.integer({ min: 1000, max: 1010 }).map((x) => x + 0.25), fc.constantFrom(-0, 0, -1, 1e300, -Infinity, Infinity, NaN), fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 }));
    fc.assert(
      fc.property(fc.array(crowded, { minLength: 100, maxLength: 600 }), fc.nat(3), (values, cut) => {
        const parts = [values.slice(0, cut * 50), Float64Array.from(values.slice(cut * 50))];
        same(distributionOfParts(parts) as unknown as Record<string, number>, bySort(values));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves its parts as they were', () => {
    const a = [5, 1, 4];
    const b = Float64Array.from([3, 2]);
    expect(distributionOfParts([a, b])).toMatchObject({ count: 5, min: 1, max: 5, p50: 3, p90: 5 });
    expect(a).toEqual([5, 1, 4]);
    expect([...b]).toEqual([3, 2]);
  });

  it('ranks a million values that are all alike, or sorted, or sorted backwards, in linear time', () => {
    // Not a timing test: a quadratic selection would not finish within the test's timeout on these.
    const n = 1_000_000;
    for (const v of [new Float64Array(n).fill(7), Float64Array.from({ length: n }, (_, i) => i + 1), Float64Array.from({ length: n }, (_, i) => n - i)]) {
      const d = distributionOfParts([v]);
      expect(d.count).toBe(n);
      expect(d.p50).toBe(v[0] === 7 ? 7 : 500_000);
      expect(d.p99).toBe(v[0] === 7 ? 7 : 990_000);
    }
  });
});
