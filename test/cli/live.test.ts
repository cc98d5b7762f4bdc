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

  it('reads several sources to their end before completing (their log times need not be in order)', async () => {
    const r = await runCli(['errors', '--threads', '1', '--trace-timeout', '5s', LATE, LATE]);
    expect(r.stderr).not.toContain('late');
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
