import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChildLists } from '../../src/model/child-lists.js';

/** The same lists kept the plain way: an array per parent. */
function plainLists(parentIdx: Int32Array): number[][] {
  const lists: number[][] = Array.from({ length: parentIdx.length }, () => []);
  parentIdx.forEach((p, i) => {
    if (p >= 0) lists[p]!.push(i);
  });
  return lists;
}

const listsOf = (c: ChildLists, n: number): number[][] =>
  Array.from({ length: n }, (_, p) => Array.from({ length: c.count(p) }, (_, k) => c.at(p, k)));

describe('ChildLists', () => {
  // A forest as a parent index list: span i (i > 0) under some earlier span, or a root.
  const arbForest = fc
    .array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 60 })
    .map((ps) => Int32Array.from(ps, (p, i) => (i === 0 || p === undefined ? -1 : p % i)));

  it('lists each parent’s children in index order, as arrays per parent would', () => {
    fc.assert(
      fc.property(arbForest, (parentIdx) => {
        expect(listsOf(new ChildLists(parentIdx), parentIdx.length)).toEqual(plainLists(parentIdx));
      }),
    );
  });

  it('removes, sorts and walks in pre-order like the plain lists', () => {
    fc.assert(
      fc.property(arbForest, fc.nat(), fc.integer(), (parentIdx, pick, salt) => {
        const c = new ChildLists(parentIdx);
        const plain = plainLists(parentIdx);
        const child = pick % parentIdx.length;
        const p = parentIdx[child]!;
        if (p >= 0) {
          c.remove(p, child);
          plain[p]!.splice(plain[p]!.indexOf(child), 1);
          parentIdx[child] = -1;
        }
        // Some total order unrelated to the indices.
        const key = (i: number): number => (Math.imul(i + 1, 0x9e3779b1) ^ salt) >>> 0;
        const cmp = (a: number, b: number): number => key(a) - key(b) || a - b;
        for (let i = 0; i < parentIdx.length; i++) {
          c.sort(i, cmp);
          plain[i]!.sort(cmp);
        }
        expect(listsOf(c, parentIdx.length)).toEqual(plain);
        const roots = [...parentIdx.keys()].filter((i) => parentIdx[i] === -1);
        const order: number[] = [];
        const stack = [...roots].reverse();
        for (let i = stack.pop(); i !== undefined; i = stack.pop()) {
          order.push(i);
          stack.push(...[...plain[i]!].reverse());
        }
        expect([...c.preorder(roots)]).toEqual(order);
      }),
    );
  });
});
