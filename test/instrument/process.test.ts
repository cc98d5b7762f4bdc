// The instrumentation in a real process writing to its real stdout (test/instrument/children/sink-child.mjs,
// on the built dist/): a reader that never reads, process.exit right after shutdown(), SIGTERM, a burst.
// Issue 30, items 9–11.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./children/sink-child.mjs', import.meta.url));
const MiB = 1024 * 1024;

interface Stats {
  queued: number;
  written: number;
  dropped: number;
  lost: number;
}
interface Report {
  spans: number;
  lines: number;
  tracer: Stats;
  logger: { written: number; dropped: number; lost: number };
  hwm: number;
  rss: number;
  ready?: boolean;
}

/** Start the child; `stdout`: 'read' collects it, 'stall' never reads it, 'null' is /dev/null. */
function start(mode: string, count: number, stdout: 'read' | 'stall' | 'null') {
  const devNull = stdout === 'null' ? openSync('/dev/null', 'w') : undefined;
  const child = spawn(process.execPath, ['--expose-gc', CHILD, mode, String(count)], { stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
  if (devNull !== undefined) closeSync(devNull);
  let out = '';
  if (stdout === 'read') child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  let err = '';
  const reports: Report[] = [];
  const waiters: (() => void)[] = [];
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    for (const m of err.matchAll(/^report (.*)$/gm)) if (reports.length < [...err.matchAll(/^report /gm)].length) reports.push(JSON.parse(m[1]!) as Report);
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const report = (): Promise<Report> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (reports.length > 0) resolve(reports[0]!);
        else waiters.push(check);
      };
      void exited.then(() => (reports.length > 0 ? resolve(reports[0]!) : reject(new Error(`no report; stderr: ${err}`))));
      check();
    });
  return { child, report, exited, stdout: () => out, stderr: () => err };
}

function spanLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.includes('"startTime"')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

describe('issue 30: the stdout sink in a real process', () => {
  it('item 9: a stalled reader neither grows memory nor loses records unsaid; the request path goes on', async () => {
    // 150,000 requests: 450,000 spans and 300,000 log lines, ~250 MB of JSON, into a pipe nobody reads.
    const c = start('stalled', 150_000, 'stall');
    try {
      const r = await c.report();
      // Nothing is lost without being counted: every span is written, queued, dropped or lost.
      expect(r.tracer.written + r.tracer.queued + r.tracer.dropped + r.tracer.lost).toBe(r.spans);
      expect(r.tracer.dropped).toBeGreaterThan(r.spans / 2);
      expect(r.tracer.queued).toBeLessThanOrEqual(16384);
      expect(r.logger.written + r.logger.dropped + r.logger.lost).toBe(r.lines);
      expect(r.logger.dropped).toBeGreaterThan(r.lines / 2);
      // Memory stays bounded: what is held after a collection is the queue, one batch and the logger's
      // allowance, not the ~250 MB of output (the process's resident size after a collection measured
      // 129–161 MB; the code that buffered the output held 521 MB). The bound sits below the output.
      expect(r.rss).toBeLessThan(240 * MiB);
      expect(r.hwm).toBeLessThan(320 * MiB);
    } finally {
      kill(c.child);
    }
  });

  it('item 10: shutdown() gives up on a reader that never reads, after its timeout, counting what was left', async () => {
    const c = start('stalled-shutdown', 20_000, 'stall');
    try {
      const r = await c.report();
      expect(r.tracer.written + r.tracer.dropped + r.tracer.lost + r.tracer.queued).toBe(20_000);
      expect(r.tracer.queued).toBe(0);
      expect(r.tracer.lost).toBeGreaterThan(0);
    } finally {
      kill(c.child);
    }
  });

  it('item 10: `await tracer.shutdown(); process.exit(0)` into a pipe delivers every span', async () => {
    const c = start('exit', 2000, 'read');
    expect(await c.exited).toBe(0);
    const spans = spanLines(c.stdout());
    expect(spans).toHaveLength(2000);
    expect(new Set(spans.map((s) => s.name)).size).toBe(2000);
  });

  it("item 10: the README's SIGTERM handler flushes every span, then the process exits 0", async () => {
    const c = start('sigterm', 2000, 'read');
    try {
      expect((await c.report()).ready).toBe(true);
      c.child.kill('SIGTERM');
      const code = await Promise.race([c.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
      expect(code).toBe(0);
      expect(spanLines(c.stdout())).toHaveLength(2000);
    } finally {
      kill(c.child);
    }
  });

  it('item 11: a burst of 2,000 concurrent requests drops nothing with the defaults, into /dev/null and a pipe', async () => {
    const toNull = start('burst', 2000, 'null');
    const r = await toNull.report();
    expect(await toNull.exited).toBe(0);
    expect(r.tracer).toEqual({ queued: 0, written: 6000, dropped: 0, lost: 0 });
    expect(r.logger).toEqual({ written: 4000, dropped: 0, lost: 0 });

    const toPipe = start('burst', 2000, 'read');
    const p = await toPipe.report();
    expect(await toPipe.exited).toBe(0);
    expect(p.tracer).toEqual({ queued: 0, written: 6000, dropped: 0, lost: 0 });
    expect(spanLines(toPipe.stdout())).toHaveLength(6000);
    expect(toPipe.stdout().split('\n').filter((l) => l.includes('"checkout ')).length).toBe(4000);
  });
});
