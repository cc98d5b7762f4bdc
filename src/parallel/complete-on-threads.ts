// Traces that complete while the input is folded on threads (read-threaded.ts, readSpans with `folds`).
// The main thread judges: every thread notes its chunks' lines (model/line-notes.ts), and the notes are
// replayed here in chunk order through the collector's one TraceCompletion, so the clock is the input's
// order, whichever thread ends a chunk first. A trace found due is closed after the last chunk cut so far
// (every worker is told before it can get a later chunk), and once the chunks up to there are replayed,
// the threads that hold its lines are known:
//
//   held here only        analysed here
//   held by one worker    analysed there (`complete`)
//   held by several       handed back (`closedParts`), absorbed here, then analysed here
//
// Each trace is analysed once, whole, as the one thread's reading would; what the workers analysed comes
// back with their result at the end (Pool.finishTraces), which also ends the traces still open.
import type { CompletingCollector } from '../model/completing-collector.js';
import type { TraceCollector } from '../model/collect-traces.js';
import type { LineNotes, NoteTaker } from '../model/line-notes.js';
import type { ThreadObserver } from './observer.js';
import type { Pool } from './pool.js';
import type { TracesHere } from './read-threaded.js';

/** The main thread's bit in a trace's holders; worker w's is 1 << (w + 1). */
const HERE = 1;

/**
 * A trace found due while replaying chunk k is closed after chunk k + LAG_CHUNKS: a fixed lag, so that
 * which lines are late depends on the input and its chunks alone, never on which thread ran ahead. No
 * chunk is cut before every chunk LAG_CHUNKS + 1 before it was replayed (beforeCut). At least the chunks
 * the workers may hold (two each) and one here; past that, traces are held longer for nothing.
 */
export const LAG_CHUNKS = 4;

export class CompleteOnThreads {
  /** The next chunk to replay, and the last chunk cut (chunks are numbered from 1 in input order). */
  private next = 1;
  private lastCut = 0;
  private readonly queue = new Map<number, { notes: LineNotes; holder: number }>();
  /** Open traces: the threads holding lines of them, as bits. */
  private readonly holders = new Map<string, number>();
  /** Traces closed, each batch after its chunk, in order. */
  private readonly closings: { after: number; ids: string[] }[] = [];
  /** Closed traces whose parts are still to come back from workers: how many. */
  private readonly pending = new Map<string, number>();
  /** Closed traces whole here, to analyse. */
  private readonly ready: string[] = [];
  private readonly taker: NoteTaker;
  /** Resolved once chunk `upTo` was replayed. */
  private waiting: { upTo: number; resolve: () => void } | undefined;

  constructor(
    private readonly collector: CompletingCollector,
    private readonly analysis: TracesHere<TraceCollector>,
    private readonly pool: Pool,
    private readonly observer: ThreadObserver | undefined,
  ) {
    this.taker = collector.recordNotes();
    collector.onClosing = (ids) => {
      const after = this.next + LAG_CHUNKS;
      this.closings.push({ after, ids });
      this.taker.closed.close(ids, after);
      pool.closing(ids, after);
    };
    pool.onNotes = (seq, notes, w) => this.add(seq, notes, w + 1);
    pool.onClosedParts = (ids, state) => this.absorb(ids, state);
  }

  /** Chunk `no` was cut. */
  cut(no: number): void {
    this.lastCut = no;
  }

  /** Before chunk `no` is cut: undefined when it may be at once, else what to wait for. */
  beforeCut(no: number): Promise<void> | undefined {
    return this.replayedThrough(no - LAG_CHUNKS - 1);
  }

  /** Chunk `no` is processed here next. */
  here(no: number): void {
    this.taker.chunk = no;
  }

  /** Chunk `no` was processed here. */
  doneHere(no: number): void {
    this.add(no, this.taker.take(), 0);
  }

  /**
   * The input is not folded on threads after all (every chunk so far was read here): the traces closed
   * are finished now, and the collector notes its lines as they come again.
   */
  stop(): void {
    this.release(Infinity);
    this.collector.noteDirectly();
  }

  /** Resolves once every chunk cut was replayed, and so every closed trace finished. */
  async settled(): Promise<void> {
    await this.replayedThrough(this.lastCut);
    this.release(Infinity);
  }

  /** Undefined when chunk `upTo` was replayed, else a promise of it (rejected if a worker fails). */
  private replayedThrough(upTo: number): Promise<void> | undefined {
    if (this.next > upTo) return undefined;
    return Promise.race([new Promise<void>((resolve) => (this.waiting = { upTo, resolve })), this.pool.failed()]);
  }

  private add(seq: number, notes: LineNotes, holder: number): void {
    this.queue.set(seq, { notes, holder });
    for (let q = this.queue.get(this.next); q !== undefined; q = this.queue.get(this.next)) {
      this.queue.delete(this.next);
      const bit = 2 ** q.holder;
      for (const id of q.notes.ids) this.holders.set(id, (this.holders.get(id) ?? 0) | bit);
      this.collector.replay(q.notes);
      this.release(this.next++);
    }
    if (this.waiting !== undefined && this.next > this.waiting.upTo) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve();
    }
  }

  /** The traces closed after a chunk up to `upTo`: finished, and analysed where they are held. */
  private release(upTo: number): void {
    const analyse = new Map<number, string[]>();
    const handBack = new Map<number, string[]>();
    const push = (m: Map<number, string[]>, w: number, id: string) => (m.get(w) ?? m.set(w, []).get(w)!).push(id);
    while (this.closings.length > 0 && this.closings[0]!.after <= upTo) {
      const { ids } = this.closings.shift()!;
      this.collector.completion.finishClosed(ids);
      for (const id of ids) {
        const mask = this.holders.get(id) ?? HERE;
        this.holders.delete(id);
        const workers = workersIn(mask);
        if (workers.length === 0) this.ready.push(id);
        else if (workers.length === 1 && (mask & HERE) === 0) {
          push(analyse, workers[0]!, id);
          this.observer?.count?.('completedThere', 1);
        } else {
          for (const w of workers) push(handBack, w, id);
          this.observer?.count?.('completedBack', 1);
          this.pending.set(id, workers.length);
        }
      }
    }
    for (const w of new Set([...analyse.keys(), ...handBack.keys()])) this.pool.complete(w, this.analysis.end.spec, analyse.get(w) ?? [], handBack.get(w) ?? []);
    this.runHere();
  }

  private absorb(ids: string[], state: unknown): void {
    this.analysis.parts.absorb(state);
    for (const id of ids) {
      const left = (this.pending.get(id) ?? 1) - 1;
      if (left > 0) this.pending.set(id, left);
      else {
        this.pending.delete(id);
        this.ready.push(id);
      }
    }
    this.runHere();
  }

  private runHere(): void {
    if (this.ready.length === 0) return;
    const except = new Set(this.collector.traceIds());
    for (const id of this.ready) except.delete(id);
    this.ready.length = 0;
    this.analysis.end.finish(except);
  }
}

/** The workers whose bits are set in a holders mask. */
function workersIn(mask: number): number[] {
  const out: number[] = [];
  for (let w = 0, bit = 2; bit <= mask; w++, bit *= 2) if (Math.floor(mask / bit) % 2 === 1) out.push(w);
  return out;
}
