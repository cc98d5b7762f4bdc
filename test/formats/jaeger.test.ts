import { describe, expect, it } from 'vitest';
import { byId, JAEGER_UI, readPeer } from './peerdata.js';

describe('Jaeger UI JSON, bare trace object (jaeger ui_01.json)', () => {
  const r = readPeer('jaeger/internal/uimodel/converter/v1/json/fixtures/ui_01.json');
  it('reads all 5 spans, including two different spans sharing id 2', () => {
    expect(r.format).toBe('jaeger');
    expect(r.warnings).toEqual([]);
    expect(r.spans).toHaveLength(5);
    const twos = r.spans.filter((s) => s.spanId === '0000000000000002');
    expect(twos.map((s) => s.operation)).toEqual(['test-general-conversion', 'some-operation']);
    // 64-bit trace ids are widened to 128 bits, the way B3/Jaeger ids enter W3C traceparent.
    expect(r.spans[0]?.traceId).toBe('00000000000000000000000000000001');
  });
  it('takes the error tag, int64 beyond 2^53 as a string, and the binary tag as written', () => {
    const s = r.spans[1];
    expect(s?.error).toBe(true);
    expect(s?.attributes.javascript_limit).toBe('9223372036854775222');
    expect(s?.attributes.blob).toBe('AAAwOQ==');
    expect(s?.attributes.temperature).toBe(72.5);
    expect(r.spans[0]?.error).toBe(false);
  });
  it('picks the first same-trace CHILD_OF as parent; the rest become links', () => {
    const s = byId(r.spans, '0000000000000004');
    expect(s.parentSpanId).toBe('0000000000000002');
    expect(s.parentIsFollowsFrom).toBeUndefined();
    expect(s.links).toEqual([
      { traceId: '000000000000000000000000000000ff', spanId: '00000000000000ff', kind: 'child_of' },
      { traceId: '00000000000000000000000000000001', spanId: '0000000000000002', kind: 'follows_from' },
    ]);
    expect(byId(r.spans, '0000000000000005').parentSpanId).toBe('0000000000000004');
  });
  it('maps processes to services and logs to events', () => {
    expect(r.spans.map((s) => s.service)).toEqual(['service-x', 'service-x', 'service-y', 'service-y', 'service-y']);
    expect(r.spans[0]?.events.map((e) => [e.time, e.message])).toEqual([
      [1485467191639875, 'some-event'],
      [1485467191639875, 'log'],
    ]);
    expect(r.spans.map((s) => s.end - s.start)).toEqual([5, 5, 5, 5, 4]);
  });
});

describe('Jaeger {"data": {trace}} (jaeger-ui testTrace.json)', () => {
  const r = readPeer(JAEGER_UI + 'components/TracePage/TraceFlamegraph/testTrace.json');
  it('reads 4 spans of 2 services in a 1.18 s chain', () => {
    expect(r.format).toBe('jaeger');
    expect(r.spans).toHaveLength(4);
    expect(new Set(r.spans.map((s) => s.service))).toEqual(new Set(['load-generator', 'ride-sharing-app']));
    const root = byId(r.spans, '487f03177ef9cf89');
    expect(root.parentSpanId).toBeUndefined();
    expect(root.operation).toBe('OrderVehicle');
    expect(root.end - root.start).toBe(1181596);
    const client = byId(r.spans, 'd81ccf159d71bc66');
    expect(client.parentSpanId).toBe('487f03177ef9cf89');
    expect(client.kind).toBe('client');
    const server = byId(r.spans, '3d4670fa91902216');
    expect([server.parentSpanId, server.kind, server.service]).toEqual(['d81ccf159d71bc66', 'server', 'ride-sharing-app']);
    expect(byId(r.spans, '7bc101ef51dbc40c').parentSpanId).toBe('3d4670fa91902216');
  });
});
