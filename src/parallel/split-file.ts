import type { IngestOptions } from '../ingest/read-inputs.js';
import type { ReadWindow } from '../input/read-window.js';
import { lineStartNear, newlinesIn } from '../input/read-range.js';
import { THREADED_CHUNK_BYTES } from './plan-threads.js';
import type { Pool } from './pool.js';

/** A file with less than this many chunks left, past what was read when folding was decided, is not split (splitFile). */
const MIN_SPLIT_BYTES_IN_CHUNKS = 2;
/**
 * How far behind this thread a worker begins its part of a split file (splitFile), in chunks: this
 * thread's part is larger by as much. The split comes after the first chunk read here, and a worker
 * started with the reading then begins its part on code not yet optimized: with equal parts the worker
 * ends well after this thread, which waits for it with nothing to do (docs/DECISIONS.md, D45). In
 * chunks, so that the small chunks of tests still give workers parts of some size.
 */
const WORKER_LAG_CHUNKS = 3;
/**
 * And then this thread's part is 1.2 times that: the first worker takes over the end of this thread's
 * part when it ends first (steal-range.ts), but nothing helps this thread when the worker ends last.
 * With 1.2 the worker ended first in all of 27 runs (latency, group, slowest on corpus a) and took over
 * 1–5 pieces; with 1.0 and 3 chunks it ended 85–250 ms last in 6 of 18 (slowest and group). Each piece
 * costs the worker a count of its lines (~0.2 ms a MB) and a cut.
 */
const FIRST_PART_SCALE = 1.2;

/** At most this much of a file is counted for its lines after Ctrl-C (linesUpTo): ~30 ms here. */
const MAX_COUNTED_AFTER_STOP = 32 << 20;

/**
 * The lines before `end` (where the workers' parts begin), from the `lines` in the first `bytes` bytes
 * the main thread read: those, and when it stopped short of `end` (Ctrl-C), the lines between, if they
 * are few enough to count at once. Else undefined: the places the workers report say the line is not known.
 */
export function linesUpTo(path: string, lines: number, bytes: number, end: number): number | undefined {
  if (bytes === end) return lines;
  if (end - bytes > MAX_COUNTED_AFTER_STOP) return undefined;
  try {
    return lines + newlinesIn(path, bytes, end);
  } catch {
    return undefined;
  }
}

/**
 * One plain file read on threads (folded for slowest, latency and services; summed up for group): the
 * rest of the file, past what the reads here have asked for, is cut at line starts into one part for
 * this thread and one for each worker, which reads its part itself (read-range.ts). Handed chunk by
 * chunk, every chunk's traces at its edges would fall in parts on two threads (~4,200 of 52,000 on
 * corpus a with 4 MiB chunks), each packed, sent back, merged and only then analysed on this thread;
 * with one part per thread, only the traces at the few cuts do. The workers number their lines from their
 * parts' starts; the end shifts them (Pool.finishTraces). False when the file is too small to split or no
 * cut was found (then chunks are handed out one by one).
 */
export function splitFile(path: string, window: ReadWindow, size: number, pool: Pool, options: IngestOptions): boolean {
  const from = window.asked;
  const rest = size - from;
  const workers = pool.workers;
  const chunkBytes = options.chunkBytes ?? THREADED_CHUNK_BYTES;
  if (workers < 1 || rest < MIN_SPLIT_BYTES_IN_CHUNKS * chunkBytes) return false;
  const starts: number[] = [];
  const mine = Math.min(rest * 0.9, (FIRST_PART_SCALE * (rest + workers * WORKER_LAG_CHUNKS * chunkBytes)) / (workers + 1));
  for (let k = 1; k <= workers; k++) {
    const at = lineStartNear(path, from + Math.round(mine + ((rest - mine) * (k - 1)) / workers));
    if (at === undefined || at <= (starts.at(-1) ?? from) || at >= size) return false;
    starts.push(at);
  }
  if (!window.stopAt(starts[0]!)) return false;
  pool.readRanges(path, starts, chunkBytes, window, options.holdForTakeOver === true);
  return true;
}

