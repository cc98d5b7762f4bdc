import { readFileSync } from 'node:fs';
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
