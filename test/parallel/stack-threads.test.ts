import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from '../cli/run-cli.js';

/**
 * A text log line and the stack trace under it are read together whatever the chunks and threads:
 * fixtures/stacks/straddle.log has 48 stacks of 2 to 16 lines among JSON lines, and chunks of 2 to 4 KiB
 * (each a little longer than the longest stack with its line) put cuts inside many of them. truth.json
 * says what one reader of the whole file sees: 144 entries, 381 stack lines, 1 blank line (inside a
 * traceback), 526 lines.
 */
const file = fixture('stacks/straddle.log');
const truth = JSON.parse(readFileSync(fixture('stacks/truth.json'), 'utf8')) as { entries: number; stackLines: number; blankLines: number; lines: number };
const env = (chunk: number) => ({ TRACECTL_CHUNK_BYTES: String(chunk), TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' });
const accounting = `${truth.lines} lines read from 1 source: ${truth.entries} used, 0 without a trace id, ${truth.stackLines} stack-trace lines joined to their log line, ${truth.blankLines} skipped; 48 traces`;

describe('stack traces across chunks and threads', () => {
  it.each([2048, 2311, 2719, 3203, 4096])('chunks of %i bytes: 1, 2 and 3 threads join every stack line, byte for byte the same', async (chunk) => {
    const runs = [];
    for (const threads of ['1', '2', '3']) runs.push(await runCli(['export', '--format', 'jaeger', file, '--threads', threads], { env: env(chunk) }));
    expect(runs[0]!.code).toBe(0);
    expect(runs[0]!.stderr).toContain(accounting);
    for (const r of runs.slice(1)) {
      expect(r.stdout).toBe(runs[0]!.stdout);
      expect(r.stderr).toBe(runs[0]!.stderr);
    }
    // Every stack whole on its log line: the Python ones end with their exception, the JVM ones with a frame.
    const stacks = [...runs[0]!.stdout.matchAll(/"key":"stack","type":"string","value":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(stacks).toHaveLength(48);
    expect(stacks.reduce((n, s) => n + s.split('\n').length, 0)).toBe(truth.stackLines);
    expect(stacks.filter((s) => s.startsWith('Traceback')).every((s) => /\nValueError: charge \d+ declined$/.test(s))).toBe(true);
  });

  it('chunks handed out from a pipe (stdin) cut nowhere inside a stack either', async () => {
    const stdin = readFileSync(file);
    const one = await runCli(['export', '--format', 'jaeger', '--threads', '1'], { env: env(2048), stdin });
    const three = await runCli(['export', '--format', 'jaeger', '--threads', '3'], { env: env(2048), stdin });
    expect(one.stderr).toContain(accounting);
    expect(three.stdout).toBe(one.stdout);
    expect(three.stderr).toBe(one.stderr);
  });
});

/**
 * Issue #26: `kubectl logs --prefix` of two pods, the gateway's logfmt lines falling inside the orders
 * pod's stack traces (1 to 3 lines after its head: within STACK_REACH). Each stack joins its own pod's line
 * on any chunks and threads: a cut falls only where no line after it joins a line before it.
 */
function interleaved(traces: number): { text: string; lines: number; stack: number } {
  const o = '[pod/orders-5f6d7c9b8-kq2lp/orders] ';
  const g = '[pod/gateway-7d4b9c8f6-x2x9z/gateway] ';
  const out: string[] = [];
  let stack = 0;
  for (let i = 0; i < traces; i++) {
    const id = (0x7f3c0000 + i).toString(16).padEnd(32, '0');
    const s = String(i % 60).padStart(2, '0');
    const head = `2026-12-07T03:10:${s}.100+01:00 ERROR 1 --- [orders] [nio-8080-exec-1] [${id}-a1b2c3d4e5f60718] c.s.orders.OrderController : order ${i} failed`;
    const frames = ['java.lang.IllegalStateException: inventory service unavailable', ...Array.from({ length: 1 + (i % 5) }, (_, k) => `\tat com.shop.orders.L${k}.call(L${k}.java:${k})`), 'Caused by: java.net.ConnectException: Connection refused', '\t... 12 common frames omitted'];
    stack += frames.length;
    const lines = [o + head, ...frames.map((f) => o + f)];
    lines.splice(2 + (i % 3), 0, `${g}time=2026-12-07T02:10:${s}.050Z level=INFO msg="request started" trace_id=${id} span_id=0102030405060708`);
    lines.splice(3 + (i % 2), 0, `${g}time=2026-12-07T02:10:${s}.950Z level=ERROR msg="request failed" trace_id=${id} span_id=0102030405060708 status=500`);
    out.push(...lines);
  }
  return { text: out.join('\n') + '\n', lines: out.length, stack };
}

describe('#26 interleaved pods across chunks and threads', () => {
  const { text, lines, stack } = interleaved(60);
  const file = join(mkdtempSync(join(tmpdir(), 'tracectl-interleaved-')), 'pods.log');
  writeFileSync(file, text);

  it.each([2048, 2719, 4096])('chunks of %i bytes: every stack joins its own pod, on 1, 2 and 3 threads', async (chunk) => {
    const runs = [];
    for (const threads of ['1', '2', '3']) runs.push(await runCli(['export', '--format', 'jaeger', file, '--threads', threads], { env: env(chunk) }));
    expect(runs[0]!.stderr).toContain(`${lines} lines read from 1 source: 180 used, 0 without a trace id, ${stack} stack-trace lines joined to their log line, 0 skipped; 60 traces`);
    for (const r of runs.slice(1)) {
      expect(r.stdout).toBe(runs[0]!.stdout);
      expect(r.stderr).toBe(runs[0]!.stderr);
    }
    const stacks = [...runs[0]!.stdout.matchAll(/"key":"stack","type":"string","value":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(stacks).toHaveLength(60);
    expect(stacks.every((s) => s.startsWith('java.lang.IllegalStateException') && s.endsWith('... 12 common frames omitted') && !s.includes('level='))).toBe(true);
  });
});
