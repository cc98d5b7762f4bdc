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
   * Collect the young generation on the allocating thread alone from now on, without V8's helper threads
   * (a process-wide V8 setting): once every core runs a thread of ours, the helpers only take turns with
   * them (docs/DECISIONS.md: two threads on two cores, slowest and latency ~2–4% faster; on one thread,
   * with a core free to help, ~3% slower). Set again as each worker starts, as smallYoungGeneration is.
   * Absent in tests.
   */
  scavengeAlone?(): void;
}

export interface OutputStream {
  /** Text, or UTF-8 bytes cut between characters (renderers of large outputs write bytes: byte-chunks.ts). */
  write(chunk: string | Uint8Array): boolean;
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
