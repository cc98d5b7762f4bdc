import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Micros } from '../core/time.js';
import { parseDuration } from '../entries/parse-duration.js';
import type { Io } from './io.js';
import { sourcesFrom, type CommonFlags } from './options.js';

/** The flags of the commands that complete traces as they go quiet (--follow, --idle, --trace-timeout). */
export interface LiveFlags extends CommonFlags {
  follow?: boolean;
  /** Arrival time without a line after which a followed trace is complete (µs). */
  idle: Micros;
  /** Log time past a trace's last line after which it is complete (µs); Infinity: only at the end. */
  traceTimeout: Micros;
}

/** --idle's default: a few seconds of quiet ends a request's trace on a live stream. */
export const DEFAULT_IDLE_US = 5_000_000;
/** --trace-timeout's default: generous, so that only traces longer than any request complete early. */
export const DEFAULT_TRACE_TIMEOUT_US = 300_000_000;

export function addLiveOptions(cmd: Command): Command {
  cmd
    .option('-f, --follow', 'keep reading (a file as it grows, rotated or truncated, like tail -F) until Ctrl-C; print each trace as it completes')
    // The defaults shown as they are written on the command line, not as the µs they are parsed into.
    .addOption(new Option('--idle <d>', 'with --follow: a trace is complete when no line of it has arrived for this long (5s, 500ms)').argParser(liveDuration).default(DEFAULT_IDLE_US, '5s'));
  return addTraceTimeoutOption(cmd);
}

/** --trace-timeout alone, for a command that completes traces in batch but does not follow (export). */
export function addTraceTimeoutOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--trace-timeout <d>', "a trace is complete once the logs' time is this far past its last line (none: only at the end); its later lines are counted as late").argParser(timeoutArg).default(DEFAULT_TRACE_TIMEOUT_US, '5m'),
  );
}

function liveDuration(v: string): Micros {
  const us = parseDuration(v, 1000);
  if (us === undefined || !(us > 0)) throw new InvalidArgumentError('expected a duration like 5s or 500ms');
  return us;
}

function timeoutArg(v: string): Micros {
  return v.trim() === 'none' ? Infinity : liveDuration(v);
}

/**
 * Whether a batch read completes traces by log time: on one source only, on any number of threads (the
 * main thread judges in input order: parallel/complete-on-threads.ts). Across several sources (app.log
 * app.log.1, or a folder) log time is not in input order: a newer file read first would finish the
 * traces that go on in the older one, and their lines would be late (docs/DECISIONS.md, D77, D101).
 */
export function completesInBatch(inputs: readonly string[], flags: LiveFlags, io: Io): boolean {
  if (flags.traceTimeout === Infinity) return false;
  return sourcesFrom(inputs, io).length === 1;
}
