import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { CONSUMER, ERROR, FOLLOWS_FROM, INFERRED, marksOf, PRODUCER, type SpanNode, type TreeWarningKind } from '../../src/model/tree.js';
import { draw, span } from './make.js';

interface Case {
  name: string;
  spans: Span[];
  adjustSkew?: boolean;
  tree: string[]; // draw() of the result
  warnings?: TreeWarningKind[]; // kinds, in order
}

const cases: Case[] = [
  {
    // a |--------------------|     0..100
    // b    |-------|               10..40
    // d    |----|                  10..30   same start as b: the longer one first
    // c       |---------|          20..60   overlaps b and d
    name: 'overlapping children sorted by start, then longer first',
    spans: [span('a', 0, 100), span('c', 20, 60, { parent: 'a' }), span('d', 10, 30, { parent: 'a' }), span('b', 10, 40, { parent: 'a' })],
    tree: ['a 0..100', '  b 10..40', '  d 10..30', '  c 20..60'],
  },
  {
    // a |----------|              0..50
    // x      |---|                 20..30  parent "zz" is not in the trace
    // y        |-|                 25..28  child of the orphan x
    name: 'orphan becomes a root with missingParent',
    spans: [span('y', 25, 28, { parent: 'x' }), span('x', 20, 30, { parent: 'zz' }), span('a', 0, 50)],
    tree: ['a 0..50', 'x 20..30 !missing=zz', '  y 25..28'],
    warnings: ['missing-parent'],
  },
  {
    // r3 |---|                      0..10
    // r1 |-----------|              0..40   same start as r3, longer: first
    // r2          |-------|         30..60
    // k            |-|              32..35  child of r2
    name: 'several roots sorted by start',
    spans: [span('r2', 30, 60), span('k', 32, 35, { parent: 'r2' }), span('r3', 0, 10), span('r1', 0, 40)],
    tree: ['r1 0..40', 'r3 0..10', 'r2 30..60', '  k 32..35'],
  },
  {
    // a |------------------|        0..100
    // b            |----|           50..70   first b in input order: keeps the id and the children
    // b    |----|                   10..30   second b (earlier, but later in the input): b#2
    // c     |-|                     12..20   parent b -> the first b, as jaeger-ui links it
    name: 'duplicate span ids are kept apart; children attach to the first in input order',
    spans: [span('a', 0, 100), span('b', 50, 70, { parent: 'a' }), span('c', 12, 20, { parent: 'b' }), span('b', 10, 30, { parent: 'a' })],
    tree: ['a 0..100', '  b#2 10..30', '  b 50..70', '    c 12..20'],
    warnings: ['duplicate-span-id'],
  },
  {
    // a (web)     |------------------|   0..100
    // b (web, client) |----------|       10..80
    // b (api, server)   |------|         20..70   same id: the two halves of one RPC (Zipkin)
    // c (api)             |--|           30..50   parent b -> the server half
    name: 'client and server halves of one RPC: server under client, children under server',
    spans: [
      span('a', 0, 100, { service: 'web' }),
      span('b', 20, 70, { parent: 'a', service: 'api', kind: 'server' }),
      span('b', 10, 80, { parent: 'a', service: 'web', kind: 'client' }),
      span('c', 30, 50, { parent: 'b', service: 'api' }),
    ],
    tree: ['a 0..100', '  b 10..80', '    b#2 20..70', '      c 30..50'],
  },
  {
    // a |----------|   0..50, parent a (itself)
    // b   |---|        10..20
    name: 'self-parent is cut and becomes a root',
    spans: [span('a', 0, 50, { parent: 'a' }), span('b', 10, 20, { parent: 'a' })],
    tree: ['a 0..50', '  b 10..20'],
    warnings: ['self-parent'],
  },
  {
    // a    |----------|   0..50
    // a#2     |--|        10..20   a repeat of a that names a as its parent: itself, not the first a
    name: 'a repeated id naming itself as parent is a root, not the first holder\'s child',
    spans: [span('a', 0, 50), span('a', 10, 20, { parent: 'a' })],
    tree: ['a 0..50', 'a#2 10..20'],
    warnings: ['duplicate-span-id', 'self-parent'],
  },
  {
    // Hex ids (read as numbers) and other ids (read as strings) link to each other either way; a hex id
    // in upper case is another string, so it names no span here.
    name: 'hex and other span ids link across, and by the exact string',
    spans: [
      span('00000000000000a1', 0, 100),
      span('name-1', 10, 90, { parent: '00000000000000a1' }),
      span('00000000000000b2', 20, 80, { parent: 'name-1' }),
      span('00000000000000c3', 30, 40, { parent: '00000000000000B2' }),
      span('00000000000000d4', 50, 60, { parent: '00000000000000b2' }),
    ],
    tree: ['00000000000000a1 0..100', '  name-1 10..90', '    00000000000000b2 20..80', '      00000000000000d4 50..60', '00000000000000c3 30..40 !missing=00000000000000B2'],
    warnings: ['missing-parent'],
  },
  {
    // The same two cases with hex ids, which buildTree reads as numbers: a span naming itself, and a
    // repeat of an id naming that id.
    name: 'hex ids: a self-parent and a repeated id naming itself are roots',
    spans: [span('00000000000000a1', 0, 50, { parent: '00000000000000a1' }), span('00000000000000b2', 60, 90), span('00000000000000b2', 70, 80, { parent: '00000000000000b2' })],
    tree: ['00000000000000a1 0..50', '00000000000000b2 60..90', '00000000000000b2#2 70..80'],
    warnings: ['duplicate-span-id', 'self-parent', 'self-parent'],
  },
  {
    // An empty parent id names no parent, even beside a span whose id is empty.
    name: 'an empty parent id is no link',
    spans: [span('', 0, 50), span('b', 10, 20, { parent: '' }), span('c', 12, 18, { parent: 'b' })],
    tree: [' 0..50', 'b 10..20', '  c 12..18'],
  },
  {
    // parent links: a -> c -> b -> a  (a's parent is c, c's parent is b, b's parent is a)
    // b |------------|    0..60   earliest in the cycle: the edge above it is cut, b is a root
    // c    |-------|      10..50
    // a       |--|        20..30
    // d  |-|              5..8     parent b, hangs off the cycle
    name: 'a 3-cycle is cut above its earliest span',
    spans: [span('a', 20, 30, { parent: 'c' }), span('b', 0, 60, { parent: 'a' }), span('c', 10, 50, { parent: 'b' }), span('d', 5, 8, { parent: 'b' })],
    tree: ['b 0..60', '  d 5..8', '  c 10..50', '    a 20..30'],
    warnings: ['cycle'],
  },
  {
    // a (api) |---------|            0..100
    // b (api)      |----------|      50..150   outside its parent, same host: real (async), no flag
    name: 'child outside its parent on the same host: no skew, async',
    spans: [span('a', 0, 100, { service: 'api' }), span('b', 50, 150, { parent: 'a', service: 'api' })],
    tree: ['a 0..100', '  b 50..150 ~async=50'],
  },
  {
    // a (api)       |---------|      100..200
    // b (db)     |---|               80..120    starts 20 before
    // c (cache)            |------|  180..230   ends 30 after
    // d (db, host h1)  |--|          120..140   inside: no flag
    // c starts inside a and ends after it: asynchronous (not waited for), not skew.
    name: 'child outside its parent on another host: skew flag; one that starts inside and ends after: async',
    spans: [
      span('a', 100, 200, { service: 'api' }),
      span('b', 80, 120, { parent: 'a', service: 'db' }),
      span('c', 180, 230, { parent: 'a', service: 'cache' }),
      span('d', 120, 140, { parent: 'a', service: 'db', host: 'h1' }),
    ],
    tree: ['a 100..200', '  b 80..120 ~skew=20/0', '  d 120..140', '  c 180..230 ~async=30'],
    warnings: ['clock-skew'],
  },
  {
    // a (orders, producer)  |--|              50..52   publish order.created
    // c (notifier, consumer)      |---------| 60..400  wholly after, on another host: a queue, not skew
    // d (notifier)                |--|        60..80   the same without a kind: skew (a clock ahead looks so)
    name: 'a consumer wholly after its producer on another host: async, not skew',
    spans: [span('a', 50, 52, { service: 'orders', kind: 'producer' }), span('c', 60, 400, { parent: 'a', service: 'notifier', kind: 'consumer' })],
    tree: ['a 50..52', '  c 60..400 ~async=348'],
    warnings: [],
  },
  {
    // a (api, host h1) |-------|    0..100
    // b (api, host h2)      |-----| 50..150   same service, different hosts: host decides
    // c (api, host h2)                |--|   120..160  wholly after its parent, on another host: skew
    // d (api, host h1)                |--|   120..160  the same on the parent's host: async (one clock)
    name: 'host overrides service for skew decisions',
    spans: [span('a', 0, 100, { service: 'api', host: 'h1' }), span('b', 50, 150, { parent: 'a', service: 'api', host: 'h2' }), span('c', 120, 160, { parent: 'a', service: 'api', host: 'h2' }), span('d', 120, 160, { parent: 'a', service: 'api', host: 'h1' })],
    tree: ['a 0..100', '  b 50..150 ~async=50', '  c 120..160 ~skew=0/60', '  d 120..160 ~async=60'],
    warnings: ['clock-skew'],
  },
  {
    // a (api)            |----------|    100..200  (dur 100)
    // b (db)     |---|                   50..90    (dur 40): not inside -> centre it
    //   delta = 100 + (100 - 40) / 2 - 50 = 80  ->  130..170
    name: 'adjustSkew centres a shorter child (split latency)',
    adjustSkew: true,
    spans: [span('a', 100, 200, { service: 'api' }), span('b', 50, 90, { parent: 'a', service: 'db' })],
    tree: ['a 100..200', '  b 130..170 ~skew=50/0 >>shift=80'],
    warnings: ['skew-adjusted', 'clock-skew'],
  },
  {
    // a (api)   |-----------|       0..101   (dur 101)
    // b (db)  |----|                -10..30  (dur 40)
    //   delta = 0 + floor(61 / 2) - (-10) = 30 + 10 = 40  ->  30..70
    name: 'adjustSkew floors half a microsecond',
    adjustSkew: true,
    spans: [span('a', 0, 101, { service: 'api' }), span('b', -10, 30, { parent: 'a', service: 'db' })],
    tree: ['a 0..101', '  b 30..70 ~skew=10/0 >>shift=40'],
    warnings: ['skew-adjusted', 'clock-skew'],
  },
  {
    // a (api)       |-----|              100..150  (dur 50)
    // b (db)     |-------------|         80..200   (dur 120) longer than its parent: only stop it
    //   starting early: delta = 100 - 80 = 20  ->  100..220
    // c (cache)       |-----------|      120..300  longer, starts inside: async, left alone
    name: 'adjustSkew: a child longer than its parent only moves to the parent start',
    adjustSkew: true,
    spans: [span('a', 100, 150, { service: 'api' }), span('b', 80, 200, { parent: 'a', service: 'db' }), span('c', 120, 300, { parent: 'a', service: 'cache' })],
    tree: ['a 100..150', '  b 100..220 ~skew=20/50 >>shift=20', '  c 120..300 ~async=150'],
    warnings: ['skew-adjusted', 'clock-skew'],
  },
  {
    // a (api)   |--------------------|       0..100
    // b (db)                      |----|    90..110  shorter, starts inside, ends after: async when shown
    //   as recorded; --adjust-skew applies jaeger's rule to this CHILD_OF child and centres it (40..60)
    name: 'adjustSkew centres a CHILD_OF child that would otherwise show as async',
    adjustSkew: true,
    spans: [span('a', 0, 100, { service: 'api' }), span('b', 90, 110, { parent: 'a', service: 'db' })],
    tree: ['a 0..100', '  b 40..60 ~skew=0/10 >>shift=-50'],
    warnings: ['skew-adjusted', 'clock-skew'],
  },
  {
    // a (api)             |----------|     100..200
    // b (db)      |---|                    50..90   -> +80 = 130..170 (as above)
    // c (db)        |-|                    60..80   same host as b: inherits +80 -> 140..160
    // e (db)         ||                    65..70   grandchild of b, same host: +80 -> 145..150
    // d (cache)     |.|                    60..70   other host: compared with the ADJUSTED b (130..170):
    //   outside -> delta = 130 + (40 - 10) / 2 - 60 = 85  ->  145..155
    name: 'adjustSkew: same-host descendants inherit, other hosts are re-measured',
    adjustSkew: true,
    spans: [
      span('a', 100, 200, { service: 'api' }),
      span('b', 50, 90, { parent: 'a', service: 'db' }),
      span('c', 60, 80, { parent: 'b', service: 'db' }),
      span('d', 60, 70, { parent: 'b', service: 'cache' }),
      span('e', 65, 70, { parent: 'c', service: 'db' }),
    ],
    tree: ['a 100..200', '  b 130..170 ~skew=50/0 >>shift=80', '    c 140..160 >>shift=80', '      e 145..150 >>shift=80', '    d 145..155 >>shift=85'],
    warnings: ['skew-adjusted', 'skew-adjusted', 'clock-skew'],
  },
  {
    // a (api) |--------------------|   0..100
    // c (db)  ..  |---|                -50..-10 before its parent  -> +80 = 30..70
    // b (api)   |-|                    10..20
    // after the shift c starts after b, so the children are re-sorted
    name: 'adjustSkew re-sorts children after shifting',
    adjustSkew: true,
    spans: [span('a', 0, 100, { service: 'api' }), span('c', -50, -10, { parent: 'a', service: 'db' }), span('b', 10, 20, { parent: 'a', service: 'api' })],
    tree: ['a 0..100', '  b 10..20', '  c 30..70 ~skew=50/0 >>shift=80'],
    warnings: ['skew-adjusted', 'clock-skew'],
  },
  {
    // a (api)   |----------|   0..100
    // b (db)       |---|       30..60   fits: never shifted
    name: 'adjustSkew leaves a child that fits alone',
    adjustSkew: true,
    spans: [span('a', 0, 100, { service: 'api' }), span('b', 30, 60, { parent: 'a', service: 'db' })],
    tree: ['a 0..100', '  b 30..60'],
  },
];

describe('buildTree', () => {
  it.each(cases)('$name', (c) => {
    const tree = buildTree('t1', c.spans, { adjustSkew: c.adjustSkew ?? false });
    expect(draw(tree)).toEqual(c.tree);
    expect(tree.warnings.map((w) => w.kind)).toEqual(c.warnings ?? []);
    expect(tree.nodes).toHaveLength(c.spans.length);
  });

  it('reports the tree bounds after adjustment and does not mutate its input', () => {
    // a (api)            |----------|    100..200
    // b (db)     |---|  (event at 60)     50..90  -> 130..170, event -> 140
    const b = span('b', 50, 90, { parent: 'a', service: 'db', events: [{ time: 60, message: 'query' }] });
    const before = structuredClone(b);
    const tree = buildTree('t1', [span('a', 100, 200, { service: 'api' }), b], { adjustSkew: true });
    expect(b).toEqual(before);
    const node = tree.nodes.find((n) => n.span.spanId === 'b');
    expect(node?.span.events[0]?.time).toBe(140);
    expect([tree.start, tree.end]).toEqual([100, 200]);
    expect(buildTree('t1', [span('a', 100, 200, { service: 'api' }), b]).start).toBe(50);
  });

  it('says what moved and what was cut', () => {
    // a (api) |----------|  100..200;  b (db) 50..90 -> +80, carrying c (db) along
    const skewed = buildTree('t1', [span('a', 100, 200, { service: 'api' }), span('b', 50, 90, { parent: 'a', service: 'db' }), span('c', 60, 80, { parent: 'b', service: 'db' })], { adjustSkew: true });
    expect(skewed.warnings[0]).toEqual({ kind: 'skew-adjusted', spanId: 'b', message: 'span b (db) shifted by +80 µs with 1 same-host descendant(s) to fit its parent on api' });
    // x x x: three spans with one id -> x, x#2, x#3 in input order, drawn in start order, two warnings
    const dup = buildTree('t1', [span('x', 20, 30), span('x', 0, 10), span('x', 10, 20)]);
    expect(draw(dup)).toEqual(['x#2 0..10', 'x#3 10..20', 'x 20..30']);
    expect(dup.warnings.map((w) => w.kind)).toEqual(['duplicate-span-id', 'duplicate-span-id']);
    const cyc = buildTree('t1', [span('a', 0, 9, { parent: 'b' }), span('b', 1, 9, { parent: 'a' })]);
    expect(cyc.warnings[0]?.message).toBe('parent cycle of 2 span(s): a, b; cut above a, shown as a root');
  });

  it('places spans without a start time at their parent\'s start, top-down, and flags them', () => {
    const T = 1_714_557_600_000_000;
    // r |==========|  T..T+100;  a: start 0, 30 long, under r;  b: start 0, 5 long, under a;  c: T+10..T+20 under a
    const t = buildTree('t1', [span('r', T, T + 100), span('a', 0, 30, { parent: 'r' }), span('b', 0, 5, { parent: 'a' }), span('c', T + 10, T + 20, { parent: 'a' })]);
    expect(draw(t)).toEqual([`r ${T}..${T + 100}`, `  a ${T}..${T + 30}`, `    b ${T}..${T + 5}`, `    c ${T + 10}..${T + 20}`]);
    expect([t.start, t.end]).toEqual([T, T + 100]);
    expect(t.nodes.filter((n) => n.noStartTime).map((n) => n.span.spanId)).toEqual(['a', 'b']);
    expect(t.nodes.some((n) => n.outOfRange)).toBe(false);
    expect(t.warnings.map((w) => w.kind)).toEqual(['no-start-time', 'no-start-time']);
    // A root has no parent to take a start from; a trace near the epoch (test data) is left as it is.
    const root = buildTree('t1', [span('r', 0, 10), span('s', T, T + 10)]);
    expect(root.nodes.some((n) => n.noStartTime)).toBe(false);
    const epoch = buildTree('t1', [span('r', 5, 50), span('a', 0, 10, { parent: 'r' })]);
    expect(draw(epoch)).toEqual(['r 5..50', '  a 0..10']);
    expect(epoch.warnings).toEqual([]);
  });

  it('gives an empty trace no nodes and zero bounds', () => {
    const empty = { start: new Float64Array(0), end: new Float64Array(0), marks: new Uint8Array(0), operation: new Int32Array(0), parent: new Int32Array(0), size: new Int32Array(0), spanIndex: new Int32Array(0) };
    const t = buildTree('t1', []);
    const { traceId, roots, nodes, start, end, warnings, services, operations, spans, marks, layout } = t;
    expect({ traceId, roots, nodes, start, end, warnings, services, operations, spans, marks, layout }).toEqual({ traceId: 't1', roots: [], nodes: [], start: 0, end: 0, warnings: [], services: [], operations: [], spans: [], marks: new Map(), layout: empty });
  });

  it('marks each node in the layout with its FOLLOWS_FROM link, producer/consumer kind, error and inference', () => {
    const spans = [
      span('a', 0, 100, { kind: 'producer' }),
      span('b', 10, 20, { parent: 'a', kind: 'consumer', error: true }),
      span('c', 30, 40, { parent: 'a', parentIsFollowsFrom: true }),
      span('d', 50, 60, { parent: 'a', inferred: true }),
      span('e', 70, 80, { parent: 'a', inferred: false }),
    ];
    const t = buildTree('t1', spans);
    expect(t.nodes.map((n) => [n.span.spanId, t.layout.marks[n.index]])).toEqual([
      ['a', PRODUCER],
      ['b', CONSUMER | ERROR],
      ['c', FOLLOWS_FROM],
      ['d', INFERRED],
      ['e', 0],
    ]);
  });

  it('numbers each (service, operation) pair once, in input order, and gives every node its number', () => {
    const spans = [
      span('a', 0, 100, { service: 'web', operation: 'GET /' }),
      span('b', 10, 20, { parent: 'a', service: 'api', operation: 'GET /' }),
      span('c', 30, 40, { parent: 'a', service: 'web', operation: 'GET /' }),
      span('d', 5, 60, { parent: 'a', service: 'web', operation: 'render' }),
    ];
    const t = buildTree('t1', spans);
    expect(t.operations).toEqual([
      { service: 'web', operation: 'GET /' },
      { service: 'api', operation: 'GET /' },
      { service: 'web', operation: 'render' },
    ]);
    expect(t.services).toEqual(['web', 'api']);
    expect(t.nodes.map((n) => [n.span.spanId, t.layout.operation[n.index]])).toEqual([
      ['a', 0],
      ['d', 2],
      ['b', 1],
      ['c', 0],
    ]);
  });

  it('a FOLLOWS_FROM child ending after its parent is async, not skew', () => {
    // a (api) |-----|          0..50
    // b (q)       |--------|   30..200, follows from a
    const tree = buildTree('t1', [span('a', 0, 50, { service: 'api' }), span('b', 30, 200, { parent: 'a', service: 'q', parentIsFollowsFrom: true })], { adjustSkew: true });
    expect(draw(tree)).toEqual(['a 0..50', '  b 30..200 ~async=150']);
  });

  it('every span appears exactly once, pre-order, children sorted (random parent links)', () => {
    // Ids from a small alphabet so that duplicates, self-parents, cycles and orphans all occur.
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    const arbSpan = fc.record({ id, parent: fc.option(id, { nil: undefined }), start: fc.integer({ min: 0, max: 50 }), len: fc.integer({ min: 0, max: 50 }), host: fc.constantFrom('h1', 'h2'), service: fc.constantFrom('api', 'db', 'web') });
    fc.assert(
      fc.property(fc.array(arbSpan, { maxLength: 25 }), fc.boolean(), (raw, adjustSkew) => {
        const spans = raw.map((r) => span(r.id, r.start, r.start + r.len, r.parent === undefined ? { host: r.host, service: r.service } : { parent: r.parent, host: r.host, service: r.service }));
        const tree = buildTree('t1', spans, { adjustSkew });
        expect(tree.nodes).toHaveLength(spans.length);
        expect(tree.services).toEqual([...new Set(spans.map((s) => s.service))]); // distinct, in input order
        const pairs = [...new Set(spans.map((s) => `${s.service} ${s.operation}`))];
        expect(tree.operations.map((o) => `${o.service} ${o.operation}`)).toEqual(pairs); // likewise
        const seen = new Set(tree.nodes.map((n) => n.key ?? n.span.spanId + '#1'));
        expect(seen.size).toBe(spans.length);
        // Pre-order: rebuild it from the roots and compare.
        const order: SpanNode[] = [];
        const stack = [...tree.roots].reverse();
        for (let n = stack.pop(); n; n = stack.pop()) {
          order.push(n);
          stack.push(...[...n.children].reverse());
          expect(n.depth).toBe(n.parent ? n.parent.depth + 1 : 0);
          for (let i = 1; i < n.children.length; i++) expect((n.children[i - 1] as SpanNode).span.start).toBeLessThanOrEqual((n.children[i] as SpanNode).span.start);
        }
        expect(order).toEqual(tree.nodes);
        // The layout agrees with the nodes' spans, by node index (shifted copies included).
        tree.nodes.forEach((n, i) => {
          expect(n.index).toBe(i);
          expect(tree.layout.start[i]).toBe(n.span.start);
          expect(tree.layout.end[i]).toBe(n.span.end);
          expect(tree.layout.marks[i]).toBe(marksOf(n.span));
          expect(tree.operations[tree.layout.operation[i]!]).toEqual({ service: n.span.service, operation: n.span.operation });
          expect(tree.layout.parent[i]).toBe(n.parent ? n.parent.index : -1);
          // What analyses read instead of the nodes: the span by index, the children by subtree sizes.
          expect(tree.spans[tree.layout.spanIndex[i]!]).toBe(n.span);
          const m = tree.marks.get(tree.layout.spanIndex[i]!);
          expect([m?.key, m?.missingParent, m?.skew, m?.shift, m?.outOfRange]).toEqual([n.key, n.missingParent, n.skew, n.shift, n.outOfRange]);
          const kids: number[] = [];
          for (let c = i + 1; c < i + tree.layout.size[i]!; c += tree.layout.size[c]!) kids.push(c);
          expect(kids).toEqual(n.children.map((c) => c.index));
        });
        // Every span of the tree's list is placed once; without skew adjustment they are the input's.
        expect([...tree.layout.spanIndex].sort((a, b) => a - b)).toEqual(spans.map((_, i) => i));
        if (!adjustSkew) expect(tree.spans).toEqual(spans);
      }),
      { numRuns: 300 },
    );
  });
});
