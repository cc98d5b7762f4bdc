// The demo system: three real HTTP services on 127.0.0.1 ephemeral ports, instrumented with the built
// library (dist/instrument), each writing its logs and span records to its own "pod" stream:
//
//   client ──> gateway (Express) ──tracedFetch──> orders (node:http) ──tracedFetch──> payments (node:http)
//
// A checkout body says what happens: { items, fail?: true, slowMs?: n }. `fail` makes payments answer
// 500 with an error log; `slowMs` makes the card charge take that long. Same behaviour as
// test/instrument/three-services.ts, which the tests use with the TypeScript sources.
import { createServer } from 'node:http';
import express from 'express';

/** Pod names as a Deployment would give them (NAME-<replicaset hash>-<5 chars>). */
export const PODS = {
  gateway: 'gateway-5f7c9d8b6d-q8w2e',
  orders: 'orders-7d4b9c6f5c-x2x9k',
  payments: 'payments-6c8f7b9d4f-m3n7p',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function instruments(lib, name, sys) {
  const sink = (text) => sys.lines.push({ service: name, pod: PODS[name], container: name, text });
  const logger = new lib.TracedLogger({ sink, level: 'debug', serviceName: name });
  const tracer = new lib.DistributedTracer({ sink, serviceName: name, logger, flushIntervalMs: 50 });
  sys.tracers.push(tracer);
  return { logger, tracer, middleware: lib.correlationMiddleware(name, { logger, tracer }) };
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const o = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') ?? {};
  return { items: Number(o.items) || 0, fail: o.fail === true, slowMs: Number(o.slowMs) || 0 };
}

function sendJson(res, status, body) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

function close(server) {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

const post = (lib, url, body) =>
  lib.tracedFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function payments(lib, sys) {
  const { logger, tracer, middleware } = instruments(lib, 'payments', sys);
  const handle = async (req, res) => {
    const body = await readJson(req);
    await tracer.withSpan('fraud.check', async (span) => {
      tracer.setTag(span, 'items', body.items);
      await sleep(2 + body.items);
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
    if (body.slowMs) logger.warn('slow charge', { amount_cents: body.items * 1250, issuer_latency_ms: body.slowMs });
    logger.info('charge accepted', { amount_cents: body.items * 1250 });
    sendJson(res, 200, { paymentId: `pay_${Math.floor(Math.random() * 1e9)}` });
  };
  return createServer((req, res) => middleware(req, res, () => void handle(req, res).catch(() => sendJson(res, 500, {}))));
}

function orders(lib, sys, paymentsUrl) {
  const { logger, tracer, middleware } = instruments(lib, 'orders', sys);
  const handle = async (req, res) => {
    const body = await readJson(req);
    await tracer.withSpan('db.insert orders', () => sleep(2));
    logger.info('order created', { items: body.items });
    const r = await post(lib, `${paymentsUrl}/payments/charge`, body);
    const payment = await r.json();
    if (!r.ok) {
      logger.error('payment failed, order cancelled', { paymentStatus: r.status });
      sendJson(res, 502, { error: 'payment failed' });
      return;
    }
    sendJson(res, 201, { orderId: `ord_${Math.floor(Math.random() * 1e9)}`, payment });
  };
  return createServer((req, res) => middleware(req, res, () => void handle(req, res).catch(() => sendJson(res, 500, {}))));
}

function gateway(lib, sys, ordersUrl) {
  const { logger, middleware } = instruments(lib, 'gateway', sys);
  const app = express();
  app.use(middleware);
  app.use(express.json());
  app.post('/checkout', async (req, res) => {
    logger.info('checkout received', { items: req.body.items, user: { id: 'u_42', password: 'hunter2' } });
    const r = await post(lib, `${ordersUrl}/orders`, req.body);
    const order = await r.json();
    if (!r.ok) {
      logger.warn('checkout failed', { ordersStatus: r.status });
      res.status(502).json({ error: 'checkout failed' });
      return;
    }
    res.status(201).json(order);
  });
  return createServer(app);
}

/**
 * Start the three services. `lib` is the instrument module (dist/instrument/index.js). Returns the
 * gateway URL, the shared line list (write order), flush() to write every queued span record, and
 * stop(), which closes the servers and shuts the reporters down.
 */
export async function startSystem(lib) {
  const sys = { lines: [], tracers: [] };
  const pay = payments(lib, sys);
  const paymentsUrl = await listen(pay);
  const ord = orders(lib, sys, paymentsUrl);
  const ordersUrl = await listen(ord);
  const gw = gateway(lib, sys, ordersUrl);
  const gatewayUrl = await listen(gw);
  return {
    gatewayUrl,
    lines: sys.lines,
    async flush() {
      await sleep(20); // a server span ends on 'finish', which can follow the client's view of the response
      await Promise.all(sys.tracers.map((t) => t.flush()));
    },
    async stop() {
      await Promise.all([close(gw), close(ord), close(pay)]);
      await Promise.all(sys.tracers.map((t) => t.shutdown()));
    },
  };
}
