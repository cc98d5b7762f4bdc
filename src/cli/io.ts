import type { Readable } from 'node:stream';

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
  /** Terminal height when stdout is a terminal (the --follow board). */
  rows?: number;
  /** Aborted on Ctrl-C or when stdout is closed (`| head`): stop reading, print what there is. */
  signal: AbortSignal;
  /** Default for --threads: the machine's cores. */
  threads: number;
  /** Wall-clock now in ms, for relative --since/--until. */
  now(): number;
  /**
   * Keep the young generation at its smallest from now on (a process-wide V8 setting): for a job whose
   * live data is small and whose garbage dies young (group's summaries), where V8's growing it to 16 MB
   * semi-spaces only holds garbage. Called again once worker threads run: starting one resets V8's flags.
   * Absent in tests, which run in-process and leave the runner's heap alone.
   */
  smallYoungGeneration?(): void;
  /**
   * Collect the young generation on the allocating thread alone from now on, without the parallel
   * scavenger's tasks on V8's platform threads (a process-wide V8 setting): once every core runs a thread
   * of ours, those tasks only take turns with them; with a core free, they pay, so this is only for every
   * core busy (docs/DECISIONS.md, D49). Set again as each worker starts, as smallYoungGeneration is.
   * Absent in tests.
   */
  scavengeAlone?(): void;
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
