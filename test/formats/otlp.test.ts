import { describe, expect, it } from 'vitest';
import { byId, JAEGER_UI, readPeer } from './peerdata.js';

describe('OTLP/JSON traces (opentelemetry-proto example)', () => {
  const r = readPeer('opentelemetry-proto/examples/trace.json');
  it('reads the one SERVER span with upper-case ids lowered and its absent parent kept', () => {
    expect(r.format).toBe('otlp');
    expect(r.warnings).toEqual([]);
    expect(r.spans).toHaveLength(1);
    const s = byId(r.spans, 'eee19b7ec3c1b174');
    expect(s.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(s.parentSpanId).toBe('eee19b7ec3c1b173');
    expect(s.service).toBe('my.service');
    expect(s.kind).toBe('server');
    expect(s.operation).toBe("I'm a server span");
    expect(s.start).toBe(1544712660000000);
    expect(s.end - s.start).toBe(1_000_000);
    expect(s.startNanos).toBe(0);
    expect(s.attributes['my.span.attr']).toBe('some value');
    expect(s.attributes['otel.scope.name']).toBe('my.library');
    expect(s.error).toBe(false);
    expect(s.where).toBe('trace.json:1#0');
  });
});

describe('OTLP/JSON logs (opentelemetry-proto example)', () => {
  const r = readPeer('opentelemetry-proto/examples/logs.json');
  it('gives one entry whose ids match the span in trace.json', () => {
    expect(r.format).toBe('otlp-logs');
    expect(r.spans).toEqual([]);
    expect(r.entries).toHaveLength(1);
    const e = r.entries[0];
    expect(e?.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(e?.spanId).toBe('eee19b7ec3c1b174');
    expect(e?.service).toBe('my.service');
    expect(e?.time).toBe(1544712660300000);
    expect(e?.level).toBe('info'); // severityNumber 10
    expect(e?.message).toBe('Example log record');
    expect(e?.error).toBe(false);
  });
  it('correlates with the trace file across formats', () => {
    const span = readPeer('opentelemetry-proto/examples/trace.json').spans[0];
    expect(r.entries[0]?.spanId).toBe(span?.spanId);
    expect(r.entries[0]?.time).toBeGreaterThan(span?.start ?? Infinity);
    expect(r.entries[0]?.time).toBeLessThan(span?.end ?? 0);
  });
});

describe('Grafana Tempo batches with base64 ids (kiali responseTrace.json)', () => {
  const r = readPeer('kiali/tracing/tracingtest/responseTrace.json');
  it('decodes 8 spans of 5 services into one hex trace', () => {
    expect(r.format).toBe('tempo');
    expect(r.warnings).toEqual([]);
    expect(r.spans).toHaveLength(8);
    expect(new Set(r.spans.map((s) => s.traceId))).toEqual(new Set(['3ba55609c3cde49649cd77d1f9dcd936']));
    expect(new Set(r.spans.map((s) => s.service)).size).toBe(5);
  });
  it('links client and server per hop, and the root has no parent', () => {
    const root = byId(r.spans, '49cd77d1f9dcd936'); // "Sc130fnc2TY="
    expect(root.parentSpanId).toBeUndefined();
    expect(root.kind).toBe('client');
    expect(root.service).toBe('istio-ingressgateway.istio-system');
    expect(root.end - root.start).toBe(11932);
    const server = byId(r.spans, '84756b1dab0856fa'); // "hHVrHasIVvo="
    expect(server.parentSpanId).toBe('49cd77d1f9dcd936');
    expect(server.kind).toBe('server');
    expect(server.service).toBe('productpage.bookinfo');
    const details = byId(r.spans, 'd23de5feae19a76d'); // "0j3l/q4Zp20="
    expect(details.parentSpanId).toBe('e9c8fd1deb3e88dd');
    expect(details.service).toBe('details.bookinfo');
    expect(r.spans.filter((s) => s.kind === 'client')).toHaveLength(4);
    expect(r.spans.every((s) => !s.error)).toBe(true); // status: {}
    expect(root.events[0]?.message).toBe('cr');
  });
});

describe('OTLP and the Jaeger JSON that Jaeger made from it give the same spans', () => {
  const pairs = [
    ['utils/fixtures/otlp2jaeger-in.json', 'utils/fixtures/otlp2jaeger-out.json', 2],
    ['utils/fixtures/otlp2jaeger-multi-in-combined.json', 'utils/fixtures/oltp2jaeger-multi-out.json', 4],
  ] as const;
  for (const [otlpFile, jaegerFile, count] of pairs) {
    it(`${otlpFile} = ${jaegerFile}`, () => {
      const otlp = readPeer(JAEGER_UI + otlpFile);
      const jaeger = readPeer(JAEGER_UI + jaegerFile);
      expect(otlp.format).toBe('otlp');
      expect(jaeger.format).toBe('jaeger');
      const view = (r: typeof otlp) =>
        r.spans.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          parent: s.parentSpanId,
          service: s.service,
          operation: s.operation,
          start: s.start,
          duration: s.end - s.start,
          kind: s.kind,
        }));
      expect(view(otlp)).toHaveLength(count);
      expect(view(otlp)).toEqual(view(jaeger));
    });
  }
  it('keeps the sub-microsecond part of a 19-digit nanosecond end time out of the duration', () => {
    const r = readPeer(JAEGER_UI + 'utils/fixtures/otlp2jaeger-multi-in-combined.json');
    const root = byId(r.spans, 'eff3153be6b1fb93');
    expect(root.parentSpanId).toBeUndefined(); // parentSpanId: ""
    expect(root.start).toBe(1711138246940000);
    expect(root.end - root.start).toBe(176321); // 176321958 ns
    expect(byId(r.spans, '26f5ef9dbb885479').end - byId(r.spans, '26f5ef9dbb885479').start).toBe(46460);
    expect(r.spans.every((s) => s.service === 'example-trace' && s.kind === 'internal')).toBe(true);
  });
  it('reads both copies of the duplicated span in otlp2jaeger-in.json (the tree builder dedupes)', () => {
    const r = readPeer(JAEGER_UI + 'utils/fixtures/otlp2jaeger-in.json');
    expect(r.spans.map((s) => s.spanId)).toEqual(['e127af99e3b3e074', 'e127af99e3b3e074']);
    expect(r.spans[0]?.parentSpanId).toBe('909541b92cf05311');
    expect(r.spans[0]?.attributes['peer.service']).toBe('telemetrygen-client');
  });
});
