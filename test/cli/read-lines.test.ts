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
