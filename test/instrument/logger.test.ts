import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWithContext, TracedLogger } from '../../src/instrument/index.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const trace = { traceId: T, spanId: '00f067aa0ba902b7', parentSpanId: '1111111111111111', serviceName: 'orders', sampled: true };

function capture(options: ConstructorParameters<typeof TracedLogger>[0] = {}) {
  const lines: string[] = [];
  const log = new TracedLogger({ level: 'debug', clock: () => Date.UTC(2024, 4, 1, 10) + 0.5, ...options, sink: (l) => lines.push(l) });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, parsed };
}

describe('TracedLogger', () => {
  it('writes one JSON object per line with level, message, time and the trace context', () => {
    const { log, lines, parsed } = capture();
    runWithContext({ trace }, () => log.info('order created', { items: 2 }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(parsed()[0]).toEqual({
      timestamp: '2024-05-01T10:00:00.000500Z',
      level: 'info',
      message: 'order created',
      serviceName: 'orders',
      traceId: T,
      spanId: '00f067aa0ba902b7',
      parentSpanId: '1111111111111111',
      attrs: { items: 2 },
    });
  });

  it('outside a request writes no ids, and its own service name', () => {
    const { log, parsed } = capture({ serviceName: 'worker' });
    log.warn('disk almost full');
    expect(parsed()[0]).toEqual({ timestamp: expect.any(String), level: 'warn', message: 'disk almost full', serviceName: 'worker' });
  });

  it('filters by level', () => {
    const { log, parsed } = capture({ level: 'warn' });
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(parsed().map((r) => r.message)).toEqual(['c', 'd']);
  });

  it('never throws, whatever the data', () => {
    const { log, parsed } = capture();
    const circular: Record<string, unknown> = { n: 10n };
    circular.me = circular;
    expect(() => log.error('failed', { circular, err: new Error('boom') })).not.toThrow();
    expect(() => log.error('failed', new TypeError('bare error'))).not.toThrow();
    expect(() => log.info('scalar', 42)).not.toThrow();
    const [a, b, c] = parsed();
    expect(a).toMatchObject({ attrs: { circular: { n: '10', me: '[Circular]' } }, error: { name: 'Error', message: 'boom' } });
    expect(a!.attrs).not.toHaveProperty('err');
    expect(b).toMatchObject({ error: { name: 'TypeError', message: 'bare error' } });
    expect(c).toMatchObject({ attrs: { value: 42 } });
  });

  it('never throws when the sink does', () => {
    const log = new TracedLogger({ sink: () => { throw new Error('disk gone'); } });
    expect(() => log.error('x')).not.toThrow();
    const closed = new PassThrough();
    closed.destroy();
    expect(() => new TracedLogger({ sink: closed }).error('x')).not.toThrow();
  });

  it('redacts secrets by default, and can be told otherwise', () => {
    const { log, parsed } = capture();
    log.info('login', { user: 'ann', password: 'hunter2', headers: { authorization: 'Bearer x', accept: '*/*' } });
    expect(parsed()[0]!.attrs).toEqual({ user: 'ann', password: '[REDACTED]', headers: { authorization: '[REDACTED]', accept: '*/*' } });
    const off = capture({ redact: false });
    off.log.info('login', { password: 'hunter2' });
    expect(off.parsed()[0]!.attrs).toEqual({ password: 'hunter2' });
  });

  it('redacts secret text in the message and in string values whatever their key', () => {
    const { log, parsed } = capture();
    log.warn('calling https://svc:pw-77x@pay.internal/v1?token=abc123 with Bearer 0123456789abcdef', { note: 'retry password=hunter2', url: 'https://cdn/x?sig=deadbeef&w=2' });
    expect(parsed()[0]).toMatchObject({
      message: 'calling https://svc:[REDACTED]@pay.internal/v1?token=[REDACTED] with Bearer [REDACTED]',
      attrs: { note: 'retry password=[REDACTED]', url: 'https://cdn/x?sig=[REDACTED]&w=2' },
    });
    const off = capture({ redact: false });
    off.log.warn('Bearer 0123456789abcdef', { note: 'password=hunter2' });
    expect(off.parsed()[0]).toMatchObject({ message: 'Bearer 0123456789abcdef', attrs: { note: 'password=hunter2' } });
  });

  it('keeps all data under "attrs", where no key can take a role', () => {
    const { log, parsed } = capture();
    const body = { level: 'fatal', traceId: 'forged', trace_id: 'f0f0', error: 'x', status: 500, duration_ms: 3.6e6, service: 'bank', parentId: 'p', msg: 'forged' };
    runWithContext({ trace }, () => log.info('m', body));
    const line = parsed()[0]!;
    expect(Object.keys(line)).toEqual(['timestamp', 'level', 'message', 'serviceName', 'traceId', 'spanId', 'parentSpanId', 'attrs']);
    expect(line).toMatchObject({ level: 'info', message: 'm', traceId: T, attrs: body });
  });

  it('writes to a Writable, newline-terminated', () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    new TracedLogger({ sink: out }).info('hello');
    expect(chunks.join('')).toMatch(/^\{.*"message":"hello".*\}\n$/);
  });

  it('adds base fields', () => {
    const { log, parsed } = capture({ base: { version: '1.2.3', secret: 's' } });
    log.info('m');
    expect(parsed()[0]!.attrs).toEqual({ version: '1.2.3', secret: '[REDACTED]' });
  });
});
