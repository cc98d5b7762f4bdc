// Issue 30: inputs that crashed the process or grew without bound — a "document" of a hundred million
// lines, the collector's debug text read whole, JSON output past the longest string, a FIFO that ignored
// Ctrl-C, and more traces than the heap holds. Each through the built binary, a real process.
import { once } from 'node:events';
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseAccount } from './gen.js';
import { BIN, exited, hasProc, ROOT, spawnTracectl, watchPeakRss, type Exit } from './process.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-limits-'));

describe('a first line that opens JSON and never closes (issue 30)', () => {
  // `{"a":` and then 120 MiB of LF: held one array slot a line, V8 aborted (exit 133, no output).
  it.runIf(hasProc)('a 549 KB gzip of 125,829,121 lines: every line counted, flat memory, no crash', async () => {
    const blank = 120 * 1024 * 1024;
    const raw = Buffer.alloc(6 + blank, 0x0a);
    raw.write('{"a":\n', 'latin1');
    const file = join(dir, 'd.gz');
    writeFileSync(file, gzipSync(raw, { level: 1 }));
    const child = spawnTracectl(['group', file]);
    const peak = watchPeakRss(child.pid!);
    const r = await exited(child);
    const peakKb = peak();
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(1); // no traces found
    expect(parseAccount(r.stderr)).toEqual({ read: blank + 1, used: 0, withoutTrace: 0, joined: 0, stack: 0, notExamined: 0, skipped: blank + 1 });
    expect(r.stderr).toContain(`125,829,120 blank line: ${file}:2, ${file}:3, ${file}:4`);
    expect(r.stderr).toContain(`1 not JSON: ${file}:1`);
    // The held text is 120 MiB of one-byte characters: held by bytes, not by a slot a line.
    expect(peakKb).toBeLessThan(600 * 1024);
  }, 180_000);
});

describe("the collector's debug-exporter text, streamed (issue 30)", () => {
  // One record: a resource with 200 attribute lines of ~1 KB, one span of trace k % 4 + 1 (~207 KB).
  const pad = 'x'.repeat(1000);
  const record = (k: number) => {
    const lines = [`ResourceSpans #${k}`, 'Resource SchemaURL: ', 'Resource attributes:', '     -> service.name: Str(checkout)'];
    for (let i = 0; i < 200; i++) lines.push(`     -> pad.${i}: Str(${pad})`);
    lines.push('ScopeSpans #0', 'ScopeSpans SchemaURL: ', 'InstrumentationScope demo 1.0', 'Span #0',
      `    Trace ID       : ${((k % 4) + 1).toString(16).padStart(32, '0')}`, '    Parent ID      : ',
      `    ID             : ${(k + 1).toString(16).padStart(16, '0')}`, '    Name           : pay', '    Kind           : Server',
      '    Start time     : 2020-02-11 20:26:12.000000321 +0000 UTC', '    End time       : 2020-02-11 20:26:13.000000789 +0000 UTC',
      '    Status code    : Unset', '    Status message : ');
    return lines.join('\n') + '\n';
  };
  const LINES_PER_RECORD = 217;

  // Read whole, 310 MB of it peaked at 972 MB; a 2 MB gzip of it took 4.3 GB.
  it.runIf(hasProc)('310 MB on stdin: every span and line, peak memory far below the input', async () => {
    const n = 1500;
    const child = spawnTracectl(['group', '--json']);
    const peak = watchPeakRss(child.pid!);
    const done = exited(child);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    for (let k = 0; k < n; k++) if (!child.stdin.write(record(k))) await once(child.stdin, 'drain');
    child.stdin.end();
    const r = await done;
    const peakKb = peak();
    expect(r.code, r.stderr).toBe(0);
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; spans: number; root: string });
    expect(rows.map((t) => [t.traceId.slice(-1), t.spans, t.root]).sort()).toEqual([['1', 375, 'pay'], ['2', 375, 'pay'], ['3', 375, 'pay'], ['4', 375, 'pay']]);
    expect(parseAccount(r.stderr)).toMatchObject({ read: n * LINES_PER_RECORD, used: n * LINES_PER_RECORD, skipped: 0 });
    expect(r.stderr).toContain('(1,500 span records)');
    expect(peakKb).toBeLessThan(200 * 1024); // measured ~90 MB
  }, 120_000);

  it('Ctrl-C on an endless stream of it: the spans read so far, exit 130', async () => {
    // Nothing shows from outside when the 40 records have been read, or when the program's SIGINT
    // handler is in place: on a loaded machine the first pause can be too short, so it grows.
    let r: Exit | undefined;
    let spans = 0;
    for (const pause of [1_500, 4_000, 10_000]) {
      const child = spawnTracectl(['group', '--json']);
      const done = exited(child);
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stdin.on('error', () => undefined);
      for (let k = 0; k < 40; k++) if (!child.stdin.write(record(k))) await once(child.stdin, 'drain');
      await new Promise((res) => setTimeout(res, pause)); // the pipe stays open
      child.kill('SIGINT');
      r = await done;
      child.stdin.destroy();
      spans = stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { spans: number }).spans).reduce((a, b) => a + b, 0);
      if (r.code === 130 && spans === 40) break;
    }
    expect(r!.code, r!.stderr).toBe(130);
    expect(r!.stderr).toContain('tracectl: interrupted');
    expect(spans).toBe(40);
    expect(parseAccount(r!.stderr)).toMatchObject({ read: 40 * LINES_PER_RECORD, used: 40 * LINES_PER_RECORD });
  }, 60_000);
});

describe('JSON output longer than the longest string (issue 30)', () => {
  // A DEL is one byte in, six out (`\u007f`): 12,500 spans named with 4,000 of them and 12,500 log lines
  // of 4,000 on the root make ~100 MB of input and ~600 MB of JSON, past V8's 2^29 - 24 characters. As
  // one string: `internal error: Invalid string length`, exit 2, nothing printed.
  it('`tree --logs --json` of 600 MB: every span and log line, written as it is made', async () => {
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    const del = '\u007f'.repeat(4000);
    const file = join(dir, 'del.jsonl');
    const fd = openSync(file, 'w');
    const n = 12_500;
    const t0 = Date.UTC(2024, 4, 1, 10);
    for (let k = 0; k < n; k += 500) {
      const lines: string[] = [];
      for (let i = k; i < k + 500; i++) {
        const id = (i + 1).toString(16).padStart(16, '0');
        lines.push(JSON.stringify({ traceId: T, spanId: id, parentSpanId: i > 0 ? '0000000000000001' : undefined, name: del, serviceName: 'api', startTime: t0 + i, endTime: t0 + i + 5 }));
        lines.push(JSON.stringify({ time: new Date(t0 + i).toISOString(), trace_id: T, span_id: '0000000000000001', msg: del }));
      }
      writeSync(fd, lines.join('\n') + '\n');
    }
    closeSync(fd);
    const child = spawnTracectl(['tree', '4bf9', '--logs', '--json', file]);
    const done = exited(child);
    let bytes = 0;
    let spans = 0;
    let events = 0;
    let tail = '';
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      const text = tail + d.toString('latin1');
      spans += text.split('"spanId":"').length - 1;
      events += text.split('"message":"').length - 1;
      tail = text.slice(-12); // shorter than either key: counted once
    });
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('internal error');
    expect(bytes).toBeGreaterThan(2 ** 29);
    expect(spans).toBe(n);
    expect(events).toBe(n);
    expect(tail.endsWith(']}]}\n')).toBe(true);
    expect(parseAccount(r.stderr)).toMatchObject({ read: 2 * n, used: 2 * n, skipped: 0 });
  }, 180_000);
});

describe('Ctrl-C on a pipe named as a file (issue 30)', () => {
  const T = '4bf92f3577b34da6a3ce929d0e0e4736';
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ time: '2024-05-01T10:00:00.000Z', trace_id: T, span_id: ((i % 9) + 1).toString(16).padStart(16, '0'), service: 'api', msg: `line ${i}` })).join('\n') + '\n';

  /**
   * Runs tracectl on `input`, writes 1,000 lines into it with the writer left open, then Ctrl-C. A file's
   * reads of a silent pipe blocked a thread of libuv's pool, and the process could not exit until the
   * writer closed; then it printed no rows and 0 lines read. The pause grows on a loaded machine (Node
   * resets the terminal on SIGINT until the program's handler is in place).
   */
  async function interrupt(start: () => { child: ReturnType<typeof spawn>; write: (s: string) => void; close: () => void }) {
    let r: Exit | undefined;
    let stdout = '';
    let waited = 0;
    for (const pause of [1_000, 3_000, 8_000]) {
      const { child, write, close } = start();
      stdout = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
      write(lines);
      await new Promise((res) => setTimeout(res, pause));
      const sent = Date.now();
      child.kill('SIGINT');
      r = await done;
      waited = Date.now() - sent;
      close();
      if (r.code === 130 && parseAccount(r.stderr)?.read === 1000) break;
    }
    expect(waited).toBeLessThan(5_000); // not until the writer closes
    expect(r!.code, r!.stderr).toBe(130);
    expect(r!.stderr).toContain('tracectl: interrupted');
    expect(stdout).toMatch(new RegExp(`^${T} .* 1000 +9 +0 +api`, 'm'));
    expect(parseAccount(r!.stderr)).toMatchObject({ read: 1000, used: 1000, skipped: 0 });
  }

  it('a named FIFO (mkfifo) whose writer stays open: what was read, exit 130', async () => {
    const fifo = join(dir, `fifo-${Date.now()}`);
    execFileSync('mkfifo', [fifo]);
    await interrupt(() => {
      const child = spawnTracectl(['group', fifo]);
      // Opened for writing as the reader opens it: a FIFO's open waits for the other end.
      const fd = openSync(fifo, 'w');
      return { child, write: (s) => writeSync(fd, s), close: () => closeSync(fd) };
    });
  }, 60_000);

  it('process substitution, `group <(cat)` (a pipe named /dev/fd/N): what was read, exit 130', async () => {
    const fifo = join(dir, `sub-${Date.now()}`);
    execFileSync('mkfifo', [fifo]);
    await interrupt(() => {
      // bash makes the pipe and execs tracectl in its place; cat copies into it what the test writes into
      // the FIFO, and stays until the test closes it (its stderr elsewhere: on the test's pipe it would
      // hold 'close' back until then).
      const child = spawn('bash', ['-c', 'exec "$0" "$1" group <(exec cat "$2" 2>/dev/null)', process.execPath, BIN, fifo], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const fd = openSync(fifo, 'w');
      return { child, write: (s) => writeSync(fd, s), close: () => closeSync(fd) };
    });
  }, 60_000);
});

describe('more traces than the heap holds (issue 30)', () => {
  // ~400 B of heap a trace: 8M ids aborted V8 (out of memory) after minutes, with no output. On threads,
  // each worker's heap holds its share of the traces, and all of them end on the main thread: the watch
  // counts the workers' heaps too (TRACECTL_THREADS_AFTER_BYTES=0 starts them at once).
  it.each([
    ['group', '1'],
    ['group', '2'],
    ['slowest', '2'],
  ])('%s --threads %s stops reading near the heap limit, says so, and prints every trace it read', async (command, threads) => {
    const child = spawn(process.execPath, [BIN, command, '--threads', threads], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '--max-old-space-size=128', ...(threads !== '1' ? { TRACECTL_THREADS_AFTER_BYTES: '0' } : {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const done = exited(child as Parameters<typeof exited>[0]);
    let rows = 0;
    let tail = '';
    child.stdout!.on('data', (d: Buffer) => {
      const text = tail + d.toString('latin1');
      const cut = text.lastIndexOf('\n') + 1;
      rows += text.slice(0, cut).split('\n').length - 1;
      tail = text.slice(cut);
    });
    let ended = false;
    child.stdin!.on('error', () => (ended = true));
    child.on('exit', () => (ended = true));
    // Distinct trace ids, one line each, until the program stops reading (an endless producer).
    for (let i = 0; !ended; ) {
      let s = '';
      for (let k = 0; k < 1000; k++, i++) s += `{"time":"2024-05-01T10:00:00.000Z","trace_id":"${i.toString(16).padStart(32, '0')}","span_id":"00000000000000${((i % 200) + 16).toString(16)}","service":"api","msg":"x"}\n`;
      if (!child.stdin!.write(s)) {
        await new Promise<void>((resolve) => {
          child.stdin!.once('drain', resolve);
          child.stdin!.once('error', () => resolve());
          child.once('exit', () => resolve());
        });
      }
    }
    const r = await done;
    expect(r.stderr).not.toContain('FATAL');
    expect(r.code, r.stderr.slice(0, 2000)).toBe(2);
    expect(r.stderr).toMatch(/^tracectl: memory: \d+ of the heap's \d+ MB in use: stopped reading/m);
    const a = parseAccount(r.stderr)!;
    expect(a.read).toBe(a.used + a.withoutTrace + a.skipped);
    expect(a.used).toBeGreaterThan(50_000);
    const traces = Number(/; ([\d,]+) traces/.exec(r.stderr)![1]!.replace(/,/g, ''));
    expect(traces).toBe(a.used); // a trace a line
    expect(rows).toBe(command === 'group' ? traces + 1 : 11); // group: the header and a row each; slowest: the top 10
  }, 120_000);
});
