// Issue 6: secret-looking attribute keys are redacted by default in text and JSON; odd but legal data
// (prototype keys, nanoseconds past 2^53, negative durations, far-off times, deep nesting) has a defined,
// harmless outcome.
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { parseAccount } from './gen.js';

const T = '5ec5ec5ec5ec5ec5ec5ec5ec5ec5ec5e';
const BASE = 1714557610000;
const record = (spanId: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({ traceId: T, spanId, parentSpanId: spanId === 'a000000000000001' ? null : 'a000000000000001', name: `op-${spanId.slice(-1)}`, serviceName: 'api', startTime: BASE, endTime: BASE + 50, ...fields });

const SECRET_KEYS = ['authorization', 'Authorization', 'cookie', 'set-cookie', 'password', 'db.passwd', 'client_secret', 'x-auth-token', 'api_key', 'apikey', 'X-Api-Key', 'private_key', 'credit card', 'creditCardNumber', 'aws_access_key_id', 'jwt'];
const SECRET = 'hunter2-s3cr3t';

describe('secrets are redacted by default (issue 6)', () => {
  const input = [record('a000000000000001', { tags: Object.fromEntries([...SECRET_KEYS.map((k) => [k, `${SECRET}-${k}`]), ['http.method', 'GET']]) })].join('\n');

  it.each([
    [['tree', T, '--json']],
    [['timeline', T, '--json']],
    [['tree', T, '--logs']],
    [['latency', '--by', 'authorization']],
    [['latency', '--by', 'password', '--json']],
    [['slowest', '--by', 'span', '--json']],
    [['errors', '--json']],
    [['group', '--json']],
  ])('tracectl %j never prints a secret value', async (argv) => {
    const r = await runCli(argv, { stdin: input });
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('every secret-looking key shows [REDACTED] in JSON; other keys are kept; --no-redact shows them', async () => {
    const r = await runCli(['tree', T, '--json'], { stdin: input });
    const attrs = (JSON.parse(r.stdout) as { roots: { attributes: Record<string, unknown> }[] }).roots[0]!.attributes;
    for (const k of SECRET_KEYS) expect(attrs[k], k).toBe('[REDACTED]');
    expect(attrs['http.method']).toBe('GET');
    const shown = await runCli(['tree', T, '--json', '--no-redact'], { stdin: input });
    const plain = (JSON.parse(shown.stdout) as { roots: { attributes: Record<string, unknown> }[] }).roots[0]!.attributes;
    for (const k of SECRET_KEYS) expect(plain[k], k).toBe(`${SECRET}-${k}`);
  });

  it('in a text table too (latency grouped by the secret attribute)', async () => {
    const r = await runCli(['latency', '--by', 'authorization'], { stdin: input });
    expect(r.stdout).toContain('[REDACTED]');
    const shown = await runCli(['latency', '--by', 'authorization', '--no-redact'], { stdin: input });
    expect(shown.stdout).toContain(`${SECRET}-authorization`);
  });
});

describe('odd but legal data (issue 6)', () => {
  it('__proto__, constructor and prototype keys change nothing', async () => {
    const base = [
      { time: '2024-05-01T10:00:00.000Z', trace_id: T, span_id: 'a000000000000001', service: 'api', msg: 'start' },
      { time: '2024-05-01T10:00:00.040Z', trace_id: T, span_id: 'b000000000000002', parent_span_id: 'a000000000000001', service: 'db', msg: 'query' },
    ];
    const plain = base.map((r) => JSON.stringify(r)).join('\n');
    const hostile = base
      .map((r) => JSON.stringify(r).slice(0, -1) + ',"__proto__":{"service":"evil","trace_id":"0"},"constructor":{"prototype":{"polluted":1}},"prototype":{"msg":"x"}}')
      .join('\n');
    // A line's other fields are shown as they are (below): with them hidden, the output is the same.
    for (const argv of [['group', '--json'], ['tree', T, '--json', '--logs', '--fields', 'none'], ['latency', '--json'], ['services', '--json']]) {
      const a = await runCli(argv, { stdin: plain });
      const b = await runCli(argv, { stdin: hostile });
      expect(b.stdout, argv.join(' ')).toBe(a.stdout);
      expect(b.code).toBe(a.code);
    }
    const shown = await runCli(['tree', T, '--json', '--logs'], { stdin: hostile });
    const root = (JSON.parse(shown.stdout) as { roots: { events: { fields: Record<string, unknown> }[] }[] }).roots[0]!;
    expect(root.events[0]!.fields).toEqual({ '__proto__.service': 'evil', '__proto__.trace_id': '0', 'constructor.prototype.polluted': 1, 'prototype.msg': 'x' });
    const where = await runCli(['group', '--json', '--where', '__proto__.service=evil'], { stdin: hostile });
    expect(where.stdout.trim().split('\n')).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).service).toBeUndefined();
  });

  // A level is read by name from a table: a name of an Object.prototype member ("constructor",
  // "toString", or "valueOf2" read as an OTel-style "NAME2") once came back as that member, a function,
  // and `tree --logs` failed with an internal error. Such a level is no level, like any unknown name.
  it('levels named like Object.prototype members are no levels', async () => {
    const lines = (level: string | undefined) =>
      [
        { time: '2024-05-01T10:00:00.000Z', trace_id: T, span_id: 'a000000000000001', service: 'api', msg: 'start', level },
        { time: '2024-05-01T10:00:00.040Z', trace_id: T, span_id: 'a000000000000001', service: 'api', msg: 'done', level: 'info' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n');
    for (const level of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf2', 'CONSTRUCTOR']) {
      for (const argv of [['tree', T, '--logs'], ['tree', T, '--json', '--logs'], ['errors', '--json'], ['group', '--json'], ['timeline', T, '--json']]) {
        const hostile = await runCli(argv, { stdin: lines(level) });
        const none = await runCli(argv, { stdin: lines('no-such-level') });
        expect(hostile.stderr, `${level}: ${argv.join(' ')}`).not.toContain('internal error');
        expect(hostile.stdout, `${level}: ${argv.join(' ')}`).toBe(none.stdout);
        expect(hostile.code).toBe(none.code);
      }
    }
  });

  it('nanosecond timestamps beyond 2^53 keep their order', async () => {
    // Three children a nanosecond apart, given in reverse: only the digits past 2^53 tell them apart.
    const otlp = (spanId: string, startNs: string, parent?: string) =>
      JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeSpans: [{ spans: [{ traceId: T, spanId, ...(parent ? { parentSpanId: parent } : {}), name: spanId, startTimeUnixNano: startNs, endTimeUnixNano: '1714557610000900000' }] }] }] });
    const lines = [otlp('a000000000000001', '1714557610000000000'), otlp('c000000000000003', '1714557610000100003', 'a000000000000001'), otlp('c000000000000002', '1714557610000100002', 'a000000000000001'), otlp('c000000000000001', '1714557610000100001', 'a000000000000001')];
    const r = await runCli(['timeline', T, '--json'], { stdin: lines.join('\n') });
    const order = (JSON.parse(r.stdout) as { spanList: { spanId: string }[] }).spanList.map((s) => s.spanId);
    expect(order).toEqual(['a000000000000001', 'c000000000000001', 'c000000000000002', 'c000000000000003']);
  });

  it('a negative duration is clamped to 0 with a warning', async () => {
    const r = await runCli(['tree', T, '--json'], { stdin: record('a000000000000001', { endTime: BASE - 25 }) });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { durationUs: number }).durationUs).toBe(0);
    expect(r.stderr).toMatch(/ends 25000 µs before it starts/);
  });

  it('times in the far past or future are flagged and left out of the trace extent', async () => {
    const input = [
      record('a000000000000001'),
      record('b000000000000002', { startTime: BASE + 10, endTime: BASE + 30 }),
      record('c000000000000003', { startTime: 0, endTime: 5 }), // no start time (0): placed at its parent's start
      record('d000000000000004', { startTime: 7258118400000, endTime: 7258118400010 }), // 2200
      record('e000000000000005', { startTime: BASE + 20, endTime: BASE + 3e12 }), // ends in 2119: a duration out of range
      record('f000000000000006', { startTime: 1000, endTime: 1005 }), // a seconds clock read as ms: 1970
    ].join('\n');
    const r = await runCli(['tree', T, '--json'], { stdin: input });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { durationUs: number; spans: number; startUs: number; warnings: { kind: string; spanId: string }[]; roots: { spanId: string; outOfRange?: boolean; children: { spanId: string; startUs: number; durationUs: number; noStartTime?: boolean }[] }[] };
    expect(doc.spans).toBe(6);
    expect(doc.startUs).toBe(BASE * 1000);
    expect(doc.durationUs).toBe(50_000);
    expect(doc.warnings.filter((w) => w.kind === 'time-out-of-range').map((w) => w.spanId).sort()).toEqual(['d000000000000004', 'f000000000000006']);
    expect(doc.warnings.filter((w) => w.kind === 'no-start-time').map((w) => w.spanId)).toEqual(['c000000000000003']);
    const placed = doc.roots.flatMap((n) => n.children).find((c) => c.spanId === 'c000000000000003')!;
    expect([placed.startUs, placed.durationUs, placed.noStartTime]).toEqual([BASE * 1000, 5000, true]);
    // A 95-year span has no length: its end is read as absent, and counted.
    expect(r.stderr).toContain('warning: 1 duration out of range');
    const text = await runCli(['tree', T], { stdin: input });
    expect(text.stdout).toMatch(/^5ec5ec5e\S*\s+50ms\s+6 spans/m);
    expect(text.stdout).toContain('⌛ time out of range (1970-01-01T00:00:01.000Z)');
    expect(text.stdout).toMatch(/⌛ no start time\n/);
    expect(text.stderr).toMatch(/lies far outside the rest of the trace/);
  });

  it('deeply nested JSON cannot make field lookup recurse without bound', async () => {
    const deep = (n: number) => `{"trace":${'{"trace":'.repeat(n)}1${'}'.repeat(n)},"trace_id":"${T}","span_id":"a000000000000001","msg":"deep"}`;
    const input = [deep(100), deep(100_000), deep(1_000_000)].join('\n') + '\n';
    const r = await runCli(['group', '--json', '--max-line-bytes', String(16 * 1024 * 1024)], { stdin: input });
    expect(r.code, r.stderr).toBe(0);
    const a = parseAccount(r.stderr)!;
    expect(a.read).toBe(3);
    expect(a.used + a.withoutTrace + a.skipped).toBe(3);
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('text that is a secret whatever its key (fixtures/secrets/leaky-service.log)', () => {
  const LOG = 'fixtures/secrets/leaky-service.log';
  const TRACE = '7d3c1f0a9b8e4d2c6a5f0e1d2c3b4a59';
  const LEAKS = ['rst_9f8e7d6c', 'eyJhbGciOiJIUzI1NiJ9', 'pg-Secret-77', 'hunter2-leak'];

  it.each([
    [['tree', TRACE, '--logs', LOG]],
    [['tree', TRACE, '--logs', '--json', LOG]],
    [['timeline', TRACE, LOG]],
    [['timeline', TRACE, '--json', LOG]],
    [['errors', LOG]],
    [['errors', '--json', LOG]],
    [['errors', '--summary', LOG]],
    [['errors', '--summary', '--json', LOG]],
    [['group', LOG]],
    [['group', '--json', LOG]],
    [['report', LOG]],
    [['slowest', LOG]],
    [['slowest', '--json', LOG]],
    [['slowest', '--by', 'span', LOG]],
    [['slowest', '--by', 'span', '--json', LOG]],
    [['slowest', '--by', 'operation', LOG]],
    [['latency', '--by', 'operation', LOG]],
    [['latency', '--by', 'operation', '--json', LOG]],
    [['critical-path', TRACE, LOG]],
    [['critical-path', TRACE, '--json', LOG]],
  ])(
    'tracectl %j prints none of the secrets, and says where they were',
    async (argv) => {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      for (const leak of LEAKS) expect(r.stdout, leak).not.toContain(leak);
      expect(r.stdout).toContain('[REDACTED]');
    },
  );

  it('tree --logs keeps the rest of each message', async () => {
    const r = await runCli(['tree', TRACE, '--logs', LOG]);
    expect(r.stdout).toContain('GET /api/reset?token=[REDACTED]&lang=en');
    expect(r.stdout).toContain('Authorization: Bearer [REDACTED]');
    expect(r.stdout).toContain('postgres://checkout:[REDACTED]@db.internal:5432/orders');
    expect(r.stdout).toContain('login failed password=[REDACTED] user=bob');
  });

  it('--no-redact shows the text as written', async () => {
    const r = await runCli(['tree', TRACE, '--logs', '--no-redact', LOG]);
    for (const leak of LEAKS) expect(r.stdout, leak).toContain(leak);
  });
});
