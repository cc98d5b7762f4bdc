import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../property-seed.js';
import { FinishedIds } from '../../src/model/finished-ids.js';

/** The plain reference: a Map in insertion order, a set id moved to the end, the oldest dropped past `kept`. */
class ReferenceIds {
  readonly map = new Map<string, number>();
  constructor(private readonly kept: number) {}
  set(id: string, v: number): void {
    this.map.delete(id);
    this.map.set(id, v);
    if (this.map.size > this.kept) this.map.delete(this.map.keys().next().value!);
  }
  delete(id: string): boolean {
    return this.map.delete(id);
  }
}

type Op = { kind: 'set'; id: number; v: number } | { kind: 'delete'; id: number } | { kind: 'get'; id: number };

describe('FinishedIds', () => {
  it('forgets the oldest id past its bound; a set id becomes the newest', () => {
    const f = new FinishedIds(2);
    f.set('a', 1);
    f.set('b', 2);
    f.set('a', 3); // a is the newest now: b goes first
    f.set('c', 4);
    expect([f.get('a'), f.has('b'), f.get('c'), f.size]).toEqual([3, false, 4, 2]);
    expect(f.delete('a')).toBe(true);
    expect(f.delete('a')).toBe(false);
    f.set('d', 5);
    f.set('e', 6); // c, the oldest left, goes
    expect([f.has('c'), f.get('d'), f.get('e'), f.size]).toEqual([false, 5, 6, 2]);
  });

  // Ids from a small pool, so that sets of an id already there, deletes and evictions all happen often;
  // bounds small and large, so that the table grows, the ring grows and is compacted.
  it('answers as a Map with insertion order and a size bound does, for any sequence of operations', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), id: fc.nat(600), v: fc.integer({ min: -5, max: 1 << 20 }) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.nat(600) }),
      fc.record({ kind: fc.constant('get' as const), id: fc.nat(600) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.array(op, { maxLength: 3000 }), (kept, ops) => {
        const f = new FinishedIds(kept);
        const ref = new ReferenceIds(kept);
        for (const o of ops) {
          const id = `4bf92f3577b34da6a3ce929d0e0e${o.id.toString(16).padStart(4, '0')}`;
          if (o.kind === 'set') {
            f.set(id, o.v);
            ref.set(id, o.v);
          } else if (o.kind === 'delete') {
            expect(f.delete(id)).toBe(ref.delete(id));
          } else {
            expect(f.get(id)).toBe(ref.map.get(id));
          }
          expect(f.size).toBe(ref.map.size);
        }
        for (let k = 0; k <= 600; k++) {
          const id = `4bf92f3577b34da6a3ce929d0e0e${k.toString(16).padStart(4, '0')}`;
          expect(f.get(id)).toBe(ref.map.get(id));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('holds its bound over a long run of distinct ids, and the newest are all there', () => {
    const f = new FinishedIds(1000);
    for (let k = 0; k < 50_000; k++) f.set(`trace-${k}`, k);
    expect(f.size).toBe(1000);
    let found = 0;
    for (let k = 0; k < 50_000; k++) if (f.has(`trace-${k}`)) found++;
    expect(found).toBe(1000);
    expect(f.get('trace-49000')).toBe(49_000);
    expect(f.has('trace-48999')).toBe(false);
  });
});
