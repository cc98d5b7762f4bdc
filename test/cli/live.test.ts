import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { traceLines } from './trace-lines.js';

const LATE = fixture('live/late-callback.jsonl');
const A = '4bf92f3577b34da6a3ce929d0e0e4736';
const C = 'a3ce929d0e0e47364bf92f3577b34da6';

describe('traces complete by log time (--trace-timeout)', () => {
  // late-callback.jsonl: A's worker callback fails at 10:00:12.5, 12.4 s after A's last line (README).
  it('counts a line of a trace already complete as late and leaves it out', async () => {
    const r = await runCli(['errors', '--threads', '1', '--trace-timeout', '5s', LATE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(C);
    expect(r.stdout).not.toContain(A);
    expect(r.stderr).toContain('10 lines read from 1 source: 10 used');
    expect(r.stderr).toContain('1 late line (of used)');
  });

  it('keeps the line in its trace when the trace is not yet complete (default 5m)', async () => {
    const r = await runCli(['errors', '--threads', '1', LATE]);
    expect(r.stdout).toContain(`${A}  2024-05-01T10:00:00.000Z  12.5s  1 of 3 spans failed`);
    expect(r.stdout).toContain('worker order callback: callback failed: order 8812 not found');
    expect(r.stderr).not.toContain('late');
  });

  it("leaves the late line's span out of latency too: 5 spans, not 6", async () => {
    const late = await runCli(['latency', '--json', '--threads', '1', '--trace-timeout', '5s', LATE]);
    const all = await runCli(['latency', '--json', '--threads', '1', LATE]);
    const count = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { count: number }).reduce((n, r) => n + r.count, 0);
    expect(count(all.stdout)).toBe(6); // api ×3, db, payments, worker
    expect(count(late.stdout)).toBe(5);
  });

  it('completes with --threads 2 too (a file this small is read on one thread; test/parallel/complete-threads.test.ts shares one)', async () => {
    const threaded = await runCli(['latency', '--json', '--threads', '2', '--trace-timeout', '5s', LATE]);
    expect(threaded.stderr).toContain('1 late line (of used)');
    const errors = await runCli(['errors', '--threads', '2', '--trace-timeout', '5s', LATE]);
    expect(errors.stderr).toContain('1 late line (of used)');
  });

  it('shows the defaults of --idle and --trace-timeout as they are written, not in µs', async () => {
    const help = (await runCli(['slowest', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(default: 5s)');
    expect(help).toContain('(default: 5m)');
    expect(help).not.toContain('default: 300000000');
  });

  it('reads several sources to their end before completing (their log times need not be in order)', async () => {
    // A second file with the same lines (the same path twice is one file, read once).
    const copy = join(mkdtempSync(join(tmpdir(), 'tracectl-late-')), 'late-callback.jsonl');
    copyFileSync(LATE, copy);
    const r = await runCli(['errors', '--threads', '1', '--trace-timeout', '5s', LATE, copy]);
    expect(r.stderr).toContain('from 2 sources');
    expect(r.stderr).not.toContain('late');
  });

  // `kubectl logs -l app=shop --prefix > shop.log` (no -f) writes each pod's log whole, one pod after the
  // other: the times go back 20 minutes at every pod. Under the default timeout such an input is read
  // whole (the first DEFAULT_HOLD_LINES lines, D120): every command gives the answer of reading to the end.
  it('reads pods written one after another whole under the default timeout; a timeout given cuts them', async () => {
    const T = Date.parse('2026-12-07T03:00:00Z');
    const pods: Record<string, string[]> = { gateway: [], orders: [], payments: [] };
    const put = (service: string, t: number, k: number, span: string, level: string, msg: string) =>
      pods[service]!.push(`[pod/${service}-7d4b9c8f6-x2x9z/${service}] ${JSON.stringify({ time: new Date(t).toISOString(), level, msg, service, trace_id: (0x7000 + k).toString(16).padStart(32, '0'), span_id: `${span}${k.toString(16).padStart(14, '0')}` })}`);
    for (let k = 0; k < 60; k++) {
      const t = T + k * 20_000; // a request every 20 s: 20 minutes of logs per pod
      const declined = k % 15 === 0;
      put('gateway', t, k, '0a', 'INFO', 'request started');
      put('orders', t + 20, k, '0b', 'INFO', 'creating order');
      put('payments', t + 40, k, '0c', 'INFO', 'charging');
      put('payments', t + 200, k, '0c', declined ? 'ERROR' : 'INFO', declined ? 'card declined by issuer' : 'charged');
      put('orders', t + 250, k, '0b', declined ? 'ERROR' : 'INFO', declined ? 'payment failed' : 'order created');
      put('gateway', t + 300, k, '0a', declined ? 'ERROR' : 'INFO', declined ? 'request failed' : 'request done');
    }
    const dir = mkdtempSync(join(tmpdir(), 'tracectl-pods-'));
    const file = join(dir, 'shop.log');
    writeFileSync(file, [...pods.gateway!, ...pods.orders!, ...pods.payments!].join('\n') + '\n');
    for (const command of [['errors', '--summary'], ['latency', '--json'], ['slowest', '--json'], ['services']]) {
      const whole = await runCli([...command, '--trace-timeout', 'none', file]);
      const byDefault = await runCli([...command, file]);
      expect(byDefault.stdout, command.join(' ')).toBe(whole.stdout);
      expect(byDefault.stderr, command.join(' ')).toBe(whole.stderr);
    }
    const summary = await runCli(['errors', '--summary', file]);
    expect(summary.stdout.split('\n').find((l) => /declined|failed/.test(l))).toMatch(/^\s*4\s+4\s+payments\b.*card declined by issuer/);
    const cut = await runCli(['errors', '--summary', '--trace-timeout', '4m', file]);
    expect(cut.stderr).toMatch(/\d+ late lines \(of used\)/);
  });
});

describe('output with completion is the output without, when every trace is shorter than the timeout', () => {
  const T0 = Date.parse('2024-05-01T10:00:00Z') * 1000;
  const TIMEOUT_US = 1_000_000;
  const trace = fc.record({
    start: fc.integer({ min: 0, max: 20_000_000 }).map((x) => T0 + x),
    // Each trace ends within 0.9 s of its start: shorter than the 1 s timeout.
    steps: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 0, maxLength: 8 }),
    fail: fc.boolean(),
  });
  for (const command of [['slowest'], ['slowest', '--by', 'span'], ['latency', '--by', 'operation'], ['services'], ['errors'], ['errors', '--summary'], ['errors', '--json']]) {
    it(command.join(' '), async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(trace, { minLength: 1, maxLength: 40 }), async (traces) => {
          const input = traceLines(traces);
          const whole = await runCli([...command, '--threads', '1', '--trace-timeout', 'none'], { stdin: input });
          const done = await runCli([...command, '--threads', '1', '--trace-timeout', `${TIMEOUT_US / 1000}ms`], { stdin: input });
          expect(done.stdout).toBe(whole.stdout);
          expect(done.code).toBe(whole.code);
          expect(done.stderr).toBe(whole.stderr);
        }),
        { numRuns: 25 },
      );
    });
  }
});
