import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { criticalPath } from '../../src/analyze/critical-path.js';
import type { TraceTree } from '../../src/model/tree.js';
import { chain, layoutOf, node, tree, type NodeDesc } from './make-tree.js';

/** Sections as compact "id from-to" strings, in time order. */
/**
 * The same tree with a layout whose parent links are not a pre-order, so that criticalPath walks the
 * child lists (with a set of the spans seen) instead of the layout: both ways must give one answer.
 */
function byChildLists(t: TraceTree): TraceTree {
  const { traceId, roots, nodes, start, end, warnings, services, operations, spans, marks } = t; // buildTree's roots and nodes are getters
  return { traceId, roots, nodes, start, end, warnings, services, operations, spans, marks, layout: { ...t.layout, parent: new Int32Array(t.nodes.length).fill(t.nodes.length) } };
}

function path(t: TraceTree): string[] {
  return criticalPath(t).sections.map((s) => `${s.spanId} ${s.from}-${s.to}`);
}

describe('criticalPath: fixtures', () => {
  const cases: { name: string; drawing: string; roots: NodeDesc[]; want: string[] }[] = [
    {
      name: 'issue example: gaps between sequential children belong to the parent',
      drawing: `
        C |1===================================================101|
        D          |20=====40|
        E                        |50===60|`,
      roots: [node('C', 1, 101, {}, [node('D', 20, 40), node('E', 50, 60)])],
      want: ['C 1-20', 'D 20-40', 'C 40-50', 'E 50-60', 'C 60-101'],
    },
    {
      name: 'issue example: overlapping children, the last to finish wins',
      drawing: `
        X |1===================================================101|
        A       |10================50|
        C            |20=================60|`,
      roots: [node('X', 1, 101, {}, [node('A', 10, 50), node('C', 20, 60)])],
      want: ['X 1-20', 'C 20-60', 'X 60-101'],
    },
    {
      name: 'touching siblings: Jaeger needs end STRICTLY before the return point, so D is skipped',
      drawing: `
        C |0===================================100|
        D          |20=====40|
        E                    |40=====60|`,
      roots: [node('C', 0, 100, {}, [node('D', 20, 40), node('E', 40, 60)])],
      want: ['C 0-40', 'E 40-60', 'C 60-100'],
    },
    {
      name: 'equal end times: the earlier-starting child is taken (first maximum)',
      drawing: `
        R |0===================================100|
        A      |10===================60|
        B           |20==============60|`,
      roots: [node('R', 0, 100, {}, [node('A', 10, 60), node('B', 20, 60)])],
      want: ['R 0-10', 'A 10-60', 'R 60-100'],
    },
    {
      name: 'nested walk down and back up',
      drawing: `
        R |0==========================================100|
        A      |10==============================80|
        B          |20======================70|
        C              |30==40|
        D                      |50==60|`,
      roots: [node('R', 0, 100, {}, [node('A', 10, 80, {}, [node('B', 20, 70, {}, [node('C', 30, 40), node('D', 50, 60)])])])],
      want: ['R 0-10', 'A 10-20', 'B 20-30', 'C 30-40', 'B 40-50', 'D 50-60', 'B 60-70', 'A 70-80', 'R 80-100'],
    },
    {
      name: 'child outliving its parent is cut at the parent end, and its child at the cut end',
      drawing: `
        P |0===================100|
        K            |50====================150|      -> 50..100
        G                      |90==========140|      -> 90..100`,
      roots: [node('P', 0, 100, {}, [node('K', 50, 150, {}, [node('G', 90, 140)])])],
      want: ['P 0-50', 'K 50-90', 'G 90-100'],
    },
    {
      name: 'child starting before its parent is moved to the parent start',
      drawing: `
        P       |10================100|
        K |0===========50|                             -> 10..50`,
      roots: [node('P', 10, 100, {}, [node('K', 0, 50)])],
      want: ['K 10-50', 'P 50-100'],
    },
    {
      name: 'children wholly outside (even just touching the edge) are dropped with their subtree',
      drawing: `
        P          |10==============100|
        Y |0=====10|                                 ends at the start: dropped
        Z                              |100====120|  starts at the end: dropped
        Z2                               |105==110|`,
      roots: [node('P', 10, 100, {}, [node('Y', 0, 10), node('Z', 100, 120, {}, [node('Z2', 105, 110)])])],
      want: ['P 10-100'],
    },
    {
      name: 'consumer under a producer is asynchronous and left out',
      drawing: `
        P producer |0=================100|
        Q consumer           |50=================150|`,
      roots: [node('P', 0, 100, { kind: 'producer' }, [node('Q', 50, 150, { kind: 'consumer' })])],
      want: ['P 0-100'],
    },
    {
      name: 'a child the tree marks async (↷ async: starts inside, ends after) is left out, not clipped',
      drawing: `
        P |0===================100|
        K (async)    |50====================150|      left out with its subtree
        G                      |90==========140|
        S     |20==40|`,
      roots: [node('P', 0, 100, {}, [node('S', 20, 40), node('K', 50, 150, { asyncEndsAfter: 50 }, [node('G', 90, 140)])])],
      want: ['P 0-20', 'S 20-40', 'P 40-100'],
    },
    {
      name: 'consumer under a non-producer is an ordinary child',
      drawing: `
        P server   |0=================100|
        Q consumer           |50=====90|`,
      roots: [node('P', 0, 100, { kind: 'server' }, [node('Q', 50, 90, { kind: 'consumer' })])],
      want: ['P 0-50', 'Q 50-90', 'P 90-100'],
    },
    {
      name: 'follows-from subtrees are left out',
      drawing: `
        R |0===================================100|
        S      |10====30|
        F (follows-from) |20===================90|
        G                    |30===40|`,
      roots: [node('R', 0, 100, {}, [node('S', 10, 30), node('F', 20, 90, { parentIsFollowsFrom: true }, [node('G', 30, 40)])])],
      want: ['R 0-10', 'S 10-30', 'R 30-100'],
    },
    {
      name: 'several roots: the earliest naming no parent is followed (jaeger-ui\'s trace name), not the longest',
      drawing: `
        R1 |0=========50|
        R2     |10=============================200|
        K               |60====80|`,
      roots: [node('R1', 0, 50), node('R2', 10, 200, {}, [node('K', 60, 80)])],
      want: ['R1 0-50'],
    },
    {
      name: 'several roots: one naming no parent comes before an earlier one whose parent is missing',
      drawing: `
        R1 (parent x missing) |0=========50|
        R2                        |10=============================200|
        K                                  |60====80|`,
      roots: [node('R1', 0, 50, { missingParent: 'x' }), node('R2', 10, 200, {}, [node('K', 60, 80)])],
      want: ['R2 10-60', 'K 60-80', 'R2 80-200'],
    },
    {
      name: 'zero-length root has no sections',
      drawing: `R |5|`,
      roots: [node('R', 5, 5)],
      want: [],
    },
  ];
  it.each(cases)('$name', ({ roots, want }) => {
    const t = tree(...roots);
    expect(path(t)).toEqual(want);
    expect(criticalPath(byChildLists(t))).toEqual(criticalPath(t));
  });

  it('reports service, operation and per-span totals (largest first)', () => {
    const t = tree(node('C', 1, 101, { service: 'api', operation: 'GET /' }, [node('D', 20, 40, { service: 'db' }), node('E', 50, 60)]));
    const cp = criticalPath(t);
    expect(cp.sections[0]).toEqual({ spanId: 'C', service: 'api', operation: 'GET /', from: 1, to: 20 });
    expect(cp.perSpan).toEqual([
      { spanId: 'C', service: 'api', operation: 'GET /', micros: 70 },
      { spanId: 'D', service: 'db', operation: 'D', micros: 20 },
      { spanId: 'E', service: 'svc', operation: 'E', micros: 10 },
    ]);
    expect(cp.rootSpanId).toBe('C');
    expect(cp.roots).toBe(1);
    expect(cp.errors).toBeUndefined();
  });

  it('keeps totals apart for two spans sharing an id (SpanNode.key)', () => {
    // R |0==================100|
    // A     |10==30|  A#2 |50==70|     same span id "A", the second keyed "A#2"
    const t = tree(node('R', 0, 100, {}, [node('A', 10, 30), node('A', 50, 70, { key: 'A#2' })]));
    const cp = criticalPath(t);
    expect(cp.sections.map((s) => `${s.key ?? s.spanId} ${s.from}-${s.to}`)).toEqual(['R 0-10', 'A 10-30', 'R 30-50', 'A#2 50-70', 'R 70-100']);
    expect(cp.perSpan.map((p) => [p.key ?? p.spanId, p.micros])).toEqual([
      ['R', 60],
      ['A', 20],
      ['A#2', 20],
    ]);
  });

  it('counts what it left out, and which root it chose', () => {
    const t = tree(
      node('R1', 0, 50, { missingParent: 'x' }),
      node('R2', 10, 200, {}, [
        node('F', 20, 90, { parentIsFollowsFrom: true }, [node('G', 30, 40)]),
        node('Z', 200, 220, {}, [node('Z2', 205, 210)]),
      ]),
    );
    const cp = criticalPath(t);
    expect(cp.rootSpanId).toBe('R2');
    expect(cp.roots).toBe(2);
    expect(cp.leftOut).toEqual({ async: 2, outsideParent: 2 });
  });

  it('an empty trace gives an empty path', () => {
    const t: TraceTree = { traceId: 'e', roots: [], nodes: [], start: 0, end: 0, warnings: [], services: [], operations: [], spans: [], marks: new Map(), layout: layoutOf([]) };
    expect(criticalPath(t)).toEqual({ roots: 0, sections: [], perSpan: [], leftOut: { async: 0, outsideParent: 0 } });
  });

  it('never throws or hangs on a malformed tree with a cycle', () => {
    const t = tree(node('R', 0, 100, {}, [node('A', 10, 50)]));
    const r = t.roots[0]!;
    const a = r.children[0]!;
    a.children.push(r); // cycle: A -> R
    t.layout.parent[0] = 1; // and in the layout, which then is no pre-order: the child lists are walked
    expect(path(t)).toEqual(['R 0-10', 'A 10-50', 'R 50-100']);
  });
});

describe('criticalPath: invariants on random trees', () => {
  // Random trees as a parent index list: span i (i > 0) hangs under some earlier span.
  const arbTree = fc
    .array(fc.record({ parent: fc.nat(), start: fc.integer({ min: 0, max: 200 }), len: fc.integer({ min: 0, max: 120 }) }), {
      minLength: 1,
      maxLength: 40,
    })
    .map((specs) => {
      const descs = specs.map((s, i) => node(`s${i}`, s.start, s.start + s.len));
      specs.forEach((s, i) => {
        if (i > 0) descs[s.parent % i]!.children.push(descs[i]!);
      });
      return tree(descs[0]!);
    });

  it('sections are non-empty, touch end to start, and cover the root exactly', () => {
    fc.assert(
      fc.property(arbTree, (t) => {
        const cp = criticalPath(t);
        const root = t.roots[0]!.span;
        if (root.end === root.start) return cp.sections.length === 0;
        const s = cp.sections;
        expect(s[0]!.from).toBe(root.start);
        expect(s[s.length - 1]!.to).toBe(root.end);
        for (let i = 0; i < s.length; i++) {
          expect(s[i]!.to).toBeGreaterThan(s[i]!.from);
          if (i > 0) expect(s[i]!.from).toBe(s[i - 1]!.to);
        }
        const total = cp.perSpan.reduce((a, p) => a + p.micros, 0);
        expect(total).toBe(root.end - root.start);
        return true;
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('each section lies inside its own span', () => {
    fc.assert(
      fc.property(arbTree, (t) => {
        const byId = new Map(t.nodes.map((n) => [n.span.spanId, n.span]));
        for (const s of criticalPath(t).sections) {
          const sp = byId.get(s.spanId)!;
          expect(s.from).toBeGreaterThanOrEqual(sp.start);
          expect(s.to).toBeLessThanOrEqual(sp.end);
        }
        return true;
      }),
      { numRuns: 300, seed: 2 },
    );
  });
});

// A literal, recursive transcription of jaeger-ui's algorithm (sanitizeOverFlowingChildren, the blocking
// filter, findLastFinishingChildSpan, computeCriticalPath), used only as an oracle on small trees. The one
// deliberate difference: "is this a return?" is `!== undefined`, not Jaeger's truthiness test.
interface RefSpan {
  id: string;
  start: number;
  end: number;
  parent?: string;
  kids: string[];
}
function jaegerReference(t: TraceTree): string[] {
  const map = new Map<string, RefSpan>();
  for (const n of t.nodes) {
    const async = n.parent !== undefined && (n.span.parentIsFollowsFrom === true || (n.span.kind === 'consumer' && n.parent.span.kind === 'producer'));
    if (n.parent && (async || !map.has(n.parent.span.spanId))) continue; // blocking filter, subtree included
    map.set(n.span.spanId, { id: n.span.spanId, start: n.span.start, end: n.span.end, parent: n.parent?.span.spanId, kids: [] });
    if (n.parent) map.get(n.parent.span.spanId)!.kids.push(n.span.spanId);
  }
  for (const sp of [...map.values()]) {
    if (sp.parent === undefined) continue;
    const p = map.get(sp.parent);
    if (!p) {
      map.delete(sp.id);
      continue;
    }
    const drop = (): void => {
      map.delete(sp.id);
      p.kids = p.kids.filter((k) => k !== sp.id);
    };
    if (sp.start >= p.start) {
      if (sp.start >= p.end) drop();
      else if (sp.end > p.end) sp.end = p.end;
    } else if (sp.end <= p.start) drop();
    else {
      sp.start = p.start;
      sp.end = Math.min(sp.end, p.end);
    }
  }
  const lfc = (cur: RefSpan, ret?: number): RefSpan | undefined => {
    let best: RefSpan | undefined;
    let max = -1;
    for (const id of cur.kids) {
      const c = map.get(id);
      if (!c) continue;
      if ((ret === undefined || c.end < ret) && c.end > max) {
        max = c.end;
        best = c;
      }
    }
    return best;
  };
  const out: string[] = [];
  const walk = (id: string, ret?: number): void => {
    const cur = map.get(id)!;
    const l = lfc(cur, ret);
    const to = ret ?? cur.end;
    const from = l ? l.end : cur.start;
    if (from !== to) out.push(`${id} ${from}-${to}`);
    if (l) walk(l.id);
    else if (cur.parent !== undefined) walk(cur.parent, cur.start);
  };
  walk(t.roots[0]!.span.spanId);
  return out.reverse();
}

describe('criticalPath: agrees with a transcription of jaeger-ui', () => {
  const kinds = fc.constantFrom<'server' | 'producer' | 'consumer' | undefined>('server', 'producer', 'consumer', undefined, undefined);
  const arbTree = fc
    .array(
      fc.record({
        parent: fc.nat(),
        start: fc.integer({ min: 0, max: 60 }),
        len: fc.integer({ min: 0, max: 40 }),
        kind: kinds,
        ff: fc.boolean(),
      }),
      { minLength: 1, maxLength: 30 },
    )
    .map((specs) => {
      const descs = specs.map((s, i) => {
        const opts: { kind?: 'server' | 'producer' | 'consumer'; parentIsFollowsFrom?: boolean } = {};
        if (s.kind) opts.kind = s.kind;
        if (s.ff && i % 5 === 0) opts.parentIsFollowsFrom = true;
        return node(`s${i}`, s.start, s.start + s.len, opts);
      });
      specs.forEach((s, i) => {
        if (i > 0) descs[s.parent % i]!.children.push(descs[i]!);
      });
      return tree(descs[0]!);
    });

  it('on 1000 random small trees with coarse times (many ties and touching ends)', () => {
    fc.assert(
      fc.property(arbTree, (t) => {
        expect(path(t)).toEqual(jaegerReference(t));
        // Read from the layout or from the child lists, the same result, left-out counts included.
        expect(criticalPath(byChildLists(t))).toEqual(criticalPath(t));
      }),
      { numRuns: 1000, seed: 3 },
    );
  });
});

describe('criticalPath: large traces (iterative)', () => {
  it('100,000 sequential children of one root', () => {
    // R |0==================================1,000,010|
    //     |10=15| |20=25| ... one child every 10µs
    const kids: NodeDesc[] = [];
    for (let i = 1; i <= 100_000; i++) kids.push(node(`c${i}`, i * 10, i * 10 + 5));
    const t = tree(node('R', 0, 1_000_010, {}, kids));
    const t0 = Date.now();
    const cp = criticalPath(t);
    expect(Date.now() - t0).toBeLessThan(5000);
    // R before c1, then each child and the 5µs gap after it, then R's tail.
    expect(cp.sections.length).toBe(1 + 2 * 100_000);
    expect(cp.sections[0]).toMatchObject({ spanId: 'R', from: 0, to: 10 });
    expect(cp.sections[1]).toMatchObject({ spanId: 'c1', from: 10, to: 15 });
    expect(cp.sections.at(-1)).toMatchObject({ spanId: 'R', from: 1_000_005, to: 1_000_010 });
    expect(cp.perSpan[0]).toMatchObject({ spanId: 'R', micros: 1_000_010 - 500_000 });
  });

  it('a 100,000-deep chain', () => {
    // s0 |0==========================================200,010|
    // s1  |1======================================200,009|
    // ...  each child 1µs inside its parent on both sides
    const depth = 100_000;
    const t = tree(chain(depth));
    const cp = criticalPath(t);
    expect(cp.sections.length).toBe(2 * depth - 1);
    expect(cp.sections[0]).toMatchObject({ spanId: 's0', from: 0, to: 1 });
    const deepest = cp.sections[depth - 1]!;
    expect(deepest).toMatchObject({ spanId: `s${depth - 1}`, from: depth - 1, to: 2 * depth + 10 - (depth - 1) });
    expect(cp.sections.at(-1)).toMatchObject({ spanId: 's0', from: 2 * depth + 9, to: 2 * depth + 10 });
  });

  it('100,000 spans in a bushy random tree', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const descs: NodeDesc[] = [node('s0', 0, 1_000_000)];
    for (let i = 1; i < 100_000; i++) {
      const p = descs[Math.floor(rand() * i)]!;
      const len = p.end - p.start;
      const s = p.start + Math.floor(rand() * len);
      const d = node(`s${i}`, s, s + Math.floor(rand() * (p.end - s + 1)));
      p.children.push(d);
      descs.push(d);
    }
    const t = tree(descs[0]!);
    const t0 = Date.now();
    const cp = criticalPath(t);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(cp.sections[0]!.from).toBe(0);
    expect(cp.sections.at(-1)!.to).toBe(1_000_000);
    expect(cp.perSpan.reduce((a, p) => a + p.micros, 0)).toBe(1_000_000);
  });
});
