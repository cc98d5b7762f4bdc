// A worker thread that has read its part of a split file takes over the end of the main thread's part,
// when enough of it is left (input/read-window.ts says why). What it takes is numbered back from its own
// part's start: the lines of its own part count from 1 there, so those just before it are 0, -1, … and
// the one shift the main thread sends at the end (the lines before the worker's own part) puts both in
// their places. For that it counts the lines of what it takes before reading it.
import { lineStartNear } from '../input/read-range.js';
import type { ReadWindow } from '../input/read-window.js';

/**
 * Less than this much left to the main thread (in chunks), and it keeps it: a piece taken over costs a
 * search for a line start, a count of its lines and a cut (a few more traces in parts on two threads).
 */
const MIN_LEFT_IN_CHUNKS = 0.25;
/**
 * What the main thread has read and not yet worked on, in reads: the one it works on (half done, on
 * average) and the one read ahead (open-source.ts). The window shows neither as left. Its reads shrink
 * near the end of its part (read-parallel.ts, tailChunkBytes): the last one's size stands for them.
 */
const IN_HAND_READS = 1.5;

/**
 * The share of what the main thread has left (in hand and not yet asked for) that a piece takes. Half
 * would even them out if both read as fast, but a worker ended its piece 25–100 ms after the main thread
 * (it counts the piece's lines first, and reads no faster); with 0.4 it comes back for a smaller piece
 * instead, and the two ended 1–10 ms apart in twelve runs of latency, group and slowest (0.33: 3–16).
 */
const TAKEN_SHARE = 0.4;

/**
 * The end of the main thread's part, [start, end), now the caller's to read (the window's reads stop at
 * `start`); undefined when too little is left. Cut to take TAKEN_SHARE of what the main thread has to
 * read: what it has in hand and what is left.
 */
export function takeOver(path: string, window: ReadWindow, chunkBytes: number): { start: number; end: number } | undefined {
  // A second try when the main thread's reads went past the chosen line start meanwhile.
  for (let tries = 0; tries < 2; tries++) {
    const { asked, until, last } = window.snapshot();
    const left = until - asked;
    if (!Number.isFinite(left) || left < MIN_LEFT_IN_CHUNKS * chunkBytes) return undefined;
    const at = lineStartNear(path, Math.max(asked, Math.floor(until - TAKEN_SHARE * (left + IN_HAND_READS * last))));
    if (at === undefined || at >= until) return undefined;
    if (window.stopAt(at, until)) return { start: at, end: until };
  }
  return undefined;
}
