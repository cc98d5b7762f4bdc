import { describe, expect, it } from 'vitest';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { span } from './make.js';

// Parents inferred from timing on large traces: the rule is O(n log n) and walks no recursion (the
// slow group: each case takes seconds).
const log = (id: string, start: number, end: number, fields: Parameters<typeof span>[3] = {}): Span => span(id, start, end, { origin: 'log', ...fields });

describe('parents inferred from timing, large traces', () => {
  it('a chain 50,000 deep, nested by timing alone: every span under the one before, no recursion', () => {
    // s0 |------------------------------|
    // s1  |----------------------------|
    // s2   |--------------------------|    ... each 2 µs shorter on both ends; given in reverse order
    const n = 50_000;
    const spans: Span[] = [];
    for (let i = n - 1; i >= 0; i--) spans.push(log(`s${i}`, 1_000_000 + i * 2, 1_000_000 + 4 * n - i * 2));
    const tree = buildTree('t1', spans);
    expect(tree.parentsInferred).toEqual({ count: n - 1, ambiguous: 0 });
    const { parent } = tree.layout;
    let depth = 0;
    for (let k = 1; k < n; k++) if (parent[k] === k - 1) depth++;
    expect(depth).toBe(n - 1);
    expect(tree.nodes[n - 1]!.span.spanId).toBe(`s${n - 1}`);
  });

  it('100,000 spans without parents in one trace: each under the request it lies in', () => {
    // 1,000 requests of 100 spans: a root of 10 ms, and 99 calls of 50 µs one after another inside it,
    // given shuffled. A quadratic rule would take minutes; this takes well under a second.
    const spans: Span[] = [];
    for (let r = 0; r < 1000; r++) {
      const base = 1_000_000 + r * 20_000;
      spans.push(log(`r${r}`, base, base + 10_000, { service: 'gateway' }));
      for (let k = 0; k < 99; k++) spans.push(log(`r${r}c${k}`, base + 100 + k * 100, base + 150 + k * 100, { service: 'db' }));
    }
    for (let i = spans.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [spans[i], spans[j]] = [spans[j]!, spans[i]!];
    }
    const tree = buildTree('t1', spans);
    expect(tree.parentsInferred).toEqual({ count: 99_000, ambiguous: 0 });
    for (const node of tree.nodes) {
      const id = node.span.spanId;
      if (id.includes('c')) expect(node.parent?.span.spanId).toBe(id.slice(0, id.indexOf('c')));
      else expect(node.parent).toBeUndefined();
    }
  });
});
