import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { traceLines } from '../cli/trace-lines.js';
import { workerChunks, workerFolds } from './thread-counts.js';

/**
 * slowest, latency and services complete traces while folding on threads (parallel/complete-on-threads.ts):
 * every thread notes its chunks' lines, the main thread replays the notes in input order and closes the
 * traces due; a closed trace is analysed where it is held whole, or handed back and analysed here. Small
 * chunks handed out from a pipe (no start threshold) put most traces on one thread and some on two.
 */
const THREADS = { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };
const T0 = Date.parse('2024-05-01T10:00:00Z') * 1000;
const A = 'f'.repeat(32);

afterAll(() => {
  // The threaded path ran, and traces completed on it both ways: analysed on a worker, and handed back.
  expect(workerChunks.count).toBeGreaterThan(0);
  expect(workerFolds.completedThere).toBeGreaterThan(0);
  expect(workerFolds.completedBack).toBeGreaterThan(0);
});

describe('completion on the threaded analysis path', () => {
  const trace = fc.record({
    start: fc.integer({ min: 0, max: 20_000_000 }).map((x) => T0 + x),
    // Each trace ends within 0.9 s of its start: shorter than the 1 s timeout.
    steps: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 0, maxLength: 8 }),
    fail: fc.boolean(),
  });
  for (const command of [['slowest'], ['slowest', '--by', 'span'], ['latency', '--by', 'operation'], ['services']]) {
    it(`${command.join(' ')}: on 2 threads, the output of reading to the end when every trace is shorter than the timeout`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(trace, { minLength: 20, maxLength: 80 }), async (traces) => {
          const input = traceLines(traces);
          const whole = await runCli([...command, '--threads', '1', '--trace-timeout', 'none'], { stdin: input });
          const done = await runCli([...command, '--threads', '2', '--trace-timeout', '1000ms'], { stdin: input, env: THREADS });
          expect(done.stdout).toBe(whole.stdout);
          expect(done.code).toBe(whole.code);
          expect(done.stderr).toBe(whole.stderr);
        }),
        { numRuns: 6 },
      );
    });
  }

  it('counts a line of a closed trace as late on 2 threads as on one, and leaves it out', async () => {
    // A: three lines at 10:00:00, then 150 short traces of 5 lines over 30 s (~100 chunks of 2 KiB), then A's
    // worker callback, logged at 10:00:00.2 but written last: with a 1 s timeout A is long complete.
    const line = (t: number, service: string, level: string, message: string) =>
      JSON.stringify({ timestamp: new Date(t / 1000).toISOString(), level, message, serviceName: service, traceId: A, spanId: `${service.padEnd(16, '0').slice(0, 16).replace(/[^0-9a-f]/g, 'a')}` });
    const others = traceLines(Array.from({ length: 150 }, (_, i) => ({ start: T0 + 1_000_000 + i * 200_000, steps: [20_000, 30_000, 40_000], fail: i % 7 === 0 })));
    const input = [line(T0, 'api', 'info', 'started'), line(T0 + 10_000, 'db', 'info', 'query'), line(T0 + 100_000, 'api', 'info', 'finished')].join('\n') + '\n' + others + line(T0 + 200_000, 'worker', 'error', 'callback failed') + '\n';
    const services = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { service: string }).service);
    const all = await runCli(['latency', '--json', '--threads', '1', '--trace-timeout', 'none'], { stdin: input });
    expect(services(all.stdout)).toContain('worker');
    const one = await runCli(['latency', '--json', '--threads', '1', '--trace-timeout', '1s'], { stdin: input });
    const two = await runCli(['latency', '--json', '--threads', '2', '--trace-timeout', '1s'], { stdin: input, env: THREADS });
    expect(services(one.stdout)).not.toContain('worker');
    expect(one.stderr).toContain('754 lines read from 1 source: 754 used, 0 without a trace id, 0 skipped; 151 traces');
    expect(one.stderr).toContain('1 late line (of used)');
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  // D102 keeps one file split and every trace held to the end under the default timeout; D115 bounds that
  // to files up to HOLD_TO_THE_END_MAX_BYTES (TRACECTL_HOLD_MAX_BYTES here). A's callback, logged 0.2 s in
  // but written after 6 minutes of other traces, shows which way the file was read.
  it('holds a file to the end under the default timeout only up to the size bound, and completes a larger one while reading', async () => {
    const line = (t: number, service: string, level: string, message: string) =>
      JSON.stringify({ timestamp: new Date(t / 1000).toISOString(), level, message, serviceName: service, traceId: A, spanId: { api: 'a0a0a0a0a0a0a0a0', db: 'dbdbdbdbdbdbdbdb' }[service] ?? 'b0b0b0b0b0b0b0b0' });
    const others = traceLines(Array.from({ length: 150 }, (_, i) => ({ start: T0 + 1_000_000 + i * 2_400_000, steps: [20_000, 30_000, 40_000], fail: i % 7 === 0 })));
    const file = join(mkdtempSync(join(tmpdir(), 'tracectl-hold-')), 'app.log');
    writeFileSync(file, [line(T0, 'api', 'info', 'started'), line(T0 + 10_000, 'db', 'info', 'query'), line(T0 + 100_000, 'api', 'info', 'finished')].join('\n') + '\n' + others + line(T0 + 200_000, 'worker', 'error', 'callback failed') + '\n');
    const services = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { service: string }).service);
    const held = await runCli(['latency', '--json', '--threads', '2', file], { env: THREADS });
    expect(services(held.stdout)).toContain('worker');
    expect(held.stderr).not.toContain('late');
    // TRACECTL_HOLD_LINES=0: the first lines are not held whole either (D120), so that the cut shows here.
    const bounded = await runCli(['latency', '--json', '--threads', '2', file], { env: { ...THREADS, TRACECTL_HOLD_MAX_BYTES: '4096', TRACECTL_HOLD_LINES: '0' } });
    expect(services(bounded.stdout)).not.toContain('worker');
    expect(bounded.stderr).toContain('1 late line (of used)');
    const one = await runCli(['latency', '--json', '--threads', '1', file], { env: { TRACECTL_HOLD_LINES: '0' } });
    expect(bounded.stdout).toBe(one.stdout);
    expect(bounded.stderr).toBe(one.stderr);
  });
});
