import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

/**
 * Issue #26, "Read the logs people actually have": lines as kubectl, stern and the common loggers write
 * them (fixtures/lines/README.md has each file's source and truth), read through the real program with
 * every line accounted for.
 */
const accounting = (stderr: string): string | undefined => /tracectl: (\d+ lines read from .*)/.exec(stderr)?.[1];

describe('#26 a stack trace joins the last line of its own pod', () => {
  it('kubectl --prefix: a gateway line inside the orders stack keeps none of it', async () => {
    const r = await runCli(['tree', '7f3c', '--logs', fixture('lines/kubectl-interleaved-stack.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '7f3c1a2b4d5e6f708192a3b4c5d6e7f8  900ms  2 spans  2 services  2026-12-07T02:10:00.050Z',
        '≈ parents inferred from timing: 1 of 2',
        'gateway POST /checkout                     900ms       +0µs  ███████████████████████████████████████  ✗ request failed',
        '│  ·      +0µs INFO  request started',
        '│  ·    +900ms ERROR request failed',
        '└─ ≈ orders creating order for cart 991    800ms      +50ms    ███████████████████████████████████    ✗ order failed',
        '      ·     +50ms INFO  creating order for cart 991',
        '      ·    +850ms ERROR order failed',
        '                        java.lang.IllegalStateException: inventory service unavailable',
        '                            at com.shop.orders.InventoryClient.reserve(InventoryClient.java:88)',
        '                            at com.shop.orders.OrderService.create(OrderService.java:41)',
        '                        Caused by: java.net.ConnectException: Connection refused',
        '                            at java.base/sun.nio.ch.Net.connect0(Native Method)',
        '                            ... 12 common frames omitted',
        '',
      ].join('\n'),
    );
    expect(accounting(r.stderr)).toBe('10 lines read from 1 source: 4 used, 0 without a trace id, 6 stack-trace lines joined to their log line, 0 skipped; 1 trace');
  });

  it('stern: the frames after a gateway line join the orders line, none is skipped as not JSON', async () => {
    const r = await runCli(['tree', '7f3c', '--logs', fixture('lines/stern-interleaved-stack.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '   ·      +0µs ERROR order failed',
        '                     java.lang.IllegalStateException: inventory service unavailable',
        '                         at com.shop.orders.OrderService.create(OrderService.java:41)',
        '                     Caused by: java.net.ConnectException: Connection refused',
        '',
      ].join('\n'),
    );
    expect(accounting(r.stderr)).toBe('5 lines read from 1 source: 2 used, 0 without a trace id, 3 stack-trace lines joined to their log line, 0 skipped; 1 trace');
    const g = await runCli(['group', '--json', '-q', fixture('lines/stern-interleaved-stack.log')]);
    const rows = g.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; services: string[]; errors: number });
    expect(rows.map((x) => [x.traceId.slice(0, 4), x.services, x.errors])).toEqual([
      ['7f3c', ['orders'], 1],
      ['9999', ['gateway'], 1],
    ]);
  });
});

describe('#26 stern-prefixed logfmt is read as kubectl-prefixed logfmt is', () => {
  it.each(['stern-logfmt.log', 'kubectl-logfmt.log'])('%s: time, level, message and service', async (name) => {
    const r = await runCli(['group', '--json', fixture(`lines/${name}`)]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => [x.traceId, x.start, x.durationUs, x.errors, x.services, x.root, x.rootService])).toEqual([
      ['99999999999999999999999999999999', '2026-12-07T03:10:00.050000Z', 900_000, 1, ['gateway'], 'request started', 'gateway'],
    ]);
    expect(accounting(r.stderr)).toBe('2 lines read from 1 source: 2 used, 0 without a trace id, 0 skipped; 1 trace');
  });
});

describe('#26 a line with its own time and level is never a stack line', () => {
  it('Spring Boot without a trace in scope ("[   ]"): scheduler lines are lines without a trace id, their stack their own', async () => {
    const file = fixture('lines/springboot-blank-correlation.log');
    const r = await runCli(['tree', '803b', '--logs', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '803b448a0489f84084905d3093480352  200ms  1 span  1 service  2026-12-07T02:00:00.100Z',
        'orders creating order    200ms       +0µs  █████████████████████████████████████████████████████████  ✗ order failed',
        '   ·      +0µs INFO  creating order',
        '   ·    +200ms ERROR order failed',
        '                     java.lang.IllegalStateException: inventory down',
        '                         at com.shop.Foo.bar(Foo.java:10)',
        '',
      ].join('\n'),
    );
    expect(accounting(r.stderr)).toBe('9 lines read from 1 source: 2 used, 3 without a trace id, 4 stack-trace lines joined to their log line, 0 skipped; 1 trace');
  });

  it('a Spring Boot line without ids after a Sleuth line of another service stays apart', async () => {
    const r = await runCli(['tree', '0b6a', '--logs', fixture('lines/spring-sleuth-mixed.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('service3 old sleuth 15-char span');
    expect(r.stdout).not.toContain('no ids here');
    expect(accounting(r.stderr)).toBe('4 lines read from 1 source: 3 used, 1 without a trace id, 0 skipped; 1 trace');
  });
});

describe('#26 structlog: an `exception` field holding a traceback', () => {
  const file = fixture('lines/kubectl-structlog-exception.log');

  it('the message is the event, with the exception beside it; the traceback is drawn under the line', async () => {
    const r = await runCli(['tree', '4bf9', '--logs', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '4bf92f3577b34da6a3ce929d0e0e4736  2.25s  1 span  1 service  2026-12-07T03:00:00.050Z',
        'payments charge started    2.25s       +0µs  ███████████████████████████████████████████████████████  ✗ card network timeout (httpx.ReadTimeout: timed out)',
        '   ·      +0µs INFO  charge started amount=4200',
        '   ·    +2.25s ERROR card network timeout',
        '                     Traceback (most recent call last):',
        '                       File "/app/charge.py", line 42, in charge',
        '                         resp = client.post(url, timeout=2.25)',
        '                     httpx.ReadTimeout: timed out',
        '',
      ].join('\n'),
    );
    expect(accounting(r.stderr)).toBe('4 lines read from 1 source: 2 used, 0 without a trace id, 2 not examined (cannot hold the id), 0 skipped; 1 trace');
  });

  it('errors and errors --summary name the event', async () => {
    const e = await runCli(['errors', file]);
    expect(e.stdout).toContain('✗ payments charge started: card network timeout (httpx.ReadTimeout: timed out)\n');
    const s = await runCli(['errors', '--summary', '--json', file]);
    expect((JSON.parse(s.stdout) as { message: string }).message).toBe('card network timeout (httpx.ReadTimeout: timed out)');
    expect(accounting(s.stderr)).toBe('4 lines read from 1 source: 4 used, 0 without a trace id, 0 skipped; 2 traces');
  });
});

describe('#26 GELF and the .NET JSON console formatter', () => {
  it('GELF: short_message is the message, level a syslog severity (6 info, 3 error); .NET: LogLevel is the level', async () => {
    const r = await runCli(['tree', '4bf9', '--logs', fixture('lines/gelf-dotnet.log')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.replace(/ +(?:EventId|version)=.*$/, ''));
    expect(lines).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736  57ms  2 spans  1 service  2026-12-07T03:00:00.300Z',
      'unknown gelf started       57ms       +0µs  ████████████████████████████████████████████████████████  ✗ gelf msg',
      '   ·      +0µs INFO  gelf started',
      '   ·     +57ms ERROR gelf msg',
      'unknown dotnet started      0µs       +0µs  █                                                         ✗ hello dotnet  ⚠ missing parent 5fb397be34d26b51',
      '   ·         ? INFO  dotnet started',
      '   ·         ? ERROR hello dotnet',
      '',
    ]);
    expect(accounting(r.stderr)).toBe('4 lines read from 1 source: 4 used, 0 without a trace id, 0 skipped; 1 trace');
  });
});

describe('#26 --where on the error text', () => {
  const file = fixture('lines/where-error-text.log');
  /** The first two digits of the trace ids `group` keeps under `--where expr`. */
  const kept = async (expr: string): Promise<string[]> => {
    const r = await runCli(['group', '--json', '-q', '--where', expr, file]);
    expect(r.code).toBe(0);
    return r.stdout.trim().split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { traceId: string }).traceId.slice(0, 2));
  };

  it.each([
    ['error~timeout', ['a1']], // pino's err.message; not the info line that mentions a timeout
    ['err.message~timeout', ['a1']], // the member the error role read
    ['error.message~timed out', ['c3']], // log4j2 EcsLayout's flat key, read by the error role
    ['error~deadline', ['b2']], // slog's err string
    ['error.type~Timeout', ['c3']], // a field the role did not read stays a field
    ['err.stack~upstream\\.js', ['a1']],
    ['error=true', ['a1', 'b2', 'c3']],
    ['level=error', ['a1', 'b2', 'c3']],
    ['status>=500', ['a1']],
    ['msg~timeout', ['d4']],
  ])('%s keeps %j', async (expr, want) => {
    expect(await kept(expr)).toEqual(want);
  });
});

describe('#26 duration strings with their unit in them: .NET TimeSpan, Python timedelta', () => {
  const file = fixture('lines/duration-strings.log');

  it('reads each, and says once which value of which field it could not read', async () => {
    const r = await runCli(['group', '--json', file]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; durationUs: number });
    expect(Object.fromEntries(rows.map((x) => [x.traceId.slice(0, 2), x.durationUs]))).toEqual({
      e1: 1_234_568, // Serilog "00:00:01.2345678" (100 ns ticks, to the µs)
      e2: ((26 * 60 + 3) * 60 + 4.5) * 1e6, // Serilog "1.02:03:04.5000000"
      f1: 1_234_567, // python-json-logger str(timedelta) "0:00:01.234567"
      f2: (86_400 + 2.5) * 1e6, // "1 day, 0:00:02.500000"
      f3: 1_234_567, // structlog repr(timedelta)
      a7: 0, // nginx: two upstreams, "0.120, 0.050"
      a8: 0, // nginx: no upstream, "-"
    });
    expect(r.stderr).toContain(
      'tracectl: note: unknown upstream_response_time not read as a duration in 1 line ("0.120, 0.050"): a number, or text with its unit (250ms, 1.5s, 00:00:01.5)\n',
    );
    expect(r.stderr.match(/not read as a duration/g)).toHaveLength(1);
    const env = { TRACECTL_CHUNK_BYTES: '512', TRACECTL_THREADS_AFTER_BYTES: '0' };
    const [one, two] = await Promise.all(['1', '2'].map((t) => runCli(['group', '--json', '--threads', t, file], { env })));
    expect(two!.stdout).toBe(r.stdout);
    expect(two!.stderr).toBe(one!.stderr);
    expect(one!.stderr).toBe(r.stderr);
  });
});

describe('#26 stern --color always: the coloured prefix is read as the plain one', () => {
  const file = fixture('lines/stern-color-always.log');

  it('JSON, logfmt and Spring Boot lines behind coloured pod and container names, the stack with its own pod', async () => {
    const r = await runCli(['tree', '7f3c', '--logs', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '7f3c1a2b4d5e6f708192a3b4c5d6e7f8  700ms  2 spans  2 services  2026-12-07T03:10:00.200Z',
        'payments charge started      0µs       +0µs  █                                                      ',
        '   ·      +0µs INFO  charge started pid=1 hostname=payments-0 trace_flags=01',
        'orders order failed          0µs     +700ms                                                        █  ✗ order failed',
        '   ·    +700ms ERROR order failed',
        '                     java.lang.IllegalStateException: inventory service unavailable',
        '                         at com.shop.orders.OrderService.create(OrderService.java:41)',
        '                     Caused by: java.net.ConnectException: Connection refused',
        '',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('\x1b');
    expect(accounting(r.stderr)).toBe('6 lines read from 1 source: 3 used, 0 without a trace id, 3 stack-trace lines joined to their log line, 0 skipped; 1 trace');
    const env = { TRACECTL_CHUNK_BYTES: '256', TRACECTL_THREADS_AFTER_BYTES: '0' };
    const [g, one, two] = await Promise.all([[], ['--threads', '1'], ['--threads', '2']].map((t) => runCli(['group', '--json', ...t, file], { env })));
    const rows = g!.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; services: string[]; errors: number });
    expect(rows.map((x) => [x.traceId.slice(0, 4), x.services, x.errors])).toEqual([
      ['7f3c', ['orders', 'payments'], 1],
      ['9999', ['gateway'], 1],
    ]);
    expect(two!.stdout).toBe(one!.stdout);
    expect(two!.stderr).toBe(one!.stderr);
  });
});

describe('#26 Serilog: a message template is rendered from the event\'s properties', () => {
  it('CLEF @mt (with @r for formatted tokens) and JsonFormatter MessageTemplate + Properties; @m as written', async () => {
    const file = fixture('lines/serilog-templates.log');
    const r = await runCli(['tree', '5e5e', '--logs', '--fields', 'none', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e  820ms  3 spans  1 service  2026-12-07T02:59:59.999Z',
        'unknown POST /orders                             812ms       +0µs  █████████████████████████████████', // the request log's RequestMethod + RequestPath name the span
        '│  ·    +100ms INFO  Reserving 2 of "SKU-991" for order 4242',
        '│  ·    +812ms INFO  HTTP "POST" "/orders" responded 201 in 812.3460 ms',
        '└─ unknown Payment 4242 declined by "stripe"…      0µs     +500ms                      █            ',
        '      ·    +500ms WARN  Payment 4242 declined by "stripe": False',
        'unknown Cache refreshed in 3 ms                    0µs     +820ms                                  █',
        '   ·    +820ms INFO  Cache refreshed in 3 ms',
        '',
      ].join('\n'),
    );
    const plain = await runCli(['tree', '5e5e', '--logs', '--fields', 'none', file], { env: { TRACECTL_PARSE_ALL: '1' } });
    expect(plain.stdout).toBe(r.stdout); // the field scanner hands such lines to JSON.parse
    expect(accounting(r.stderr)).toBe('4 lines read from 1 source: 4 used, 0 without a trace id, 0 skipped; 1 trace');
  });
});

describe('#26 Traefik\'s JSON access log (D127)', () => {
  const file = fixture('lines/traefik-access.log');

  it('the proxy\'s own span: service traefik, POST /checkout, from StartUTC for Duration; router and backend stay fields', async () => {
    const g = await runCli(['group', '--json', '-q', file]);
    expect(g.code).toBe(0);
    const row = JSON.parse(g.stdout) as Record<string, unknown>;
    expect([row.start, row.durationUs, row.services, row.root, row.rootService, row.errors]).toEqual([
      '2026-12-07T03:00:00.000123Z', // StartUTC, to the µs (its `time` is whole seconds)
      1_203_457, // Duration 1203456789 ns
      ['traefik', 'unknown'],
      'POST /checkout', // RequestMethod + RequestPath, without the query
      'traefik',
      2,
    ]);
    const t = await runCli(['tree', '7a7a', '--logs', '--fields', 'none', file]);
    expect(t.stdout).toBe(
      [
        '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a  1.2s  2 spans  2 services  2026-12-07T03:00:00.000Z',
        '≈ parents inferred from timing: 1 of 2',
        'traefik POST /checkout          1.2s       +0µs  ███████████████████████████████████████████████████  ✗ HTTP 502',
        '│  ·     +1.2s INFO  ',
        '└─ ≈ unknown POST /checkout    1.05s     +130ms       ██████████████████████████████████████████████  ✗ Error: payment gateway unreachable',
        '      ·    +150ms INFO  charging card',
        '      ·    +1.18s ERROR request errored',
        '',
      ].join('\n'),
    );
    const w = await runCli(['group', '--json', '-q', '--where', 'ServiceName~^shop-checkout', '--where', 'status>=500', file]);
    expect(w.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('#26 zap\'s development console format: the JSON tail is read', () => {
  it('time, level, logger, caller and message from the head; ids, duration and error from the fields', async () => {
    const file = fixture('lines/zap-console.log');
    const r = await runCli(['tree', '9f9f', '--logs', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f  1.5s  2 spans  1 service  2026-12-07T03:00:00.100Z',
        '≈ parents inferred from timing: 1 of 2',
        'unknown charge started           1.5s       +0µs  ██████████████████████████████████████████████████  ✗ card network timeout',
        '│  ·      +0µs INFO  charge started amount=4200 caller=checkout/handler.go:42',
        '│  ·     +1.5s ERROR charge failed caller=checkout/handler.go:57',
        '└─ ≈ unknown retrying charge      0µs     +800ms                            █                       ',
        '      ·    +800ms WARN  retrying charge attempt=2 caller=payments/client.go:88 logger=payments.client',
        '',
      ].join('\n'),
    );
    // The line without fields has no ids: a line without a trace id, as zap's JSON line would be.
    expect(accounting(r.stderr)).toBe('4 lines read from 1 source: 3 used, 1 without a trace id, 0 skipped; 1 trace');
  });
});

describe('#26 a UTF-16 file (PowerShell 5.1 writes one with `>`) is decoded', () => {
  it.each(['powershell-utf16le.log', 'utf16be.log'])('%s', async (name) => {
    const file = fixture(`lines/${name}`);
    const r = await runCli(['group', '--json', file]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; services: string[]; durationUs: number; errors: number; root: string });
    expect(rows.map((x) => [x.traceId, x.services, x.durationUs, x.errors, x.root])).toEqual([['16161616161616161616161616161616', ['utf16'], 100_000, 1, 'utf-16 start é']]);
    expect(r.stderr).toBe('tracectl: 2 lines read from 1 source: 2 used, 0 without a trace id, 0 skipped; 1 trace\n');
  });

  it('a UTF-16 file is not split across threads by its bytes: each line read once, as on one thread', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ level: 30, time: 1796691602000 + i, name: 'utf16', trace_id: (i % 7 + 1).toString(16).padStart(32, '0'), span_id: (i + 1).toString(16).padStart(16, '0'), msg: `line ${i} é` }));
    const file = join(mkdtempSync(join(tmpdir(), 'tracectl-utf16-')), 'big.log');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf16le')]));
    const one = await runCli(['group', '--json', file, '--threads', '1']);
    const split = await runCli(['group', '--json', file, '--threads', '2'], { env: { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0' } });
    expect(one.stderr).toBe('tracectl: 300 lines read from 1 source: 300 used, 0 without a trace id, 0 skipped; 7 traces\n');
    expect(split.stdout).toBe(one.stdout);
    expect(split.stderr).toBe(one.stderr);
  });
});
