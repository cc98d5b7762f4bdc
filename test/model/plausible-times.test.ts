import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lowerMedian } from '../../src/model/plausible-times.js';

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
