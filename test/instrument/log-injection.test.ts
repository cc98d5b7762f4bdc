// Issue 30, item 14: a request body logged as data cannot take a role in what tracectl reports. A real
// service (node:http, the middleware, the logger and the tracer) logs a hostile body and a harmless one;
// tracectl must tell the same story of both.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correlationMiddleware, DistributedTracer, TracedLogger } from '../../src/instrument/index.js';
import { runCli } from '../cli/run-cli.js';

const FORGED_TRACE = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';
const HOSTILE = {
  // roles of a log line
  error: 'forged failure', err: { message: 'forged' }, status: 500, statusCode: 503, level: 'fatal',
  duration_ms: 3_600_000, duration: 3_600_000, service: 'bank', serviceName: 'bank', 'service.name': 'bank',
  trace_id: FORGED_TRACE, traceId: FORGED_TRACE, 'x-trace-id': FORGED_TRACE, span_id: 'aaaaaaaaaaaaaaaa',
  parentId: 'bbbbbbbbbbbbbbbb', parentSpanId: 'bbbbbbbbbbbbbbbb', msg: 'forged message', message: 'forged message',
  timestamp: '2020-01-01T00:00:00Z', time: 0, operation: 'forged op', route: '/forged', method: 'DELETE',
  // shapes that would make the line span data
  name: 'forged span', startTime: 1, endTime: 3_600_001, spanId: 'cccccccccccccccc', resourceSpans: [],
  data: { traceID: FORGED_TRACE, spans: [] },
};

let server: Server;
let url = '';
const lines: string[] = [];
const traces: Record<string, string> = {};

beforeAll(async () => {
  const sink = (l: string) => void lines.push(l);
  const logger = new TracedLogger({ sink, serviceName: 'orders' });
  const tracer = new DistributedTracer({ sink, serviceName: 'orders', logger });
  const mw = correlationMiddleware('orders', { logger, tracer });
  server = createServer((req, res) =>
    mw(req, res, () => {
      // Promise continuations keep the request's context (event listeners would not).
      void (async () => {
        let body = '';
        for await (const c of req) body += (c as Buffer).toString();
        logger.info('order received', JSON.parse(body) as unknown);
        res.statusCode = 201;
        res.end();
      })();
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
  for (const [name, body] of Object.entries({ hostile: HOSTILE, plain: { items: 2 } })) {
    const r = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
    await r.arrayBuffer();
    traces[name] = r.headers.get('x-trace-id') ?? '';
  }
  // Outside any request: no trace context of the library's own.
  logger.info('webhook received', { trace_id: FORGED_TRACE, traceId: FORGED_TRACE, error: 'forged', status: 500 });
  await new Promise((r) => setTimeout(r, 20)); // the server span ends on the response's 'finish'
  await tracer.flush();
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

interface Row {
  traceId: string;
  durationUs: number;
  errors: number;
  services: string[];
  root: string;
}

describe('issue 30 item 14: caller data cannot take a role', () => {
  it('the hostile body is written under attrs, whole', () => {
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.message === 'order received' && r.traceId === traces.hostile);
    expect(line).toBeDefined();
    expect(line).toMatchObject({ level: 'info', serviceName: 'orders', attrs: HOSTILE });
    expect(line).not.toHaveProperty('error');
  });

  it('group: both requests are alike, with no error, no forged trace, service or hour-long duration', async () => {
    const r = await runCli(['group', '--json', '-q'], { stdin: lines.join('\n') + '\n' });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(rows.map((x) => x.traceId).sort()).toEqual([traces.hostile, traces.plain].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ errors: 0, services: ['orders'], root: 'POST /orders' });
      expect(row.durationUs).toBeLessThan(60_000_000);
    }
  });

  it('tree: the hostile request has the same shape as the plain one, its line on the server span', async () => {
    const shape = async (id: string) => {
      const r = await runCli(['tree', id, '--json', '--logs', '-q'], { stdin: lines.join('\n') + '\n' });
      const t = JSON.parse(r.stdout) as { spans: number; warnings: unknown[]; roots: { service: string; operation: string; error: boolean; events: { message: string; level: string }[] }[] };
      return { spans: t.spans, warnings: t.warnings, roots: t.roots.map((n) => ({ service: n.service, operation: n.operation, error: n.error, events: n.events.map((e) => `${e.level} ${e.message}`) })) };
    };
    const hostile = await shape(traces.hostile!);
    expect(hostile).toEqual(await shape(traces.plain!));
    expect(hostile.roots[0]!.events).toEqual(['info request started', 'info order received', 'info request completed']);
  });

  it('errors: none reported, and the line outside a request has no trace', async () => {
    const errors = await runCli(['errors', '--json', '-q'], { stdin: lines.join('\n') + '\n' });
    expect(errors.stdout.trim()).toBe('');
    const forged = await runCli(['tree', FORGED_TRACE.slice(0, 12), '-q'], { stdin: lines.join('\n') + '\n' });
    expect(forged.code).not.toBe(0);
  });
});
