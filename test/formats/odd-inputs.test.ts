import { describe, expect, it } from 'vitest';
import { decodeOtlpId } from '../../src/formats/ids.js';
import { nanosToInstant } from '../../src/formats/nanos.js';
import { isSpanDocument, readSpanDocument } from '../../src/formats/read-span-document.js';
import { compareInstants } from '../../src/core/time.js';

const where = { source: 'x.json', line: 3 };

const otlpSpan = (fields: Record<string, unknown>) => ({
  resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'op', ...fields }] }] }],
});

describe('nanosecond strings beyond 2^53', () => {
  it.each([
    ['1706678909209712000', 1706678909209712, 0],
    ['1706678909209712999', 1706678909209712, 999],
    ['1706678909209712001', 1706678909209712, 1],
    ['000000000000001500', 1, 500],
    ['999', 0, 999],
  ])('%s -> %d µs + %d ns', (raw, us, nanos) => {
    expect(nanosToInstant(raw)).toEqual({ us, nanos });
  });
  it.each([['0'], [''], ['-5'], ['1.5e18'], ['12ab'], [null], [{}], [0], [Number.NaN]])('%j is no time', (raw) => {
    expect(nanosToInstant(raw)).toBeUndefined();
  });
  it('keeps the order of starts that differ only below a microsecond', () => {
    const r = readSpanDocument(
      {
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  { traceId: 'ab'.repeat(16), spanId: '01'.repeat(8), startTimeUnixNano: '1706678909209712002', endTimeUnixNano: '1706678909209713000' },
                  { traceId: 'ab'.repeat(16), spanId: '02'.repeat(8), startTimeUnixNano: '1706678909209712001', endTimeUnixNano: '1706678909209713000' },
                ],
              },
            ],
          },
        ],
      },
      where,
    );
    const [a, b] = r?.spans ?? [];
    expect(a && b && compareInstants(a.start, a.startNanos, b.start, b.startNanos)).toBeGreaterThan(0);
  });
  it('accepts numbers (already imprecise) as integers', () => {
    const r = readSpanDocument(otlpSpan({ startTimeUnixNano: 1700000000000000000, endTimeUnixNano: 1700000000001000000 }), where);
    expect(r?.spans[0]?.start).toBe(1700000000000000);
    expect((r?.spans[0]?.end ?? 0) - (r?.spans[0]?.start ?? 0)).toBe(1000);
  });
});

describe('OTLP ids, kinds, status', () => {
  it.each([
    ['5B8EFFF798038103D269B633813FC60C', '5b8efff798038103d269b633813fc60c'],
    ['Sc130fnc2TY=', '49cd77d1f9dcd936'],
    ['Sc130fnc2TY', '49cd77d1f9dcd936'],
    ['AAAAAAAAAAA=', undefined],
    ['0000000000000000', undefined],
    ['not an id!', undefined],
  ])('id %s -> %s', (raw, hex) => {
    expect(decodeOtlpId(raw)).toBe(hex);
  });
  it.each([
    [{ kind: 3 }, 'client'],
    [{ kind: 'SPAN_KIND_PRODUCER' }, 'producer'],
    [{ kind: 0 }, undefined],
    [{ kind: 9 }, undefined],
    [{ kind: 'weird' }, undefined],
  ])('kind %j -> %s', (fields, kind) => {
    const r = readSpanDocument(otlpSpan({ startTimeUnixNano: '1', ...fields }), where);
    expect(r?.spans[0]?.kind).toBe(kind);
  });
  it.each([
    [{ code: 2, message: 'boom' }, true, 'boom'],
    [{ code: 'STATUS_CODE_ERROR' }, true, undefined],
    [{ code: 1 }, false, undefined],
    ['broken', false, undefined],
  ])('status %j -> error %s', (status, error, message) => {
    const r = readSpanDocument(otlpSpan({ startTimeUnixNano: '1', status }), where);
    expect([r?.spans[0]?.error, r?.spans[0]?.errorMessage]).toEqual([error, message]);
  });
  it('takes the error message from an exception event and keeps links', () => {
    const r = readSpanDocument(
      otlpSpan({
        startTimeUnixNano: '1000',
        endTimeUnixNano: '2000',
        status: { code: 2 },
        events: [{ name: 'exception', timeUnixNano: '1500', attributes: [{ key: 'exception.message', value: { stringValue: 'db down' } }] }],
        links: [{ traceId: 'ef'.repeat(16), spanId: '12'.repeat(8) }, { traceId: 'zz' }],
      }),
      where,
    );
    const s = r?.spans[0];
    expect([s?.errorMessage, s?.events[0]?.level, s?.events[0]?.time]).toEqual(['db down', 'error', 1]);
    expect(s?.links).toEqual([{ traceId: 'ef'.repeat(16), spanId: '12'.repeat(8), kind: 'link' }]);
  });
});

describe('bad shapes give warnings, never exceptions', () => {
  const deep = (n: number): unknown => (n === 0 ? { stringValue: 'bottom' } : { kvlistValue: { values: [{ key: 'k', value: deep(n - 1) }] } });
  const cases: [string, unknown][] = [
    ['null', null],
    ['number', 42],
    ['string', 'resourceSpans'],
    ['array of numbers', [1, 2, 3]],
    ['resourceSpans of junk', { resourceSpans: [null, 1, 'x', { scopeSpans: 'no' }, { scopeSpans: [{ spans: [null, 5, {}] }] }] }],
    ['batches not an array', { batches: { a: 1 } }],
    ['resourceLogs of junk', { resourceLogs: [null, { scopeLogs: [{ logRecords: [7, { body: 3, severityNumber: 'x' }] }] }] }],
    ['jaeger data of junk', { data: [{ traceID: 'a', spans: [null, { spanID: 'b' }, { traceID: 1, spanID: 2, startTime: 'no' }] }] }],
    ['jaeger bad processes', { traceID: 'a', spans: [{ traceID: 'a', spanID: 'b', startTime: 1, processID: '__proto__' }], processes: null }],
    ['zipkin array of junk', [{ traceId: 'a', id: 'b' }, null, 'x', { traceId: 'a', id: 'b', annotations: 'no' }]],
    ['apm span without ids', { span: { name: 'x' } }],
    ['apm transaction no timestamp', { transaction: { id: 'aa', trace_id: 'bb' } }],
    ['deep kvlist', otlpSpan({ startTimeUnixNano: '5', attributes: [{ key: 'deep', value: deep(5000) }] })],
    ['__proto__ attribute', JSON.parse('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"' + 'ab'.repeat(16) + '","spanId":"' + 'cd'.repeat(8) + '","startTimeUnixNano":"5","attributes":[{"key":"__proto__","value":{"stringValue":"polluted"}}]}]}]}]}')],
  ];
  it.each(cases)('%s', (_name, value) => {
    expect(() => isSpanDocument(value)).not.toThrow();
    expect(() => readSpanDocument(value, where)).not.toThrow();
    const r = readSpanDocument(value, where);
    for (const s of r?.spans ?? []) expect(s.end).toBeGreaterThanOrEqual(s.start);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('warns with the place for spans missing ids', () => {
    const r = readSpanDocument({ resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: 'cd'.repeat(8) }] }] }] }, where);
    expect(r?.warnings).toEqual(['x.json:3#0: otlp: span without a valid traceId (skipped)']);
  });
  it('keeps a __proto__ attribute as plain data', () => {
    const r = readSpanDocument(cases[13]?.[1], where);
    expect(Object.getOwnPropertyDescriptor(r?.spans[0]?.attributes, '__proto__')?.value).toBe('polluted');
  });
  it('cuts nesting at a fixed depth', () => {
    const r = readSpanDocument(cases[12]?.[1], where);
    expect(JSON.stringify(r?.spans[0]?.attributes)).toContain('[nested too deep]');
  });
  it('skips a zipkin record with no timestamp and no annotations, saying where', () => {
    const r = readSpanDocument([{ traceId: 'a', id: 'b', name: 'x' }], where);
    expect(r?.spans).toEqual([]);
    expect(r?.warnings).toEqual(['x.json:3#0: zipkin: span 000000000000000b has no timestamp and no annotations (skipped)']);
  });
  it('gives a zipkin record without timestamp one from its annotations, and no duration', () => {
    const r = readSpanDocument([{ traceId: 'a', id: 'b', annotations: [{ timestamp: 20, value: 'ws' }, { timestamp: 10, value: 'cs' }] }], where);
    // Without `duration` the span is unfinished: 0, as Zipkin shows it; the last annotation is no end.
    expect([r?.spans[0]?.start, r?.spans[0]?.end]).toEqual([10, 10]);
    expect(r?.spans[0]?.attributes['zipkin.unfinished']).toBe(true);
  });
  it('merges a zipkin record sent in two pieces (start, then finish)', () => {
    const r = readSpanDocument(
      [
        { traceId: 'a', id: 'b', name: 'get', kind: 'CLIENT', timestamp: 100, localEndpoint: { serviceName: 'web' } },
        { traceId: 'a', id: 'b', duration: 50, tags: { error: 'timeout' } },
      ],
      where,
    );
    expect(r?.spans.map((s) => [s.start, s.end, s.error, s.errorMessage, s.service])).toEqual([[100, 150, true, 'timeout', 'web']]);
  });
});

describe('isSpanDocument tells span documents from log lines', () => {
  it.each([
    [{ resourceSpans: [] }, true],
    [{ batches: [] }, true],
    [{ resourceLogs: [] }, true],
    [{ data: [{ traceID: 'a', spans: [] }] }, true],
    [{ traceID: 'a', spans: [] }, true],
    [[{ traceId: 'a', id: 'b' }], true],
    [{ metadata: { service: {} } }, true],
    [{ spanId: 'a', name: 'x', startTime: 1, endTime: 2 }, true],
    [{ level: 'info', msg: 'hello', traceId: 'abc', spanId: 'def' }, false],
    [{ log: 'plain docker line\n', stream: 'stdout', time: '2024-01-01T00:00:00Z' }, false],
    [{ span: { id: 'x' }, msg: 'two keys' }, false],
    [{ data: [1, 2] }, false],
    [[], false],
    [[1], false],
    [null, false],
  ])('%j -> %s', (value, expected) => {
    expect(isSpanDocument(value)).toBe(expected);
  });
});
