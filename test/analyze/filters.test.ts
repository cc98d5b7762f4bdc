import { describe, expect, it } from 'vitest';
import { isEmptyFilter, matchesFilter, traceFilter } from '../../src/analyze/filters.js';
import { node, treeWithId } from './make-tree.js';

// t1: api |100=============300|   db |150==200| error       start 100, duration 200
// t2: web |500====600|                                       start 500, duration 100
const t1 = treeWithId('t1', node('a', 100, 300, { service: 'api' }, [node('b', 150, 200, { service: 'db', error: true })]));
const t2 = treeWithId('t2', node('w', 500, 600, { service: 'web' }));

describe('trace filters', () => {
  it.each([
    [{}, ['t1', 't2']],
    [{ service: 'db' }, ['t1']],
    [{ service: 'web' }, ['t2']],
    [{ service: 'nope' }, []],
    [{ errorsOnly: true }, ['t1']],
    [{ errorsOnly: false }, ['t1', 't2']],
    [{ since: 100 }, ['t1', 't2']], // inclusive
    [{ since: 101 }, ['t2']], // t1 began before, even though it runs into the window
    [{ until: 500 }, ['t1', 't2']], // inclusive
    [{ until: 499 }, ['t1']],
    [{ minDuration: 100 }, ['t1', 't2']], // inclusive
    [{ minDuration: 101 }, ['t1']],
    [{ service: 'web', errorsOnly: true }, []],
    [{ service: 'api', errorsOnly: true, since: 0, until: 1000, minDuration: 200 }, ['t1']],
  ])('%j', (f, want) => {
    expect([t1, t2].filter(traceFilter(f)).map((t) => t.traceId)).toEqual(want);
  });

  it('matchesFilter and isEmptyFilter', () => {
    expect(matchesFilter(t1, { service: 'db', errorsOnly: true })).toBe(true);
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ errorsOnly: false })).toBe(true);
    expect(isEmptyFilter({ since: 0 })).toBe(false);
  });
});
