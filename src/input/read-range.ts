// One part of a file, [start, end), read synchronously and cut into chunks of whole lines, for a worker
// thread that reads its part of a large file itself (parallel/read-parallel.ts says why). The blocks are
// cut as readLineBlocks cuts a file's (cutAtLastLine, open-source.ts) and go through the same Chunker, so the part is
// cut into the lines one reader of the whole file would have seen — provided `start` and `end` are the
// starts of lines that are not the rest of a partial piece (lineStartNear finds such places).
import { closeSync, openSync, readSync } from 'node:fs';
import { BlockPool } from './block-pool.js';
import { cutsCleanlyBefore } from './continuation.js';
import { Chunker, countNewlines, isPartialPiece, type Chunk, type OverlongLine } from './chunker.js';
import { cutAtLastLine, markOwned } from './open-source.js';

const NL = 0x0a;

/** What readRange read: the lines it cut (over-long ones counted, and listed), and the error that ended it early. */
export interface RangeRead {
  overlong: OverlongLine[];
  lines: number;
  error?: unknown;
}

/** How readRange reads: `blockBytes` at a time, over-long lines past `maxLineBytes`; the rest optional. */
export interface RangeOptions {
  blockBytes: number;
  maxLineBytes: number;
  /** The cap of a line that opens a span document (document-lines.ts); its default otherwise. */
  maxDocumentBytes?: number;
  /** The number of the part's first line (default 1). */
  firstLine?: number;
  /** Asked before each read: true ends the part there (the run was interrupted), with the lines so far. */
  stopped?: () => boolean;
  /**
   * Where the blocks come from, when the caller reads several parts (one pool serves them all; it stays
   * open). Else a pool of the part's own. A new block per read left the memory of every block to the
   * garbage collector (peak RSS of `latency` on 250 MB: +35 MB), and a pool per part of a worker that
   * read several, ~20 MB more of `group`'s.
   */
  blocks?: BlockPool;
}

/**
 * Reads [start, end) of the file (end: Infinity for the end of the file, however far it has grown),
 * handing each chunk to `each` in order. Line numbers count from `firstLine` (default 1) at `start`: the
 * caller learns the lines before `start` only later, and shifts them. A failure of the file system ends
 * the read early (`error`); what `each` throws is thrown.
 */
export function readRange(path: string, start: number, end: number, options: RangeOptions, each: (c: Chunk) => void): RangeRead {
  const { blockBytes, stopped = () => false } = options;
  const chunker = new Chunker(options.maxLineBytes, blockBytes, options.firstLine ?? 1, options.maxDocumentBytes);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { overlong: [], lines: 0, error };
  }
  // A block's memory is read into again once the chunk it became is processed and nothing reads it
  // (block-pool.ts: with room to spare for the carried part of a line).
  const blocks = options.blocks ?? new BlockPool(2);
  const hand = (piece: Buffer): void => {
    for (const c of chunker.push(piece)) {
      each(c);
      if (c.bytes === piece) blocks.give(piece.buffer as ArrayBuffer); // the block as one chunk: done with
    }
  };
  try {
    let pos = start;
    let carry: Buffer | undefined;
    for (;;) {
      const asked = stopped() ? 0 : Math.max(0, Math.min(blockBytes, end - pos));
      const have = carry?.length ?? 0;
      const block = blocks.take(have + asked);
      if (carry) carry.copy(block, 0);
      let got = 0;
      while (got < asked) {
        let n: number;
        try {
          n = readSync(fd, block, have + got, asked - got, pos + got);
        } catch (error) {
          return { overlong: chunker.overlong, lines: chunker.lines, error };
        }
        if (n === 0) break;
        got += n;
      }
      pos += got;
      const stop = have + got;
      if (got === 0) {
        // The rest of the last line at the end of the part; stopped, a line cut short is not read at all.
        if (have > 0 && asked > 0) hand(block.subarray(0, stop));
        else blocks.give(block.buffer as ArrayBuffer); // nothing was read into it
        break;
      }
      // At the part's end all of it goes: `end` is a line start, and nothing is read after it.
      const next = cutAtLastLine(block, stop, got < asked || pos >= end);
      carry = next.carry;
      // A block of whole lines is a chunk as it is, whatever its size (the last of a part is short),
      // and so goes back to the pool once processed: with a pool for several parts (a worker's pieces,
      // parallel/steal-range.ts), a short block cut with the next one was never given back.
      if (next.whole) markOwned(next.lines);
      hand(next.lines);
    }
    const last = chunker.end();
    if (last) each(last);
    return { overlong: chunker.overlong, lines: chunker.lines };
  } finally {
    closeSync(fd);
    if (options.blocks === undefined) blocks.close();
  }
}

/** The newlines in bytes [from, end) of the file, read into `buf`. Throws what the file system throws. */
export function newlinesIn(path: string, from: number, end: number, buf: Buffer = Buffer.allocUnsafe(Math.max(1, Math.min(end - from, 4 << 20)))): number {
  const fd = openSync(path, 'r');
  try {
    let lines = 0;
    for (let pos = from; pos < end; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (n === 0) break;
      lines += countNewlines(n === buf.length ? buf : buf.subarray(0, n));
      pos += n;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

/**
 * The start of the first line at or after `at` that does not follow a partial piece (a CRI 'P' line, a
 * Docker piece without its "\n": the pieces and the rest of their line must stay in one part) and cannot
 * continue the line before it (a stack trace stays with its log line: continuation.ts), found in
 * the `window` bytes from there; undefined when there is none (lines that long, or the end of the file).
 */
export function lineStartNear(path: string, at: number, window = 1 << 20): number | undefined {
  if (at <= 0) return undefined;
  const fd = openSync(path, 'r');
  try {
    // From a little before `at`, to see the whole line that ends first after it.
    const from = Math.max(0, at - (64 << 10));
    const buf = Buffer.allocUnsafe(at - from + window);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
      if (got === buf.length) break;
    }
    let nl = buf.indexOf(NL, at - 1 - from);
    while (nl >= 0 && nl < got) {
      const lineStart = buf.lastIndexOf(NL, nl - 1) + 1;
      if (nl + 1 >= got) return undefined; // the end of the file (or of what was read): no line after it here
      // A line that began before the bytes read cannot be told from a partial piece: try the next.
      const known = lineStart > 0 || from === 0;
      if (known && !isPartialPiece(buf, lineStart, nl) && cutsCleanlyBefore(buf, nl + 1, got, got < buf.length)) return from + nl + 1;
      nl = buf.indexOf(NL, nl + 1);
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
