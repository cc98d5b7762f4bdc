import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTree } from '../../src/model/build-tree.js';
import { IndexedTree } from '../../src/model/indexed-tree.js';
import { span } from './make.js';

describe('IndexedTree', () => {
  it('reads what the nodes say, by node index (random forests with duplicates, orphans and cycles)', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const arbSpan = fc.record({ id, parent: fc.option(id, { nil: undefined }), start: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 0, max: 40 }), host: fc.constantFrom('h1', 'h2') });
    fc.assert(
      fc.property(fc.array(arbSpan, { maxLength: 30 }), fc.boolean(), (raw, adjustSkew) => {
        const spans = raw.map((r) => span(r.id, r.start, r.start + r.len, r.parent === undefined ? { host: r.host } : { parent: r.parent, host: r.host }));
        const tree = buildTree('t1', spans, { adjustSkew });
        const t = new IndexedTree(tree);
        expect(t.count).toBe(tree.nodes.length);
        expect(t.roots()).toEqual(tree.roots.map((n) => n.index));
        for (const n of tree.nodes) {
          const k = n.index;
          expect(t.span(k)).toBe(n.span);
          expect(t.key(k)).toBe(n.key ?? n.span.spanId);
          expect(t.parent(k)).toBe(n.parent ? n.parent.index : -1);
          expect(t.children(k)).toEqual(n.children.map((c) => c.index));
          expect(t.isLastChild(k)).toBe(n.parent !== undefined && n.parent.children[n.parent.children.length - 1] === n);
          let below = 0;
          for (const stack = [...n.children]; stack.length > 0; below++) stack.push(...stack.pop()!.children);
          expect(t.descendants(k)).toBe(below);
          const m = t.marks(k);
          expect([m?.missingParent, m?.skew, m?.shift]).toEqual([n.missingParent, n.skew, n.shift]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
