import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import type { SendObserver } from '../../src/export/send-queue.js';
import { heapObserver } from '../../src/cli/heap-settings.js';
import { countingObserver } from '../parallel/thread-counts.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | Buffer;
  env?: Record<string, string>;
  tty?: boolean;
  columns?: number;
  now?: number;
  threads?: number;
  signal?: AbortSignal;
  /** A second Ctrl-C (Io.leaving). */
  leaving?: AbortSignal;
  smallYoungGeneration?: () => void;
  scavengeAlone?: () => void;
  tightOldGeneration?: () => void;
  /** stdin as a stream the test writes to as it goes (--follow), instead of `stdin`. */
  stdinStream?: Readable;
  /** The clock, when the test moves it (--follow's --idle); else `now`. */
  clock?: () => number;
  /** Each write to stdout, as it happens. */
  onStdout?: (text: string) => void;
  rows?: number;
  /** Told what export --to holds and has in its senders (export/send-queue.ts). */
  sendObserver?: SendObserver;
}

/** The real program, in-process, against in-memory streams (as the process shim would wire it). */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdin: options.stdinStream ?? Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: {
      write: (s) => {
        stdout += asText(s);
        options.onStdout?.(asText(s));
        return true;
      },
    },
    stderr: { write: (s) => ((stderr += asText(s)), true) },
    env: options.env ?? { NO_COLOR: '1' },
    stdoutIsTTY: options.tty ?? false,
    stdinIsTTY: false,
    columns: options.columns,
    signal: options.signal ?? new AbortController().signal,
    ...(options.leaving !== undefined ? { leaving: options.leaving } : {}),
    threads: options.threads ?? 2,
    now: options.clock ?? (() => options.now ?? Date.parse('2024-05-01T12:00:00Z')),
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    ...(options.sendObserver !== undefined ? { sendObserver: options.sendObserver } : {}),
    // What the threads did is counted for the tests of test/parallel/; the heap settings go to the
    // functions given, never to this process's V8.
    threadObserver: countingObserver(heapObserver({ ...(options.smallYoungGeneration ? { smallYoungGeneration: options.smallYoungGeneration } : {}), ...(options.scavengeAlone ? { scavengeAlone: options.scavengeAlone } : {}), ...(options.tightOldGeneration ? { tightOldGeneration: options.tightOldGeneration } : {}) })),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const fixture = (p: string): string => new URL(`../../fixtures/${p}`, import.meta.url).pathname;
export const peerdata = (p: string): string => new URL(`../../fixtures/peer/${p}`, import.meta.url).pathname;

/** A written chunk as text: the program writes UTF-8 bytes only cut between characters (OutputStream). */
export function asText(chunk: string | Uint8Array): string {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
}
