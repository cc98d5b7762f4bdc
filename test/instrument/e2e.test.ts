// Three real services on loopback; every assertion is on what they wrote, as tracectl would read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout, collect, parseLines, startSystem, toLogText, type System } from './three-services.js';

type Rec = Record<string, unknown>;

const isSpan = (r: Rec): boolean => typeof r.name === 'string' && typeof r.startTime === 'number';
const isLog = (r: Rec): boolean => typeof r.level === 'string' && typeof r.message === 'string';
const kind = (r: Rec): unknown => r.kind; // top-level, as tracectl's span-record reader takes it

let system: System;
let records: Rec[];
const traces: Record<string, string> = {};
const INCOMING_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_PARENT = '00f067aa0ba902b7';
const UNSAMPLED_TRACE = 'aaaabbbbccccddddeeeeffff00001111';

beforeAll(async () => {
  system = await startSystem();
  const ok = await checkout(system, { items: 2 });
  const failed = await checkout(system, { items: 3, fail: true });
  const slow = await checkout(system, { items: 1, slowMs: 60 });
  const continued = await checkout(system, { items: 1 }, { traceparent: `00-${INCOMING_TRACE}-${INCOMING_PARENT}-01` });
  const unsampled = await checkout(system, { items: 1 }, { traceparent: `00-${UNSAMPLED_TRACE}-${INCOMING_PARENT}-00` });
  const forged = await checkout(system, { items: 1 }, { traceparent: `00-${'0'.repeat(32)}-${INCOMING_PARENT}-01` });
  expect([ok.status, failed.status, slow.status, continued.status, unsampled.status, forged.status]).toEqual([201, 502, 201, 201, 201, 201]);
  for (const [name, r] of Object.entries({ ok, failed, slow, continued, unsampled, forged })) {
    traces[name] = r.headers.get('x-trace-id') ?? '';
  }
  records = parseLines(await collect(system));
});

afterAll(async () => {
  await system.stop();
});

function spansOf(traceId: string): Rec[] {
  return records.filter((r) => isSpan(r) && r.traceId === traceId);
}

function logsOf(traceId: string): Rec[] {
  return records.filter((r) => isLog(r) && r.traceId === traceId);
}

/** The request chain of one trace: gateway server -> client -> orders server -> client -> payments server. */
function chain(traceId: string): Rec[] {
  const spans = spansOf(traceId);
  const find = (service: string, k: string, parent: unknown): Rec => {
    const s = spans.find((x) => x.serviceName === service && kind(x) === k && x.parentSpanId === parent);
    expect(s, `${service} ${k} span under ${String(parent)}`).toBeDefined();
    return s!;
  };
  const gw = spans.find((x) => x.serviceName === 'gateway' && kind(x) === 'server')!;
  expect(gw).toBeDefined();
  const gwClient = find('gateway', 'client', gw.spanId);
  const orders = find('orders', 'server', gwClient.spanId);
  const ordersClient = find('orders', 'client', orders.spanId);
  const payments = find('payments', 'server', ordersClient.spanId);
  return [gw, gwClient, orders, ordersClient, payments];
}

describe('three services on loopback', () => {
  it('writes only JSON lines, each a log entry or a span record', () => {
    expect(records.length).toBeGreaterThan(30);
    for (const r of records) expect(isSpan(r) !== isLog(r)).toBe(true);
  });

  it('carries one trace id through all three services, in logs and spans', () => {
    const id = traces.ok!;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const services = new Set(logsOf(id).map((r) => r.serviceName));
    expect(services).toEqual(new Set(['gateway', 'orders', 'payments']));
    expect(new Set(spansOf(id).map((r) => r.serviceName))).toEqual(services);
  });

  it('links gateway server -> client -> orders server -> client -> payments server', () => {
    const [gw, gwClient, orders, ordersClient, payments] = chain(traces.ok!);
    expect(gw!.parentSpanId).toBeNull();
    expect(gw!.name).toBe('POST /checkout'); // Express route, known at completion
    expect(gwClient!.name).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/orders$/);
    expect(orders!.name).toBe('POST /orders');
    expect(ordersClient!.name).toMatch(/\/payments\/charge$/);
    expect(payments!.name).toBe('POST /payments/charge');
    // Every span's parent exists in the trace (no orphan server spans).
    const ids = new Set(spansOf(traces.ok!).map((s) => s.spanId));
    for (const s of spansOf(traces.ok!)) if (s.parentSpanId !== null) expect(ids.has(s.parentSpanId)).toBe(true);
  });

  it('logs each outgoing call as the client span itself', () => {
    const [gw, gwClient] = chain(traces.ok!);
    const call = logsOf(traces.ok!).find((r) => r.serviceName === 'gateway' && r.message === 'outgoing request completed');
    expect(call).toMatchObject({ spanId: gwClient!.spanId, parentSpanId: gw!.spanId, method: 'POST', status: 201 });
    expect(typeof call!.duration_ms).toBe('number');
  });

  it('nests durations: gateway >= its call >= orders >= its call >= payments', () => {
    for (const t of [traces.ok!, traces.slow!, traces.failed!]) {
      const d = chain(t).map((s) => s.duration as number);
      for (let i = 1; i < d.length; i++) expect(d[i - 1]!).toBeGreaterThanOrEqual(d[i]!);
      const [gw, , , , payments] = chain(t);
      expect(gw!.startTime as number).toBeLessThanOrEqual(payments!.startTime as number);
      expect(gw!.endTime as number).toBeGreaterThanOrEqual(payments!.endTime as number);
    }
    const slowPayments = chain(traces.slow!)[4]!;
    expect(slowPayments.duration as number).toBeGreaterThanOrEqual(55);
  });

  it('records the payments failure: error log, error spans, 5xx up the chain', () => {
    const id = traces.failed!;
    const [gw, , orders, , payments] = chain(id);
    expect(payments!.status).toEqual({ code: 'ERROR', message: 'HTTP 500' });
    expect(orders!.status).toMatchObject({ code: 'ERROR' }); // it answered 502
    expect(gw!.status).toMatchObject({ code: 'ERROR' });
    const charge = spansOf(id).find((s) => s.name === 'card.charge')!;
    expect(charge.parentSpanId).toBe(payments!.spanId);
    expect(charge.status).toEqual({ code: 'ERROR', message: 'card network timeout: issuer unavailable' });
    expect((charge.logs as Rec[])[0]).toMatchObject({ message: 'Error: card network timeout: issuer unavailable', 'error.kind': 'Error' });

    const err = logsOf(id).find((r) => r.serviceName === 'payments' && r.message === 'charge failed')!;
    expect(err).toMatchObject({ level: 'error', spanId: payments!.spanId, attrs: { card_number: '[REDACTED]' } });
    expect(err.error).toMatchObject({ name: 'Error', message: 'card network timeout: issuer unavailable' });
    const done = logsOf(id).filter((r) => r.message === 'request completed');
    expect(done.map((r) => [r.serviceName, r.level, r.status])).toEqual(
      expect.arrayContaining([['payments', 'error', 500], ['orders', 'error', 502], ['gateway', 'error', 502]]),
    );
  });

  it('continues an incoming W3C trace and answers with its own span id', () => {
    expect(traces.continued).toBe(INCOMING_TRACE);
    const [gw] = chain(INCOMING_TRACE);
    expect(gw!.parentSpanId).toBe(INCOMING_PARENT);
  });

  it('keeps ids in logs but records no spans for an unsampled request', () => {
    expect(traces.unsampled).toBe(UNSAMPLED_TRACE);
    expect(new Set(logsOf(UNSAMPLED_TRACE).map((r) => r.serviceName))).toEqual(new Set(['gateway', 'orders', 'payments']));
    expect(spansOf(UNSAMPLED_TRACE)).toEqual([]);
  });

  it('does not trust an all-zero incoming trace id', () => {
    expect(traces.forged).toMatch(/^[0-9a-f]{32}$/);
    expect(traces.forged).not.toBe('0'.repeat(32));
    expect(chain(traces.forged!)[0]!.parentSpanId).toBeNull();
  });

  it('renders the lines as a kubectl --prefix stream', async () => {
    const text = toLogText(await collect(system), { kubectlPrefix: true });
    expect(text.split('\n')[0]).toMatch(/^\[pod\/[a-z]+-[a-z0-9]+-[a-z0-9]{5}\/[a-z]+\] \{/);
  });
});
