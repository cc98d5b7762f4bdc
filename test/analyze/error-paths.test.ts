import { describe, expect, it } from 'vitest';
import { NO_MESSAGE, allErrorPaths, errorMessageOf, errorOrigin, errorPaths, errorTimeOf, normalizeMessage, summarizeErrors } from '../../src/analyze/error-paths.js';
import { chain, node, treeWithId } from './make-tree.js';

// api    GET /orders  |0===================================100|  error
// orders load           |10===========60|                        error
// db     SELECT          |15=====40|                             error  "timeout after 3012ms on order 8812"  <- origin
// cache  get                       |40==50|                       ok
// pay    charge                           |60==========90|       error  (event: "card 4242 declined")     <- origin
// pay    validate                            |65==70|            ok
function orders(traceId: string, offset = 0, msg = 'timeout after 3012ms on order 8812') {
  return treeWithId(
    traceId,
    node('root', offset, offset + 100, { service: 'api', operation: 'GET /orders', error: true }, [
      node('load', offset + 10, offset + 60, { service: 'orders', operation: 'load', error: true }, [
        node('sel', offset + 15, offset + 40, { service: 'db', operation: 'SELECT', error: true, errorMessage: msg }),
        node('get', offset + 40, offset + 50, { service: 'cache', operation: 'get' }),
      ]),
      node('charge', offset + 60, offset + 90, {
        service: 'pay',
        operation: 'charge',
        error: true,
        events: [
          { message: 'charging', level: 'info' },
          { message: 'card 4242 declined', level: 'error' },
        ],
      }, [node('validate', offset + 65, offset + 70, { service: 'pay', operation: 'validate' })]),
    ]),
  );
}

describe('errorPaths', () => {
  it('blames the call a failing span gave up on, never a consumer of its message (D126)', () => {
    // edge  GET /report  |0========60|                  error  "HTTP 504" (its line at 60)
    // api   GET /report    |1==================65|      ok: still running when edge failed   <- origin
    // mail  consume          |2====================70|  ok, CONSUMER: a message, not a call
    const gaveUp = (kind?: 'consumer') =>
      treeWithId(
        't9',
        node('edge', 0, 60, { service: 'edge', operation: 'GET /report', error: true, errorMessage: 'HTTP 504' }, [
          node('api', 1, 65, { service: 'api', operation: 'GET /report' }),
          node('mail', 2, 70, kind === undefined ? { service: 'mail', operation: 'consume' } : { service: 'mail', operation: 'consume', kind }),
        ]),
      );
    // Both outlived edge: the one that ran on longest is blamed.
    expect(errorOrigin(gaveUp())!.span.spanId).toBe('mail');
    const [path] = errorPaths(gaveUp('consumer'));
    expect([path!.origin.spanId, path!.origin.errorAt, path!.origin.message, path!.origin.gaveUp]).toEqual(['api', 60, undefined, { service: 'edge', operation: 'GET /report', message: 'HTTP 504', ranOnUs: 5 }]);
    expect(path!.failedAncestors).toEqual(['edge']);
    expect(summarizeErrors([gaveUp('consumer')]).map((g) => [g.service, g.message, g.firstSeen])).toEqual([['api', '(still running when its caller failed)', 60]]);
  });

  it('names the deepest failing span as the origin, with the path, the failed ancestors and the rest', () => {
    // sel (depth 2) is deeper than charge (depth 1): charge failed on another branch.
    const paths = errorPaths(orders('t1'));
    expect(paths).toHaveLength(1);
    const [db] = paths;
    expect(db!.traceId).toBe('t1');
    expect(db!.hops).toEqual([
      { spanId: 'root', service: 'api', operation: 'GET /orders', start: 0, duration: 100, error: true },
      { spanId: 'load', service: 'orders', operation: 'load', start: 10, duration: 50, error: true },
      { spanId: 'sel', service: 'db', operation: 'SELECT', start: 15, duration: 25, error: true },
    ]);
    expect(db!.origin).toEqual({
      spanId: 'sel',
      service: 'db',
      operation: 'SELECT',
      start: 15,
      duration: 25,
      error: true,
      errorAt: 40, // no error line: its end
      message: 'timeout after 3012ms on order 8812',
    });
    expect(db!.failedAncestors).toEqual(['load', 'root']);
    expect(db!.alsoFailed.map((f) => [f.spanId, f.errorAt, f.message])).toEqual([['charge', 90, 'card 4242 declined']]);
  });

  it('an error only at the root is its own origin', () => {
    // R |0====100| error;  K |10==20| ok
    const t = treeWithId('t', node('R', 0, 100, { error: true }, [node('K', 10, 20)]));
    const [p] = errorPaths(t);
    expect(p!.hops.map((h) => h.spanId)).toEqual(['R']);
    expect(p!.failedAncestors).toEqual([]);
    expect(p!.origin.message).toBeUndefined();
    expect(p!.alsoFailed).toEqual([]);
  });

  it('an origin under an ancestor that did not fail', () => {
    // R ok > A error > B ok > C error: origin C, failed ancestors A only
    const t = treeWithId('t', node('R', 0, 100, {}, [node('A', 10, 90, { error: true }, [node('B', 20, 80, {}, [node('C', 30, 70, { error: true })])])]));
    const [p] = errorPaths(t);
    expect(p!.origin.spanId).toBe('C');
    expect(p!.failedAncestors).toEqual(['A']);
    expect(p!.hops.map((h) => h.error)).toEqual([false, true, false, true]);
  });

  it('a trace without errors has no paths', () => {
    expect(errorPaths(treeWithId('t', node('R', 0, 10)))).toEqual([]);
    expect(errorOrigin(treeWithId('t', node('R', 0, 10)))).toBeUndefined();
  });

  const ev = (time: number, level: 'error' | 'info' = 'error') => ({ message: `at ${time}`, level, time });
  it.each([
    {
      // R |0=====================100|
      // ├ A |10====40|  error line at 35
      // └ B     |20========90|  error line at 25      same depth: B's error came first
      why: 'same depth: the first error line wins, not the first start',
      tree: () => node('R', 0, 100, {}, [node('A', 10, 40, { error: true, events: [ev(35)] }), node('B', 20, 90, { error: true, events: [ev(25)] })]),
      origin: 'B',
      at: 25,
    },
    {
      // R |0=====================100| error line at 50
      // └ A |10==================90|  error line at 95 (the caller gave up at 50, before A failed)
      why: 'depth wins over time: the child that failed late is still the cause',
      tree: () => node('R', 0, 100, { error: true, events: [ev(50)] }, [node('A', 10, 90, { error: true, events: [ev(95)] })]),
      origin: 'A',
      at: 95,
    },
    {
      // gw |0==========100| error line at 98;  orders |5=====95| error at 90;  payments |10==80| error at 70
      why: 'no structure (three roots): the service whose error line came first',
      tree: () => [
        node('gw', 0, 100, { service: 'gateway', error: true, events: [ev(2, 'info'), ev(98)] }),
        node('or', 5, 95, { service: 'orders', error: true, events: [ev(90)] }),
        node('pay', 10, 80, { service: 'payments', error: true, events: [ev(70)] }),
      ],
      origin: 'pay',
      at: 70,
    },
    {
      // A |0====50| error, no line: at its end 50;  B |10===60| error line at 55
      why: 'a span without an error line failed at its end',
      tree: () => [node('A', 0, 50, { error: true }), node('B', 10, 60, { error: true, events: [ev(55)] })],
      origin: 'A',
      at: 50,
    },
  ])('$why', ({ tree, origin, at }) => {
    const made = tree();
    const t = treeWithId('t', ...(Array.isArray(made) ? made : [made]));
    expect(errorOrigin(t)?.span.spanId).toBe(origin);
    expect(errorPaths(t)[0]!.origin.errorAt).toBe(at);
    expect(errorTimeOf(errorOrigin(t)!.span)).toBe(at);
  });

  it('a 100,000-deep error is handled without recursion', () => {
    const root = chain(100_000);
    let leaf = root;
    while (leaf.children[0]) leaf = leaf.children[0];
    leaf.opts.error = true;
    root.opts.error = true;
    const [p] = errorPaths(treeWithId('deep', root));
    expect(p!.hops).toHaveLength(100_000);
    expect(p!.failedAncestors).toEqual(['s0']);
  });

  it('allErrorPaths concatenates traces in input order', () => {
    const ok = treeWithId('ok', node('R', 0, 10));
    expect(allErrorPaths([orders('a'), ok, orders('b')]).map((p) => `${p.traceId}/${p.origin.spanId}`)).toEqual(['a/sel', 'b/sel']);
  });
});

describe('errorMessageOf', () => {
  it('prefers the span message, then the first error or fatal event', () => {
    const t = treeWithId(
      't',
      node('R', 0, 10, { errorMessage: 'own', events: [{ message: 'ev', level: 'error' }] }, [
        node('A', 1, 2, { events: [{ message: 'warned', level: 'warn' }, { message: 'died', level: 'fatal' }] }),
        node('B', 3, 4, { events: [{ message: 'fine', level: 'info' }] }),
      ]),
    );
    expect(t.nodes.map((n) => errorMessageOf(n.span))).toEqual(['own', 'died', undefined]);
  });
});

describe('normalizeMessage', () => {
  it.each([
    ['timeout after 3012ms on order 8812', 'timeout after <n>ms on order <n>'],
    ['user 3fa85f64-5717-4562-b3fc-2c963f66afa6 not found', 'user <uuid> not found'],
    ['span 9f86d081884c7d65 failed', 'span <hex> failed'],
    ['bad pointer 0xDEADBEEF', 'bad pointer <hex>'],
    ['retry 1.5s then 1234567890', 'retry <n>s then <n>'],
    ['facade accede decade', 'facade accede decade'],
  ])('%s', (input, want) => {
    expect(normalizeMessage(input)).toBe(want);
  });
});

describe('summarizeErrors', () => {
  it('groups each trace\'s origin by message with ids folded, counting and keeping examples', () => {
    const trees = [
      orders('t4', 4000, 'timeout after 1ms on order 5'),
      orders('t1', 0),
      orders('t2', 1000, 'timeout after 2999ms on order 17'),
      orders('t3', 2000, 'timeout after 10ms on order 99'),
      treeWithId('t5', node('R', 5000, 5010, { service: 'db', operation: 'SELECT', error: true })),
    ];
    const groups = summarizeErrors(trees);
    // The payments failure in each orders tree is off the origin's path: no group of its own.
    expect(groups).toEqual([
      {
        service: 'db',
        operation: 'SELECT',
        message: 'timeout after <n>ms on order <n>',
        example: 'timeout after 3012ms on order 8812',
        count: 4,
        traces: 4,
        firstSeen: 40, // sel's end: it has no error line
        lastSeen: 4040,
        exampleTraceIds: ['t1', 't2', 't3'],
      },
      {
        service: 'db',
        operation: 'SELECT',
        message: NO_MESSAGE,
        count: 1,
        traces: 1,
        firstSeen: 5010,
        lastSeen: 5010,
        exampleTraceIds: ['t5'],
      },
    ]);
  });

  it('first and last seen are the error lines of the origins, not their starts', () => {
    // R |0==============100| error line at 99;  └ K |10====60| error lines at 45 and 58
    const t = (id: string, off: number) =>
      treeWithId(id, node('R', off, off + 100, { error: true, events: [{ message: 'upstream failed', level: 'error', time: off + 99 }] }, [
        node('K', off + 10, off + 60, { service: 's', operation: 'call', error: true, events: [{ message: 'id 11 failed', level: 'error', time: off + 45 }, { message: 'again', level: 'error', time: off + 58 }] }),
      ]));
    expect(summarizeErrors([t('b', 1000), t('a', 0)])).toEqual([
      { service: 's', operation: 'call', message: 'id <n> failed', example: 'id 11 failed', count: 2, traces: 2, firstSeen: 45, lastSeen: 1045, exampleTraceIds: ['a', 'b'] },
    ]);
  });
});
