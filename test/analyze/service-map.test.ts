import { describe, expect, it } from 'vitest';
import { ServiceMapAccumulator, serviceMap } from '../../src/analyze/service-map.js';
import { node, treeWithId } from './make-tree.js';

// web  GET /checkout |0=====================100|
// cart GetCart          |10====40|                 web -> cart
// cart load               |15=30|                  (same service, no edge)
// pay  Charge                    |50=====90| error web -> pay
// bank auth                        |55=80|         pay -> bank
function checkout(id: string, cartEnd = 40) {
  return treeWithId(
    id,
    node('w', 0, 100, { service: 'web', operation: 'GET /checkout' }, [
      node('c', 10, cartEnd, { service: 'cart', operation: 'GetCart' }, [node('cl', 15, 30, { service: 'cart', operation: 'load' })]),
      node('p', 50, 90, { service: 'pay', operation: 'Charge', error: true }, [node('b', 55, 80, { service: 'bank', operation: 'auth' })]),
    ]),
  );
}

describe('serviceMap', () => {
  it('an edge per calling -> called service, with calls, errors and latency of the called spans', () => {
    const m = serviceMap([checkout('t1'), checkout('t2', 20), checkout('t3', 70)]);
    expect(m.edges).toEqual([
      { from: 'pay', to: 'bank', calls: 3, errors: 0, p50: 25, p99: 25 },
      { from: 'web', to: 'cart', calls: 3, errors: 0, p50: 30, p99: 60 }, // GetCart took 30, 10, 60
      { from: 'web', to: 'pay', calls: 3, errors: 3, p50: 40, p99: 40 },
    ]);
    expect(m.services).toEqual([
      { service: 'bank', spans: 3, errors: 0, roots: 0 },
      { service: 'cart', spans: 6, errors: 0, roots: 0 },
      { service: 'pay', spans: 3, errors: 3, roots: 0 },
      { service: 'web', spans: 3, errors: 0, roots: 3 },
    ]);
  });

  it('more calls sort first; a single-service trace has no edges', () => {
    const acc = new ServiceMapAccumulator();
    acc.add(treeWithId('x', node('a', 0, 10, { service: 'solo' }, [node('b', 1, 2, { service: 'solo' })])));
    expect(acc.finish().edges).toEqual([]);
    acc.add(treeWithId('y', node('a', 0, 10, { service: 'z' }, [node('b', 1, 2, { service: 'y' }), node('c', 3, 4, { service: 'y' })])));
    acc.add(treeWithId('w', node('a', 0, 10, { service: 'a' }, [node('b', 1, 2, { service: 'b' })])));
    expect(acc.finish().edges.map((e) => `${e.from}->${e.to}:${e.calls}`)).toEqual(['z->y:2', 'a->b:1']);
  });
});
