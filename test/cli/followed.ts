// --follow in-process: stdin is a stream the test writes to, and the clock is one the test moves. A trace
// completes when the clock has moved --idle past its last line: until the test moves it, nothing can be
// printed, however long the test waits (the completion timer runs, on real time, but reads this clock).
import { PassThrough } from 'node:stream';
import { runCli, type CliResult, type RunOptions } from './run-cli.js';

export function followed(argv: string[], options: RunOptions = {}) {
  const stdin = new PassThrough();
  let now = 1_000_000;
  let out = '';
  const run: Promise<CliResult> = runCli(argv, { stdinStream: stdin, clock: () => now, onStdout: (s) => (out += s), tty: false, columns: 120, rows: 12, ...options });
  return {
    run,
    write: (lines: string[]) => stdin.write(lines.map((l) => l + '\n').join('')),
    end: () => stdin.end(),
    advance: (ms: number) => (now += ms),
    out: () => out,
  };
}

/** Some turns of the completion timer, in real time (it ticks every 10 ms with --idle 40ms or less). */
export const turns = (): Promise<unknown> => new Promise((r) => setTimeout(r, 120));
