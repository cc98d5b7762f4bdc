import { describe, expect, it } from 'vitest';
import { NO_MESSAGE, allErrorPaths, errorMessageOf, errorOrigins, errorPaths, normalizeMessage, summarizeErrors } from '../../src/analyze/error-paths.js';
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
  it('finds each deepest error with the path from the root and the failed ancestors', () => {
    const paths = errorPaths(orders('t1'));
    expect(paths).toHaveLength(2);
    const [db, pay] = paths;
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
      message: 'timeout after 3012ms on order 8812',
    });
    expect(db!.failedAncestors).toEqual(['load', 'root']);
    expect(pay!.hops.map((h) => h.spanId)).toEqual(['root', 'charge']);
    expect(pay!.origin.message).toBe('card 4242 declined'); // from the error-level event
    expect(pay!.failedAncestors).toEqual(['root']);
  });

  it('an error only at the root is its own origin', () => {
    // R |0====100| error;  K |10==20| ok
    const t = treeWithId('t', node('R', 0, 100, { error: true }, [node('K', 10, 20)]));
    const [p] = errorPaths(t);
    expect(p!.hops.map((h) => h.spanId)).toEqual(['R']);
    expect(p!.failedAncestors).toEqual([]);
    expect(p!.origin.message).toBeUndefined();
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
  });

  it('several roots each contribute origins', () => {
    const t = treeWithId('t', node('R1', 0, 10, { error: true }), node('R2', 5, 20, {}, [node('K', 6, 7, { error: true })]));
    expect(errorOrigins(t).map((n) => n.span.spanId)).toEqual(['R1', 'K']);
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
    expect(allErrorPaths([orders('a'), ok, orders('b')]).map((p) => `${p.traceId}/${p.origin.spanId}`)).toEqual([
      'a/sel',
      'a/charge',
      'b/sel',
      'b/charge',
    ]);
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
  it('groups origins whose messages differ only in ids, counting and keeping examples', () => {
    const trees = [
      orders('t4', 4000, 'timeout after 1ms on order 5'),
      orders('t1', 0),
      orders('t2', 1000, 'timeout after 2999ms on order 17'),
      orders('t3', 2000, 'timeout after 10ms on order 99'),
      treeWithId('t5', node('R', 5000, 5010, { service: 'db', operation: 'SELECT', error: true })),
    ];
    const groups = summarizeErrors(trees);
    expect(groups).toEqual([
      {
        service: 'db',
        operation: 'SELECT',
        message: 'timeout after <n>ms on order <n>',
        example: 'timeout after 3012ms on order 8812',
        count: 4,
        traces: 4,
        firstSeen: 15,
        lastSeen: 4015,
        exampleTraceIds: ['t1', 't2', 't3'],
      },
      {
        service: 'pay',
        operation: 'charge',
        message: 'card <n> declined',
        example: 'card 4242 declined',
        count: 4,
        traces: 4,
        firstSeen: 60,
        lastSeen: 4060,
        exampleTraceIds: ['t1', 't2', 't3'],
      },
      {
        service: 'db',
        operation: 'SELECT',
        message: NO_MESSAGE,
        count: 1,
        traces: 1,
        firstSeen: 5000,
        lastSeen: 5000,
        exampleTraceIds: ['t5'],
      },
    ]);
  });

  it('counts several origins of one trace but lists the trace once', () => {
    // R |0========100|, two failing retries of the same call with different ids
    const t = treeWithId(
      't',
      node('R', 0, 100, {}, [
        node('a', 10, 20, { service: 's', operation: 'call', error: true, errorMessage: 'id 11 failed' }),
        node('b', 30, 40, { service: 's', operation: 'call', error: true, errorMessage: 'id 12 failed' }),
      ]),
    );
    expect(summarizeErrors([t])).toEqual([
      { service: 's', operation: 'call', message: 'id <n> failed', example: 'id 11 failed', count: 2, traces: 1, firstSeen: 10, lastSeen: 30, exampleTraceIds: ['t'] },
    ]);
  });
});
