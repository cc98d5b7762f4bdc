import { describe, expect, it } from 'vitest';
import { DistributedTracer, getTraceContext, runWithContext, TracedLogger, type SpanRecord, type TracerOptions } from '../../src/instrument/index.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

function setup(options: TracerOptions = {}) {
  const lines: string[] = [];
  const warnings: string[] = [];
  let now = 1_000;
  const tracer = new DistributedTracer({
    serviceName: 'svc',
    sink: (l) => lines.push(l),
    logger: new TracedLogger({ sink: (l) => warnings.push(l) }),
    clock: () => (now += 1.5),
    ...options,
  });
  const records = () => lines.map((l) => JSON.parse(l) as SpanRecord);
  return { tracer, lines, records, warnings };
}

describe('DistributedTracer spans', () => {
  it('writes a finished span as one record with every field', async () => {
    const { tracer, records } = setup();
    const span = tracer.startSpan('db.query', { parent: { traceId: T, spanId: P }, attributes: { table: 'orders' } });
    tracer.setTag(span, 'rows', 3);
    tracer.logEvent(span, 'cache miss', { key: 'o:1' });
    tracer.endSpan(span);
    tracer.endSpan(span); // twice: no second record
    await tracer.flush();
    expect(records()).toEqual([
      {
        traceId: T, spanId: span.spanId, parentSpanId: P, name: 'db.query', serviceName: 'svc',
        startTime: 1001.5, endTime: 1004.5, duration: 3,
        tags: { table: 'orders', rows: 3 }, logs: [{ timestamp: 1003, message: 'cache miss', key: 'o:1' }],
        status: { code: 'OK' },
      },
    ]);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('starts under the current context, or a new trace outside one or with parent null', () => {
    const { tracer } = setup();
    const inCtx = runWithContext({ trace: { traceId: T, spanId: P, parentSpanId: undefined, serviceName: 'api', sampled: true } }, () => [
      tracer.startSpan('a'),
      tracer.startSpan('b', { parent: null }),
    ]);
    expect(inCtx[0]).toMatchObject({ traceId: T, parentSpanId: P, serviceName: 'api' });
    expect(inCtx[1]!.traceId).not.toBe(T);
    expect(inCtx[1]!.parentSpanId).toBeUndefined();
    expect(tracer.startSpan('c').parentSpanId).toBeUndefined();
  });

  it('records an error with its message, kind and stack', async () => {
    const { tracer, records } = setup();
    const span = tracer.startSpan('x');
    tracer.setError(span, new TypeError('bad input'));
    tracer.endSpan(span);
    await tracer.flush();
    const r = records()[0]!;
    expect(r.status).toEqual({ code: 'ERROR', message: 'bad input' });
    expect(r.tags.error).toBe(true);
    expect(r.logs[0]).toMatchObject({ message: 'TypeError: bad input', event: 'error', 'error.kind': 'TypeError', 'error.message': 'bad input' });
    expect(String(r.logs[0]!.stack)).toContain('TypeError: bad input');
  });

  it('records nothing for an unsampled trace, but still gives it ids', async () => {
    const { tracer, lines } = setup();
    const span = tracer.startSpan('x', { parent: { traceId: T, spanId: P, sampled: false } });
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    tracer.endSpan(span);
    await tracer.flush();
    expect(lines).toEqual([]);
  });

  it('samples new traces by ratio', async () => {
    const none = setup({ sampleRatio: 0 });
    none.tracer.endSpan(none.tracer.startSpan('x'));
    await none.tracer.flush();
    expect(none.lines).toEqual([]);
  });

  it('redacts secret tags', async () => {
    const { tracer, records } = setup();
    const span = tracer.startSpan('x', { attributes: { 'http.authorization': 'Bearer t', user: 'ann' } });
    tracer.endSpan(span);
    await tracer.flush();
    expect(records()[0]!.tags).toEqual({ 'http.authorization': '[REDACTED]', user: 'ann' });
  });

  it('caps the logs kept per span and counts the rest', () => {
    const { tracer } = setup({ maxLogsPerSpan: 2 });
    const span = tracer.startSpan('x');
    for (let i = 0; i < 5; i++) tracer.logEvent(span, `e${i}`);
    expect(span.logs).toHaveLength(2);
    expect(span.tags['logs.dropped']).toBe(3);
  });
});

describe('withSpan', () => {
  it('returns what a sync fn returns and makes the span current inside it', async () => {
    const { tracer, records } = setup();
    const seen = tracer.withSpan('outer', (outer) => {
      const ctx = getTraceContext();
      const inner = tracer.withSpan('inner', (s) => s);
      return { outer, ctx, inner };
    });
    expect(seen.ctx).toMatchObject({ traceId: seen.outer.traceId, spanId: seen.outer.spanId });
    expect(seen.inner.parentSpanId).toBe(seen.outer.spanId);
    expect(getTraceContext()).toBeNull();
    await tracer.flush();
    expect(records().map((r) => [r.name, r.status.code])).toEqual([['inner', 'OK'], ['outer', 'OK']]);
  });

  it('records a sync throw and rethrows the same error', async () => {
    const { tracer, records } = setup();
    const boom = new Error('sync boom');
    expect(() => tracer.withSpan('s', () => { throw boom; })).toThrow(boom);
    await tracer.flush();
    expect(records()[0]!.status).toEqual({ code: 'ERROR', message: 'sync boom' });
  });

  it('awaits an async fn and records its rejection', async () => {
    const { tracer, records } = setup();
    await expect(tracer.withSpan('ok', async () => 7)).resolves.toBe(7);
    await expect(tracer.withSpan('bad', async () => { throw new Error('async boom'); })).rejects.toThrow('async boom');
    await expect(tracer.withSpan('str', () => Promise.reject('plain string'))).rejects.toBe('plain string');
    await tracer.flush();
    expect(records().map((r) => [r.name, r.status])).toEqual([
      ['ok', { code: 'OK' }],
      ['bad', { code: 'ERROR', message: 'async boom' }],
      ['str', { code: 'ERROR', message: 'plain string' }],
    ]);
  });

  it('keeps the span current across awaits', async () => {
    const { tracer } = setup();
    await tracer.withSpan('outer', async (span) => {
      await new Promise((r) => setTimeout(r, 1));
      expect(getTraceContext()?.spanId).toBe(span.spanId);
    });
  });
});

describe('reporting', () => {
  it('writes off the request path: nothing during endSpan, all after the timer', async () => {
    const { tracer, lines } = setup({ flushIntervalMs: 5 });
    tracer.endSpan(tracer.startSpan('x'));
    expect(lines).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(lines).toHaveLength(1);
  });

  it('flushes a full batch on the next turn of the event loop', async () => {
    const { tracer, lines } = setup({ maxBatchSize: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) tracer.endSpan(tracer.startSpan(`s${i}`));
    expect(lines).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(3);
  });

  it('drops when the queue is full, counts it and warns once per flush', async () => {
    const { tracer, lines, warnings } = setup({ maxQueueSize: 5, maxBatchSize: 100 });
    for (let i = 0; i < 12; i++) tracer.endSpan(tracer.startSpan(`s${i}`));
    expect(tracer.stats()).toEqual({ queued: 5, written: 0, dropped: 7, lost: 0 });
    await tracer.flush();
    expect(lines).toHaveLength(5);
    expect(tracer.stats()).toEqual({ queued: 0, written: 5, dropped: 7, lost: 0 });
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 'warn', dropped: 7, droppedTotal: 7, maxQueueSize: 5, serviceName: 'svc' });
    await tracer.flush();
    expect(warnings).toHaveLength(1); // nothing new dropped, nothing new said
  });

  it('never throws into the caller when the sink fails, and counts what was lost', async () => {
    const tracer = new DistributedTracer({ sink: () => { throw new Error('collector down'); }, logger: new TracedLogger({ sink: () => undefined }) });
    expect(() => tracer.endSpan(tracer.startSpan('x'))).not.toThrow();
    await expect(tracer.flush()).resolves.toBeUndefined();
    expect(tracer.stats()).toMatchObject({ written: 0, lost: 1 });
    const rejecting = new DistributedTracer({ sink: () => Promise.reject(new Error('async sink')) as unknown as void });
    rejecting.endSpan(rejecting.startSpan('x'));
    await expect(rejecting.flush()).resolves.toBeUndefined();
  });

  it('writes everything on shutdown and nothing after it', async () => {
    const { tracer, lines } = setup({ flushIntervalMs: 60_000 });
    tracer.endSpan(tracer.startSpan('before'));
    await tracer.shutdown();
    tracer.endSpan(tracer.startSpan('after'));
    await tracer.flush();
    expect(lines.map((l) => (JSON.parse(l) as SpanRecord).name)).toEqual(['before']);
    expect(tracer.stats().dropped).toBe(1);
  });
});
