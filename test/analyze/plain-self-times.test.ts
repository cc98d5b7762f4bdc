import { mayInferParent } from '../../src/model/infer-parents.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyAccumulator } from '../../src/analyze/latency.js';
import { PLAIN_MAX_SPANS, plainSelfTimes } from '../../src/analyze/plain-self-times.js';
import { selfTimesBySpan } from '../../src/analyze/self-time.js';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { TraceFold } from '../../src/model/span-fold.js';

/**
 * plainSelfTimes is buildTree's self times for the traces it takes, and gives the others back. Spans of
 * every kind that matters to the tree: repeated ids, parents missing, empty or naming themselves, parent
 * cycles, children outside or across their parents, ends before starts, equal and fractional times.
 */
const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const genSpan = fc.record({
  spanId: fc.constantFrom(...ids),
  parentSpanId: fc.option(fc.constantFrom(...ids, '', 'zz'), { nil: undefined }),
  start: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0.5, 10.25, 33.3, 1_714_557_600_000_000)),
  length: fc.oneof(fc.integer({ min: -20, max: 120 }), fc.constantFrom(0, 0.1, 7.7)),
  service: fc.constantFrom('web', 'db'),
  operation: fc.constantFrom('GET /x', 'SELECT'),
  error: fc.boolean(),
  inferred: fc.boolean(),
  fromLog: fc.boolean(),
});

type RawSpan = typeof genSpan extends fc.Arbitrary<infer T> ? T : never;

function spansOf(raw: RawSpan[], distinct: boolean): Span[] {
  return raw.map((r, i) => {
    const s: Span = {
      traceId: 't1',
      spanId: distinct ? `${r.spanId}${i}` : r.spanId,
      service: r.service,
      operation: r.operation,
      start: r.start,
      end: r.start + r.length,
      error: r.error,
      attributes: {},
      events: [],
      origin: r.fromLog ? 'log' : 'record',
    };
    if (r.parentSpanId !== undefined) s.parentSpanId = distinct && r.parentSpanId.length === 1 ? `${r.parentSpanId}${(i * 7) % raw.length}` : r.parentSpanId;
    if (r.inferred) s.inferred = true;
    return s;
  });
}

describe('plainSelfTimes', () => {
  it("gives buildTree's self times for every trace it takes, and takes every plain one", () => {
    fc.assert(
      fc.property(fc.array(genSpan, { minLength: 0, maxLength: 12 }), fc.boolean(), (raw, distinct) => {
        const spans = spansOf(raw, distinct);
        const got = new Float64Array(PLAIN_MAX_SPANS).fill(-1);
        const took = plainSelfTimes(spans, got);
        const tree = buildTree('t1', spans);
        const cycle = tree.warnings.some((w) => w.kind === 'cycle');
        const repeated = new Set(spans.map((s) => s.spanId)).size < spans.length;
        // Declined exactly when the tree builder had to settle something.
        const placed = tree.warnings.some((w) => w.kind === 'no-start-time');
        // Log spans naming no parent among others: buildTree may infer a parent from timing when there are
        // two, or when another span encloses the one.
        const parentless = spans.flatMap((s, k) => (s.origin === 'log' && !s.parentSpanId ? [k] : []));
        const orphan = spans.length > 1 && (parentless.length > 1 || (parentless.length === 1 && mayInferParent(parentless[0]!, spans.length, spans.map((s) => s.start), spans.map((s) => Math.max(s.end, s.start)))));
        // And when it did infer one, the shortcut must have declined.
        if (tree.parentsInferred !== undefined && tree.parentsInferred.count > 0) expect(took).toBe(false);
        expect(took).toBe(!(cycle || repeated || placed || orphan));
        if (took) expect([...got.subarray(0, spans.length)]).toEqual([...selfTimesBySpan(tree.layout, spans.length)]);
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves traces past its size to buildTree', () => {
    const chain = (n: number): Span[] =>
      Array.from({ length: n }, (_, i): Span => ({
        traceId: 't', spanId: `s${i}`, ...(i > 0 ? { parentSpanId: `s${i - 1}` } : {}), service: 'x', operation: 'y', start: i, end: 100, error: false, attributes: {}, events: [], origin: 'record',
      }));
    const out = new Float64Array(PLAIN_MAX_SPANS + 1);
    expect(plainSelfTimes(chain(PLAIN_MAX_SPANS), out)).toBe(true);
    expect(plainSelfTimes(chain(PLAIN_MAX_SPANS + 1), out)).toBe(false);
  });
});

describe('LatencyAccumulator.addSpans', () => {
  it('adds what add(buildTree(spans)) adds, or declines', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(genSpan, { minLength: 1, maxLength: 10 }), fc.boolean()), { minLength: 1, maxLength: 6 }), (traces) => {
        const direct = new LatencyAccumulator('operation');
        const viaTree = new LatencyAccumulator('operation');
        traces.forEach(([raw, distinct], t) => {
          const spans = spansOf(raw, distinct).map((s) => ({ ...s, traceId: `t${t}` }));
          if (!direct.addSpans(spans)) direct.add(buildTree(`t${t}`, spans));
          viaTree.add(buildTree(`t${t}`, spans));
        });
        expect(direct.finish()).toEqual(viaTree.finish());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('LatencyAccumulator.addFold', () => {
  // Log lines of a few spans each: parents missing, empty, their own or looping, untimed spans, errors,
  // durations that move the start, lines without a span id (declined: placeholders need the spans).
  const genLine = fc.record({
    spanId: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { nil: undefined, freq: 8 }),
    parentSpanId: fc.option(fc.constantFrom('a', 'b', 'c', 'zz', ''), { nil: undefined }),
    service: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }),
    operation: fc.option(fc.constantFrom('GET /x', 'SELECT'), { nil: undefined }),
    message: fc.option(fc.constantFrom('start', 'done'), { nil: undefined }),
    time: fc.option(fc.integer({ min: 1_000, max: 1_100 }), { nil: undefined }),
    duration: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    error: fc.boolean(),
  });

  it.each(['service', 'operation'] as const)('adds what add(buildTree(fold.spans())) adds, by %s, or declines', (by) => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(fc.array(genLine, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }), (traces) => {
        const direct = new LatencyAccumulator(by);
        const viaTree = new LatencyAccumulator(by);
        traces.forEach((lines, t) => {
          const fold = new TraceFold(`t${t}`);
          lines.forEach((l, i) => {
            const e = { source: 'f.log', line: i + 1, traceId: `t${t}`, error: l.error } as Parameters<TraceFold['add']>[0];
            for (const k of ['spanId', 'parentSpanId', 'service', 'operation', 'message', 'time', 'duration'] as const) {
              if (l[k] !== undefined) (e as unknown as Record<string, unknown>)[k] = l[k];
            }
            fold.add(e, i);
          });
          if (direct.addFold(fold)) taken++;
          else direct.add(buildTree(`t${t}`, fold.spans()));
          viaTree.add(buildTree(`t${t}`, fold.spans()));
        });
        expect(direct.finish()).toEqual(viaTree.finish());
      }),
      { numRuns: 1500 },
    );
    expect(taken).toBeGreaterThan(1000);
  });

  it('declines a grouping by attribute (the columns hold no attributes)', () => {
    const fold = new TraceFold('t1');
    fold.add({ source: 'f', line: 1, traceId: 't1', error: false, spanId: 'a', time: 10, httpStatus: 200 }, 0);
    expect(new LatencyAccumulator({ attr: 'http.status_code' }).addFold(fold)).toBe(false);
    expect(new LatencyAccumulator('service').addFold(fold)).toBe(true);
  });
});
