// When a trace is complete, before the input ends. Two clocks decide it:
//
//   arrival (live streams, --idle):  no line of the trace has arrived for `idleMs` of the Clock's time
//   log time (files, --trace-timeout): the input's latest log time has moved `timeoutUs` past the
//                                      trace's latest line
//
//        trace A  ├──┤ ····· quiet ····· ▶ complete
//        input    ──────────────────────────────────────▶ log time
//                    └── last line of A ──┘└ timeout ┘
//
// A complete trace is handed on and its lines let go; it is remembered as finished, so a line of it that
// arrives after is counted as late rather than starting a second trace of the same id. The finished ids
// kept are bounded (FINISHED_KEPT): past them the oldest is forgotten, and a line for it would open a
// new trace — memory stays flat on inputs of any length (docs/DECISIONS.md, D76).
//
// One wrong timestamp must not finish traces early (a far-off line is kept but stretches nothing: the one
// trace model, plausible-times.ts). So the input's log time jumps forward by more than MAX_SPREAD (a week)
// only once CONFIRM_AHEAD lines lie that far ahead, and then only to the earliest of them (a year-2200
// line alone moves nothing); and a trace's first timed line more than MAX_SPREAD behind the input's log
// time (a zero timestamp read as 1970) does not set its last time. Both only delay completion: memory,
// never an answer.
import type { Micros } from '../core/time.js';
import { FinishedIds } from './finished-ids.js';
import { MAX_SPREAD } from './plausible-times.js';

/** Time of arrival, in milliseconds. Passed in: tests drive it by hand and never wait on a real clock. */
export interface Clock {
  now(): number;
}

export interface CompletionOptions {
  /** Arrival time; needed only with `idleMs`. */
  clock?: Clock;
  /** Complete a trace after this long without a line of it (arrival time, ms). */
  idleMs?: number;
  /** Complete a trace once the input's log time is this far past its last line (µs). */
  timeoutUs?: Micros;
  /** Finished ids remembered, to count their late lines (default FINISHED_KEPT). */
  finishedKept?: number;
  /**
   * Nothing is due before this many lines were noted: an input shorter than that is read whole, whatever
   * the order of its times (logs of several pods one after another go back in time at each pod).
   */
  holdLines?: number;
  /**
   * A late line opens its trace again, as an update of it (--follow: shown when it completes in turn,
   * marked; isUpdate). Otherwise it is left out.
   */
  reopen?: boolean;
}

/** Lines that must lie more than MAX_SPREAD ahead of the input's log time before it jumps there. */
export const CONFIRM_AHEAD = 64;

/** Finished ids remembered: 40–80 bytes each off the heap (FinishedIds), ~7 MB at most. */
export const FINISHED_KEPT = 100_000;

interface OpenTrace {
  /** Clock time of its latest line (ms). */
  arrived: number;
  /** Its latest log time (µs); NaN until a timed line. */
  last: number;
}

export class TraceCompletion {
  private readonly open = new Map<string, OpenTrace>();
  private readonly finished: FinishedIds;
  /** Open traces that are updates of a trace finished before (reopen). */
  private readonly updates = new Set<string>();
  /** Open traces found due by close(), finished only by finishClosed(): their lines until then still count. */
  private readonly closing = new Set<string>();
  /** Lines that arrived for a trace already finished (with reopen: every line of its update). */
  late = 0;
  /**
   * Finished traces opened again by a late line (reopen): each completes once more, as an update, and
   * is one trace, not two, in a count of traces.
   */
  reopened = 0;
  /** The input's latest log time (µs); NaN until a timed line. */
  logNow = Number.NaN;
  /**
   * Called as a late line opens its finished trace again (reopen), before the line is taken: the owner
   * may put back what it kept of the trace, so that the line joins the whole of it (kept-traces.ts).
   */
  onReopen: (id: string) => void = () => undefined;
  /** Lines noted, late ones included. */
  private lines = 0;
  /** Lines seen more than MAX_SPREAD ahead of logNow since it last moved, and the earliest of their times. */
  private ahead = 0;
  private aheadMin = Number.POSITIVE_INFINITY;
  constructor(private readonly options: CompletionOptions) {
    this.finished = new FinishedIds(options.finishedKept ?? FINISHED_KEPT);
    if (options.idleMs !== undefined && options.clock === undefined) throw new Error('an idle time needs a clock');
  }

  /**
   * A line of trace `id` arrived, of log time `time` (undefined: none). False when the trace is already
   * finished: the line is late, and counted.
   */
  note(id: string, time: number | undefined): boolean {
    this.lines++;
    let t = this.open.get(id);
    if (t === undefined) {
      const reopens = this.finished.has(id);
      if (reopens) {
        this.late++;
        if (!this.options.reopen) return false;
        this.finished.delete(id);
        this.updates.add(id);
        this.reopened++;
      }
      t = { arrived: 0, last: Number.NaN };
      this.open.set(id, t);
      if (reopens) this.onReopen(id);
    } else if (this.updates.size > 0 && this.updates.has(id)) {
      this.late++; // every line of an update came after its trace was finished
    }
    if (this.options.clock !== undefined) t.arrived = this.options.clock.now();
    if (time !== undefined) {
      if (!(time < this.logNow - MAX_SPREAD) || !Number.isNaN(t.last)) {
        if (!(time <= t.last)) t.last = time;
      }
      this.advance(time);
    }
    return true;
  }

  /** The input's log time, moved to `time` when it is near; past MAX_SPREAD ahead, only once confirmed. */
  private advance(time: number): void {
    if (time <= this.logNow) return;
    if (Number.isNaN(this.logNow) || time <= this.logNow + MAX_SPREAD) {
      this.logNow = time;
      return;
    }
    this.ahead++;
    if (time < this.aheadMin) this.aheadMin = time;
    if (this.ahead >= CONFIRM_AHEAD) {
      this.logNow = this.aheadMin;
      this.ahead = 0;
      this.aheadMin = Number.POSITIVE_INFINITY;
    }
  }

  /** Whether late lines open their trace again as an update (shown), rather than being left out. */
  get reopens(): boolean {
    return this.options.reopen === true;
  }

  /** Whether a completed trace was an update of one finished before; asked once, as it is shown. */
  takeUpdate(id: string): boolean {
    return this.updates.delete(id);
  }

  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  get openCount(): number {
    return this.open.size;
  }

  /** The traces complete at this moment, in the order they were first seen; each is finished from here on. */
  due(): string[] {
    const out = this.dueNow();
    for (const id of out) this.finish(id);
    return out;
  }

  /**
   * As due(), but the traces stay open, marked closing, until finishClosed(): for a reader whose threads
   * run ahead of this clock, which are told to keep a trace's lines up to a point and then let it go.
   */
  close(): string[] {
    const out = this.dueNow();
    for (const id of out) this.closing.add(id);
    return out;
  }

  /** Traces close() gave, finished. */
  finishClosed(ids: readonly string[]): void {
    for (const id of ids) {
      this.closing.delete(id);
      this.finish(id);
    }
  }

  private dueNow(): string[] {
    const { clock, idleMs, timeoutUs, holdLines } = this.options;
    if (holdLines !== undefined && this.lines < holdLines) return [];
    const quietSince = clock !== undefined && idleMs !== undefined ? clock.now() - idleMs : Number.NaN;
    const before = timeoutUs !== undefined ? this.logNow - timeoutUs : Number.NaN;
    const out: string[] = [];
    // NaN compares false: a trace with no timed line never completes by log time.
    for (const [id, t] of this.open) if ((t.arrived <= quietSince || t.last < before) && !this.closing.has(id)) out.push(id);
    return out;
  }

  /** Every open trace, finished at once (the input ended). */
  all(): string[] {
    const out = [...this.open.keys()];
    for (const id of out) this.finish(id);
    return out;
  }

  private finish(id: string): void {
    this.open.delete(id);
    this.closing.delete(id);
    this.finished.set(id, 0);
  }
}
