import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferParents, slackOf } from '../../src/model/infer-parents.js';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { PARENT_INFERRED } from '../../src/model/tree.js';
import { draw, span, type SpanFields } from './make.js';

/** A span of log lines (parents are inferred only for those), µs times. */
const log = (id: string, start: number, end: number, fields: SpanFields = {}): Span => span(id, start, end, { origin: 'log', ...fields });

interface Case {
  name: string;
  spans: Span[];
  tree: string[]; // draw(): `≈` before a span whose parent was inferred
  ambiguous?: number;
}

// Times in µs; slack = min(1 ms, a tenth of the child's length).
const cases: Case[] = [
  {
    // gw  |----------------------------|   0..10000
    // or     |---------------------|       1000..9000
    // pay       |------------|             2000..7000
    // db          |----|                   2500..4000
    name: 'a chain across services: each under the tightest span that encloses it',
    spans: [log('db', 2500, 4000, { service: 'db' }), log('gw', 0, 10000, { service: 'gateway' }), log('pay', 2000, 7000, { service: 'payments' }), log('or', 1000, 9000, { service: 'orders' })],
    tree: ['gw 0..10000', '  ≈or 1000..9000', '    ≈pay 2000..7000', '      ≈db 2500..4000'],
  },
  {
    // r   |------------------------|       0..10000
    // a     |-----------|                  1000..6000
    // b            |-----------|           4000..9000   a and b overlap
    // c              |--|                  5000..5500   inside both: b started last -> under b, ambiguous
    // d      |--|                          1500..2500   inside a only
    name: 'overlapping siblings: the enclosing span that started last, counted as ambiguous',
    spans: [log('r', 0, 10000), log('a', 1000, 6000), log('b', 4000, 9000), log('c', 5000, 5500), log('d', 1500, 2500)],
    tree: ['r 0..10000', '  ≈a 1000..6000', '    ≈d 1500..2500', '  ≈b 4000..9000', '    ≈c 5000..5500'],
    ambiguous: 1,
  },
  {
    // p   |------------|                   0..5000
    // q             |------------|         4000..12000   starts inside p, ends after: not enclosed
    // r   |----------------------------|   0..20000
    name: 'a parent that ends before its child: the child goes to a span that encloses it (or stays a root)',
    spans: [log('p', 0, 5000), log('q', 4000, 12000), log('r', 0, 20000)],
    tree: ['r 0..20000', '  ≈p 0..5000', '  ≈q 4000..12000'],
  },
  {
    // p (api, h1)       |--------------|       10000..30000
    // c (db, h2)      |-----------|            9400..25000   starts 0.6 ms early: within the 1 ms slack
    // e (db, h2)   |----|                      7000..12000   starts 3 ms early: not enclosed, a root
    name: 'clock skew between hosts: a little slack, flagged as skew; beyond it no parent',
    spans: [log('p', 10000, 30000, { service: 'api', host: 'h1' }), log('c', 9400, 25000, { service: 'db', host: 'h2' }), log('e', 7000, 12000, { service: 'db', host: 'h2' })],
    tree: ['e 7000..12000', 'p 10000..30000', '  ≈c 9400..25000 ~skew=600/0'],
  },
  {
    // s   |---|   1000..2000   the previous call ended a little after the next began (times in whole ms)
    // t      |-|  1900..2500   slack is a tenth of t (60 µs): 2000 < 2500 - 60, not enclosed
    // r  |------| 0..3000
    name: 'slack never puts a short call under the sibling before it',
    spans: [log('r', 0, 3000), log('s', 1000, 2000), log('t', 1900, 2500)],
    tree: ['r 0..3000', '  ≈s 1000..2000', '  ≈t 1900..2500'],
  },
  {
    // a |------|  0..5000
    // b |------|  0..5000   equal intervals: the lower span id is the parent
    // c  |--|     1000..2000 under the deeper of the two
    name: 'equal intervals: a chain by span id, never a loop',
    spans: [log('b', 0, 5000), log('a', 0, 5000), log('c', 1000, 2000)],
    tree: ['a 0..5000', '  ≈b 0..5000', '    ≈c 1000..2000'],
  },
  {
    // x |------------|   0..10000   names no parent
    // y    |------|      2000..6000 names x as its parent (explicit)
    // z     |--|         3000..4000 names y (explicit): named parents always win
    // w   |---------|    1000..9000 log span naming none: under x, never above it
    name: 'named parents win; inferred links join the named structure',
    spans: [log('x', 0, 10000), log('y', 2000, 6000, { parent: 'x' }), log('z', 3000, 4000, { parent: 'y' }), log('w', 1000, 9000)],
    tree: ['x 0..10000', '  ≈w 1000..9000', '  y 2000..6000', '    z 3000..4000'],
  },
  {
    // rec (a span record, no parent)  |----------|   0..10000
    // l (log)                            |---|       2000..4000   under the record
    // r2 (a record naming no parent)       |-|       2500..3000   span data is never re-parented
    name: 'span records are parents but never re-parented',
    spans: [span('rec', 0, 10000), log('l', 2000, 4000), span('r2', 2500, 3000)],
    tree: ['rec 0..10000', '  ≈l 2000..4000', 'r2 2500..3000'],
  },
  {
    // y names x; x (log) names none and lies inside y: x under y would loop (x -> y -> x), so x takes
    // the next enclosing span, o.
    // o |--------------|  0..10000
    // y   |--------|      1000..8000   parent x (named)
    // x    |----|         2000..5000   names none
    name: 'an inferred link never closes a loop with the named ones',
    spans: [log('o', 0, 10000), log('y', 1000, 8000, { parent: 'x' }), log('x', 2000, 5000)],
    tree: ['o 0..10000', '  ≈x 2000..5000', '    y 1000..8000'], // one host: y sticking out is not skew
  },
  {
    // a placeholder (lines without a span id) is never a parent, though it may get one
    // ph (inferred:api)  |--------------|  0..10000
    // s                     |----|         2000..4000   a root: the placeholder is a bag of lines
    name: 'placeholders of loose lines are never parents',
    spans: [log('inferred:api', 0, 10000, { inferred: true, service: 'api' }), log('s', 2000, 4000, { service: 'api' })],
    tree: ['inferred:api 0..10000', 's 2000..4000'],
  },
];

describe('parents inferred from timing (buildTree)', () => {
  it.each(cases)('$name', (c) => {
    const tree = buildTree('t1', c.spans);
    expect(draw(tree)).toEqual(c.tree);
    const inferred = c.tree.filter((l) => l.includes('≈')).length;
    if (inferred === 0) expect(tree.parentsInferred).toBeUndefined();
    else expect(tree.parentsInferred).toEqual({ count: inferred, ambiguous: c.ambiguous ?? 0 });
    // the layout carries the same marks the nodes do
    expect(tree.nodes.map((n) => (tree.layout.marks[n.index]! & PARENT_INFERRED) !== 0)).toEqual(tree.nodes.map((n) => n.parentInferred === true));
  });
});

describe('inferParents against the rule spelled out pair by pair', () => {
  // The rule without the segment tree: for each child (longest first), every candidate already placed
  // that encloses it within its slack, the last in start order (ties: longer first, then id) that does not
  // hang under it. Small integer times make ties, equal intervals and touching ends common.
  it('gives the same parents and counts on random traces', () => {
    const gen = fc.array(fc.record({ start: fc.integer({ min: 0, max: 60 }), len: fc.integer({ min: 0, max: 60 }), child: fc.boolean(), candidate: fc.boolean(), named: fc.integer({ min: -1, max: 11 }) }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(gen, fc.constantFrom(1, 10, 1000), (raw, scale) => {
        const n = raw.length;
        const start = Float64Array.from(raw, (r) => r.start * scale);
        const end = Float64Array.from(raw, (r) => (r.start + r.len) * scale);
        const parent = Int32Array.from(raw, (r, i) => (r.named >= 0 && r.named < n && r.named !== i ? r.named : -1));
        const child = Uint8Array.from(raw, (r, i) => (r.child && parent[i] === -1 ? 1 : 0));
        const candidate = Uint8Array.from(raw, (r) => (r.candidate ? 1 : 0));
        const id = (i: number) => `s${String(i).padStart(2, '0')}`;
        const got = inferParents({ start, end, startNanos: new Float64Array(n), id, parent, child, candidate });

        const byTime = (a: number, b: number) => start[a]! - start[b]! || end[b]! - end[a]! || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0);
        const order = [...Array(n).keys()].filter((i) => child[i] || candidate[i]).sort((a, b) => end[b]! - start[b]! - (end[a]! - start[a]!) || byTime(a, b));
        const up = Int32Array.from(parent);
        const under = (x: number, c: number) => {
          for (let v = x, steps = 0; v !== -1 && steps <= n; v = up[v]!, steps++) if (v === c) return true;
          return false;
        };
        const want = new Int32Array(n).fill(-1);
        let count = 0;
        let ambiguous = 0;
        const placed: number[] = [];
        for (const c of order) {
          if (child[c]) {
            const slack = slackOf(start[c]!, end[c]!);
            const enclosing = placed.filter((p) => start[p]! <= start[c]! + slack && end[p]! >= end[c]! - slack).sort(byTime);
            let tries = 0;
            for (let k = enclosing.length - 1; k >= 0 && tries < 8; k--, tries++) {
              const p = enclosing[k]!;
              if (under(p, c)) continue;
              want[c] = p;
              up[c] = p;
              count++;
              if (k > 0 && end[enclosing[k - 1]!]! < end[p]!) ambiguous++;
              break;
            }
          }
          if (candidate[c]) placed.push(c);
        }
        expect([...got.parent]).toEqual([...want]);
        expect([got.count, got.ambiguous]).toEqual([count, ambiguous]);
      }),
      { numRuns: 3000 },
    );
  });
});
