import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workerChunks } from './thread-counts.js';
import { runCli } from '../cli/run-cli.js';


/**
 * When `group` shares the reading with a worker (parallel/read-parallel.ts): a plain file whose size is
 * known is read on one thread up to ~96 MiB, where a second thread starts to pay; a pipe, whose size
 * shows only as it comes, is shared once 8 MiB have been read. Either way the answer is one thread's.
 */
describe('when group uses a worker', () => {
  // ~13 MB of log lines over 2,000 traces.
  const lines: string[] = [];
  for (let i = 0; lines.length * 260 < 13e6; i++) {
    const trace = ((i % 2000) + 1).toString(16).padStart(32, '0');
    lines.push(
      JSON.stringify({ timestamp: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString(), level: 'info', message: `step ${i}`, serviceName: `svc-${i % 3}`, traceId: trace, spanId: (i % 7919).toString(16).padStart(16, '0'), operation: 'GET /x', pad: 'x'.repeat(60) }),
    );
  }
  const text = lines.join('\n') + '\n';
  const file = join(mkdtempSync(join(tmpdir(), 'tracectl-policy-')), 'app.log');
  writeFileSync(file, text);

  it('a 13 MB file: one thread, though two are allowed', async () => {
    const one = await runCli(['group', '--json', '--threads', '1', file]);
    const before = workerChunks.count;
    const two = await runCli(['group', '--json', '--threads', '2', file]);
    expect(workerChunks.count).toBe(before);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stderr, one.stderr).toMatch(/2,000 traces/);
  });

  it('the same 13 MB through a pipe: shared with a worker after the first 8 MiB, with the same answer', async () => {
    const one = await runCli(['group', '--json', '--threads', '1', file]);
    const before = workerChunks.count;
    const two = await runCli(['group', '--json', '--threads', '2'], { stdin: text });
    expect(workerChunks.count).toBeGreaterThan(before);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr.replace(' from 1 source', '')).toBe(one.stderr.replace(' from 1 source', ''));
  });

  it('group asks for a small young generation, again once its worker runs (starting a worker resets V8 flags); other commands do not', async () => {
    let calls = 0;
    const lean = () => void calls++;
    await runCli(['group', '--json', '--threads', '1', file], { smallYoungGeneration: lean });
    expect(calls).toBe(1);
    calls = 0;
    await runCli(['group', '--json', '--threads', '2'], { stdin: text, smallYoungGeneration: lean });
    expect(calls).toBe(2);
    calls = 0;
    await runCli(['latency', '--threads', '2'], { stdin: text, smallYoungGeneration: lean });
    await runCli(['slowest', '--threads', '1', file], { smallYoungGeneration: lean });
    expect(calls).toBe(0);
  });

  it('scavenging is left to the allocating thread once workers run on every core, and only then', async () => {
    let asked = 0;
    const alone = () => void asked++;
    // Two threads on two cores (the default): set as the worker comes online, for any job.
    await runCli(['group', '--json', '--threads', '2'], { stdin: text, threads: 2, scavengeAlone: alone });
    expect(asked).toBe(1);
    asked = 0;
    await runCli(['latency', '--threads', '2'], { stdin: text, threads: 2, scavengeAlone: alone });
    expect(asked).toBe(1);
    asked = 0;
    // One thread, or two on four cores: a core is free to help, so never.
    await runCli(['slowest', '--threads', '1'], { stdin: text, threads: 2, scavengeAlone: alone });
    await runCli(['group', '--json', '--threads', '2'], { stdin: text, threads: 4, scavengeAlone: alone });
    // Two threads allowed, but a file too small for a worker: none comes online.
    await runCli(['group', '--json', '--threads', '2', file], { threads: 2, scavengeAlone: alone });
    expect(asked).toBe(0);
  });

  it('a command that lets traces go while reading keeps the old generation tight, on every thread; one holding them does not (D116)', async () => {
    let asked = 0;
    const tight = () => void asked++;
    // From a pipe, on two threads: before reading and as the worker comes online.
    await runCli(['latency', '--threads', '2'], { stdin: text, threads: 2, tightOldGeneration: tight });
    expect(asked).toBe(2);
    asked = 0;
    await runCli(['slowest', '--threads', '1', file], { tightOldGeneration: tight });
    expect(asked).toBe(1);
    asked = 0;
    // group keeps summaries; --trace-timeout none and one file split on threads hold traces to the end.
    await runCli(['group', '--json', '--threads', '2'], { stdin: text, threads: 2, tightOldGeneration: tight });
    await runCli(['latency', '--threads', '2', '--trace-timeout', 'none'], { stdin: text, threads: 2, tightOldGeneration: tight });
    await runCli(['slowest', '--threads', '2', file], { threads: 2, env: { TRACECTL_THREADS_AFTER_BYTES: '0' }, tightOldGeneration: tight });
    expect(asked).toBe(0);
  });
});
