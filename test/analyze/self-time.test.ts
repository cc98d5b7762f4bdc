import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SelfTimeSweep, selfTimeAt, selfTimesBySpan } from '../../src/analyze/self-time.js';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { node, tree, type NodeDesc } from './make-tree.js';

function sp(id: string, parent: string | undefined, start: number, end: number): Span {
  const s: Span = { traceId: 't1', spanId: id, service: 'svc', operation: id, start, end, error: false, attributes: {}, events: [], origin: 'record' };
  if (parent !== undefined) s.parentSpanId = parent;
  return s;
}

function rootSelf(d: NodeDesc): number {
  const t = tree(d);
  return selfTimeAt(t.roots[0]!.index, t.layout);
}

describe('selfTime', () => {
  const cases: { name: string; drawing: string; root: NodeDesc; want: number }[] = [
    {
      name: 'overlapping children count once',
      drawing: `
        P |0=======================100|
        A     |10=======60|
        B           |30=======80|          union 10..80 = 70`,
      root: node('P', 0, 100, {}, [node('A', 10, 60), node('B', 30, 80)]),
      want: 30,
    },
    {
      name: 'child outliving its parent is clipped',
      drawing: `
        P |0=========100|
        K        |50============150|       inside part 50..100`,
      root: node('P', 0, 100, {}, [node('K', 50, 150)]),
      want: 50,
    },
    {
      name: 'child enclosing its parent leaves nothing',
      drawing: `
        P      |10===50|
        K |0===============100|`,
      root: node('P', 10, 50, {}, [node('K', 0, 100)]),
      want: 0,
    },
    {
      name: 'touching siblings',
      drawing: `
        P |0======================100|
        A    |10===40|
        B            |40===70|`,
      root: node('P', 0, 100, {}, [node('A', 10, 40), node('B', 40, 70)]),
      want: 40,
    },
    {
      name: 'no children',
      drawing: `P |5===25|`,
      root: node('P', 5, 25),
      want: 20,
    },
    {
      name: 'child wholly outside covers nothing',
      drawing: `
        P |0====100|
        K              |120==150|`,
      root: node('P', 0, 100, {}, [node('K', 120, 150)]),
      want: 100,
    },
    {
      name: 'zero-length child covers nothing',
      drawing: `
        P |0====100|
        K      |50|`,
      root: node('P', 0, 100, {}, [node('K', 50, 50)]),
      want: 100,
    },
    {
      name: 'grandchildren do not matter to the root',
      drawing: `
        R |0=====================100|
        A    |10=============90|
        G       |20===30|`,
      root: node('R', 0, 100, {}, [node('A', 10, 90, {}, [node('G', 20, 30)])]),
      want: 20,
    },
  ];
  it.each(cases)('$name', ({ root, want }) => {
    expect(rootSelf(root)).toBe(want);
  });

  it('does not trust children to be sorted by start', () => {
    // P |0==========100|, children given as [60,90] then [10,70]: union 10..90 = 80.
    const t = tree(node('P', 0, 100, {}, [node('A', 10, 70), node('B', 60, 90)]));
    // Swap the children's times in the layout (which selfTimeAt reads): first child 60..90, then 10..70.
    const { start, end } = t.layout;
    [start[1], start[2], end[1], end[2]] = [start[2]!, start[1]!, end[2]!, end[1]!];
    expect(selfTimeAt(0, t.layout)).toBe(20);
  });

  it('selfTimesBySpan covers every span, by its place in the span list, on 100,000 children', () => {
    const kids: NodeDesc[] = [];
    for (let i = 0; i < 100_000; i++) kids.push(node(`c${i}`, i * 10, i * 10 + 5));
    const t = tree(node('R', 0, 1_000_000, {}, kids));
    const m = selfTimesBySpan(t.layout, t.spans.length);
    expect(m).toHaveLength(100_001);
    expect(m[t.spans.indexOf(t.roots[0]!.span)]).toBe(1_000_000 - 500_000);
    expect(m[t.spans.indexOf(t.nodes[1]!.span)]).toBe(5);
    expect([...m].every((x) => x >= 0)).toBe(true);
  });

  it('selfTimesBySpan places each self time at its span, whatever the node order', () => {
    // buildTree's span list is in input order, its nodes in pre-order: a span list given out of start order.
    const spans = [sp('b', 'r', 50, 90), sp('r', undefined, 0, 100), sp('a', 'r', 10, 40), sp('a1', 'a', 20, 30)];
    const t = buildTree('t1', spans);
    const m = selfTimesBySpan(t.layout, t.spans.length);
    expect([...m]).toEqual([40, 30, 20, 10]); // b, r (100 - 30 - 40), a (30 - 10), a1
  });
});

/**
 * The plain reference for the one sweep (SelfTimeSweep, used by selfTimeAt and plain-self-times.ts): cut
 * the parent at every child's clipped start and end, and count each piece some child covers.
 *
 *   parent  |0=============================100|
 *   child        |10====40|  |50======80|
 *   child              |30=====60|
 *   pieces  0   10  30  40  50  60       80  100    covered: 10..80 = 70, self 30
 */
function plainSelfTime(start: number, end: number, children: [number, number][]): number {
  const clipped = children.map(([s, e]) => [Math.max(s, start), Math.min(e, end)] as const).filter(([s, e]) => e > s);
  const cuts = [...new Set(clipped.flat())].sort((a, b) => a - b);
  let covered = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [a, b] = [cuts[k]!, cuts[k + 1]!];
    if (clipped.some(([s, e]) => s <= a && e >= b)) covered += b - a;
  }
  return Math.max(0, end - start - covered);
}

describe('SelfTimeSweep', () => {
  const interval = fc.tuple(fc.integer({ min: -50, max: 250 }), fc.integer({ min: 0, max: 120 })).map(([s, len]): [number, number] => [s, s + len]);

  it('equals the plain reference, children in any order, few or many', () => {
    fc.assert(
      fc.property(interval, fc.array(interval, { maxLength: 80 }), fc.boolean(), ([start, end], children, sorted) => {
        const given = sorted ? [...children].sort((a, b) => a[0] - b[0]) : children;
        const sweep = new SelfTimeSweep().open(start, end);
        for (const [s, e] of given) sweep.add(s, e);
        expect(sweep.selfTime()).toBe(plainSelfTime(start, end, children));
      }),
    );
  });

  it('starts afresh at each open', () => {
    const sweep = new SelfTimeSweep().open(0, 100);
    sweep.add(10, 90);
    expect(sweep.selfTime()).toBe(20);
    expect(sweep.open(0, 100).selfTime()).toBe(100);
  });
});
