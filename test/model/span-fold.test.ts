import { mayInferParent } from '../../src/model/infer-parents.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/entries/entry.js';
import { PackReader, PackWriter } from '../../src/model/packed.js';
import { plainBounds } from '../../src/model/build-tree.js';
import { FoldRows, TraceFold } from '../../src/model/span-fold.js';
import { TraceCollector } from '../../src/model/collect-traces.js';
import { spansFromEntries } from '../../src/model/spans-from-entries.js';
import { SpanColumns } from '../../src/model/span-columns.js';
import { buildTree } from '../../src/model/build-tree.js';
import { linkedSelfTimes, PLAIN_MAX_SPANS } from '../../src/analyze/plain-self-times.js';
import { selfTimesBySpan } from '../../src/analyze/self-time.js';
import type { Span } from '../../src/model/span.js';

/**
 * TraceFold is spansFromEntries done one entry at a time. Whatever the entries — out of time order, equal
 * times, untimed ones, missing services, several pods, durations, errors with and without messages,
 * statuses, loose lines without a span id — both must build the same spans (events left out).
 */
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const genEntry: fc.Arbitrary<Entry> = fc
  .record({
    spanId: opt(fc.constantFrom('a', 'b', 'c', 'd')),
    parentSpanId: opt(fc.constantFrom('a', 'b', 'x', '')),
    service: opt(fc.constantFrom('web', 'api')),
    time: opt(fc.integer({ min: 1_000_000, max: 1_000_050 })),
    nanos: opt(fc.integer({ min: 0, max: 999 })),
    duration: opt(fc.integer({ min: 0, max: 30 })),
    message: opt(fc.constantFrom('start', 'done', 'boom')),
    operation: opt(fc.constantFrom('GET /x', 'SELECT')),
    error: fc.boolean(),
    errorMessage: opt(fc.constantFrom('E1', 'E2')),
    httpStatus: opt(fc.constantFrom(200, 500)),
    pod: opt(fc.constantFrom('web-1', 'web-2')),
    envTime: opt(fc.integer({ min: 1_000_000, max: 1_000_050 })),
  })
  .map((r, ) => {
    const e: Entry = { source: 'f.log', line: 0, traceId: 't1', error: r.error };
    for (const k of ['spanId', 'parentSpanId', 'service', 'time', 'nanos', 'duration', 'message', 'operation', 'errorMessage', 'httpStatus'] as const) {
      if (r[k] !== undefined) (e as unknown as Record<string, unknown>)[k] = r[k];
    }
    if (r.pod !== undefined || r.envTime !== undefined) e.envelope = { kinds: ['kubectl-prefix'], pod: r.pod, ...(r.envTime !== undefined ? { time: r.envTime } : {}) };
    return e;
  });

/**
 * genEntry's times moved, each on its own, to 2025 (inside the plausible years), to 2200 (outside), or
 * left in 1970 (outside): a span's lines of today with a far-off line among them (plausible-times.ts,
 * timeRank), and spans whose lines all lie outside.
 */
const NOW = Date.UTC(2025, 2, 14) * 1000 - 1_000_000;
const Y2200 = Date.UTC(2200, 0, 1) * 1000 - 1_000_000;
const moved = fc.constantFrom(NOW, NOW, NOW, 0, Y2200);
const genRankedEntry: fc.Arbitrary<Entry> = fc.tuple(genEntry, moved, moved).map(([e, by, envBy]) => {
  const out: Entry = { ...e };
  if (e.time !== undefined) out.time = e.time + by;
  if (e.envelope?.time !== undefined) out.envelope = { ...e.envelope, time: e.envelope.time + envBy };
  return out;
});

describe('TraceFold', () => {
  it('builds the spans spansFromEntries builds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(genEntry, genRankedEntry), { minLength: 1, maxLength: 40 }), (raw) => {
        const entries = raw.map((e, i) => ({ ...e, line: i + 1 }));
        const fold = new TraceFold('t1');
        entries.forEach((e, i) => fold.add(e, i));
        expect(fold.spans()).toEqual(spansFromEntries(entries, { events: false }));
      }),
      { numRuns: 2000 },
    );
  });

  it('knows the bounds its spans give, without making them: untimed spans, far-off times and NaN too', () => {
    const time = fc.oneof(fc.integer({ min: 1_000_000, max: 1_000_050 }), fc.constant(1_000_000 + 3_600e6 * 24 * 400), fc.constant(NaN));
    const entries = fc.array(fc.tuple(genEntry, opt(time)), { minLength: 0, maxLength: 30 });
    fc.assert(
      fc.property(entries, (raw) => {
        const fold = new TraceFold('t1');
        raw.forEach(([e, t], i) => fold.add({ ...e, line: i + 1, ...(t !== undefined ? { time: t } : {}) }, i));
        expect(fold.bounds()).toEqual(plainBounds(fold.spans()));
      }),
      { numRuns: 2000 },
    );
    // The same for a trace read in two parts, one of them packed on another thread and merged. (Times
    // as entries hold them: safe integers, parse-time.ts; a NaN does not cross threads, PackReader.num.)
    const finite = fc.array(fc.tuple(genEntry, opt(fc.oneof(fc.integer({ min: 1_000_000, max: 1_000_050 }), fc.constant(1_000_000 + 3_600e6 * 24 * 400)))), { maxLength: 30 });
    fc.assert(
      fc.property(finite, fc.nat(30), (raw, cut) => {
        const [mine, theirs] = [new TraceFold('t1'), new TraceFold('t1')];
        raw.forEach(([e, t], i) => (i < cut ? mine : theirs).add({ ...e, line: i + 1, ...(t !== undefined ? { time: t } : {}) }, i));
        const w = new PackWriter();
        theirs.pack(w);
        mine.merge(TraceFold.unpack(new PackReader(w.finish())));
        expect(mine.bounds()).toEqual(plainBounds(mine.spans()));
      }),
      { numRuns: 2000 },
    );
    // Not vacuous: some folds have bounds, and some (a far-off or NaN time) have none.
    const near = new TraceFold('t1');
    near.add({ source: 'f', line: 1, traceId: 't1', error: false, spanId: 'a', time: 10, duration: 4 }, 0);
    expect(near.bounds()).toEqual({ start: 6, end: 10 });
    const far = new TraceFold('t1');
    far.add({ source: 'f', line: 1, traceId: 't1', error: false, spanId: 'a', time: 10 }, 0);
    far.add({ source: 'f', line: 2, traceId: 't1', error: false, spanId: 'b', time: 10 + 3_600e6 * 24 * 400 }, 1);
    expect(far.bounds()).toBeUndefined();
  });

  // Worker threads fold parts of a trace apart: the entries are dealt to two folds (in arrival order
  // within each, arrivals global as the collector numbers them by chunk), one of them crosses as packed
  // data, and the merge must be the fold of all the entries, whichever part comes first.
  it('merges folds of disjoint parts into the fold of the whole', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(genEntry, genRankedEntry), fc.boolean()), { minLength: 1, maxLength: 40 }), fc.boolean(), (raw, packedFirst) => {
        const entries = raw.map(([e], i) => ({ ...e, line: i + 1 }));
        const arrival = (i: number) => Math.floor(i / 3) * 2 ** 32 + (i % 3); // chunks of three lines
        const mine = new TraceFold('t1');
        const theirs = new TraceFold('t1');
        entries.forEach((e, i) => (raw[i]![1] ? theirs : mine).add(e, arrival(i)));
        const w = new PackWriter();
        theirs.pack(w);
        const crossed = TraceFold.unpack(new PackReader(w.finish()));
        const [into, from] = packedFirst ? [crossed, mine] : [mine, crossed];
        into.merge(from);
        expect(into.spans()).toEqual(spansFromEntries(entries, { events: false }));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TraceFold and a far-off line among a span\'s lines', () => {
  it('takes start, end and first line from the lines of today, read whole or in two parts', () => {
    // T = 2025-03-14T09:25:00Z (µs). Span s1: line 1 at 1970 (first to arrive), lines 2-3 at T .. T+130 ms,
    // line 4 at 2200. Span s1 is [T, T + 130 ms], named "reserve stock", first line 2.
    const T = Date.UTC(2025, 2, 14, 9, 25) * 1000;
    const at = (line: number, time: number, message: string): Entry => ({ source: 'f', line, traceId: 't1', error: false, spanId: 's1', service: 'orders', time, message });
    const lines = [at(1, 0, 'stock client connected'), at(2, T, 'reserve stock'), at(3, T + 130_000, 'stock reserved'), at(4, Date.UTC(2200, 0, 1) * 1000, 'retry timer armed')];
    const whole = new TraceFold('t1');
    lines.forEach((e, i) => whole.add(e, i));
    const [a, b] = [new TraceFold('t1'), new TraceFold('t1')];
    lines.forEach((e, i) => (i % 2 === 0 ? a : b).add(e, i));
    const w = new PackWriter();
    a.pack(w);
    b.merge(TraceFold.unpack(new PackReader(w.finish())));
    for (const fold of [whole, b]) {
      const [s] = fold.spans();
      expect(s && [s.start, s.end, s.operation, s.whereLine]).toEqual([T, T + 130_000, 'reserve stock', 2]);
      expect(fold.bounds()).toEqual({ start: T, end: T + 130_000 });
    }
  });
});

describe('FoldRows', () => {
  // A collector keeps every trace's spans in one FoldRows, which grows as rows come; a trace of more
  // than a few spans finds them by a map instead of a walk; a worker's part is unpacked into the same
  // rows and merged there. Traces dealt out of order must not mix, whatever their number of spans.
  it('keeps traces of many spans apart in shared rows, merged in the same rows', () => {
    // Each line: its span, parent, trace, and part: 0 read here, 1 on another thread (packed, unpacked
    // and merged), 2 read here after the merge (a merge's places must stay right for later lines). The
    // third trace's part is unpacked into rows of its own, as a fold merged from another collector's.
    const many = fc.tuple(genEntry, fc.nat(19), fc.option(fc.nat(19), { nil: undefined }), fc.nat(2), fc.nat(2));
    fc.assert(
      // (at least 60 lines: fast-check's arrays are short unless told)
      fc.property(fc.array(many, { minLength: 60, maxLength: 150 }), (raw) => {
        const rows = new FoldRows(2);
        const ids = ['t0', 't1', 't2'];
        const mine = ids.map((id) => new TraceFold(id, rows));
        const theirs = ids.map((id) => new TraceFold(id, rows));
        const byTrace: Entry[][] = [[], [], []];
        const late: [number, Entry, number][] = [];
        raw.forEach(([base, span, parent, t, part], i) => {
          const e: Entry = { ...base, line: i + 1, traceId: ids[t]!, spanId: `s${span}` };
          if (parent !== undefined) e.parentSpanId = `s${parent}`;
          if (base.spanId === undefined) delete e.spanId; // some lines without a span id still
          byTrace[t]!.push(e);
          if (part === 2) late.push([t, e, i]);
          else (part === 1 ? theirs : mine)[t]!.add(e, i);
        });
        ids.forEach((_, t) => {
          const w = new PackWriter();
          theirs[t]!.pack(w);
          mine[t]!.merge(TraceFold.unpack(new PackReader(w.finish()), t === 2 ? new FoldRows() : rows));
        });
        for (const [t, e, i] of late) mine[t]!.add(e, i);
        ids.forEach((_, t) => {
          if (byTrace[t]!.length > 0) expect(mine[t]!.spans()).toEqual(spansFromEntries(byTrace[t]!, { events: false }));
          else expect(mine[t]!.spans()).toEqual([]);
        });
      }),
      { numRuns: 500 },
    );
    // Not vacuous: one trace past the walk (more than eight spans, each of two lines), added and merged
    // in one set of rows.
    const rows = new FoldRows(2);
    const [a, b] = [new TraceFold('t', rows), new TraceFold('t', rows)];
    const entries: Entry[] = Array.from({ length: 48 }, (_, i) => ({ source: 'f', line: i + 1, traceId: 't', error: false, spanId: `s${i % 12}`, ...(i % 12 > 0 ? { parentSpanId: `s${(i % 12) - 1}` } : {}), time: 100 + i }));
    entries.forEach((e, i) => (i < 24 ? a : b).add(e, i));
    a.merge(b);
    const spans = a.spans();
    expect(spans).toHaveLength(12);
    expect(spans).toEqual(spansFromEntries(entries, { events: false }));
  });
});

describe('TraceFold.columns', () => {
  // Columns have no ids: a span is known by what latency reads of it, and its parent by the parent's.
  const fields = (start: number, end: number, service: string, operation: string, error: boolean) => JSON.stringify([start, end, service, operation, error]);
  const ofSpan = (s: Span) => fields(s.start, Math.max(s.end, s.start), s.service, s.operation, s.error);

  it("holds each span as spans() makes it, its parent as buildTree links it, and buildTree's self times", () => {
    let took = 0;
    fc.assert(
      fc.property(fc.array(genEntry, { minLength: 1, maxLength: 40 }), fc.boolean(), (raw, everyLineASpan) => {
        const fold = new TraceFold('t1');
        raw.forEach((e, i) => fold.add({ ...e, line: i + 1, ...(everyLineASpan ? { spanId: e.spanId ?? 'd' } : {}) }, i));
        const spans = fold.spans();
        const c = new SpanColumns(PLAIN_MAX_SPANS);
        const loose = spans.some((s) => s.inferred === true);
        // Spans naming no parent among others: buildTree may infer a parent from timing (infer-parents.ts)
        // when there are two, or when another span encloses the one.
        const parentless = spans.flatMap((s, k) => (s.parentSpanId ? [] : [k]));
        const orphan = spans.length > 1 && (parentless.length > 1 || (parentless.length === 1 && mayInferParent(parentless[0]!, spans.length, spans.map((s) => s.start), spans.map((s) => Math.max(s.end, s.start)))));
        expect(fold.columns(c)).toBe(!loose && !orphan);
        if (loose || orphan) return;
        took++;
        const tree = buildTree('t1', spans);
        const treeSelf = selfTimesBySpan(tree.layout, spans.length);
        const { spanIndex, parent } = tree.layout;
        const want = [...spanIndex].map((s, k) => [ofSpan(spans[s]!), parent[k] === -1 ? null : ofSpan(spans[spanIndex[parent[k]!]!]!), treeSelf[s]]);
        const got = Array.from({ length: c.length }, (_, i) => {
          const p = c.parent[i]!;
          return [fields(c.start[i]!, c.end[i]!, c.service[i]!, c.operation[i]!, c.error[i] === 1), p === -1 ? null : fields(c.start[p]!, c.end[p]!, c.service[p]!, c.operation[p]!, c.error[p] === 1)];
        });
        const self = new Float64Array(PLAIN_MAX_SPANS);
        const cycle = tree.warnings.some((w) => w.kind === 'cycle');
        // A parent cycle is the one link buildTree makes otherwise (it cuts it); linkedSelfTimes declines it.
        expect(linkedSelfTimes(c.length, c.start, c.end, c.parent, self)).toBe(!cycle);
        const byText = (a: unknown[], b: unknown[]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
        if (!cycle) expect(got.map((g, i) => [...g, self[i]]).sort(byText)).toEqual(want.sort(byText));
      }),
      { numRuns: 3000 },
    );
    expect(took).toBeGreaterThan(600); // many runs reach the comparison
  });

  it('declines a trace with more spans than the columns hold', () => {
    const fold = new TraceFold('t1');
    for (let i = 0; i < 5; i++) fold.add({ source: 'f', line: i + 1, traceId: 't1', error: false, spanId: `s${i}`, time: 10 + i, parentSpanId: i > 0 ? 's0' : 'up' }, i);
    expect(fold.columns(new SpanColumns(4))).toBe(false);
    const c = new SpanColumns(5);
    expect(fold.columns(c)).toBe(true);
    expect(c.length).toBe(5);
  });
});

describe('TraceCollector.traceSpans on folded log lines alone', () => {
  // The collector takes a shortcut when every trace is a fold (no entries kept, no span records): the
  // same traces in the same order, each with the spans spansOf gives, and the same ones passed over.
  it('yields what the general path yields', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('t1', 't2', 't3', 't4'), genEntry), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1_000_000, max: 1_000_060 }), (raw, cut) => {
        const make = () => {
          const c = new TraceCollector(undefined, { fold: true });
          raw.forEach(([traceId, e], i) => c.entry({ ...e, traceId, line: i + 1 }));
          return c;
        };
        const expected = make();
        const ids = expected.traceIds();
        const want = ids.map((id) => ({ traceId: id, spans: expected.spansOf(id, false) }));
        expect([...make().traceSpans(false, true)]).toEqual(want);
        // Passed over: the traces that end before `cut`, by their bounds.
        const passOver = (_id: string, _start: number, end: number) => end < cut;
        const kept = want.filter((t) => !(plainBounds(t.spans)!.end < cut));
        const c = make();
        expect([...c.traceSpans(false, true, undefined, passOver)]).toEqual(kept);
        expect(c.traceIds()).toEqual([]); // released
        // Used folds are not yielded; `except`'s are kept, in the order first seen.
        const used = new Set<string>();
        const useOdd = (fold: TraceFold) => ids.indexOf(fold.traceId) % 2 === 1 && used.add(fold.traceId) !== undefined;
        const except = new Set(ids.filter((_, i) => i % 3 === 2));
        const d = make();
        expect([...d.traceSpans(false, true, except, undefined, useOdd)]).toEqual(want.filter((t, i) => i % 2 === 0 && !except.has(t.traceId)));
        expect([...used]).toEqual(ids.filter((id, i) => i % 2 === 1 && !except.has(id)));
        expect(d.traceIds()).toEqual(ids.filter((id) => except.has(id)));
      }),
      { numRuns: 300 },
    );
  });

  it('forgets only the traces done when its caller stops early', () => {
    const c = new TraceCollector(undefined, { fold: true });
    for (const [i, id] of ['t1', 't2', 't3', 't4'].entries()) c.entry({ source: 'f', line: i + 1, traceId: id, spanId: 's', error: false, time: 10 });
    for (const t of c.traceSpans(false, true, new Set(['t1']))) if (t.traceId === 't3') break;
    expect(c.traceIds()).toEqual(['t1', 't4']);
  });
});
