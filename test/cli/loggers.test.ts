import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

/**
 * Durations and ids as real loggers write them (fixtures/loggers/README.md has the truth): units read
 * from the logger that wrote the line and said in the report, overridden with --field PATH:UNIT; ids in
 * fields named for the header; a hint when lines without a trace id share an id-like field.
 */
const GO = fixture('loggers/go-services.log');
const REQ_ID = fixture('loggers/structlog-req-id.log');

interface SlowRow { traceId: string; durationUs: number; services: string[] }
const rows = (stdout: string): SlowRow[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as SlowRow);

describe('duration units', () => {
  it('reads slog ns, zap seconds and nginx seconds, and ranks the slow request first', async () => {
    const r = await runCli(['slowest', '--json', GO]);
    expect(r.code).toBe(0);
    expect(rows(r.stdout).map((x) => [x.traceId.slice(0, 8), x.durationUs])).toEqual([
      ['4bf92f35', 4_912_346], // the gateway's slog latency, 4912345678 ns
      ['1bf92f35', 250_000], // nginx request_time 0.250 s
      ['0af76519', 1_200], // slog 1200000 ns
    ]);
    // Both traces of the gateway have other lines: the timestamps decide (units.test.ts), as slog's signature would.
    expect(r.stderr).toContain("tracectl: note: gateway latency read as ns (from 2 spans, by their traces' timestamps; --field duration=latency:UNIT says otherwise)");
    expect(r.stderr).toContain("tracectl: note: recommender latency read as s (from 1 span, by their traces' timestamps;");
  });

  it('the recommender span is 4.9 s, inside its request', async () => {
    const r = await runCli(['tree', '4bf92f35', '--json', '-q', GO]);
    const tree = JSON.parse(r.stdout) as { roots: { durationUs: number; children: { service: string; durationUs: number }[] }[] };
    expect(tree.roots[0]!.durationUs).toBe(4_912_346);
    expect(tree.roots[0]!.children.map((c) => [c.service, c.durationUs])).toEqual([['recommender', 4_899_900]]); // 4.8999 s
  });

  it('--field duration=PATH:UNIT overrides the inferred unit, and then nothing is inferred', async () => {
    const r = await runCli(['slowest', '--json', '--field', 'duration=latency:ns', GO]);
    expect(r.code).toBe(0);
    const health = rows(r.stdout).find((x) => x.traceId.startsWith('0af76519'));
    expect(health?.durationUs).toBe(1_200);
    expect(r.stderr).not.toContain('note:');
  });

  it.each([
    ['duration=latency:weeks', "unknown unit 'weeks'"],
    ['traceId=trace:ms', 'only for duration and time'],
    ['duration=:ns', 'ROLE=PATH'],
    ['colour=x', "unknown role 'colour'"],
  ])('--field %s is a usage error (exit 2)', async (spec, message) => {
    const r = await runCli(['group', '--field', spec, GO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});

describe('ids', () => {
  it('a traceparent under --field traceId= is parsed, not taken whole', async () => {
    const r = await runCli(['group', '--json', '-q', '--field', 'traceId=http_traceparent', GO]);
    const ids = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { traceId: string }).traceId);
    expect(ids).toContain('1bf92f3577b34da6a3ce929d0e0e4736');
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
  });

  it('lines without a trace id that share an id-like field get a hint, and the hint works', async () => {
    const before = await runCli(['group', REQ_ID]);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('tracectl: hint: 24 lines without a trace id have req_id: --field traceId=req_id groups them by it');
    const after = await runCli(['group', '--json', '--field', 'traceId=req_id', REQ_ID]);
    expect(after.code).toBe(0);
    expect(after.stdout.trim().split('\n')).toHaveLength(12);
    expect(after.stderr).toContain('24 used, 0 without a trace id, 1 skipped; 12 traces');
    expect(after.stderr).not.toContain('hint:');
  });
});

describe('logfmt and plain-text lines', () => {
  const TEXT = fixture('loggers/text-and-logfmt.log');
  interface Node { service: string; operation: string; durationUs: number; error: boolean; events: { message: string; stack?: string }[]; children: Node[] }

  it('puts Spring, Sleuth, logfmt and OTel Python text lines in their trace, with services and times', async () => {
    const r = await runCli(['tree', '4bf92f35', '--logs', '--json', TEXT]);
    expect(r.code).toBe(0);
    const tree = JSON.parse(r.stdout) as { durationUs: number; roots: Node[] };
    const flat: [string, string, number, boolean, number][] = [];
    const walk = (n: Node, depth: number): void => {
      flat.push([`${'  '.repeat(depth)}${n.service}`, n.operation, n.durationUs, n.error, n.events.length]);
      n.children.forEach((c) => walk(c, depth + 1));
    };
    tree.roots.forEach((n) => walk(n, 0));
    expect(flat).toEqual([
      ['gateway', 'POST /checkout received', 0, false, 1], // Spring Boot 3.2 correlation, app name after ---
      ['orders', 'creating order', 70_000, true, 3], // Sleuth [app,trace,span]
      ['  inventory', 'reserving stock', 20_000, true, 2], // logfmt (slog text, go-kit), dur=20ms
      ['  payments', 'card declined', 0, true, 1], // OTel Python logging format; its one line lies inside orders: parent inferred
    ]);
    expect(tree.durationUs).toBe(80_000);
    expect(r.stderr).toContain('20 lines read from 1 source: 8 used, 1 without a trace id, 10 stack-trace lines joined to their log line, 1 skipped; 1 trace');
  });

  it('joins a Python traceback and a Java stack trace to the log line before them', async () => {
    const r = await runCli(['tree', '4bf92f35', '--logs', '--json', '-q', TEXT]);
    const tree = JSON.parse(r.stdout) as { roots: Node[] };
    const payments = tree.roots.flatMap((n) => [n, ...n.children]).find((n) => n.service === 'payments')!;
    expect(payments.events[0]!.stack).toBe('Traceback (most recent call last):\n  File "/app/charge.py", line 40, in charge\n    gateway.charge(card)\nCardDeclined: insufficient funds');
    const orders = tree.roots.find((n) => n.service === 'orders')!;
    expect(orders.events.map((e) => e.stack?.split('\n').length ?? 0)).toEqual([0, 0, 6]);
    expect(orders.events[2]!.stack).toMatch(/^java\.lang\.IllegalStateException: payment declined\n\tat com\.example/);
    const text = await runCli(['tree', '4bf92f35', '--logs', '-q', TEXT]);
    expect(text.stdout).toContain('Caused by: com.example.payments.CardDeclinedException: insufficient funds');
    expect(text.stdout).toContain('    at com.example.orders.OrderService.charge(OrderService.java:88)');
  });

  it('counts what it could not read: the line without a span (a log line without a trace id), the banner', async () => {
    const r = await runCli(['group', '--json', TEXT]);
    expect(r.stdout.trim().split('\n')).toHaveLength(2); // the Quarkus line is a trace of its own
    expect(r.stderr).toContain('20 lines read from 1 source: 8 used, 1 without a trace id, 10 stack-trace lines joined to their log line, 1 skipped; 2 traces');
    expect(r.stderr).toMatch(/1 not JSON: \S+text-and-logfmt\.log:20\n/);
  });

  it('gives the same answer with every line through JSON.parse (no field scanner)', async () => {
    const one = await runCli(['group', '--json', TEXT], { threads: 1 });
    const split = await runCli(['group', '--json', TEXT], { env: { NO_COLOR: '1', TRACECTL_PARSE_ALL: '1' } });
    expect(split.stdout).toBe(one.stdout);
    expect(split.stderr).toBe(one.stderr);
  });
});
