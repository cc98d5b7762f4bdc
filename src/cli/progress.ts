import type { SourceSpec } from '../input/open-source.js';
import { ReadProgress, totalBytesOf } from '../input/read-progress.js';
import { renderProgressLine } from '../render/progress-line.js';
import type { Io } from './io.js';

/** A read shorter than this shows no progress line at all. */
export const PROGRESS_AFTER_MS = 1000;
/** Redraws a second, at most. */
export const PROGRESS_EVERY_MS = 250;

/**
 * The progress line on stderr while `sources` are read: only when stderr is a terminal and the run is not
 * quiet (else the sources are not even counted: no cost), first drawn once the read has taken
 * PROGRESS_AFTER_MS, redrawn in place, and erased by the returned function (before any result or report
 * is written), so a finished run leaves no trace of it.
 */
export function showProgress(io: Io, sources: SourceSpec[], quiet: boolean): () => void {
  if (!io.stderrIsTTY || quiet || !io.every) return () => {};
  const progress = new ReadProgress(totalBytesOf(sources));
  for (const s of sources) s.progress = progress;
  const started = io.now();
  let drawn = false;
  const draw = (): void => {
    const elapsedMs = io.now() - started;
    if (elapsedMs < PROGRESS_AFTER_MS) return;
    // One column short of the terminal: a line that fills it exactly wraps on some terminals.
    const width = Math.max(20, (io.stderrColumns || 80) - 1); // 0: a terminal that gives no size
    io.stderr.write(`\r${renderProgressLine({ bytes: progress.bytes, totalBytes: progress.totalBytes, lines: progress.lines, elapsedMs }, width)}\x1b[K`);
    drawn = true;
  };
  const cancel = io.every(PROGRESS_EVERY_MS, draw);
  return () => {
    cancel();
    if (drawn) io.stderr.write('\r\x1b[K');
  };
}
