// Completion when threads fold the input (parallel/complete-on-threads.ts). Each thread folds the chunks
// it is handed and notes, per chunk, each line's trace id and log time (LineNotes); the main thread
// replays the notes in input order through one TraceCompletion, so the log-time clock is the input's
// order whichever thread finished first. A trace found due while replaying chunk k is closed after the
// last chunk cut so far, F (F ≥ k): every thread is told before it gets a chunk past F, keeps the trace's
// lines of chunks up to F, and drops those of later chunks as late (ClosedTraces). No thread ever folds a
// line it would have to take back.
//
//   chunks   1   2   3   4   5   6   7
//   replay   ────────▶ X due (k = 3), F = 6: X's lines in 4–6 kept, in 7 on any thread late
//
// Against one thread, a trace longer than the timeout keeps the lines of up to F − k chunks more; a trace
// shorter than it has no line after k at all, and the output is the one thread's.
import { FinishedIds } from './finished-ids.js';
import { FINISHED_KEPT } from './trace-completion.js';

/** One chunk's lines with a trace id, in order: `ids[at[i]]` and `times[i]` (NaN: no time). */
export interface LineNotes {
  ids: string[];
  at: number[];
  times: number[];
}

/** Traces closed after a chunk: their lines of later chunks are late. Bounded as finished ids are (D76). */
export class ClosedTraces {
  private readonly after: FinishedIds;

  constructor(kept = FINISHED_KEPT) {
    this.after = new FinishedIds(kept);
  }

  close(ids: readonly string[], afterChunk: number): void {
    for (const id of ids) this.after.set(id, afterChunk);
  }

  /** Whether a line of trace `id` in chunk `chunk` is late. */
  isLate(id: string, chunk: number): boolean {
    const f = this.after.get(id);
    return f !== undefined && chunk > f;
  }
}

/** One thread's side: which lines are late, and the notes of the chunk being folded. */
export class NoteTaker {
  readonly closed = new ClosedTraces();
  /** The chunk being folded (its number in input order). */
  chunk = 0;
  /** Lines dropped as late. */
  late = 0;
  private index = new Map<string, number>();
  private notes: LineNotes = { ids: [], at: [], times: [] };

  /** A line of trace `id` at log time `time`: false when it is late (counted), else noted. */
  admit(id: string, time: number | undefined): boolean {
    let k = this.index.get(id);
    if (k === undefined) {
      // Closings change between chunks only: an id admitted once in this chunk is not late in it.
      if (this.closed.isLate(id, this.chunk)) {
        this.late++;
        return false;
      }
      k = this.notes.ids.length;
      this.notes.ids.push(id);
      this.index.set(id, k);
    }
    this.notes.at.push(k);
    this.notes.times.push(time ?? Number.NaN);
    return true;
  }

  /** The notes since the last take. */
  take(): LineNotes {
    const out = this.notes;
    this.notes = { ids: [], at: [], times: [] };
    this.index = new Map();
    return out;
  }
}
