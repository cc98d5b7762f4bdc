import { describe, expect, it } from 'vitest';
import { selfTime, selfTimes } from '../../src/analyze/self-time.js';
import type { SpanNode } from '../../src/model/tree.js';
import { node, tree, type NodeDesc } from './make-tree.js';

function rootSelf(d: NodeDesc): number {
  const t = tree(d);
  return selfTime(t.roots[0]!, t.layout);
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
    const p = t.roots[0]!;
    // Swap the children's times in the layout (which selfTime reads): first child 60..90, then 10..70.
    const { start, end } = t.layout;
    [start[1], start[2], end[1], end[2]] = [start[2]!, start[1]!, end[2]!, end[1]!];
    expect(selfTime(p, t.layout)).toBe(20);
  });

  it('selfTimes covers every span and is fast on 100,000 children', () => {
    const kids: NodeDesc[] = [];
    for (let i = 0; i < 100_000; i++) kids.push(node(`c${i}`, i * 10, i * 10 + 5));
    const t = tree(node('R', 0, 1_000_000, {}, kids));
    const m = selfTimes(t);
    expect(m.size).toBe(100_001);
    expect(m.get(t.roots[0] as SpanNode)).toBe(1_000_000 - 500_000);
    expect(m.get(t.nodes[1]!)).toBe(5);
  });
});
