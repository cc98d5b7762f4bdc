// A fold-mode TraceCollector whose traces complete before the input ends (trace-completion.ts): each
// line is noted first, a late line (its trace already finished) is counted and dropped, and when traces
// are due the owner is called to take them out (TraceAnalyzer.run or trees(), with the open traces as
// `except`), so that what is held is the open traces alone.
//
// With a log-time timeout the check runs as log time moves on, each quarter of the timeout: a trace
// completes between 1 and 1.25 timeouts after its last line, and each check looks at every open trace
// once. With an idle time (live streams) the owner calls completeDue() from a timer.
//
// When threads fold the input (recordNotes), lines are only noted here, with the late ones dropped by
// closed traces (line-notes.ts); the reader replays every thread's notes in input order (replay) and
// traces found due are handed to onClosing, to be finished once the chunks before their close are in.
import type { Entry } from '../entries/entry.js';
import type { Micros } from '../core/time.js';
import type { Span } from './span.js';
import { TraceCollector, type FoldState } from './collect-traces.js';
import { packedBytes, spanRecordBytes, type KeptTraces } from './kept-traces.js';
import type { TraceCompletion } from './trace-completion.js';
import { NoteTaker, type LineNotes } from './line-notes.js';

/** Where a trace stands in TraceCollector.traceIds()'s order: traces with log lines first, then span-only ones. */
export interface SeenOrder {
  spanOnly: boolean;
  seq: number;
}

export class CompletingCollector extends TraceCollector {
  /** Called with the ids just completed; the owner takes them out, leaving `openIds()`. */
  onComplete: (ids: string[]) => void = () => undefined;
  /** With recordNotes: called with the ids found due while replaying, closed rather than finished. */
  onClosing: (ids: string[]) => void = () => undefined;
  /** Set by recordNotes: lines are noted for replay, not noted in the completion as they come. */
  private taker: NoteTaker | undefined;
  /** Late lines a NoteTaker dropped before the collector went back to noting directly. */
  private recordedLate = 0;
  /**
   * Set by the owner: completing early matters less than reading fast, so a reader that would give up
   * speed to complete (one file split into a part per thread) may hold every trace to the end instead.
   */
  mayHoldToTheEnd = false;
  /** Set by holdToTheEnd: no line is noted, every trace completes at the end. */
  private holding = false;
  private readonly checkEvery: number;
  private nextCheck = Number.NaN;
  private inSpans = false;
  /** First-seen numbers (ordered mode): of the trace's first log line, and of its first span record. */
  private readonly lineSeq: Map<string, number> | undefined;
  private readonly spanSeq: Map<string, number> | undefined;
  private lines = 0;
  private spanTraces = 0;
  /** keepCompleted's store; the states put back into the collector as their traces reopened, by id. */
  private kept: KeptTraces<FoldState> | undefined;
  private readonly restored = new Map<string, FoldState>();
  /** Reopened traces of which nothing was kept: their updates hold their late lines alone. */
  private readonly fragments = new Set<string>();

  /**
   * `ordered`: keep each trace's place in traceIds()'s order (seenOrder), for output in that order. `fold`:
   * fold lines into spans as they come (no line kept as an event), as the commands that measure spans do.
   */
  constructor(
    readonly completion: TraceCompletion,
    timeoutUs: Micros | undefined,
    ordered = false,
    fold = true,
  ) {
    super(undefined, { fold });
    this.checkEvery = timeoutUs !== undefined ? timeoutUs / 4 : Number.NaN;
    this.lineSeq = ordered ? new Map() : undefined;
    this.spanSeq = ordered ? new Map() : undefined;
  }

  override entry(entry: Entry): void {
    const id = entry.traceId;
    if (id === undefined) return;
    if (!this.admit(id, entry.time)) return;
    if (this.lineSeq !== undefined && !this.lineSeq.has(id)) this.lineSeq.set(id, this.lines++);
    super.entry(entry);
    if (!this.inSpans && this.taker === undefined && !this.holding) this.tick();
  }

  override spans(result: { spans: readonly Span[]; entries: readonly Entry[] }): void {
    let spans = result.spans;
    // Late records are left out; a copy only when there is one.
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i]!;
      if (this.admit(s.traceId, s.end)) {
        if (this.spanSeq !== undefined && !this.spanSeq.has(s.traceId)) this.spanSeq.set(s.traceId, this.spanTraces++);
        continue;
      }
      if (spans === result.spans) spans = spans.slice(0, i);
      else (spans as Span[]).pop();
      for (let j = i + 1; j < result.spans.length; j++) {
        const t = result.spans[j]!;
        if (!this.admit(t.traceId, t.end)) continue;
        if (this.spanSeq !== undefined && !this.spanSeq.has(t.traceId)) this.spanSeq.set(t.traceId, this.spanTraces++);
        (spans as Span[]).push(t);
      }
      break;
    }
    this.inSpans = true;
    try {
      super.spans(spans === result.spans ? result : { spans, entries: result.entries });
    } finally {
      this.inSpans = false;
    }
    if (this.taker === undefined && !this.holding) this.tick();
  }

  private admit(id: string, time: number | undefined): boolean {
    if (this.holding) return true;
    return this.taker !== undefined ? this.taker.admit(id, time) : this.completion.note(id, time);
  }

  /** Nothing completes before the end: threads read parts of the input no clock here sees in order. */
  holdToTheEnd(): void {
    this.holding = true;
  }

  /** From here on lines are noted for replay (threads fold the input); the NoteTaker that notes them. */
  recordNotes(): NoteTaker {
    this.taker = new NoteTaker();
    return this.taker;
  }

  /** Back to noting lines as they come (the input turned out to be read in order here). */
  noteDirectly(): void {
    this.recordedLate += this.taker?.late ?? 0;
    this.taker = undefined;
  }

  /** A chunk's notes, from any thread, in input order: the clock moves, and due traces go to onClosing. */
  replay(notes: LineNotes): void {
    const { ids, at, times } = notes;
    for (let i = 0; i < at.length; i++) {
      const t = times[i]!;
      this.completion.note(ids[at[i]!]!, Number.isNaN(t) ? undefined : t);
      this.tick();
    }
  }

  /** Lines of traces already complete, left out. */
  get late(): number {
    return this.completion.late + this.recordedLate + (this.taker?.late ?? 0);
  }

  /** A trace's place in traceIds()'s order, for a trace still held (ordered mode). */
  seenOrder(id: string): SeenOrder {
    const line = this.lineSeq?.get(id);
    return line !== undefined ? { spanOnly: false, seq: line } : { spanOnly: true, seq: this.spanSeq?.get(id) ?? 0 };
  }

  /** Forget the first-seen numbers of traces taken out. */
  forgetOrder(ids: readonly string[]): void {
    if (this.lineSeq === undefined || this.spanSeq === undefined) return;
    for (const id of ids) {
      this.lineSeq.delete(id);
      this.spanSeq.delete(id);
    }
  }

  /**
   * Followed commands: completed traces are kept (keepTraces()) in `kept`, and a late line reopening one puts
   * it back before the line is folded in, so that its update is the whole trace (D124).
   */
  keepCompleted(kept: KeptTraces<FoldState>): void {
    this.kept = kept;
    this.completion.onReopen = (id) => {
      const state = kept.take(id);
      if (state === undefined) {
        this.fragments.add(id);
        return;
      }
      // The collector folds into what it absorbs: it gets copies of the records, the state stays as it was.
      this.absorb({ folds: state.folds, records: state.records.map((r) => ({ traceId: r.traceId, arrivals: r.arrivals.slice(), spans: r.spans.slice() })) });
      this.restored.set(id, state);
    };
  }

  /** Keeps the state of each of these traces, just completed and still held (fragments are not kept). */
  keepTraces(ids: readonly string[]): void {
    const kept = this.kept;
    if (kept === undefined) return;
    for (const id of ids) {
      if (this.fragments.has(id)) continue;
      const state = this.packTrace(id);
      kept.set(id, state, packedBytes(state.folds) + spanRecordBytes(state.records[0]?.spans ?? []));
    }
  }

  /**
   * For a trace completing as an update: its state when it completed before (its update is the whole
   * trace, which counts once: what was taken of that state is to be taken back), or 'fragment' when
   * nothing of it was kept (the update is its late lines alone); undefined for a trace seen once. Asked
   * once per completion.
   */
  takeEarlier(id: string): FoldState | 'fragment' | undefined {
    const state = this.restored.get(id);
    if (state !== undefined) {
      this.restored.delete(id);
      return state;
    }
    return this.fragments.delete(id) ? 'fragment' : undefined;
  }

  /** The open traces, as a set to pass as `except` when taking the completed ones out. */
  openIds(): Set<string> {
    const open = new Set<string>();
    for (const id of this.traceIds()) if (this.completion.isOpen(id)) open.add(id);
    return open;
  }

  /** Completes the traces due at this moment (by idle time and log time) and hands them to onComplete. */
  completeDue(): string[] {
    const ids = this.completion.due();
    if (ids.length > 0) this.onComplete(ids);
    return ids;
  }

  private tick(): void {
    const now = this.completion.logNow;
    if (!(now >= this.nextCheck)) {
      // The first timed line sets the first check; until then (and without a timeout) there is none.
      if (Number.isNaN(this.nextCheck) && !Number.isNaN(now) && !Number.isNaN(this.checkEvery)) this.nextCheck = now + this.checkEvery;
      return;
    }
    this.nextCheck = now + this.checkEvery;
    if (this.taker === undefined) this.completeDue();
    else {
      const ids = this.completion.close();
      if (ids.length > 0) this.onClosing(ids);
    }
  }
}

/**
 * Results of traces completed in any order, released in the order the traces were first seen (the order
 * TraceCollector.traceIds() gives when nothing completes early): a trace's result waits only for the
 * traces seen before it, so what waits is about as much as is open. Span-only traces come after every
 * trace with log lines, so theirs wait for the end.
 */
export class InSeenOrder<R> {
  private head = 0;
  private readonly waiting = new Map<number, R | undefined>();
  private readonly spanOnly: { seq: number; result: R }[] = [];

  constructor(private readonly release: (result: R) => void) {}

  /** A completed trace's result (undefined: it has nothing to show, but its turn still counts). */
  add(order: SeenOrder, result: R | undefined): void {
    if (order.spanOnly) {
      if (result !== undefined) this.spanOnly.push({ seq: order.seq, result });
      return;
    }
    this.waiting.set(order.seq, result);
    while (this.waiting.has(this.head)) {
      const r = this.waiting.get(this.head);
      this.waiting.delete(this.head++);
      if (r !== undefined) this.release(r);
    }
  }

  /** The input ended: what waits, in order. */
  end(): void {
    for (const seq of [...this.waiting.keys()].sort((a, b) => a - b)) {
      const r = this.waiting.get(seq);
      if (r !== undefined) this.release(r);
    }
    this.waiting.clear();
    this.spanOnly.sort((a, b) => a.seq - b.seq);
    for (const { result } of this.spanOnly) this.release(result);
    this.spanOnly.length = 0;
  }
}
