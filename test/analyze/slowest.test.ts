import { describe, expect, it } from 'vitest';
import {
  SlowestCollector,
  compareSlowTraces,
  slowestOperations,
  slowestSpans,
  slowestTraces,
  type TraceDuration,
} from '../../src/analyze/slowest.js';
import { TopN } from '../../src/analyze/top-n.js';
import { node, treeWithId } from './make-tree.js';

// t-b  |0=======================100|      api GET /orders
//        |10=db query=90|
//          |20=db fetch=85|
// t-a  |0=======================100|      api GET /orders   (ties t-b: trace id decides)
//        |30=db query=60| error
// t-c  |0========50|                       api GET /health
const tb = treeWithId(
  't-b',
  node('b1', 0, 100, { service: 'api', operation: 'GET /orders' }, [
    node('b2', 10, 90, { service: 'db', operation: 'query' }, [node('b3', 20, 85, { service: 'db', operation: 'fetch' })]),
  ]),
);
const ta = treeWithId(
  't-a',
  node('a1', 0, 100, { service: 'api', operation: 'GET /orders' }, [node('a2', 30, 60, { service: 'db', operation: 'query', error: true })]),
);
const tc = treeWithId('t-c', node('c1', 0, 50, { service: 'api', operation: 'GET /health', inferred: true }));
const all = [tb, ta, tc];

describe('slowestTraces', () => {
  it('ranks by duration, ties by trace id', () => {
    expect(slowestTraces(all, 10)).toEqual([
      { traceId: 't-a', start: 0, duration: 100, spanCount: 2, errorCount: 1, rootService: 'api', rootOperation: 'GET /orders' },
      { traceId: 't-b', start: 0, duration: 100, spanCount: 3, errorCount: 0, rootService: 'api', rootOperation: 'GET /orders' },
      { traceId: 't-c', start: 0, duration: 50, spanCount: 1, errorCount: 0, rootService: 'api', rootOperation: 'GET /health' },
    ]);
  });

  it('returns the same whatever the input order', () => {
    expect(slowestTraces([tc, ta, tb], 2)).toEqual(slowestTraces(all, 2));
    expect(slowestTraces(all, 2).map((t) => t.traceId)).toEqual(['t-a', 't-b']);
  });

  it('TopN works over plain trace summaries for streaming', () => {
    const top = new TopN<TraceDuration>(2, compareSlowTraces);
    const summaries: TraceDuration[] = [
      { traceId: 'x', start: 5, duration: 10 },
      { traceId: 'y', start: 1, duration: 30 },
      { traceId: 'w', start: 2, duration: 10 },
      { traceId: 'z', start: 3, duration: 20 },
    ];
    for (const s of summaries) top.push(s);
    expect(top.toArray().map((s) => s.traceId)).toEqual(['y', 'z']);
  });

  it('summaries without a duration or start rank after timed ones', () => {
    const top = new TopN<TraceDuration>(10, compareSlowTraces);
    for (const s of [{ traceId: 'u' }, { traceId: 'b', duration: 5 }, { traceId: 'a', duration: 5, start: 9 }, { traceId: 'a', duration: 5 }, { traceId: 'c', duration: 1 }]) top.push(s);
    expect(top.toArray()).toEqual([
      { traceId: 'a', duration: 5, start: 9 },
      { traceId: 'a', duration: 5 },
      { traceId: 'b', duration: 5 },
      { traceId: 'c', duration: 1 },
      { traceId: 'u' },
    ]);
  });
});

describe('slowestSpans', () => {
  it('ranks spans across traces with the path from the root', () => {
    const got = slowestSpans(all, 4);
    expect(got.map((s) => `${s.traceId}/${s.spanId}:${s.duration}`)).toEqual(['t-a/a1:100', 't-b/b1:100', 't-b/b2:80', 't-b/b3:65']);
    expect(got[3]!.path).toEqual([
      { spanId: 'b1', service: 'api', operation: 'GET /orders' },
      { spanId: 'b2', service: 'db', operation: 'query' },
      { spanId: 'b3', service: 'db', operation: 'fetch' },
    ]);
    expect(got[0]).toMatchObject({ service: 'api', operation: 'GET /orders', start: 0, error: false, inferred: false });
  });

  it('breaks equal durations within a trace by start, then span id', () => {
    // R |0===========100|
    //     |10=B=20|  |30=A=40|  |30=C=40|   all 10µs: B (earlier start), then A, C (span id)
    const t = treeWithId('t', node('R', 0, 100, {}, [node('C', 30, 40), node('B', 10, 20), node('A', 30, 40)]));
    expect(slowestSpans([t], 4).map((s) => s.spanId)).toEqual(['R', 'B', 'A', 'C']);
  });

  it('path of a 100,000-deep span is built iteratively', () => {
    // A chain whose leaf outlives everything above it, so the leaf is the slowest span.
    let cur = node('s0', 0, 1_000_000);
    const root = cur;
    for (let i = 1; i < 100_000; i++) {
      const next = node(`s${i}`, i, 1_000_000 - i);
      cur.children.push(next);
      cur = next;
    }
    cur.end = 5_000_000;
    const t = treeWithId('deep', root);
    const [top] = slowestSpans([t], 1);
    expect(top!.spanId).toBe('s99999');
    expect(top!.path.length).toBe(100_000);
    expect(top!.path[0]!.spanId).toBe('s0');
  });
});

describe('slowestOperations', () => {
  it('ranks service+operation by p99 with count, p50, p99, max and errors', () => {
    expect(slowestOperations(all, 10)).toEqual([
      { service: 'api', operation: 'GET /orders', count: 2, errors: 0, p50: 100, p99: 100, max: 100 },
      { service: 'db', operation: 'query', count: 2, errors: 1, p50: 30, p99: 80, max: 80 },
      { service: 'db', operation: 'fetch', count: 1, errors: 0, p50: 65, p99: 65, max: 65 },
      { service: 'api', operation: 'GET /health', count: 1, errors: 0, p50: 50, p99: 50, max: 50 },
    ]);
  });

  it('keeps only n', () => {
    expect(slowestOperations(all, 1).map((o) => o.operation)).toEqual(['GET /orders']);
  });
});

describe('SlowestCollector', () => {
  it('streams to the same results as the functions', () => {
    const c = new SlowestCollector(3);
    for (const t of all) c.add(t);
    expect(c.traces()).toEqual(slowestTraces(all, 3));
    expect(c.spans()).toEqual(slowestSpans(all, 3));
    expect(c.operations()).toEqual(slowestOperations(all, 3));
  });
});
