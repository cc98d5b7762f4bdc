import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Entry } from '../../src/entries/entry.js';
import type { Span } from '../../src/model/span.js';
import { TraceSummary } from '../../src/model/trace-summary.js';
import { SummaryCollector } from '../../src/model/collect-summaries.js';
import { PackReader, PackWriter } from '../../src/model/packed.js';
import { entry, span } from './make.js';

/** One pass over entries and span records, in the order given. */
const summarize = (items: (Entry | Span)[]): TraceSummary => {
  const s = new TraceSummary('t1');
  for (const it of items) {
    if ('line' in it) s.add(it);
    else s.addSpan(it);
  }
  return s;
};

describe('TraceSummary', () => {
  it('counts, collects and finds the root operation', () => {
    //        1000     1050    1100    1200
    // api     s1 "GET /x"              "done", 300 ms -> span began at 900
    // db              s2 (parent s1)
    // loose                    "cache miss" (no span, no service)
    const s = summarize([
      entry({ spanId: 's2', parentSpanId: 's1', service: 'db', time: 1050, message: 'query', operation: 'SELECT' }),
      entry({ spanId: 's1', service: 'api', time: 1000, message: 'start', operation: 'GET /x' }),
      entry({ time: 1100, message: 'cache miss', error: true }),
      entry({ spanId: 's1', service: 'api', time: 1200, message: 'done', duration: 300 }),
    ]);
    expect(s.toJSON()).toEqual({
      traceId: 't1',
      entries: 4,
      records: 0,
      errors: 1,
      firstTime: 1000,
      lastTime: 1200,
      spanStart: 900,
      duration: 300,
      spanIds: ['s1', 's2'],
      services: ['api', 'db', 'unknown'], // the line without a service is a placeholder of "unknown" (D110)
      rootOperation: 'GET /x',
      rootService: 'api',
    });
    expect(s.spanCount).toBe(3); // s1, s2, and the placeholder of the line without a span id
  });

  it.each([
    { name: 'no duration reported: no span-based duration', entries: [entry({ time: 5, message: 'a' })], want: { spanStart: undefined, duration: undefined, rootOperation: 'a' } },
    {
      name: 'every line names a parent: the earliest message',
      entries: [entry({ time: 9, message: 'late', parentSpanId: 'p' }), entry({ time: 3, message: 'early', parentSpanId: 'p' })],
      want: { spanStart: undefined, duration: undefined, rootOperation: 'early' },
    },
    { name: 'no times at all', entries: [entry({ message: 'x', duration: 10 })], want: { spanStart: undefined, duration: undefined, rootOperation: 'x' } },
  ])('$name', ({ entries, want }) => {
    const s = summarize(entries);
    expect({ spanStart: s.spanStart, duration: s.duration, rootOperation: s.rootOperation }).toEqual(want);
  });

  it('times outside the plausible years neither stretch the trace nor choose its root (as in its tree)', () => {
    //  1970-01-01 (a zero timestamp)        2025-03-14T09:25:00 T ... T+5 ms
    //  "zero" (orders, no span id) x  ...  s1 "GET /x" |=====|  (the second line reports 5 ms)
    const T = Date.UTC(2025, 2, 14, 9, 25) * 1000;
    const s = summarize([
      entry({ time: 0, message: 'zero', service: 'orders' }),
      entry({ spanId: 's1', service: 'api', time: T + 1000, message: 'start', operation: 'GET /x' }),
      entry({ spanId: 's1', service: 'api', time: T + 5000, message: 'done', duration: 5000 }),
    ]);
    expect({ first: s.firstTime, last: s.lastTime, spanStart: s.spanStart, duration: s.duration, root: [s.rootService, s.rootOperation] }).toEqual({ first: T + 1000, last: T + 5000, spanStart: T, duration: 5000, root: ['api', 'GET /x'] });
    // Nothing plausible at all (test data near 1970): every time counts, as before.
    const old = summarize([entry({ time: 7, message: 'a', duration: 2 }), entry({ time: 3, message: 'b' })]);
    expect([old.firstTime, old.lastTime, old.spanStart, old.duration]).toEqual([3, 7, 3, 4]);
  });

  it('counts span records: exact extent, root span operation first', () => {
    // record r  (no parent)  |------------|      100..400   "GET /checkout"
    // record c  (parent r)      |---|            150..250   error
    // entry     (no parent)   .                  120        "log line first"  -> loses to the root record
    const s = new TraceSummary('t1');
    s.add(entry({ time: 120, message: 'log line first', service: 'web' }));
    s.addSpan(span('c', 150, 250, { parent: 'r', service: 'db', error: true }));
    s.addSpan(span('r', 100, 400, { service: 'api', operation: 'GET /checkout' }));
    expect(s.toJSON()).toEqual({
      traceId: 't1',
      entries: 1,
      records: 2,
      errors: 1,
      firstTime: 100,
      lastTime: 400,
      spanStart: 100,
      duration: 300,
      spanIds: ['c', 'r'],
      services: ['api', 'db', 'web'],
      rootOperation: 'GET /checkout',
      rootService: 'api',
    });
  });

  it('counts a recorded placeholder (tracectl.inferred, read back from an export) as the placeholder it was', () => {
    // record g  (parent x, missing)   |----------|        100..400  "POST /api/checkout"
    // record p  (placeholder, no parent)  |--|            150..250  error: a root only of class 3
    // record e  (placeholder, parent x)  |--------------| 50..450   the proxy's access line: class 1, earliest
    const s = new TraceSummary('t1');
    s.addSpan(span('g', 100, 400, { parent: 'x', service: 'gateway', operation: 'POST /api/checkout' }));
    s.addSpan(span('p', 150, 250, { inferred: true, service: 'worker', operation: '(no span id)', error: true }));
    expect(s.toJSON()).toMatchObject({ records: 2, errors: 1, duration: 300, spanIds: ['g', 'p'], rootOperation: 'POST /api/checkout', rootService: 'gateway' });
    s.addSpan(span('e', 50, 450, { inferred: true, parent: 'x', service: 'edge', operation: '(no span id)' }));
    expect(s.toJSON()).toMatchObject({ records: 3, errors: 1, spanStart: 50, duration: 400, services: ['edge', 'gateway', 'worker'], rootOperation: '(no span id)', rootService: 'edge' });
  });

  it('merging summaries of any split equals one pass (entries and records mixed)', () => {
    const arbEntry = fc.record({
      time: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
      duration: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
      spanId: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
      parentSpanId: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      service: fc.option(fc.constantFrom('api', 'db'), { nil: undefined }),
      message: fc.option(fc.constantFrom('m1', 'm2', 'm3'), { nil: undefined }),
      operation: fc.option(fc.constantFrom('op1', 'op2'), { nil: undefined }),
      error: fc.boolean(),
      line: fc.integer({ min: 1, max: 5 }),
      source: fc.constantFrom('a.log', 'b.log'),
      isSpan: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), (raw, cuts, seed) => {
        const entries = raw.map((r): Entry | Span => {
          if (r.isSpan) {
            const start = r.time ?? 0;
            return span(r.spanId ?? 'x', start, start + (r.duration ?? 0), { service: r.service ?? 'svc', operation: r.operation ?? 'op', error: r.error, where: r.source, ...(r.parentSpanId ? { parent: r.parentSpanId } : {}) });
          }
          const e: Entry = { source: r.source, line: r.line, traceId: 't1', error: r.error };
          for (const k of ['time', 'duration', 'spanId', 'parentSpanId', 'service', 'message', 'operation'] as const) if (r[k] !== undefined) Object.assign(e, { [k]: r[k] });
          return e;
        });
        // Cut the list into chunks, summarize each, shuffle the chunks, merge left to right.
        const points = [...new Set(cuts.map((c) => c % (entries.length + 1)))].sort((a, b) => a - b);
        const chunks: (Entry | Span)[][] = [];
        let from = 0;
        for (const p of [...points, entries.length]) {
          chunks.push(entries.slice(from, p));
          from = p;
        }
        // Every other part crosses a thread as a worker's would: packed, cloned, unpacked.
        const parts = chunks.map(summarize).map((p, i) => (i % 2 === 1 ? acrossThreads(p) : p));
        const shuffled = parts.map((p, i) => ({ p, k: (i * 7919 + seed) % 101 })).sort((x, y) => x.k - y.k).map((x) => x.p);
        const total = new TraceSummary('t1');
        for (const p of shuffled) total.merge(p);
        expect(total.toJSON()).toEqual(summarize([...entries].reverse()).toJSON());
        expect(total.toJSON()).toEqual(summarize(entries).toJSON());
      }),
      { numRuns: 500 },
    );
  });
});

/** A summary as it arrives from a worker thread. */
function acrossThreads(s: TraceSummary): TraceSummary {
  const w = new PackWriter();
  s.pack(w);
  const r = new PackReader(structuredClone(w.finish()));
  const back = TraceSummary.unpack(r);
  expect(r.done).toBe(true);
  return back;
}

describe('TraceSummary across threads', () => {
  it('unpacks equal to what was packed: candidates, error spans, more span ids than the small list holds', () => {
    const items: (Entry | Span)[] = [span('root', 5, 90, { service: 'web', operation: 'GET /' })];
    for (let i = 0; i < 12; i++) items.push(entry({ spanId: `s${i}`, parentSpanId: 'root', service: i % 2 ? 'db' : 'api', time: 10 + i, message: `m${i}`, error: i === 3 }));
    items.push(entry({ time: 50, message: 'loose', error: true }), entry({ message: 'untimed', operation: 'op' }));
    const s = summarize(items);
    const back = acrossThreads(s);
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.errors).toBe(2);
    expect(acrossThreads(new TraceSummary('empty')).toJSON()).toEqual(new TraceSummary('empty').toJSON());
  });

  it('span ids cross as they are held: one string, or a Set once many or odd; merged, each counts once', () => {
    const many = summarize(Array.from({ length: 300 }, (_, i) => entry({ spanId: i.toString(16).padStart(16, '0'), time: i })));
    const odd = summarize([entry({ spanId: 'a\u0000b', time: 1 }), entry({ spanId: 'a', time: 2 }), entry({ spanId: '', time: 3 })]);
    const few = summarize([entry({ spanId: '0000000000000001', time: 400 }), entry({ spanId: 'a', time: 401 })]);
    for (const s of [many, odd, few]) {
      const back = acrossThreads(s);
      expect(back.toJSON()).toEqual(s.toJSON());
      expect(back.spanCount).toBe(s.spanCount);
    }
    expect(many.spanCount).toBe(300);
    expect(odd.spanCount).toBe(3); // an empty span id is none: its line makes its service's placeholder span
    // few's two ids: one is also in many, one in odd.
    const merged = acrossThreads(few);
    merged.merge(acrossThreads(many));
    merged.merge(acrossThreads(odd));
    expect(merged.spanCount).toBe(303);
    const whole = summarize([...Array.from({ length: 300 }, (_, i) => entry({ spanId: i.toString(16).padStart(16, '0'), time: i })), entry({ spanId: 'a\u0000b', time: 1 }), entry({ spanId: 'a', time: 2 }), entry({ spanId: '', time: 3 }), entry({ spanId: '0000000000000001', time: 400 }), entry({ spanId: 'a', time: 401 })]);
    expect([...merged.spanIds()].sort()).toEqual([...whole.spanIds()].sort());
  });

  it('a collector absorbs a packed state: same summaries, and an id stays correlation-only only if every part says so', () => {
    const part = (items: Entry[]) => {
      const c = new SummaryCollector();
      for (const e of items) c.entry(e);
      return c;
    };
    const a = part([entry({ traceId: 'req-1', traceIdKind: 'correlation', time: 1 }), entry({ traceId: 'req-2', traceIdKind: 'correlation', time: 2 })]);
    const b = part([entry({ traceId: 'req-1', traceIdKind: 'trace', spanId: 'x', time: 3 }), entry({ traceId: 'req-3', traceIdKind: 'correlation', time: 4 })]);
    const one = part([...[1, 2].map((t) => entry({ traceId: `req-${t}`, traceIdKind: 'correlation', time: t })), entry({ traceId: 'req-1', traceIdKind: 'trace', spanId: 'x', time: 3 }), entry({ traceId: 'req-3', traceIdKind: 'correlation', time: 4 })]);
    a.absorb(structuredClone(b.takeSummaries([...b.summaries.keys()])));
    expect([...a.correlationOnly].sort()).toEqual(['req-2', 'req-3']);
    expect([...a.summaries.keys()].sort()).toEqual(['req-1', 'req-2', 'req-3']);
    for (const [id, s] of one.summaries) expect(a.summaries.get(id)!.toJSON()).toEqual(s.toJSON());
  });
});

describe('TraceSummary errors', () => {
  it('counts a failing span once, however many of its lines say so; lines without a span id once per service', () => {
    const s = summarize([
      entry({ spanId: 'a', error: true, message: 'charge failed' }),
      entry({ spanId: 'a', error: true, message: 'request completed', httpStatus: 500 }),
      entry({ spanId: 'b', error: false }),
      entry({ spanId: 'c', error: true }),
      entry({ error: true, message: 'no span id' }),
      entry({ error: true, message: 'no span id either' }),
      entry({ error: true, message: 'no span id, in db', service: 'db' }),
      span('a', 0, 10, { error: true }),
      span('d', 0, 10, { error: true }),
    ]);
    // spans a, c, d failed; loose error lines of two services: their two placeholder spans failed
    expect(s.errors).toBe(5);
    expect(s.toJSON().errors).toBe(5);
  });
});
