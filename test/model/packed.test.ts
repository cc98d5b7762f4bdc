import { describe, expect, it } from 'vitest';
import { PackReader, PackWriter, smallInteger } from '../../src/model/packed.js';

describe('PackWriter', () => {
  const write = (w: PackWriter, n: number) => {
    for (let i = 0; i < n; i++) {
      w.num(i % 3 === 0 ? undefined : i * 1.5);
      w.str(i % 4 === 0 ? undefined : `s${i % 7}`);
      w.str(`id-${i}`, true);
    }
  };
  const readBack = (p: ReturnType<PackWriter['finish']>, n: number) => {
    const r = new PackReader(p);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push([r.num(), r.str(), r.str()]);
    return out;
  };

  it('reads back what was written, whatever room it started with (too little, exact, too much)', () => {
    const expected = readBack(((w) => (write(w, 5000), w.finish()))(new PackWriter()), 5000);
    for (const [nums, refs] of [[1, 1], [5000, 10_000], [9000, 20_000], [0, 0]] as const) {
      const w = new PackWriter(nums, refs);
      write(w, 5000);
      const p = w.finish();
      expect(p.nums.length).toBe(5000);
      expect(p.refs.length).toBe(10_000);
      expect(readBack(p, 5000)).toEqual(expected);
    }
  });

  it('sized to fit, hands over its own arrays without a copy; strings repeat once in the table', () => {
    const w = new PackWriter(3, 4);
    w.num(1);
    w.num(2);
    w.num(3);
    for (const s of ['api', 'db', 'api', 'api']) w.str(s);
    const p = w.finish();
    expect(p.nums.buffer.byteLength).toBe(3 * 8);
    expect(p.refs.buffer.byteLength).toBe(4 * 4);
    expect(p.strings).toEqual(['api', 'db']);
  });
});

describe('smallInteger', () => {
  it('keeps every value, -0 and fractions included', () => {
    for (const x of [0, 1, -1, 42, 2 ** 30 - 1, -(2 ** 30), 2 ** 30, 2 ** 31, -(2 ** 31) - 1, 1.5, -0.5, 1e300, Infinity, -Infinity]) expect(smallInteger(x)).toBe(x);
    expect(Object.is(smallInteger(-0), -0)).toBe(true);
    expect(smallInteger(NaN)).toBeNaN();
  });
});
