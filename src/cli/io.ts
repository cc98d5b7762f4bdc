import type { Readable } from 'node:stream';
import type { ThreadObserver } from '../parallel/observer.js';
import type { SendObserver } from '../export/send-queue.js';

/**
 * Everything the program takes from its process, passed in so that tests run the real program
 * in-process against in-memory streams (see test/cli/run-cli.ts).
 */
export interface Io {
  stdin: Readable;
  /** Where results go. Writes are not awaited: Node writes stdout synchronously to files and pipes on Linux. */
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Is stdout a terminal (colour, widths)? Is stdin one (no input piped)? */
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Terminal width when stdout is a terminal. */
  columns: number | undefined;
  /** Is stderr a terminal, and how wide (the progress line on long reads)? Absent: not a terminal. */
  stderrIsTTY?: boolean;
  stderrColumns?: number;
  /**
   * Call `fn` every `ms` milliseconds until the returned function is called; the timer never keeps the
   * process alive. Absent: nothing is redrawn (tests inject one and step it by hand).
   */
  every?(ms: number, fn: () => void): () => void;
  /** Terminal height when stdout is a terminal (the --follow board). */
  rows?: number;
  /** Aborted on Ctrl-C or when stdout is closed (`| head`): stop reading, print what there is. */
  signal: AbortSignal;
  /**
   * Aborted on a second Ctrl-C, just before the process exits without waiting for anything: a listener may
   * only finish what can be finished at once, without waiting (export closes its file's document).
   */
  leaving?: AbortSignal;
  /** Default for --threads: the machine's cores. */
  threads: number;
  /** Wall-clock now in ms, for relative --since/--until. */
  now(): number;
  /**
   * Told what reading on threads plans and does (parallel/observer.ts): the process applies the plan's
   * heap settings through it (heap-settings.ts); tests count what the threads did. Reading is the same
   * without one.
   */
  threadObserver?: ThreadObserver;
  /** Told how many spans export --to holds and has in its senders (export/send-queue.ts); tests count them. */
  sendObserver?: SendObserver;
}

export interface OutputStream {
  /** Text, or UTF-8 bytes cut between characters (renderers of large outputs write bytes: byte-chunks.ts). */
  write(chunk: string | Uint8Array): boolean;
  /**
   * Resolves once what was written has been taken by the reader, when write() said to wait (false): a
   * pipe is written asynchronously, and a large output written without waiting sits whole in memory.
   * Absent: never wait (in-memory streams in tests).
   */
  drained?(): Promise<void>;
}

/** Writes an output's chunks in turn, waiting for a slow reader between them (OutputStream.drained). */
export async function writeChunks(out: OutputStream, chunks: Iterable<string | Uint8Array>): Promise<void> {
  for (const chunk of chunks) if (!out.write(chunk) && out.drained) await out.drained();
}

/** Exit codes, as the README documents them. */
export const EXIT = {
  ok: 0,
  noResults: 1,
  usage: 2,
  /** export --to: some spans were not delivered (failed or rejected by the receiver). */
  notDelivered: 3,
  interrupted: 130,
} as const;
