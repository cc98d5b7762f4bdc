import { describe, expect, it } from 'vitest';
import { createTracedFetch, DistributedTracer, runWithContext, TracedLogger, type SpanRecord } from '../../src/instrument/index.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';
const trace = { traceId: T, spanId: P, parentSpanId: undefined, serviceName: 'gateway', sampled: true };
type Rec = Record<string, unknown>;

function setup(respond: (req: Request) => Response | Promise<Response>) {
  const logs: Rec[] = [];
  const spans: SpanRecord[] = [];
  const sent: Request[] = [];
  const logger = new TracedLogger({ sink: (l) => logs.push(JSON.parse(l) as Rec) });
  const tracer = new DistributedTracer({ sink: (l) => spans.push(JSON.parse(l) as SpanRecord), logger });
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    sent.push(req);
    return respond(req);
  };
  const tf = createTracedFetch({ fetch: fakeFetch as typeof fetch });
  const inRequest = <R>(fn: () => R): R => runWithContext({ trace, logger, tracer }, fn);
  const tfWithLogger = createTracedFetch({ fetch: fakeFetch as typeof fetch, logger });
  return { tf, tfWithLogger, logs, spans, sent, tracer, inRequest, logger };
}

describe('tracedFetch', () => {
  it('sends the call span in the trace headers, keeping the caller headers', async () => {
    const s = setup(() => new Response('{}', { status: 200 }));
    await s.inRequest(() => s.tf('http://orders.local/orders', { method: 'post', headers: { 'content-type': 'application/json', traceparent: 'old' } }));
    const h = s.sent[0]!.headers;
    const callSpan = h.get('x-span-id')!;
    expect(callSpan).toMatch(/^[0-9a-f]{16}$/);
    expect(callSpan).not.toBe(P);
    expect(h.get('traceparent')).toBe(`00-${T}-${callSpan}-01`);
    expect(h.get('x-trace-id')).toBe(T);
    expect(h.get('x-parent-span-id')).toBe(P);
    expect(h.get('x-sampled')).toBe('1');
    expect(h.get('content-type')).toBe('application/json');
    expect(s.sent[0]!.method).toBe('POST');
  });

  it('keeps the headers of a Request input', async () => {
    const s = setup(() => new Response(null, { status: 204 }));
    await s.inRequest(() => s.tf(new Request('http://x.local/a', { headers: { accept: 'text/plain' } })));
    expect(s.sent[0]!.headers.get('accept')).toBe('text/plain');
    expect(s.sent[0]!.headers.get('x-trace-id')).toBe(T);
  });

  it('logs completion as the client span itself and records it', async () => {
    const s = setup(() => new Response('nope', { status: 503 }));
    const r = await s.inRequest(() => s.tf('http://orders.local/orders?token=abc#frag'));
    expect(r.status).toBe(503);
    const callSpan = s.sent[0]!.headers.get('x-span-id');
    expect(s.logs).toEqual([
      expect.objectContaining({
        level: 'error', message: 'outgoing request completed', method: 'GET', url: 'http://orders.local/orders', status: 503,
        duration_ms: expect.any(Number), traceId: T, spanId: callSpan, parentSpanId: P, serviceName: 'gateway',
      }),
    ]);
    await s.tracer.flush();
    expect(s.spans[0]).toMatchObject({ spanId: callSpan, parentSpanId: P, name: 'GET http://orders.local/orders', kind: 'client', status: { code: 'ERROR' } });
    expect(s.spans[0]!.tags).toMatchObject({ 'span.kind': 'client', 'http.status_code': 503 });
  });

  it('logs a failure and rethrows the same error', async () => {
    const boom = new TypeError('fetch failed');
    const s = setup(() => { throw boom; });
    await expect(s.inRequest(() => s.tf('http://down.local/'))).rejects.toBe(boom);
    expect(s.logs[0]).toMatchObject({ level: 'error', message: 'outgoing request failed', error: 'fetch failed', parentSpanId: P, duration_ms: expect.any(Number) });
    await s.tracer.flush();
    expect(s.spans[0]!.status).toEqual({ code: 'ERROR', message: 'fetch failed' });
  });

  it('propagates an unsampled decision and records no span', async () => {
    const s = setup(() => new Response(null, { status: 204 }));
    await runWithContext({ trace: { ...trace, sampled: false }, tracer: s.tracer, logger: s.logger }, () => s.tf('http://x.local/'));
    expect(s.sent[0]!.headers.get('x-sampled')).toBe('0');
    expect(s.sent[0]!.headers.get('traceparent')).toMatch(/-00$/);
    await s.tracer.flush();
    expect(s.spans).toEqual([]);
  });

  it('outside a request starts a new trace with no parent', async () => {
    const s = setup(() => new Response(null, { status: 204 }));
    await s.tfWithLogger('http://x.local/');
    const h = s.sent[0]!.headers;
    expect(h.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(h.get('x-parent-span-id')).toBeNull();
    expect(s.logs[0]).toMatchObject({ traceId: h.get('x-trace-id'), spanId: h.get('x-span-id') });
    expect(s.logs[0]).not.toHaveProperty('parentSpanId');
  });
});
