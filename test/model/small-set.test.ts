import { describe, expect, it } from 'vitest';
import { addTo, newSmallSet, sizeOf, valuesOf } from '../../src/model/small-set.js';

describe('SmallSet', () => {
  it('keeps distinct values in arrival order, as an array and then as a Set', () => {
    const s = newSmallSet();
    const t = newSmallSet();
    for (const v of ['a', 'b', 'a', 'c', 'b']) addTo(s, v);
    expect([...valuesOf(s)]).toEqual(['a', 'b', 'c']);
    expect(sizeOf(s)).toBe(3);
    expect(s.set).toBeUndefined();
    expect([...valuesOf(t)]).toEqual([]); // the shared empty array was not written into
    for (let i = 0; i < 20; i++) addTo(s, `v${i % 12}`);
    expect(s.set).toBeDefined();
    expect(sizeOf(s)).toBe(15);
    expect([...valuesOf(s)].slice(0, 4)).toEqual(['a', 'b', 'c', 'v0']);
  });

  it('stays linear for a million distinct values', () => {
    const s = newSmallSet();
    for (let i = 0; i < 1_000_000; i++) addTo(s, String(i));
    expect(sizeOf(s)).toBe(1_000_000);
  });

  it('survives structured cloning (worker threads hand summaries back that way)', () => {
    const s = newSmallSet();
    addTo(s, 'x');
    const copy = structuredClone(s);
    addTo(copy, 'y');
    expect([...valuesOf(copy)]).toEqual(['x', 'y']);
    expect([...valuesOf(s)]).toEqual(['x']);
  });
});
