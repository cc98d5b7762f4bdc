// Size limits: every walk in buildTree is iterative, so neither a wide nor a deep trace of a million spans
// may overflow the stack. Spans share one attributes object and one events array to keep memory down.
import { describe, expect, it } from 'vitest';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { hexId } from './make.js';

const N = 1_000_000;
const attributes = {};
const events: Span['events'] = [];

function big(i: number, parent: number | undefined, start: number, end: number, service: string): Span {
  const s: Span = { traceId: 't1', spanId: hexId(i), service, operation: 'op', start, end, error: false, attributes, events, origin: 'record' };
  if (parent !== undefined) s.parentSpanId = hexId(parent);
  return s;
}

describe('buildTree at scale', () => {
  it('a flat trace of 1,000,000 spans', () => {
    // root |------------------------------------|
    //  1    |-|
    //  2     |-|        ... 999,999 children, given in reverse start order
    //  ...                                    |-|
    const spans: Span[] = [big(0, undefined, 0, 2 * N, 'api')];
    for (let i = N - 1; i >= 1; i--) spans.push(big(i, 0, i, i + 1, 'api'));
    const tree = buildTree('t1', spans);
    expect(tree.nodes).toHaveLength(N);
    expect(tree.roots).toHaveLength(1);
    const kids = tree.roots[0]?.children ?? [];
    expect(kids).toHaveLength(N - 1);
    expect(kids[0]?.span.start).toBe(1);
    expect(kids[N - 2]?.span.start).toBe(N - 1);
    expect(tree.warnings).toEqual([]);
  });

  it('a parent chain 1,000,000 deep, with skew adjustment across alternating hosts', () => {
    // 0 |------------------------|
    // 1  |----------------------|      each span 1 µs inside its parent, hosts alternate a/b/a/b...
    // 2   |--------------------|       given leaf first
    // ...
    const spans: Span[] = [];
    for (let i = N - 1; i >= 0; i--) spans.push(big(i, i === 0 ? undefined : i - 1, i, 2 * N - i, i % 2 ? 'b' : 'a'));
    const tree = buildTree('t1', spans, { adjustSkew: true });
    expect(tree.nodes).toHaveLength(N);
    expect(tree.nodes[N - 1]?.depth).toBe(N - 1);
    expect(tree.warnings).toEqual([]);
  });

  it('a parent cycle 1,000,000 long is cut once', () => {
    // 0 -> 999,999 -> 999,998 -> ... -> 1 -> 0   (-> : "has parent"); span 0 starts first
    const spans: Span[] = [];
    for (let i = 0; i < N; i++) spans.push(big(i, i === 0 ? N - 1 : i - 1, i, 2 * N - i, 'api'));
    const tree = buildTree('t1', spans);
    expect(tree.nodes).toHaveLength(N);
    expect(tree.roots.map((r) => r.span.spanId)).toEqual([hexId(0)]);
    expect(tree.warnings.map((w) => w.kind)).toEqual(['cycle']);
  });
});

describe('buildTree node lists', () => {
  it('leaves share one frozen empty child list; other lists are exactly their children', () => {
    const spans: Span[] = [big(0, undefined, 0, 100, 'api'), big(1, 0, 1, 50, 'api'), big(2, 0, 2, 60, 'db'), big(3, 1, 3, 4, 'db')];
    const tree = buildTree('t1', spans);
    const leaves = tree.nodes.filter((n) => n.children.length === 0);
    expect(leaves).toHaveLength(2);
    expect(leaves[0]!.children).toBe(leaves[1]!.children);
    expect(Object.isFrozen(leaves[0]!.children)).toBe(true);
    expect(tree.roots[0]!.children.map((c) => c.span.spanId)).toEqual([hexId(1), hexId(2)]);
  });
});
