import { describe, expect, it } from 'vitest';
import { TopN, compareStrings } from '../../src/analyze/top-n.js';

// A small seeded generator so "random" cases are the same on every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const desc = (a: number, b: number): number => b - a;

describe('TopN', () => {
  it('keeps the N best, best first', () => {
    const t = new TopN<number>(3, desc);
    for (const x of [5, 1, 9, 3, 7, 2, 8]) t.push(x);
    expect(t.toArray()).toEqual([9, 8, 7]);
    expect(t.size).toBe(3);
  });

  it('agrees with a full sort on random input', () => {
    const r = rng(42);
    const xs = Array.from({ length: 5000 }, () => Math.floor(r() * 1000));
    const t = new TopN<number>(25, desc);
    for (const x of xs) t.push(x);
    expect(t.toArray()).toEqual([...xs].sort(desc).slice(0, 25));
  });

  it('ranks equal items by arrival, earlier first', () => {
    type Item = { d: number; name: string };
    const t = new TopN<Item>(2, (a, b) => b.d - a.d);
    for (const name of ['first', 'second', 'third']) t.push({ d: 10, name });
    expect(t.toArray().map((x) => x.name)).toEqual(['first', 'second']);
  });

  it('with a total order, the result does not depend on input order', () => {
    type Item = { d: number; id: string };
    const cmp = (a: Item, b: Item): number => b.d - a.d || compareStrings(a.id, b.id);
    const items: Item[] = Array.from({ length: 200 }, (_, i) => ({ d: i % 7, id: `id${String(i).padStart(3, '0')}` }));
    const r = rng(7);
    const results = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const shuffled = [...items].sort(() => r() - 0.5);
      const t = new TopN<Item>(10, cmp);
      for (const x of shuffled) t.push(x);
      results.add(JSON.stringify(t.toArray()));
    }
    expect(results.size).toBe(1);
    expect(JSON.parse([...results][0]!)[0]).toEqual({ d: 6, id: 'id006' });
  });

  it('limit 0 keeps nothing; wouldAccept tells without pushing', () => {
    const none = new TopN<number>(0, desc);
    expect(none.push(1)).toBe(false);
    expect(none.toArray()).toEqual([]);
    const t = new TopN<number>(2, desc);
    t.push(5);
    t.push(6);
    expect(t.wouldAccept(5)).toBe(false); // ties lose to what arrived earlier
    expect(t.wouldAccept(7)).toBe(true);
    expect(t.push(4)).toBe(false);
    expect(t.toArray()).toEqual([6, 5]);
  });

  it('can keep streaming after toArray', () => {
    const t = new TopN<number>(2, desc);
    t.push(1);
    expect(t.toArray()).toEqual([1]);
    t.push(3);
    t.push(2);
    expect(t.toArray()).toEqual([3, 2]);
  });
});
