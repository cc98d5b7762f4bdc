import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/model/span.js';
import { byId, readPeer, ZIPKIN } from './peerdata.js';

const orphans = (spans: Span[]) => {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => s.parentSpanId !== undefined && !ids.has(s.parentSpanId));
};

describe('Zipkin v2: a client and its shared server half are two spans, as Jaeger and Zipkin model them (D119)', () => {
  it('yelp.json: 16 records, 3 shared pairs -> 16 spans, each half with its own service, timing and host', () => {
    const r = readPeer(ZIPKIN + 'yelp.json');
    expect(r.format).toBe('zipkin');
    expect(r.warnings).toEqual([]);
    expect(r.spans).toHaveLength(16);
    expect(new Set(r.spans.map((s) => s.spanId)).size).toBe(13);
    expect(r.spans[0]?.traceId).toBe('0000000000000000a03ee8fff1dcd9b9');
    const halves = (id: string) => ['client', 'server'].map((k) => r.spans.find((s) => s.spanId === id && s.kind === k)!);
    const [client, server] = halves('f5f268651b2a2b34');
    expect([client!.service, client!.operation, client!.start, client!.end - client!.start, client!.host]).toEqual(['yelp-main', 'post', 1571896375287000, 56000, 'yelp-main']);
    expect([server!.service, server!.operation, server!.start, server!.end - server!.start, server!.host]).toEqual(['mobile_api', 'post /location/update/v4', 1571896375297103, 41740, 'mobile_api']);
    // Both name the caller's parent; the tree builder hangs the server under the client.
    expect([client!.parentSpanId, server!.parentSpanId]).toEqual(['2e8cfb154b59a41f', '2e8cfb154b59a41f']);
    expect([client!.attributes['zipkin.shared'], server!.attributes['zipkin.shared']]).toEqual([undefined, true]);
    expect(client!.attributes['peer.service']).toBe('mobile_api');
    const [, spectre] = halves('7a778764a0d0b594');
    expect([spectre!.service, spectre!.end - spectre!.start]).toEqual(['spectre', 1490]);
    // The client half's service "unknown" is Zipkin's placeholder, not a name.
    const [proxyClient, proxy] = halves('668ed78ad94b35a1');
    expect([proxyClient!.service, proxy!.service]).toEqual(['unknown', 'yelp_main/api_proxy']);
    expect(proxy!.events.map((e) => e.message)).toEqual(['py_zipkin.logging_end']);
    expect(byId(r.spans, '2e8cfb154b59a41f').parentSpanId).toBeUndefined();
    expect(byId(r.spans, '6a65182ea4f684c3').attributes['peer.service']).toBe('memcache');
  });

  it('ascend.json: 8 records, 2 shared pairs -> 8 spans', () => {
    const r = readPeer(ZIPKIN + 'ascend.json');
    expect(r.spans).toHaveLength(8);
    const pair = r.spans.filter((s) => s.spanId === 'ecc00062ceef4bf0').map((s) => [s.kind, s.service, s.operation, s.start, s.end - s.start, s.host]);
    expect(pair).toEqual([
      ['client', 'mobile-gateway', 'get', 1531282088548312, 20333, '172.17.0.13'],
      ['server', 'content-service', 'get /content/personal', 1531282088552037, 15888, '172.17.0.10'],
    ]);
    expect(r.spans.filter((s) => s.spanId === '52b1ab4956917c39').map((s) => s.service)).toContain('auth-service');
    expect(byId(r.spans, 'ef86c83c0a05a6d6').parentSpanId).toBeUndefined();
    expect(orphans(r.spans)).toEqual([]);
  });

  it('smartthings: 175 records, 130 ids, 41 shared; a fan-out id keeps its 6 parts', () => {
    const r = readPeer(ZIPKIN + 'smartthings-oauth-authorization.json');
    // 89 single records + 40 pairs of halves + 6 parts of 9d2d35b746db84f3 (1 client, 5 separate receives).
    expect(r.spans).toHaveLength(175);
    expect(new Set(r.spans.map((s) => s.spanId)).size).toBe(130);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/9d2d35b746db84f3 has 1 unshared and 5 shared parts/);
    expect(new Set(r.spans.map((s) => s.service)).size).toBe(8);
    const start = Math.min(...r.spans.map((s) => s.start));
    const end = Math.max(...r.spans.map((s) => s.end));
    expect(end - start).toBe(100348445); // ~100 s
    const roots = r.spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.map((s) => s.spanId)).toEqual(['8ce82b2e9ed820ba']);
    // The 401 is tagged on both halves: the caller saw it and the server answered it.
    const failed = r.spans.filter((s) => s.error);
    expect(failed.map((s) => [s.spanId, s.errorMessage, s.kind, s.service])).toEqual([
      ['c47bff7f7964b321', '401', 'client', 'stlogin'],
      ['c47bff7f7964b321', '401', 'server', 'auth'],
    ]);
    // A client "redirect" without duration, and its duration-less server half.
    const redirect = r.spans.filter((s) => s.spanId === 'c2fac1d86e52d441').map((s) => [s.kind, s.operation, s.start, s.end - s.start]);
    expect(redirect).toEqual([
      ['client', 'authorize', 1543334726296197, 0],
      ['server', 'unknown', 1543334727098066, 0],
    ]);
  });

  it('envoy.json: a lone shared span stays a span', () => {
    const r = readPeer(ZIPKIN + 'envoy.json');
    expect(r.spans).toHaveLength(1);
    expect([r.spans[0]?.kind, r.spans[0]?.service, r.spans[0]?.end]).toEqual(['server', 'unknown', 1570523661186347]);
  });
});

describe('Zipkin v2: other peer files', () => {
  it('skew.json: the server half starts ~65 ms before its client half, on another host', () => {
    const r = readPeer(ZIPKIN + 'skew.json');
    expect(r.spans).toHaveLength(4);
    const [client, server] = ['client', 'server'].map((k) => r.spans.find((s) => s.spanId === '74280ae0c10d8062' && s.kind === k)!);
    expect([client!.service, client!.host, client!.start, client!.end - client!.start]).toEqual(['servicea', '127.0.0.0', 1470150004074202, 94539]);
    expect([server!.service, server!.host, server!.start, server!.end - server!.start]).toEqual(['serviceb', '192.0.0.0', 1470150004008761, 93577]);
    expect(client!.start - server!.start).toBe(65441);
    expect(byId(r.spans, '43210ae0c10d1234').host).toBe('192.0.0.0');
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
