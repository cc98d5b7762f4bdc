import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime, withThousands } from '../../src/render/format.js';

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

describe('formatDuration', () => {
  // The straightforward version it replaced (toFixed and String on every call), as the reference.
  const reference = (us: number): string => {
    if (!Number.isFinite(us)) return '-';
    const sig = (x: number): string => {
      if (x >= 100) return x.toFixed(0);
      if (x >= 10) {
        const t = x.toFixed(1);
        return t.endsWith('.0') ? t.slice(0, -2) : t;
      }
      return x.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
    };
    const a = Math.abs(us);
    let s: string;
    if (a < 1000) s = `${Math.round(a)}µs`;
    else if (a < 1e6) s = `${sig(a / 1000)}ms`;
    else if (a < 60e6) s = `${sig(a / 1e6)}s`;
    else if (a < 3600e6) {
      const m = Math.floor(a / 60e6);
      s = `${m}m${String(Math.floor((a - m * 60e6) / 1e6)).padStart(2, '0')}s`;
    } else {
      const h = Math.floor(a / 3600e6);
      s = `${h}h${String(Math.floor((a - h * 3600e6) / 60e6)).padStart(2, '0')}m`;
    }
    return us < 0 ? `-${s}` : s;
  };

  it('writes what toFixed would, at unit edges and halves too', () => {
    const edges = [0, 0.4999, 0.5, 999.4999, 999.5, 999.9999, 1000, 1004.9999, 1005, 1005.0001, 9994.9, 9995, 9995.0001, 9999.5, 10_000, 99_949, 99_950, 99_999.9, 100_000, 999_499, 999_500, 999_999, 1e6, 1.005e6, 9.995e6, 59.995e6, 59.9999e6, 60e6, 119.9999e6, 3599.9999e6, 3600e6, 86_400e6, 1e15];
    for (const us of [...edges, ...edges.map((x) => -x), NaN, Infinity]) expect(formatDuration(us)).toBe(reference(us));
    // every hundredth, tenth and whole step of each unit, and the halves between them
    for (let r = 100; r <= 1000; r++) {
      for (const scale of [10, 100, 1000, 10_000, 100_000, 1e6, 1e7]) {
        for (const us of [(r * scale) / 100, ((r + 0.5) * scale) / 100]) expect(formatDuration(us)).toBe(reference(us));
      }
    }
    fc.assert(fc.property(fc.double({ min: -1e13, max: 1e13, noNaN: true }), (us) => formatDuration(us) === reference(us)), { numRuns: 20_000 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (us) => formatDuration(us) === reference(us)), { numRuns: 20_000 });
  });
});
