/**
 * Three real HTTP services on 127.0.0.1 ephemeral ports, instrumented with src/instrument, for the
 * end-to-end tests (and, later, for running the real tracectl CLI on what they log):
 *
 *   client ──> gateway (Express) ──tracedFetch──> orders (node:http) ──tracedFetch──> payments (node:http)
 *
 * A checkout body says what should happen: `{ items, fail?: true, slowMs?: n }`; `fail` makes payments
 * answer 500 with an error log, `slowMs` makes payments take that long. Every log line and span record
 * of every service goes to one in-memory list in write order, as `kubectl logs` of the pods would show.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  correlationMiddleware,
  DistributedTracer,
  TracedLogger,
  tracedFetch,
} from '../../src/instrument/index.js';

export interface CollectedLine {
  service: string;
  pod: string;
  container: string;
  text: string;
}

export interface CheckoutRequest {
  items: number;
  fail?: boolean;
  slowMs?: number;
}

export interface System {
  gatewayUrl: string;
  ordersUrl: string;
  paymentsUrl: string;
  /** Every line written so far, in write order. */
  lines: CollectedLine[];
  tracers: Record<'gateway' | 'orders' | 'payments', DistributedTracer>;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Head-sampling ratio for new traces (default 1). */
  sampleRatio?: number;
}

const PODS = {
  gateway: 'gateway-5f7c9d8b6d-q8w2e',
  orders: 'orders-7d4b9c6f5c-x2x9k',
  payments: 'payments-6c8f7b9d4f-m3n7p',
} as const;

type ServiceName = keyof typeof PODS;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function instruments(name: ServiceName, lines: CollectedLine[], sampleRatio: number) {
  const sink = (text: string): void => {
    lines.push({ service: name, pod: PODS[name], container: name, text });
  };
  const logger = new TracedLogger({ sink, level: 'debug', serviceName: name });
  const tracer = new DistributedTracer({ sink, serviceName: name, logger, sampleRatio, flushIntervalMs: 50 });
  return { logger, tracer, middleware: correlationMiddleware(name, { logger, tracer }) };
}

async function readJson(req: IncomingMessage): Promise<CheckoutRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  const o = (parsed ?? {}) as Partial<CheckoutRequest>;
  return { items: typeof o.items === 'number' ? o.items : 0, fail: o.fail === true, slowMs: typeof o.slowMs === 'number' ? o.slowMs : 0 };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function startPayments(lines: CollectedLine[], sampleRatio: number) {
  const { logger, tracer, middleware } = instruments('payments', lines, sampleRatio);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJson(req);
    await tracer.withSpan('fraud.check', async (span) => {
      tracer.setTag(span, 'items', body.items);
      await sleep(2);
    });
    try {
      await tracer.withSpan('card.charge', async () => {
        if (body.slowMs) await sleep(body.slowMs);
        if (body.fail) throw new Error('card network timeout: issuer unavailable');
        await sleep(3);
      });
    } catch (err) {
      logger.error('charge failed', { err, card_number: '4111111111111111', amount_cents: body.items * 1250 });
      sendJson(res, 500, { error: 'charge failed' });
      return;
    }
    logger.info('charge accepted', { amount_cents: body.items * 1250 });
    sendJson(res, 200, { paymentId: `pay_${Math.floor(Math.random() * 1e9)}` });
  };
  const server = createServer((req, res) => middleware(req, res, () => void handle(req, res).catch(() => sendJson(res, 500, {}))));
  return { server, tracer };
}

function startOrders(lines: CollectedLine[], paymentsUrl: string, sampleRatio: number) {
  const { logger, tracer, middleware } = instruments('orders', lines, sampleRatio);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJson(req);
    await tracer.withSpan('db.insert orders', () => sleep(2));
    logger.info('order created', { items: body.items });
    const r = await tracedFetch(`${paymentsUrl}/payments/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const payment: unknown = await r.json();
    if (!r.ok) {
      logger.error('payment failed, order cancelled', { paymentStatus: r.status });
      sendJson(res, 502, { error: 'payment failed' });
      return;
    }
    sendJson(res, 201, { orderId: `ord_${Math.floor(Math.random() * 1e9)}`, payment });
  };
  const server = createServer((req, res) => middleware(req, res, () => void handle(req, res).catch(() => sendJson(res, 500, {}))));
  return { server, tracer };
}

function startGateway(lines: CollectedLine[], ordersUrl: string, sampleRatio: number) {
  const { logger, tracer, middleware } = instruments('gateway', lines, sampleRatio);
  const app = express();
  app.use(middleware);
  app.use(express.json());
  app.post('/checkout', async (req, res) => {
    const body = req.body as CheckoutRequest;
    logger.info('checkout received', { items: body.items });
    const r = await tracedFetch(`${ordersUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const order: unknown = await r.json();
    if (!r.ok) {
      logger.warn('checkout failed', { ordersStatus: r.status });
      res.status(502).json({ error: 'checkout failed' });
      return;
    }
    res.status(201).json(order);
  });
  return { server: createServer(app), tracer };
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const ratio = options.sampleRatio ?? 1;
  const lines: CollectedLine[] = [];
  const payments = startPayments(lines, ratio);
  const paymentsUrl = await listen(payments.server);
  const orders = startOrders(lines, paymentsUrl, ratio);
  const ordersUrl = await listen(orders.server);
  const gateway = startGateway(lines, ordersUrl, ratio);
  const gatewayUrl = await listen(gateway.server);
  const tracers = { gateway: gateway.tracer, orders: orders.tracer, payments: payments.tracer };
  return {
    gatewayUrl,
    ordersUrl,
    paymentsUrl,
    lines,
    tracers,
    async stop() {
      await Promise.all([close(gateway.server), close(orders.server), close(payments.server)]);
      await Promise.all(Object.values(tracers).map((t) => t.shutdown()));
    },
  };
}

/** Send one checkout from outside (no trace context, or the given headers). */
export async function checkout(system: System, body: CheckoutRequest, headers: Record<string, string> = {}): Promise<Response> {
  const r = await fetch(`${system.gatewayUrl}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await r.arrayBuffer();
  return r;
}

/**
 * Flush every service's span reporter and return all lines written so far, in write order. Waits a
 * moment first: a server span ends on the response's 'finish' event, which may follow the client's
 * view of the response.
 */
export async function collect(system: System): Promise<CollectedLine[]> {
  await sleep(20);
  await Promise.all(Object.values(system.tracers).map((t) => t.flush()));
  return system.lines.slice();
}

/** The lines as one log file: bare JSON lines, or each prefixed the way `kubectl logs --prefix` does. */
export function toLogText(lines: readonly CollectedLine[], options: { kubectlPrefix?: boolean } = {}): string {
  return lines.map((l) => (options.kubectlPrefix ? `[pod/${l.pod}/${l.container}] ${l.text}` : l.text)).join('\n') + '\n';
}

/** Parsed JSON of every line (all lines are JSON objects). */
export function parseLines(lines: readonly CollectedLine[]): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l.text) as Record<string, unknown>);
}
