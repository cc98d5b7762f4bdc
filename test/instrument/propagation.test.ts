import { describe, expect, it } from 'vitest';
import { extractContext, formatTraceparent, outgoingHeaders, parseB3Single, parseTraceparent } from '../../src/instrument/index.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads a valid header', () => {
    expect(parseTraceparent(`00-${T}-${P}-01`)).toEqual({ traceId: T, parentSpanId: P, sampled: true, source: 'traceparent' });
    expect(parseTraceparent(`00-${T}-${P}-00`)?.sampled).toBe(false);
    expect(parseTraceparent(`00-${T.toUpperCase()}-${P}-01`)?.traceId).toBe(T);
  });

  it('reads a future version by its first four fields', () => {
    expect(parseTraceparent(`01-${T}-${P}-01-what-comes-next`)?.traceId).toBe(T);
  });

  it.each([
    ['all-zero trace id', `00-${'0'.repeat(32)}-${P}-01`],
    ['all-zero parent id', `00-${T}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${T}-${P}-01`],
    ['short trace id', `00-${T.slice(1)}-${P}-01`],
    ['long span id', `00-${T}-${P}0-01`],
    ['non-hex', `00-${T.slice(0, -1)}g-${P}-01`],
    ['extra field in v00', `00-${T}-${P}-01-x`],
    ['two headers joined', `00-${T}-${P}-01, 00-${T}-${P}-01`],
    ['empty', ''],
  ])('rejects %s', (_name, v) => {
    expect(parseTraceparent(v)).toBeUndefined();
  });
});

describe('parseB3Single', () => {
  it('reads trace-span[-sampled[-parent]]', () => {
    expect(parseB3Single(`${T}-${P}-1-${'1'.repeat(16)}`)).toEqual({ traceId: T, parentSpanId: P, sampled: true, source: 'b3' });
    expect(parseB3Single(`${T}-${P}`)?.sampled).toBeUndefined();
    expect(parseB3Single(`${T}-${P}-0`)?.sampled).toBe(false);
    expect(parseB3Single(`${T}-${P}-d`)?.sampled).toBe(true);
  });

  it('pads a 64-bit trace id to 128 bits', () => {
    expect(parseB3Single(`a3ce929d0e0e4736-${P}`)?.traceId).toBe('0000000000000000a3ce929d0e0e4736');
  });

  it.each(['0', '1', `${T}-${P}-x`, `${T}-0000000000000000`, `${T}-${P}-1-zz`, `${T}-${P}-1-${P}-extra`])('rejects %j', (v) => {
    expect(parseB3Single(v)).toBeUndefined();
  });
});

describe('extractContext', () => {
  it('prefers traceparent over X-Trace-Id over b3 over X-B3-*', () => {
    const all = {
      traceparent: `00-${T}-${P}-01`,
      'x-trace-id': 'b'.repeat(32),
      'x-span-id': 'c'.repeat(16),
      b3: `${'d'.repeat(32)}-${'e'.repeat(16)}`,
      'x-b3-traceid': 'f'.repeat(32),
      'x-b3-spanid': '1'.repeat(16),
    };
    expect(extractContext(all)?.source).toBe('traceparent');
    expect(extractContext({ ...all, traceparent: undefined })?.source).toBe('x-trace-id');
    expect(extractContext({ ...all, traceparent: 'garbage', 'x-trace-id': undefined })?.source).toBe('b3');
    expect(extractContext({ 'x-b3-traceid': 'f'.repeat(32), 'x-b3-spanid': '1'.repeat(16), 'x-b3-sampled': '0' })).toEqual({
      traceId: 'f'.repeat(32), parentSpanId: '1'.repeat(16), sampled: false, source: 'b3-multi',
    });
    expect(extractContext({ 'x-b3-traceid': 'f'.repeat(32), 'x-b3-spanid': '1'.repeat(16), 'x-b3-flags': '1' })?.sampled).toBe(true);
  });

  it('reads X-Trace-Id with an optional span and sampled flag', () => {
    expect(extractContext({ 'x-trace-id': T, 'x-span-id': P, 'x-sampled': '0' })).toEqual({ traceId: T, parentSpanId: P, sampled: false, source: 'x-trace-id' });
    expect(extractContext({ 'x-trace-id': T, 'x-span-id': 'not-hex' })).toEqual({ traceId: T, parentSpanId: undefined, sampled: undefined, source: 'x-trace-id' });
  });

  it('works with fetch Headers', () => {
    expect(extractContext(new Headers({ traceparent: `00-${T}-${P}-01` }))?.traceId).toBe(T);
  });

  it.each([
    ['oversized value', { 'x-trace-id': T + ' '.repeat(300) }],
    ['oversized id', { 'x-trace-id': T + T }],
    ['all zeros', { 'x-trace-id': '0'.repeat(32) }],
    ['a uuid', { 'x-trace-id': '4bf92f35-77b3-4da6-a3ce-929d0e0e4736' }],
    ['a repeated header', { 'x-trace-id': [T, T] }],
    ['nothing', {}],
  ])('trusts nothing for %s', (_name, headers) => {
    expect(extractContext(headers)).toBeUndefined();
  });
});

describe('formatting', () => {
  it('writes traceparent and the outgoing header set', () => {
    expect(formatTraceparent(T, P, true)).toBe(`00-${T}-${P}-01`);
    expect(outgoingHeaders(T, P, '1'.repeat(16), false)).toEqual({
      traceparent: `00-${T}-${P}-00`,
      'x-trace-id': T,
      'x-span-id': P,
      'x-parent-span-id': '1'.repeat(16),
      'x-sampled': '0',
    });
    expect(outgoingHeaders(T, P, undefined, true)).not.toHaveProperty('x-parent-span-id');
  });

  it('round-trips: what we send is what we read', () => {
    const back = extractContext(outgoingHeaders(T, P, undefined, true));
    expect(back).toEqual({ traceId: T, parentSpanId: P, sampled: true, source: 'traceparent' });
  });
});
