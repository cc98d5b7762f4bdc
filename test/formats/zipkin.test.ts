import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/model/span.js';
import { byId, readPeer, ZIPKIN } from './peerdata.js';

const orphans = (spans: Span[]) => {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => s.parentSpanId !== undefined && !ids.has(s.parentSpanId));
};

describe('Zipkin v2: client and shared server halves merge into one span', () => {
  it('yelp.json: 16 records, 3 shared pairs -> 13 spans', () => {
    const r = readPeer(ZIPKIN + 'yelp.json');
    expect(r.format).toBe('zipkin');
    expect(r.warnings).toEqual([]);
    expect(r.spans).toHaveLength(13);
    expect(new Set(r.spans.map((s) => s.spanId)).size).toBe(13);
    expect(r.spans[0]?.traceId).toBe('0000000000000000a03ee8fff1dcd9b9');
    // Server's name and service, client's timing (the caller's view of the whole call).
    const m = byId(r.spans, 'f5f268651b2a2b34');
    expect([m.service, m.operation, m.kind]).toEqual(['mobile_api', 'post /location/update/v4', 'server']);
    expect([m.start, m.end - m.start]).toEqual([1571896375287000, 56000]);
    expect(m.parentSpanId).toBe('2e8cfb154b59a41f');
    expect(m.host).toBe('yelp-main'); // the clock the timing came from
    expect(m.attributes['zipkin.client.service']).toBe('yelp-main');
    expect(m.attributes['zipkin.server.duration']).toBe(41740);
    const spectre = byId(r.spans, '7a778764a0d0b594');
    expect([spectre.service, spectre.end - spectre.start]).toEqual(['spectre', 3000]);
    // The client half's service "unknown" is Zipkin's placeholder, not a name.
    expect(byId(r.spans, '668ed78ad94b35a1').service).toBe('yelp_main/api_proxy');
    expect(byId(r.spans, '668ed78ad94b35a1').events.map((e) => e.message)).toEqual(['py_zipkin.logging_end']);
    expect(byId(r.spans, '2e8cfb154b59a41f').parentSpanId).toBeUndefined();
    expect(byId(r.spans, '6a65182ea4f684c3').attributes['peer.service']).toBe('memcache');
  });

  it('ascend.json: 8 records, 2 shared pairs -> 6 spans', () => {
    const r = readPeer(ZIPKIN + 'ascend.json');
    expect(r.spans).toHaveLength(6);
    const m = byId(r.spans, 'ecc00062ceef4bf0');
    expect([m.service, m.operation, m.start, m.end - m.start]).toEqual([
      'content-service',
      'get /content/personal',
      1531282088548312,
      20333,
    ]);
    expect(m.host).toBe('172.17.0.13');
    expect(byId(r.spans, '52b1ab4956917c39').service).toBe('auth-service');
    expect(byId(r.spans, 'ef86c83c0a05a6d6').parentSpanId).toBeUndefined();
    expect(orphans(r.spans)).toEqual([]);
  });

  it('smartthings: 175 records, 130 ids, 41 shared; a fan-out id keeps its 6 parts', () => {
    const r = readPeer(ZIPKIN + 'smartthings-oauth-authorization.json');
    // 89 single records + 40 merged pairs + 6 parts of 9d2d35b746db84f3 (1 client, 5 separate receives).
    expect(r.spans).toHaveLength(135);
    expect(new Set(r.spans.map((s) => s.spanId)).size).toBe(130);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/9d2d35b746db84f3 has 1 unshared and 5 shared parts/);
    expect(new Set(r.spans.map((s) => s.service)).size).toBe(8);
    const start = Math.min(...r.spans.map((s) => s.start));
    const end = Math.max(...r.spans.map((s) => s.end));
    expect(end - start).toBe(100348445); // ~100 s
    const roots = r.spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.map((s) => s.spanId)).toEqual(['8ce82b2e9ed820ba']);
    const failed = r.spans.filter((s) => s.error);
    expect(failed.map((s) => [s.spanId, s.errorMessage, s.service])).toEqual([['c47bff7f7964b321', '401', 'auth']]);
    // A client "redirect" without duration merged with its duration-less server half.
    const redirect = byId(r.spans, 'c2fac1d86e52d441');
    expect([redirect.operation, redirect.start, redirect.end - redirect.start]).toEqual(['authorize', 1543334726296197, 0]);
  });

  it('envoy.json: a lone shared span stays a span', () => {
    const r = readPeer(ZIPKIN + 'envoy.json');
    expect(r.spans).toHaveLength(1);
    expect([r.spans[0]?.kind, r.spans[0]?.service, r.spans[0]?.end]).toEqual(['server', 'unknown', 1570523661186347]);
  });
});

describe('Zipkin v2: other peer files', () => {
  it('skew.json: the merged RPC is timed by the client, its server-side child starts ~65 ms earlier', () => {
    const r = readPeer(ZIPKIN + 'skew.json');
    expect(r.spans).toHaveLength(3);
    const rpc = byId(r.spans, '74280ae0c10d8062');
    const child = byId(r.spans, '43210ae0c10d1234');
    expect([rpc.service, rpc.host, rpc.start]).toEqual(['serviceb', '127.0.0.0', 1470150004074202]);
    expect(child.host).toBe('192.0.0.0');
    expect(rpc.start - child.start).toBe(65440);
    expect(rpc.attributes['zipkin.server.timestamp']).toBe(1470150004008761);
  });
  it('messaging2.json: 11 spans, 6 of them orphans', () => {
    const r = readPeer(ZIPKIN + 'messaging2.json');
    expect(r.spans).toHaveLength(11);
    expect(orphans(r.spans)).toHaveLength(6);
  });
  it('messaging-kafka.json: producer/consumer kinds and error tags (an empty one too)', () => {
    const r = readPeer(ZIPKIN + 'messaging-kafka.json');
    expect(r.spans).toHaveLength(28);
    expect(r.spans.filter((s) => s.kind === 'producer')).toHaveLength(9);
    expect(r.spans.filter((s) => s.kind === 'consumer')).toHaveLength(7);
    expect(r.spans.filter((s) => s.error).map((s) => [s.spanId, s.errorMessage])).toEqual([
      ['2f77d5b0b8e0de35', 'some error'],
      ['4a64a63e4b58e665', 'some error'],
      ['568b33e6af8a225a', undefined],
    ]);
  });
  it('messaging.json and simple-db-p6.json read without warnings', () => {
    const a = readPeer(ZIPKIN + 'messaging.json');
    expect(a.spans).toHaveLength(4);
    expect(a.spans[0]?.traceId).toBe('5aab74dbb904746bb33447baae403ed6');
    const b = readPeer(ZIPKIN + 'simple-db-p6.json');
    expect(b.spans).toHaveLength(5);
    expect(b.spans.filter((s) => s.parentSpanId === '19f84f102048e047')).toHaveLength(4);
    expect([...a.warnings, ...b.warnings]).toEqual([]);
  });
});
