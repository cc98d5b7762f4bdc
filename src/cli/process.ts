import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';
import type { Io, OutputStream } from './io.js';
import { EXIT } from './io.js';

/**
 * The only place that touches the real process: builds the Io from it, turns Ctrl-C and a closed stdout
 * into an abort (so the program prints what it has and stops reading), and sets the exit code.
 */
export function runProcess(): void {
  const controller = new AbortController();
  let stdoutClosed = false;
  let interrupts = 0;

  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted); // a second Ctrl-C: leave now
    controller.abort();
  });
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    controller.abort();
    // `tracectl group big.log | head -1`: the reader has what it wanted; stop quietly, exit 0.
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    // Anything else (a full disk, an I/O error): the results cannot reach their reader. Say so in one
    // line, not a stack trace, and exit 2 (README: exit codes).
    process.stderr.write(`tracectl: cannot write the results: ${err.message}\n`);
    process.exit(EXIT.usage);
  });

  // `tracectl group big.log 2>&1 | head`, or stderr into a reader that left or onto a full disk: what
  // stderr had to say has no one to read it, and nowhere to say so. Unhandled, the write's error was
  // uncaught (exit 1, a stack trace into the closed pipe). Stdout's own handler decides whether to stop;
  // a failing stderr alone stops nothing.
  let stderrClosed = false;
  process.stderr.on('error', () => {
    stderrClosed = true;
  });

  const stdout: OutputStream = {
    write: (s) => (stdoutClosed ? false : process.stdout.write(s)),
    // A closed stdout never drains; its error handler ends the process.
    drained: () => (stdoutClosed || !process.stdout.writableNeedDrain ? Promise.resolve() : new Promise((resolve) => process.stdout.once('drain', resolve))),
  };
  const stderr: OutputStream = { write: (s) => (stderrClosed ? false : process.stderr.write(s)) };
  const io: Io = {
    stdin: process.stdin,
    stdout,
    stderr,
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    columns: process.stdout.columns,
    signal: controller.signal,
    threads: availableParallelism(),
    now: () => Date.now(),
    // V8 reads it whenever it would grow the young generation; it never shrinks one already grown.
    smallYoungGeneration: () => setFlagsFromString('--semi-space-growth-factor=1'),
    scavengeAlone: () => setFlagsFromString('--no-parallel-scavenge'),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = interrupts > 0 ? EXIT.interrupted : code;
      // stdin may still be open (a pipe we stopped reading): do not wait for it.
      if (interrupts > 0 || controller.signal.aborted) process.stdout.write('', () => process.exit());
    },
    (err: unknown) => {
      process.stderr.write(`tracectl: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
