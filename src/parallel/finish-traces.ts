// The end of a job whose traces are finished where they are held whole — group's rows (GroupRows), a
// folded analysis (TraceAnalyzer) — seen the same way on every thread: the collector as parts that can
// be named, taken out and absorbed (TraceParts), and what finishes its traces as add + merge
// (TraceFinisher). The fast paths (rows made straight from summaries; an analysis that passes over a
// trace by its bounds or takes it from its folds, analyze/trace-analysis.ts) stay inside the adapters:
// the reading on threads sees only these two interfaces (read-threaded.ts, worker-jobs.ts).
import type { GroupRows } from '../analyze/group-rows.js';
import type { MissState } from '../analyze/filters.js';
import { analysisShowsPlaces, type AnalyzerState, type TraceAnalyzer } from '../analyze/trace-analysis.js';
import type { SummaryCollector, SummaryState } from '../model/collect-summaries.js';
import type { FoldState, TraceCollector } from '../model/collect-traces.js';
import type { Packed } from '../model/packed.js';
import type { FinishSpec } from './job.js';

/** A collector's traces as parts another thread may also hold. */
export interface TraceParts {
  holds(id: string): boolean;
  traceIds(): string[];
  /** The named traces taken out, as plain data, with the memory to move rather than copy. */
  take(ids: Iterable<string>): { state: unknown; transfer: ArrayBuffer[] };
  /** Another thread's take(), merged in: what one collector reading both parts would hold. */
  absorb(state: unknown): void;
  /** Lines of `source` are `by` further down than they were numbered. */
  shiftLines(source: string, by: number): void;
}

/** What finishes whole traces, one thread's share at a time, and merges the shares exactly. */
export interface TraceFinisher {
  /** Finish every trace the collector holds but `except`. */
  finish(except?: ReadonlySet<string>): void;
  /** Finish the named traces, whole here once the other threads' parts were absorbed. */
  finishOnly(ids: ReadonlySet<string>): void;
  /** Whether the result can name a span's file and line: the lines of a worker's part are then shifted to the file's. */
  readonly showsPlaces: boolean;
  /** What was finished here, as plain data for another thread. */
  exportDone(): { done: unknown; transfer: ArrayBuffer[] };
  /** Another thread's exportDone(), merged in; the traces it finished. */
  absorbDone(done: unknown): number;
  /** What a worker needs to make the same finisher (finisherFor). */
  readonly spec: FinishSpec;
}

export function summaryParts(collector: SummaryCollector): TraceParts {
  return {
    holds: (id) => collector.summaries.has(id),
    traceIds: () => [...collector.summaries.keys()],
    take(ids) {
      const state = collector.takeSummaries(ids);
      return { state, transfer: [state.nums.buffer as ArrayBuffer, state.refs.buffer as ArrayBuffer] };
    },
    absorb: (state) => collector.absorb(state as SummaryState),
    shiftLines: (source, by) => collector.shiftLines(source, by),
  };
}

export function foldParts(collector: TraceCollector): TraceParts {
  return {
    holds: (id) => collector.holds(id),
    traceIds: () => collector.traceIds(),
    take(ids) {
      const state = collector.takeFolds(ids);
      return { state, transfer: [state.folds.nums.buffer as ArrayBuffer, state.folds.refs.buffer as ArrayBuffer] };
    },
    absorb: (state) => collector.absorb(state as FoldState),
    shiftLines: (source, by) => collector.shiftLines(source, by),
  };
}

interface RowsDone {
  packed: Packed;
  traces: number;
  misses: MissState;
}

/** group's rows of a summary collector's traces. */
export function rowsFinisher(rows: GroupRows, collector: SummaryCollector): TraceFinisher {
  return {
    finish: (except) => rows.add(collector, except),
    finishOnly: (ids) => rows.addOnly(collector, ids),
    showsPlaces: true,
    exportDone() {
      const packed = rows.pack();
      const done: RowsDone = { packed, traces: rows.traces, misses: rows.misses.exportState() };
      return { done, transfer: [packed.nums.buffer as ArrayBuffer, packed.refs.buffer as ArrayBuffer] };
    },
    absorbDone(done) {
      const d = done as RowsDone;
      rows.absorb(d.packed, d.traces, d.misses);
      return d.traces;
    },
    spec: { rows: rows.spec },
  };
}

/** An analysis of a fold-mode collector's traces. Each run releases the traces it analysed. */
export function analysisFinisher(analyzer: TraceAnalyzer, collector: TraceCollector): TraceFinisher {
  return {
    finish: (except) => analyzer.run(collector, except),
    // After finish(except) only the traces of `except` are left, whole once the other threads' parts are absorbed.
    finishOnly: () => analyzer.run(collector),
    showsPlaces: analysisShowsPlaces(analyzer.job.spec),
    exportDone: () => ({ done: analyzer.exportState(), transfer: [] }),
    absorbDone(done) {
      const d = done as AnalyzerState;
      analyzer.absorb(d);
      return d.total;
    },
    spec: { analysis: analyzer.job },
  };
}
