import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  correlationMiddleware,
  DistributedTracer,
  getTraceContext,
  TracedLogger,
  type MiddlewareOptions,
  type SpanRecord,
  type TraceContext,
} from '../../src/instrument/index.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';
type Rec = Record<string, unknown>;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, options: MiddlewareOptions = {}) {
  const logs: Rec[] = [];
  const spans: SpanRecord[] = [];
  const logger = new TracedLogger({ level: 'debug', sink: (l) => logs.push(JSON.parse(l) as Rec) });
  const tracer = new DistributedTracer({ sink: (l) => spans.push(JSON.parse(l) as SpanRecord), logger });
  const mw = correlationMiddleware('svc', { logger, tracer, ...options });
  const server = createServer((req, res) => mw(req, res, () => handler(req, res)));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 10));
    await tracer.flush();
  };
  return { url, logs, spans, settle };
}

describe('correlationMiddleware', () => {
  it('starts a new trace, answers with its ids and runs the handler inside the context', async () => {
    let seen: TraceContext | null = null;
    const s = await serve((_req, res) => {
      seen = getTraceContext();
      res.end('ok');
    });
    const r = await fetch(`${s.url}/orders?card=4111`);
    await r.text();
    await s.settle();
    const ctx = seen as TraceContext | null;
    expect(ctx).toMatchObject({ serviceName: 'svc', sampled: true, parentSpanId: undefined });
    expect(r.headers.get('x-trace-id')).toBe(ctx!.traceId);
    expect(r.headers.get('x-span-id')).toBe(ctx!.spanId);
    expect(r.headers.get('traceparent')).toBe(`00-${ctx!.traceId}-${ctx!.spanId}-01`);
    expect(getTraceContext()).toBeNull();
    expect(s.logs).toEqual([
      expect.objectContaining({ level: 'info', message: 'request started', method: 'GET', path: '/orders', traceId: ctx!.traceId, spanId: ctx!.spanId }),
      expect.objectContaining({ level: 'info', message: 'request completed', method: 'GET', path: '/orders', status: 200, duration_ms: expect.any(Number) }),
    ]);
    expect(JSON.stringify(s.logs)).not.toContain('4111'); // the query string is not logged
    expect(s.spans).toEqual([
      expect.objectContaining({ traceId: ctx!.traceId, spanId: ctx!.spanId, parentSpanId: null, name: 'GET /orders', kind: 'server', status: { code: 'OK' } }),
    ]);
    expect(s.spans[0]!.tags).toMatchObject({ 'span.kind': 'server', 'http.method': 'GET', 'http.status_code': 200 });
  });

  it('continues an incoming trace: the caller span becomes the parent', async () => {
    const s = await serve((_req, res) => res.end());
    const r = await fetch(s.url, { headers: { traceparent: `00-${T}-${P}-01` } });
    await s.settle();
    expect(r.headers.get('x-trace-id')).toBe(T);
    expect(r.headers.get('x-span-id')).not.toBe(P);
    expect(s.logs[0]).toMatchObject({ traceId: T, parentSpanId: P });
    expect(s.spans[0]).toMatchObject({ traceId: T, parentSpanId: P });
  });

  it.each([
    ['all-zero', { 'x-trace-id': '0'.repeat(32), 'x-span-id': P }],
    ['oversized', { 'x-trace-id': 'a'.repeat(300) }],
    ['not hex', { traceparent: `00-${'z'.repeat(32)}-${P}-01` }],
  ])('starts a new trace instead of trusting a %s id', async (_name, headers) => {
    const s = await serve((_req, res) => res.end());
    const r = await fetch(s.url, { headers });
    await s.settle();
    const id = r.headers.get('x-trace-id')!;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).not.toBe('0'.repeat(32));
    expect(s.logs[0]!.parentSpanId).toBeUndefined();
  });

  it('logs completion at warn for 4xx and error for 5xx, and marks the span', async () => {
    const s = await serve((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 503;
      res.end();
    });
    await (await fetch(`${s.url}/missing`)).text();
    await (await fetch(`${s.url}/down`)).text();
    await s.settle();
    const done = s.logs.filter((l) => l.message === 'request completed').map((l) => [l.path, l.level, l.status]);
    expect(done).toEqual([['/missing', 'warn', 404], ['/down', 'error', 503]]);
    expect(s.spans.map((x) => x.status)).toEqual([{ code: 'OK' }, { code: 'ERROR', message: 'HTTP 503' }]);
  });

  it('honours an unsampled caller: ids in logs and headers, no span', async () => {
    const s = await serve((_req, res) => res.end());
    const r = await fetch(s.url, { headers: { 'x-b3-traceid': T, 'x-b3-spanid': P, 'x-b3-sampled': '0' } });
    await s.settle();
    expect(r.headers.get('traceparent')).toMatch(new RegExp(`^00-${T}-[0-9a-f]{16}-00$`));
    expect(s.logs.every((l) => l.traceId === T)).toBe(true);
    expect(s.spans).toEqual([]);
  });

  it('head-samples new traces by ratio', async () => {
    const s = await serve((_req, res) => res.end(), { sampleRatio: 0 });
    const r = await fetch(s.url);
    await s.settle();
    expect(r.headers.get('traceparent')).toMatch(/-00$/);
    expect(s.logs).toHaveLength(2);
    expect(s.spans).toEqual([]);
  });

  it('logs an aborted request', async () => {
    const s = await serve((req) => {
      // never answers; the client gives up
      req.resume();
    });
    const ac = new AbortController();
    const pending = fetch(s.url, { signal: ac.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 30));
    ac.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 30));
    await s.settle();
    expect(s.logs[1]).toMatchObject({ level: 'warn', message: 'request aborted', aborted: true });
    expect(s.spans[0]!.status.code).toBe('ERROR');
  });

  it('works as Express middleware and names the span by the route', async () => {
    const logs: Rec[] = [];
    const spans: SpanRecord[] = [];
    const logger = new TracedLogger({ sink: (l) => logs.push(JSON.parse(l) as Rec) });
    const tracer = new DistributedTracer({ sink: (l) => spans.push(JSON.parse(l) as SpanRecord) });
    const app = express();
    app.use(correlationMiddleware('api', { logger, tracer }));
    app.get('/orders/:id', (_req, res) => {
      logger.info('looking up order');
      res.json({ ctx: getTraceContext() });
    });
    const server = createServer(app);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/orders/42`);
    const body = (await r.json()) as { ctx: TraceContext };
    await new Promise((res) => setTimeout(res, 10));
    await tracer.flush();
    expect(body.ctx.serviceName).toBe('api');
    expect(logs.map((l) => [l.message, l.spanId])).toEqual([
      ['request started', body.ctx.spanId],
      ['looking up order', body.ctx.spanId],
      ['request completed', body.ctx.spanId],
    ]);
    expect(logs[2]).toMatchObject({ route: '/orders/:id', path: '/orders/42', status: 200 });
    expect(spans[0]).toMatchObject({ name: 'GET /orders/:id', spanId: body.ctx.spanId });
    expect(spans[0]!.tags['http.route']).toBe('/orders/:id');
  });
});
