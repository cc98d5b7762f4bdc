import { availableParallelism } from 'node:os';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { main } from './main.js';
import { heapObserver } from './heap-settings.js';
import type { Io, OutputStream } from './io.js';
import { EXIT } from './io.js';

/**
 * The only place that touches the real process: builds the Io from it, turns Ctrl-C and a closed stdout
 * into an abort (so the program prints what it has and stops reading), and sets the exit code.
 */
export function runProcess(): void {
  const controller = new AbortController();
  const leaving = new AbortController();
  let stdoutClosed = false;
  let interrupts = 0;

  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) {
      // A second Ctrl-C: leave now, once what can be closed at once is (Io.leaving).
      leaving.abort();
      process.exit(EXIT.interrupted);
    }
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

  const threadObserver = heapObserver({
    // V8 reads it whenever it would grow the young generation; it never shrinks one already grown.
    smallYoungGeneration: () => setFlagsFromString('--semi-space-growth-factor=1'),
    // Once every core runs a thread of ours, the parallel scavenger's tasks only take turns with them
    // (docs/DECISIONS.md, D49).
    scavengeAlone: () => setFlagsFromString('--no-parallel-scavenge'),
    // Traces let go while reading: the heap grows by 30% over what a full collection left, not V8's 2–4×
    // (docs/DECISIONS.md, D116).
    tightOldGeneration: () => setFlagsFromString('--heap-growing-percent=30'),
  });

  // Past the heap's limit V8 aborts the process with no output (group on 8M trace ids). Near it, stop
  // reading as Ctrl-C does, say why, and print what was read. Checked between reads. What worker threads
  // hold counts against this thread's heap: their traces end here (merged parts, rows, analyses), and a
  // worker's heap has the same limit.
  let heapFull = false;
  const heapWatch = setInterval(() => {
    const h = getHeapStatistics();
    const workers = threadObserver.workersHold();
    if (h.total_available_size - workers > HEAP_ROOM * h.heap_size_limit + HEAP_ROOM_BYTES) return;
    heapFull = true;
    clearInterval(heapWatch);
    const mb = (n: number) => Math.round(n / 2 ** 20);
    process.stderr.write(
      `tracectl: memory: ${mb(h.used_heap_size + workers)} of the heap's ${mb(h.heap_size_limit)} MB in use: stopped reading; the results cover only what was read ` +
        `(a larger heap: NODE_OPTIONS=--max-old-space-size=MB; fewer traces: --since, --until, --service)\n`,
    );
    controller.abort();
  }, 100);
  heapWatch.unref();

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
    stderrIsTTY: process.stderr.isTTY === true,
    stderrColumns: process.stderr.columns,
    every: (ms, fn) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
    rows: process.stdout.rows,
    signal: controller.signal,
    leaving: leaving.signal,
    threads: availableParallelism(),
    now: () => Date.now(),
    threadObserver,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = interrupts > 0 ? EXIT.interrupted : heapFull ? EXIT.usage : code;
      // stdin may still be open (a pipe we stopped reading): do not wait for it.
      if (interrupts > 0 || controller.signal.aborted) process.stdout.write('', () => process.exit());
    },
    (err: unknown) => {
      process.stderr.write(`tracectl: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}

/**
 * Reading stops once less than this share of the heap's limit, and these bytes more, can still be
 * allocated: what is held must still make its rows (group's rows, their sort and table; with a third of
 * the limit left, 216k traces in a 128 MB heap still ran out), and the young generation's reserve counts
 * in the limit but not in what is free.
 */
const HEAP_ROOM = 0.5;
const HEAP_ROOM_BYTES = 32 * 2 ** 20;
