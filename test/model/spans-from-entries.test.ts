import { describe, expect, it } from 'vitest';
import { spansFromEntries, UNTIMED_ATTRIBUTE } from '../../src/model/spans-from-entries.js';
import { whereOf, type Span } from '../../src/model/span.js';
import { entry } from './make.js';

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

  it('returns nothing for no entries', () => {
    expect(spansFromEntries([])).toEqual([]);
  });
});
