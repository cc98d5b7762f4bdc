import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTime, withThousands } from '../../src/render/format.js';

describe('withThousands', () => {
  it('writes integers as toLocaleString("en-US") does', () => {
    for (const x of [0, 7, 999, 1000, 12345, 1234567, -1, -1000, -987654321, Number.MAX_SAFE_INTEGER, 0.5, 1e21]) {
      expect(withThousands(x)).toBe(x.toLocaleString('en-US'));
    }
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (x) => withThousands(x) === x.toLocaleString('en-US')));
  });
});

describe('formatTime', () => {
  const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString();

  it('writes ISO 8601 with milliseconds, the same text whichever time came before it', () => {
    // Runs of times in one second (the cached path), across second, day and year boundaries, before 1970.
    const base = Date.UTC(2024, 11, 31, 23, 59, 59) * 1000;
    for (const us of [base, base + 1, base + 999_999, base + 1_000_000, base + 999, base - 1, -1, -1000, -1_000_001, 0, 1, 8.64e18, -8.64e18]) {
      expect(formatTime(us)).toBe(iso(us));
    }
    fc.assert(
      fc.property(fc.array(fc.double({ min: -8.64e18, max: 8.64e18, noNaN: true }).map(Math.floor), { maxLength: 20 }), fc.integer({ min: 0, max: 2_000_000 }), (xs, step) => {
        for (const x of xs) for (const us of [x, x + step, x - step]) if (formatTime(us) !== (Math.abs(us) <= 8.64e18 ? iso(us) : '-')) return false;
        return true;
      }),
    );
  });

  it('writes "-" for what is no time', () => {
    for (const us of [undefined, NaN, Infinity, 8.64e18 + 1e6]) expect(formatTime(us)).toBe('-');
  });
});
