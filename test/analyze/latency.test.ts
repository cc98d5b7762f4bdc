import { describe, expect, it } from 'vitest';
import { LatencyAccumulator, NO_VALUE, attributeKey, latencyBreakdown } from '../../src/analyze/latency.js';
import { node, treeWithId } from './make-tree.js';

// api GET /a   |0=================================100|   http.status_code 200
// db  query       |10=======40|                          self 30
// db  query              |30==========70| error          self 40
//                 union of children 10..70 = 60, so api self = 40
// all self = 40 + 30 + 40 = 110
function fixture(id = 't1', inferredDb = false) {
  return treeWithId(
    id,
    node('A', 0, 100, { service: 'api', operation: 'GET /a', attributes: { 'http.status_code': 200 } }, [
      node('B', 10, 40, { service: 'db', operation: 'query', inferred: inferredDb }),
      node('C', 30, 70, { service: 'db', operation: 'query', error: true, attributes: { 'http.status_code': '500' } }),
    ]),
  );
}

describe('latencyBreakdown', () => {
  it('by service: counts, errors, total and self time, percentiles; sorted by self time', () => {
    const r = latencyBreakdown(fixture(), 'service');
    expect(r.rows).toEqual([
      {
        service: 'db',
        count: 2,
        inferred: 0,
        errors: 1,
        errorPct: 50,
        total: 70,
        self: 70,
        selfPct: (70 / 110) * 100,
        min: 30,
        p50: 30,
        p90: 40,
        p95: 40,
        p99: 40,
        max: 40,
      },
      {
        service: 'api',
        count: 1,
        inferred: 0,
        errors: 0,
        errorPct: 0,
        total: 100,
        self: 40,
        selfPct: (40 / 110) * 100,
        min: 100,
        p50: 100,
        p90: 100,
        p95: 100,
        p99: 100,
        max: 100,
      },
    ]);
    expect(r.totals).toEqual({ traces: 1, spans: 3, inferred: 0, errors: 1, total: 170, self: 110 });
    expect(r.by).toBe('service');
  });

  it('by operation keys on service and operation', () => {
    const r = latencyBreakdown([fixture()], 'operation');
    expect(r.rows.map((x) => [x.service, x.operation, x.count])).toEqual([
      ['db', 'query', 2],
      ['api', 'GET /a', 1],
    ]);
  });

  it('by attribute: numbers and strings become strings, missing is (none)', () => {
    const t = treeWithId(
      't',
      node('A', 0, 100, { attributes: { 'http.status_code': 200 } }, [
        node('B', 10, 20),
        node('C', 30, 40, { attributes: { 'http.status_code': '200' } }),
        node('D', 50, 60, { attributes: { 'http.status_code': 503 } }),
      ]),
    );
    const r = latencyBreakdown(t, { attr: 'http.status_code' });
    expect(r.rows.map((x) => [x.value, x.count])).toEqual([
      ['200', 2], // A self 70 + C self 10
      [NO_VALUE, 1],
      ['503', 1],
    ]);
    expect(r.rows[0]!.service).toBeUndefined();
  });

  it('attribute keys for odd values', () => {
    expect(attributeKey(undefined)).toBe(NO_VALUE);
    expect(attributeKey(null)).toBe(NO_VALUE);
    expect(attributeKey(true)).toBe('true');
    expect(attributeKey(['a', 1])).toBe('["a",1]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(attributeKey(cyclic)).toBe('[object Object]');
  });

  it('does not find inherited properties as attributes', () => {
    const r = latencyBreakdown(fixture(), { attr: 'constructor' });
    expect(r.rows.map((x) => x.value)).toEqual([NO_VALUE]);
  });

  it('inferred placeholder spans are counted and flagged', () => {
    const r = latencyBreakdown(fixture('t1', true), 'service');
    expect(r.rows[0]).toMatchObject({ service: 'db', count: 2, inferred: 1 });
    expect(r.totals.inferred).toBe(1);
  });

  it('accumulates across traces as a stream', () => {
    const acc = new LatencyAccumulator('service');
    acc.add(fixture('t1'));
    acc.add(fixture('t2'));
    const r = acc.finish();
    expect(r.totals.traces).toBe(2);
    expect(r.rows[0]).toMatchObject({ service: 'db', count: 4, errors: 2, total: 140, self: 140, p50: 30, p99: 40 });
    expect(r.rows[1]!.selfPct).toBeCloseTo((80 / 220) * 100, 10);
  });

  it('empty input gives no rows', () => {
    expect(latencyBreakdown([], 'service')).toEqual({
      by: 'service',
      rows: [],
      totals: { traces: 0, spans: 0, inferred: 0, errors: 0, total: 0, self: 0 },
    });
  });
});
