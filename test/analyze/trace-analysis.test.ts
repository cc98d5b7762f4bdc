import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { matchesFilter, matchesSpans, type TraceFilter } from '../../src/analyze/filters.js';
import { SlowestCollector, TraceRanker } from '../../src/analyze/slowest.js';
import { TraceAnalyzer, type AnalysisSpec, type MergeableAnalysis } from '../../src/analyze/trace-analysis.js';
import { buildTree, plainBounds } from '../../src/model/build-tree.js';
import { TraceCollector } from '../../src/model/collect-traces.js';
import { TraceFold } from '../../src/model/span-fold.js';
import { MAX_SPREAD } from '../../src/model/plausible-times.js';
import type { Span } from '../../src/model/span.js';
import { entry, span } from '../model/make.js';
import { spansFromEntries } from '../../src/model/spans-from-entries.js';

/**
 * TraceAnalyzer decides the filter, and lets slowest pass over a trace below its top N, from the spans'
 * bounds before any tree is built (plainBounds). That is only right where the bounds are the tree's and
 * the filter says what it would say of the tree: held here on spans with every kind of time — negative
 * durations, far-off clocks (1970, a week away, 2200), NaN — and every filter.
 */
const T0 = Date.UTC(2024, 4, 1) * 1000;
const time = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 5_000 }).map((d) => T0 + d) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }).map((d) => T0 + d) }, // ties and near-ties in rank
  { weight: 1, arbitrary: fc.constantFrom(0, T0 + MAX_SPREAD, T0 - MAX_SPREAD, T0 + MAX_SPREAD + 5_001, 7.3e15, NaN) },
);
const spans: fc.Arbitrary<Span[]> = fc
  .array(fc.record({ start: time, length: fc.oneof(fc.integer({ min: -50, max: 3_000 }), fc.integer({ min: 0, max: 3 })), service: fc.constantFrom('web', 'db'), error: fc.boolean(), parent: fc.nat(6) }), { maxLength: 8 })
  .map((rs) => rs.map((r, i) => span(`s${i}`, r.start, r.start + r.length, { service: r.service, error: r.error, ...(r.parent < i ? { parent: `s${r.parent}` } : {}) })));
const filter: fc.Arbitrary<TraceFilter> = fc.record(
  {
    service: fc.constantFrom('web', 'db', 'none'),
    errorsOnly: fc.boolean(),
    since: fc.integer({ min: -100, max: 5_000 }).map((d) => T0 + d),
    until: fc.integer({ min: 0, max: 5_000 }).map((d) => T0 + d),
    minDuration: fc.integer({ min: 0, max: 4_000 }),
  },
  { requiredKeys: [] },
);

/**
 * An analysis as TraceAnalyzer runs it (deciding from span bounds where it can) beside the same kind of
 * analysis given every trace's tree, filtered: both, and how many traces the reference matched.
 */
function bothWays<A extends MergeableAnalysis>(traces: Span[][], f: TraceFilter, spec: AnalysisSpec, make: () => A) {
  const named = traces.map((ss, k) => ss.map((s) => ({ ...s, traceId: `t${k}` })));
  const collector = new TraceCollector(undefined, { fold: true });
  named.forEach((ss) => collector.spans({ spans: ss, entries: [] }));
  const analyzer = new TraceAnalyzer({ spec, filter: f, adjustSkew: false }, make());
  analyzer.run(collector);
  const all = make();
  let matched = 0;
  named.forEach((ss, k) => {
    const tree = buildTree(`t${k}`, ss);
    if (!matchesFilter(tree, f)) return;
    matched++;
    all.add(tree);
  });
  return { analyzer, quick: analyzer.analysis as A, all, matched };
}

describe('deciding from the spans before the tree', () => {
  it('plainBounds are the tree’s start and end, and the filter agrees with the tree’s', () => {
    let certain = 0;
    fc.assert(
      fc.property(spans, filter, (ss, f) => {
        const bounds = plainBounds(ss);
        const tree = buildTree('t1', ss);
        if (bounds === undefined) return;
        certain++;
        expect(bounds).toEqual({ start: tree.start, end: tree.end });
        expect(matchesSpans(bounds.start, bounds.end, ss, f)).toBe(matchesFilter(tree, f));
      }),
      { numRuns: 3000 },
    );
    expect(certain).toBeGreaterThan(1000); // the usual case is the one decided early
  });

  it('no bounds where a span lies far off or a time is not a number', () => {
    expect(plainBounds([span('a', T0, T0 + 10), span('b', 0, 5)])).toBeUndefined();
    expect(plainBounds([span('a', T0, T0 + 10), span('b', T0 + 1, NaN)])).toBeUndefined();
    expect(plainBounds([])).toBeUndefined();
    expect(plainBounds([span('a', T0, T0 - 10)])).toEqual({ start: T0, end: T0 });
  });

  it('slowest ranks the same whether the trees below its top N are built or passed over', () => {
    fc.assert(
      fc.property(fc.array(spans.filter((ss) => ss.length > 0), { minLength: 1, maxLength: 30 }), filter, fc.integer({ min: 1, max: 5 }), (traces, f, n) => {
        const { analyzer, quick, all, matched } = bothWays(traces, f, { kind: 'slowest', top: n, by: 'trace' }, () => new TraceRanker(n));
        expect(quick.rows()).toEqual(all.rows());
        expect([analyzer.total, analyzer.matched]).toEqual([traces.length, matched]);
      }),
      { numRuns: 500 },
    );
  });

  it('slowest passes over traces folded from log lines by their bounds, before their spans are made, ranking the same', () => {
    // Log lines of one trace: span ids from a few, times of every kind but NaN (a parsed line's time is
    // a number or absent), untimed lines, durations.
    const lineTime = time.filter((t) => !Number.isNaN(t));
    const line = fc.record({ spanId: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }), time: fc.option(lineTime, { nil: undefined }), duration: fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: undefined }), service: fc.constantFrom('web', 'db'), error: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.array(line, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 25 }), filter, fc.integer({ min: 1, max: 5 }), (raw, f, n) => {
        const lines = raw.map((ls, k) => ls.map((l, i) => entry({ traceId: `t${k}`, traceIdKind: 'trace', line: i + 1, ...l })));
        const collector = new TraceCollector(undefined, { fold: true });
        lines.flat().forEach((e) => collector.entry(e));
        const analyzer = new TraceAnalyzer({ spec: { kind: 'slowest', top: n, by: 'trace' }, filter: f, adjustSkew: false }, new TraceRanker(n));
        analyzer.run(collector);
        const all = new TraceRanker(n);
        let matched = 0;
        lines.forEach((es, k) => {
          const tree = buildTree(`t${k}`, spansFromEntries(es, { events: false }));
          if (!matchesFilter(tree, f)) return;
          matched++;
          all.add(tree);
        });
        expect((analyzer.analysis as TraceRanker).rows()).toEqual(all.rows());
        expect([analyzer.total, analyzer.matched]).toEqual([lines.length, matched]);
      }),
      { numRuns: 500 },
    );
  });

  it('makes the spans of no folded trace that ranks below the top N already kept', () => {
    const collector = new TraceCollector(undefined, { fold: true });
    // Ten traces, each one span of two lines, each shorter than the one before.
    for (let k = 0; k < 10; k++) {
      collector.entry(entry({ traceId: `t${k}`, traceIdKind: 'trace', spanId: 'a', time: T0 + k }));
      collector.entry(entry({ traceId: `t${k}`, traceIdKind: 'trace', spanId: 'a', time: T0 + k + 100 - k * 5 }));
    }
    // Which traces' spans are made: a fold makes them (TraceFold.spans), whichever way the collector asks.
    const made: string[] = [];
    const spans = TraceFold.prototype.spans;
    const spy = vi.spyOn(TraceFold.prototype, 'spans').mockImplementation(function (this: TraceFold) {
      made.push(this.traceId);
      return spans.call(this);
    });
    const analyzer = new TraceAnalyzer({ spec: { kind: 'slowest', top: 2, by: 'trace' }, filter: {}, adjustSkew: false }, new TraceRanker(2));
    analyzer.run(collector);
    expect((analyzer.analysis as TraceRanker).rows().map((r) => r.traceId)).toEqual(['t0', 't1']);
    expect(made).toEqual(['t0', 't1']);
    expect([analyzer.total, analyzer.matched]).toEqual([10, 10]);
    // A filter on the services reads spans: then every trace's are made.
    made.length = 0;
    const collector2 = new TraceCollector(undefined, { fold: true });
    for (let k = 0; k < 3; k++) collector2.entry(entry({ traceId: `t${k}`, traceIdKind: 'trace', spanId: 'a', time: T0 + k, service: 'web' }));
    new TraceAnalyzer({ spec: { kind: 'slowest', top: 1, by: 'trace' }, filter: { service: 'web' }, adjustSkew: false }, new TraceRanker(1)).run(collector2);
    expect(made).toEqual(['t0', 't1', 't2']);
    spy.mockRestore();
  });

  it('a trace 1 µs longer than the last one kept still makes the cut', () => {
    const collector = new TraceCollector(undefined, { fold: true });
    for (const [id, length] of [['t0', 10], ['t1', 10], ['t2', 11]] as const) {
      collector.spans({ spans: [{ ...span('a', T0, T0 + length), traceId: id }], entries: [] });
    }
    const analyzer = new TraceAnalyzer({ spec: { kind: 'slowest', top: 2, by: 'trace' }, filter: {}, adjustSkew: false }, new TraceRanker(2));
    analyzer.run(collector);
    expect((analyzer.analysis as TraceRanker).rows().map((r) => r.traceId)).toEqual(['t2', 't0']);
  });
});

describe('slowest --by span passes over traces with no span long enough', () => {
  it('ranks the same spans as with every tree built', () => {
    fc.assert(
      fc.property(fc.array(spans.filter((ss) => ss.length > 0), { minLength: 1, maxLength: 30 }), filter, fc.integer({ min: 1, max: 6 }), (traces, f, n) => {
        const { quick, all } = bothWays(traces, f, { kind: 'slowest', top: n, by: 'span' }, () => new SlowestCollector(n, ['spans']));
        expect(quick.spans()).toEqual(all.spans());
      }),
      { numRuns: 500 },
    );
  });

  it('a span that ties the shortest kept still competes: ties rank by trace id, durations as the tree clamps them', () => {
    const best = (traces: [string, Span][]) => {
      const collector = new TraceCollector(undefined, { fold: true });
      for (const [id, s] of traces) collector.spans({ spans: [{ ...s, traceId: id }], entries: [] });
      const analyzer = new TraceAnalyzer({ spec: { kind: 'slowest', top: 1, by: 'span' }, filter: {}, adjustSkew: false }, new SlowestCollector(1, ['spans']));
      analyzer.run(collector);
      return (analyzer.analysis as SlowestCollector).spans().map((r) => r.traceId);
    };
    expect(best([['tb', span('x', T0, T0 + 5)], ['ta', span('y', T0, T0 + 5)]])).toEqual(['ta']);
    expect(best([['tb', span('x', T0, T0)], ['ta', span('y', T0, T0 - 10)]])).toEqual(['ta']);
  });

  it('--by operation needs no tree: the same operations, their durations clamped as the tree clamps them', () => {
    fc.assert(
      fc.property(fc.array(spans.filter((ss) => ss.length > 0), { minLength: 1, maxLength: 20 }), filter, (traces, f) => {
        const ops = traces.map((ss) => ss.map((s) => ({ ...s, operation: Number(s.spanId.slice(1)) % 2 ? 'GET' : 'PUT' })));
        const { quick, all } = bothWays(ops, f, { kind: 'slowest', top: 5, by: 'operation' }, () => new SlowestCollector(5, ['operations']));
        expect(quick.operations()).toEqual(all.operations());
      }),
      { numRuns: 500 },
    );
  });

  it('rankings stay total with NaN times: the order traces arrive in (or the thread) changes nothing', () => {
    const a = buildTree('ta', [{ ...span('x', NaN, NaN, { operation: 'GET' }), traceId: 'ta' }]);
    const b = buildTree('tb', [{ ...span('y', T0, T0 + 5, { operation: 'PUT' }), traceId: 'tb' }]);
    const c = buildTree('tc', [{ ...span('z', T0, T0 + 3, { operation: 'DEL' }), traceId: 'tc' }]);
    for (const kind of ['operations', 'spans'] as const) {
      const forward = new SlowestCollector(3, [kind]);
      const backward = new SlowestCollector(3, [kind]);
      for (const t of [a, b, c]) forward.add(t);
      for (const t of [c, b, a]) backward.add(t);
      const show = (x: SlowestCollector) => JSON.stringify(kind === 'spans' ? x.spans() : x.operations());
      expect(show(forward)).toBe(show(backward));
    }
  });
});
