import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HEX_PARENT, SpanIdArrays, SpanIdIndex } from '../../src/model/span-id-index.js';

describe('SpanIdIndex answers as a Map keyed by the exact string', () => {
  // Hex ids of 16 digits (the table), and everything near them that must not be confused with them:
  // upper case, other lengths, non-hex, and ids that count up (…0001, …0002) as some producers make them.
  const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/);
  const counting = fc.integer({ min: 0, max: 40 }).map((i) => i.toString(16).padStart(16, '0'));
  const near = fc.oneof(
    hex16.map((s) => s.toUpperCase()),
    hex16.map((s) => s.slice(1)),
    hex16.map((s) => s + '0'),
    hex16.map((s) => s.slice(0, 15) + 'g'),
    fc.constantFrom('', 'span-1', '0000000000000001#2'),
  );
  const id = fc.oneof(hex16, counting, counting, near);
  const op = fc.record({ kind: fc.constantFrom('get', 'set', 'setIfAbsent'), id, value: fc.nat({ max: 1000 }) });

  it('for any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 0, max: 50 }), (ops, expected) => {
        const index = new SpanIdIndex(expected); // sized too small on purpose at times: probing must cope
        const map = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'get') expect(index.get(o.id)).toBe(map.get(o.id));
          else if (o.kind === 'set') {
            index.set(o.id, o.value);
            map.set(o.id, o.value);
          } else {
            const known = map.get(o.id);
            expect(index.setIfAbsent(o.id, o.value)).toBe(known);
            if (known === undefined) map.set(o.id, o.value);
          }
        }
        for (const k of map.keys()) expect(index.get(k)).toBe(map.get(k));
      }),
      { numRuns: 300 },
    );
  });

  it('getAllHex answers as get for every hex id it is given', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hex16, counting), { maxLength: 100 }), fc.array(fc.oneof(hex16, counting, near), { maxLength: 100 }), fc.integer({ min: 0, max: 50 }), (added, asked, expected) => {
        const index = new SpanIdIndex(expected);
        added.forEach((a, i) => index.setIfAbsent(a, i));
        const ids = new SpanIdArrays(asked.length);
        asked.forEach((a, i) => ids.read(i, 'span', a));
        const found = index.getAllHex(ids.parentHi, ids.parentLo, asked.length);
        asked.forEach((a, i) => {
          if (ids.parent(i) === HEX_PARENT) expect(found[i]).toBe(index.get(a) ?? -1);
          else expect(/^[0-9a-f]{16}$/.test(a)).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a million counting ids apart', () => {
    const n = 1_000_000;
    const index = new SpanIdIndex(n);
    let repeats = 0;
    for (let i = 0; i < n; i++) if (index.setIfAbsent(i.toString(16).padStart(16, '0'), i) !== undefined) repeats++;
    expect(repeats).toBe(0);
    for (let i = 0; i < n; i += 997) expect(index.get(i.toString(16).padStart(16, '0'))).toBe(i);
    expect(index.get((n + 1).toString(16).padStart(16, '0'))).toBeUndefined();
  });
});
