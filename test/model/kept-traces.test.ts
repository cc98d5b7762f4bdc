import { describe, expect, it } from 'vitest';
import { KeptTraces } from '../../src/model/kept-traces.js';

describe('KeptTraces', () => {
  it('forgets the oldest past its count of traces', () => {
    const kept = new KeptTraces<string>(2, 1000);
    kept.set('a', 'A', 10);
    kept.set('b', 'B', 10);
    kept.set('c', 'C', 10);
    expect([kept.take('a'), kept.take('b'), kept.take('c')]).toEqual([undefined, 'B', 'C']);
    expect([kept.size, kept.bytes, kept.forgotten]).toEqual([0, 0, 1]);
  });

  it('forgets the oldest past its bytes, keeping the newest whatever its size', () => {
    const kept = new KeptTraces<string>(10, 100);
    kept.set('a', 'A', 40);
    kept.set('b', 'B', 40);
    kept.set('c', 'C', 40); // 120 > 100: a goes
    expect(kept.bytes).toBe(80);
    kept.set('d', 'D', 500); // over the bound alone: the others go, d stays
    expect([kept.take('b'), kept.take('c'), kept.take('d')]).toEqual([undefined, undefined, 'D']);
  });

  it('keeps a trace set again as the newest, counted once', () => {
    const kept = new KeptTraces<string>(2, 1000);
    kept.set('a', 'A1', 10);
    kept.set('b', 'B', 10);
    kept.set('a', 'A2', 30);
    kept.set('c', 'C', 10); // b is the oldest now
    expect([kept.take('b'), kept.take('a'), kept.bytes]).toEqual([undefined, 'A2', 10]);
  });
});
