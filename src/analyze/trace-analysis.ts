// Analyses of many traces that can be split by trace: run over disjoint sets of whole traces (on different
// threads) and merged, they give what one run over all the traces gives. `slowest`, `latency` and
// `services` are such: their rankings are total orders and their sums are of whole microseconds. The
// worker threads that read part of the input analyse the traces only they hold, and hand back the result
// (parallel/read-parallel.ts).
import { buildTree, plainBounds } from '../model/build-tree.js';
import type { TraceCollector } from '../model/collect-traces.js';
import type { Span } from '../model/span.js';
import type { TraceFold } from '../model/span-fold.js';
import type { Micros } from '../core/time.js';
import type { TraceTree } from '../model/tree.js';
import { filterReadsSpans, isEmptyFilter, matchesBounds, matchesFilter, matchesId, matchesSpans, MissTally, type MissState, type TraceFilter } from './filters.js';
import { LatencyAccumulator, type LatencyBy } from './latency.js';
import { ServiceMapAccumulator } from './service-map.js';
import { SlowestCollector, TraceRanker } from './slowest.js';

/** Which analysis, as plain data: what a worker thread needs to make the same one. */
export type AnalysisSpec =
  | { kind: 'slowest'; top: number; by: 'trace' | 'span' | 'operation' }
  | { kind: 'latency'; by: LatencyBy }
  | { kind: 'services' };

/** An analysis whose parts over disjoint sets of traces merge exactly. */
export interface MergeableAnalysis {
  add(tree: TraceTree): void;
  /**
   * Optional: true when a matching trace with these bounds and spans cannot change the result, so its
   * tree need not be built (slowest's top N: most traces, and their spans, rank below the N kept so far).
   */
  passesOver?(traceId: string, start: Micros, end: Micros, spans: readonly Span[]): boolean;
  /**
   * Optional: passesOver for an analysis that decides on the bounds alone (slowest's traces): a trace
   * folded from log lines is then passed over before its spans are even made.
   */
  passesOverBounds?(traceId: string, start: Micros, end: Micros): boolean;
  /**
   * Optional: takes a matching trace from its spans alone, when the analysis needs no tree at all (each
   * span once, as the tree would hold it); true when it did.
   */
  addSpans?(spans: readonly Span[]): boolean;
  /**
   * Optional: takes a matching trace folded from log lines from its folds alone, before its spans are
   * made (latency: the fields it reads, as columns); true when it did. Offered only with no filter and no
   * skew adjustment, which read or move the spans.
   */
  addFold?(fold: TraceFold): boolean;
  /**
   * Takes back what add(tree) (or a shortcut standing for it) added for this trace: a followed trace
   * whose update, the whole trace, is then added in its place (D124).
   */
  withdraw(tree: TraceTree): void;
  /** What it holds, as plain data that can be cloned to another thread. */
  exportState(): unknown;
  /** Adds another part's exportState() (each analysis declares its own state type: method parameters are bivariant). */
  absorb(state: unknown): void;
}

/**
 * The analysis a spec names (a worker thread's). The command makes its own of the same kind, typed, to
 * read the result from, and hands it to TraceAnalyzer.
 */
export function makeAnalysis(spec: AnalysisSpec): MergeableAnalysis {
  if (spec.kind === 'latency') return new LatencyAccumulator(spec.by);
  if (spec.kind === 'services') return new ServiceMapAccumulator();
  if (spec.by === 'trace') return new TraceRanker(spec.top);
  return new SlowestCollector(spec.top, [spec.by === 'span' ? 'spans' : 'operations']);
}

/**
 * Whether the analysis's result can name a span's file and line (Span.whereSource, whereLine). None
 * does: a worker thread then leaves the lines its folds hold as numbered in its part of the file, not
 * shifted to the file's once the lines before the part are counted (which touched every span a worker
 * holds: ~30 ms of its end on corpus a). A kind that shows places must answer true.
 */
export function analysisShowsPlaces(spec: AnalysisSpec): boolean {
  switch (spec.kind) {
    case 'slowest':
    case 'latency':
    case 'services':
      return false;
  }
}

/** Everything a thread needs to analyse traces as the command would: the analysis, the filter, skew. */
export interface AnalysisJob {
  spec: AnalysisSpec;
  filter: TraceFilter;
  adjustSkew: boolean;
}

/** The counts and analysis of one thread's traces. */
export interface AnalyzerState {
  total: number;
  matched: number;
  misses: MissState;
  analysis: unknown;
}

const NO_SERVICES = (): string[] => [];
const NO_ERROR = (): boolean => false;

/** Builds each trace's tree from a fold-mode collector, filters it, and hands it to the analysis. */
export class TraceAnalyzer {
  /** Traces read (built or passed over). */
  total = 0;
  /** Traces that passed the filter. */
  matched = 0;
  /** Every trace read, against the filter: why none matched, when none did. */
  readonly misses: MissTally;

  constructor(
    readonly job: AnalysisJob,
    readonly analysis: MergeableAnalysis = makeAnalysis(job.spec),
  ) {
    this.misses = new MissTally(job.filter);
  }

  /** Analyses every trace the collector holds but `except`, and releases each once done. */
  run(collector: TraceCollector, except?: ReadonlySet<string>): void {
    const { adjustSkew, filter } = this.job;
    // With no filter every trace matches: nothing to explain, nothing to tally.
    const tally = !isEmptyFilter(filter);
    // The filter and the analysis's own test on the trace's bounds, before the tree, where they are
    // certain without it (not with skew adjustment, which moves spans), and when there is a test at all.
    const early = !adjustSkew && (!isEmptyFilter(filter) || this.analysis.passesOver !== undefined || this.analysis.addSpans !== undefined);
    // Bounds that need no spans: a trace folded from its lines knows them (TraceFold.bounds), and a
    // filter on times reads nothing else. Most of slowest's traces end here, their spans never made.
    const byBounds = early && this.analysis.passesOverBounds !== undefined && !filterReadsSpans(filter);
    // Only where the filter reads no spans (byBounds): the bounds are all the tally needs.
    const passOver = (traceId: string, start: Micros, end: Micros): boolean => {
      if (!matchesId(traceId, filter) || !matchesBounds(start, end, filter)) {
        this.total++;
        if (tally) this.misses.note(start, end, NO_SERVICES, NO_ERROR);
        return true;
      }
      if (!this.analysis.passesOverBounds!(traceId, start, end)) return false; // counted below, as any other
      this.total++;
      this.matched++;
      if (tally) this.misses.note(start, end, NO_SERVICES, NO_ERROR);
      return true;
    };
    // With no filter every trace matches; a trace the analysis takes from its folds is then done.
    const byFold = !adjustSkew && isEmptyFilter(filter) && this.analysis.addFold !== undefined;
    const useFold = (fold: TraceFold): boolean => {
      if (!this.analysis.addFold!(fold)) return false; // counted below, as any other
      this.total++;
      this.matched++;
      return true;
    };
    // These commands measure spans; none shows log lines, so spans are built without an event per line.
    for (const { traceId, spans } of collector.traceSpans(false, true, except, byBounds ? passOver : undefined, byFold ? useFold : undefined)) {
      this.total++;
      const bounds = early ? plainBounds(spans) : undefined;
      if (bounds !== undefined) {
        if (tally) this.misses.note(bounds.start, bounds.end, () => spans.map((s) => s.service), () => spans.some((s) => s.error));
        if (!matchesId(traceId, filter) || !matchesSpans(bounds.start, bounds.end, spans, filter)) continue;
        this.matched++;
        if (this.analysis.passesOver?.(traceId, bounds.start, bounds.end, spans)) continue;
        if (this.analysis.addSpans?.(spans)) continue;
      }
      const tree = buildTree(traceId, spans, { adjustSkew });
      if (bounds === undefined) {
        if (tally) this.misses.noteTree(tree);
        if (!matchesFilter(tree, filter)) continue;
        this.matched++;
      }
      this.analysis.add(tree);
    }
  }

  /**
   * Takes back a trace run() took, from its spans as they were then: the analysis's part and the match.
   * `total` keeps it: a trace and its update are one trace, which the caller counts (D103).
   */
  withdraw(traceId: string, spans: Span[]): void {
    const tree = buildTree(traceId, spans, { adjustSkew: this.job.adjustSkew });
    if (!matchesFilter(tree, this.job.filter)) return;
    this.matched--;
    this.analysis.withdraw(tree);
  }

  exportState(): AnalyzerState {
    return { total: this.total, matched: this.matched, misses: this.misses.exportState(), analysis: this.analysis.exportState() };
  }

  absorb(state: AnalyzerState): void {
    this.total += state.total;
    this.matched += state.matched;
    this.misses.absorb(state.misses);
    this.analysis.absorb(state.analysis);
  }
}
