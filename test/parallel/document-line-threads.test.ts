import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { accounting, jaegerAnswer } from '../cli/span-data.js';

/**
 * A span document written on one line, longer than the log-line cap (issue 28), read from files in
 * blocks: alone (the whole-document path), and among log lines on one thread and two, the file split
 * into parts each thread reads itself and cut into small chunks. The answers and the line accounting
 * must be the same every way.
 */
const SPLIT = { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };
const dir = mkdtempSync(join(tmpdir(), 'tracectl-document-line-'));
const answer = jaegerAnswer();
const alone = join(dir, 'traces.json');
writeFileSync(alone, answer); // as curl saves it: no final newline
const logs = (from: number) =>
  Array.from({ length: 400 }, (_, i) => JSON.stringify({ time: new Date(Date.UTC(2024, 4, 1, 10) + (from + i) * 1000).toISOString(), msg: `request ${from + i}`, traceId: (0xfeed0000 + from + i).toString(16).padStart(32, '0') }));
const long = JSON.stringify({ time: '2024-05-01T10:00:00Z', msg: 'dump', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', data: 'y'.repeat(3_000_000) });
const mixed = join(dir, 'mixed.log');
writeFileSync(mixed, [...logs(0), answer, ...logs(400), long, ...logs(800), ''].join('\n'));

describe('a one-line span document read from files (issue 28)', () => {
  it('alone: the whole-document path reads every trace', async () => {
    const r = await runCli(['group', alone, '--json'], { threads: 1 });
    expect(r.stdout.trim().split('\n')).toHaveLength(60);
    expect(accounting(r.stderr)).toEqual({ read: 1, used: 1, without: 0, notExamined: 0, skipped: 0 });
    const t = await runCli(['tree', '0000abc005', alone, '--json', '-q'], { threads: 1 });
    expect((JSON.parse(t.stdout) as { spans: number }).spans).toBe(100);
  });

  it.each(['group', 'slowest', 'latency'])('%s: among log lines, the same on one thread and on two', async (command) => {
    const one = await runCli([command, mixed, '--json'], { threads: 1, env: SPLIT });
    const two = await runCli([command, mixed, '--json'], { threads: 2, env: SPLIT });
    expect(two.stdout).toBe(one.stdout);
    for (const r of [one, two]) {
      expect(accounting(r.stderr)).toEqual({ read: 1202, used: 1201, without: 0, notExamined: 0, skipped: 1 });
      expect(r.stderr).toMatch(/1 line over 1048576 bytes \(3000\d+ bytes\): .*mixed\.log:802/);
    }
    if (command === 'group') expect(one.stdout.trim().split('\n')).toHaveLength(60 + 1200);
  });

  it('tree <id>: the byte search keeps the document line, on two threads too', async () => {
    for (const threads of [1, 2]) {
      const r = await runCli(['tree', 'abc03b', mixed, '--json'], { threads, env: SPLIT });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { spans: number }).spans).toBe(100);
      const a = accounting(r.stderr);
      expect([a.read, a.used, a.notExamined + a.skipped]).toEqual([1202, 1, 1201]);
    }
  });
});
