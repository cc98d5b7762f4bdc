import { statSync } from 'node:fs';
import type { SourceSpec } from './open-source.js';

/**
 * How far reading has got, for the progress line: bytes taken from the sources as stored (before gunzip,
 * so they compare with the files' sizes) and lines cut from them. Written by the reader as it goes, read
 * by whoever draws the line; never part of any result.
 */
export class ReadProgress {
  bytes = 0;
  lines = 0;
  /** The sum of the sources' sizes when every one is a regular file; undefined for stdin and pipes. */
  constructor(readonly totalBytes: number | undefined) {}
}

/** The bytes the sources hold, when all are regular files (a file that cannot be stat'ed will fail later, and counts 0). */
export function totalBytesOf(sources: readonly SourceSpec[]): number | undefined {
  let total = 0;
  for (const s of sources) {
    if (s.stdin) return undefined;
    try {
      const info = statSync(s.name);
      if (!info.isFile()) return undefined;
      total += info.size;
    } catch {
      // counted as empty: the reader names the failure
    }
  }
  return total;
}

/** The source's bytes as they are read, counted into `progress`. */
export async function* countedBytes(raw: AsyncIterable<Buffer>, progress: ReadProgress): AsyncGenerator<Buffer> {
  for await (const b of raw) {
    progress.bytes += b.length;
    yield b;
  }
}
