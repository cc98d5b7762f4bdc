import { describe, expect, it } from 'vitest';
import { spansFromEntries, UNTIMED_ATTRIBUTE } from '../../src/model/spans-from-entries.js';
import { whereOf, type Span } from '../../src/model/span.js';
import { entry } from './make.js';
import type { Entry } from '../../src/entries/entry.js';

/** The fields a case checks, so expectations stay short. */
const brief = (s: Span) => ({ id: s.spanId, parent: s.parentSpanId, service: s.service, op: s.operation, start: s.start, end: s.end, error: s.error, inferred: s.inferred ?? false });

describe('spansFromEntries', () => {
  it('builds one span from its lines; a reported duration moves the start back', () => {
    //            1000        1100          1200
    // line 1       | "handling"             |
    // line 2                   | "query"    |
    // line 3                                | "completed", duration 300 -> began at 900
    //  span s1  |<-------------- 900..1200 -------------->|
    const spans = spansFromEntries([
      entry({ spanId: 's1', time: 1200, message: 'completed', duration: 300, level: 'info', source: 'a.log', line: 3 }),
      entry({ spanId: 's1', time: 1000, message: 'handling', service: 'api', operation: 'GET /orders', source: 'a.log', line: 1 }),
      entry({ spanId: 's1', time: 1100, message: 'query', parentSpanId: 'p0', source: 'a.log', line: 2 }),
    ]);
    expect(spans.map(brief)).toEqual([{ id: 's1', parent: 'p0', service: 'api', op: 'GET /orders', start: 900, end: 1200, error: false, inferred: false }]);
    const s = spans[0];
    expect(s?.events).toEqual([
      { time: 1000, message: 'handling', source: 'a.log', line: 1 },
      { time: 1100, message: 'query', source: 'a.log', line: 2 },
      { time: 1200, message: 'completed', level: 'info', source: 'a.log', line: 3 },
    ]);
    expect(s && whereOf(s)).toBe('a.log:1');
    expect(s?.origin).toBe('log');
    expect(s?.traceId).toBe('t1');
  });

  it.each([
    {
      name: 'operation falls back to the first message; error message to the first error line',
      entries: [entry({ spanId: 's', time: 2, message: 'boom', error: true }), entry({ spanId: 's', time: 1, message: 'start' }), entry({ spanId: 's', time: 3, message: 'again', error: true })],
      op: 'start',
      errorMessage: 'boom',
    },
    {
      name: 'an explicit errorMessage wins over the message',
      entries: [entry({ spanId: 's', time: 1, message: 'failed', error: true, errorMessage: 'ECONNRESET' })],
      op: 'failed',
      errorMessage: 'ECONNRESET',
    },
  ])('$name', ({ entries, op, errorMessage }) => {
    const [s] = spansFromEntries(entries);
    expect(s?.operation).toBe(op);
    expect(s?.error).toBe(true);
    expect(s?.errorMessage).toBe(errorMessage);
  });

  it('puts lines without a span id under a placeholder per service', () => {
    // api  s2      |------|        50..80    earliest api span: home of api's loose lines
    // api  s1           |------|   100..130
    // api  (loose)    .    .       60, 120   -> inferred:api, parent s2
    // jobs (loose)   .             55        -> inferred:jobs, a root (jobs has no span)
    // ?    (loose)          .      90        -> inferred:unknown, a root
    const spans = spansFromEntries([
      entry({ spanId: 's1', service: 'api', time: 100, message: 'a' }),
      entry({ spanId: 's1', service: 'api', time: 130, message: 'b' }),
      entry({ spanId: 's2', service: 'api', time: 50, message: 'c' }),
      entry({ spanId: 's2', service: 'api', time: 80, message: 'd' }),
      entry({ service: 'api', time: 120, message: 'loose 2' }),
      entry({ service: 'api', time: 60, message: 'loose 1', parentSpanId: 'ignored' }),
      entry({ service: 'jobs', time: 55, message: 'tick' }),
      entry({ time: 90, message: 'who?' }),
    ]);
    expect(spans.map(brief)).toEqual([
      { id: 's2', parent: undefined, service: 'api', op: 'c', start: 50, end: 80, error: false, inferred: false },
      { id: 'inferred:jobs', parent: undefined, service: 'jobs', op: 'tick', start: 55, end: 55, error: false, inferred: true },
      { id: 'inferred:api', parent: 's2', service: 'api', op: 'loose 1', start: 60, end: 120, error: false, inferred: true },
      { id: 'inferred:unknown', parent: undefined, service: 'unknown', op: 'who?', start: 90, end: 90, error: false, inferred: true },
      { id: 's1', parent: undefined, service: 'api', op: 'a', start: 100, end: 130, error: false, inferred: false },
    ]);
  });

  it('places a span with no timed line at the trace start, flagged', () => {
    // s1  |----|   500..600
    // s2  .        no times -> 450..450 (the trace's earliest instant: 600 - 150), flagged
    const spans = spansFromEntries([
      entry({ spanId: 's1', time: 600, duration: 150, message: 'done' }),
      entry({ spanId: 's1', time: 500, message: 'start' }),
      entry({ spanId: 's2', message: 'no time' }),
    ]);
    expect(spans.map((s) => [s.spanId, s.start, s.end, s.attributes[UNTIMED_ATTRIBUTE]])).toEqual([
      ['s1', 450, 600, undefined],
      ['s2', 450, 450, true],
    ]);
    expect(spansFromEntries([entry({ spanId: 'x', message: 'm' })]).map((s) => [s.start, s.end])).toEqual([[0, 0]]);
  });

  it('takes the envelope time when the line has none, and the pod as host', () => {
    const [s] = spansFromEntries([entry({ spanId: 's', message: 'm', envelope: { kinds: ['kubectl-timestamps'], time: 42, pod: 'api-7f9' } })]);
    expect([s?.start, s?.end, s?.host]).toEqual([42, 42, 'api-7f9']);
  });

  it('gives the same spans whatever order the lines come in', () => {
    const lines = [
      entry({ spanId: 'a', time: 10, message: 'a1', service: 'api' }),
      entry({ spanId: 'b', time: 20, message: 'b1', parentSpanId: 'a', service: 'db' }),
      entry({ spanId: 'a', time: 40, message: 'a2', duration: 35 }),
      entry({ time: 30, message: 'loose', service: 'db' }),
    ];
    expect(spansFromEntries([...lines].reverse())).toEqual(spansFromEntries(lines));
  });

  it('lets a far-off line of a span set neither its start, its end nor its first line', () => {
    // T = 2025-03-14T09:25:00Z, times in µs; one span's lines:
    //   line 1  1970-01-01 (a zero timestamp)   "boot"       status 503
    //   line 2  T              "GET /orders"
    //   line 3  2200-01-01     "tick"           duration 5 s: neither its t nor t - 5 s counts
    //   line 4  T + 120 ms     "done"           duration 150 ms -> began at T - 30 ms
    //   span s1   |<-- T - 30 ms .. T + 120 ms -->|   first line: line 2; status: line 1's (the last in rank order)
    const T = Date.UTC(2025, 2, 14, 9, 25) * 1000;
    const lines = [
      entry({ spanId: 's1', time: 0, message: 'boot', service: 'boot-svc', httpStatus: 503, line: 1 }),
      entry({ spanId: 's1', time: T, message: 'GET /orders', service: 'api', line: 2 }),
      entry({ spanId: 's1', time: Date.UTC(2200, 0, 1) * 1000, message: 'tick', duration: 5_000_000, line: 3 }),
      entry({ spanId: 's1', time: T + 120_000, message: 'done', duration: 150_000, httpStatus: 200, line: 4 }),
    ];
    for (const order of [lines, [...lines].reverse()]) {
      const [s] = spansFromEntries(order);
      expect(s && brief(s)).toEqual({ id: 's1', parent: undefined, service: 'api', op: 'GET /orders', start: T - 30_000, end: T + 120_000, error: false, inferred: false });
      expect(s && whereOf(s)).toBe('app.log:2');
      expect(s?.attributes['http.status_code']).toBe(503);
      expect(s?.events.map((e) => e.message)).toEqual(['GET /orders', 'done', 'boot', 'tick']);
    }
    // A span whose lines all lie outside the plausible years keeps them (test data near the epoch).
    const [old] = spansFromEntries([entry({ spanId: 's2', time: 5_000, line: 7 }), entry({ spanId: 's2', time: 0, message: 'first', line: 8 })]);
    expect(old && [old.start, old.end, old.operation, whereOf(old)]).toEqual([0, 5_000, 'first', 'app.log:8']);
  });

  it("makes a proxy's access line under the caller's traceparent the parent of the span it called", () => {
    // The caller c0 is not in the logs. µs:   0        100                 900  1000
    //   edge (access line at 1000, request_time 1 ms, parent c0)  |==================|   0..1000
    //   gateway g1 (parent c0)                                      |==============|      100..900  -> under edge
    //   slow  o1 (parent c0, another service)                                  |=====|   950..1500  -> under edge (D126: edge gave up on it)
    //   late  l1 (parent c0, another service)                                      |==| 1050..1500 -> keeps c0
    const lines = (extra: Partial<Entry>[] = []) => [
      entry({ service: 'edge', time: 1000, duration: 1000, parentSpanId: 'c0' }),
      entry({ spanId: 'g1', service: 'gateway', time: 100, message: 'POST /api', parentSpanId: 'c0' }),
      entry({ spanId: 'g1', service: 'gateway', time: 900, parentSpanId: 'c0' }),
      entry({ spanId: 'o1', service: 'slow', time: 950, parentSpanId: 'c0' }),
      entry({ spanId: 'o1', service: 'slow', time: 1500, parentSpanId: 'c0' }),
      entry({ spanId: 'l1', service: 'late', time: 1050, parentSpanId: 'c0' }),
      entry({ spanId: 'l1', service: 'late', time: 1500, parentSpanId: 'c0' }),
      ...extra.map((e) => entry(e)),
    ];
    const parents = (spans: Span[]) => Object.fromEntries(spans.map((s) => [s.spanId, s.parentSpanId]));
    expect(parents(spansFromEntries(lines()))).toEqual({ 'inferred:edge': 'c0', g1: 'inferred:edge', o1: 'inferred:edge', l1: 'c0' });
    // The caller logged after all: nothing to stand in for.
    expect(parents(spansFromEntries(lines([{ spanId: 'c0', service: 'web', time: 0 }, { spanId: 'c0', service: 'web', time: 2000 }])))).toEqual({ c0: undefined, 'inferred:edge': 'c0', g1: 'c0', o1: 'c0', l1: 'c0' });
    // A service with spans of its own keeps its loose lines under its earliest span, whatever they name.
    expect(parents(spansFromEntries(lines([{ spanId: 'e1', service: 'edge', time: 0 }])))).toMatchObject({ 'inferred:edge': 'e1', g1: 'c0' });
  });

  it('returns nothing for no entries', () => {
    expect(spansFromEntries([])).toEqual([]);
  });
});
