import { isEmptyFilter, matchesFilter, MissTally, type MissState, type TraceFilter } from '../analyze/filters.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import type { IngestOptions } from '../ingest/ingest-options.js';
import { TraceCollector } from '../model/collect-traces.js';
import { buildTree } from '../model/build-tree.js';
import type { TraceTree } from '../model/tree.js';
import { TraceAnalyzer, type AnalysisSpec, type MergeableAnalysis } from '../analyze/trace-analysis.js';
import type { Io } from './io.js';
import type { CommonFlags } from './options.js';
import { filterFrom, readAll, report } from './read.js';
import { applyWhere } from './where.js';
import { whyNoneMatched } from '../render/filter-misses.js';
import { skippedLinesCaveat } from '../render/ingest-report.js';
import { CompletingCollector, InSeenOrder } from '../model/completing-collector.js';
import { TraceCompletion } from '../model/trace-completion.js';
import { PacedTake } from '../model/paced-take.js';
import type { Span } from '../model/span.js';
import { completesInBatch, DEFAULT_TRACE_TIMEOUT_US, type LiveFlags } from './live-options.js';

export interface TraceCounts {
  stats: IngestStats;
  /** Traces read. */
  total: number;
  /** Traces that passed the filters (and were handed to `each`). */
  matched: number;
  /** The filter, and every trace read against it: why none matched. */
  filter: TraceFilter;
  misses: MissState;
}

/**
 * Read, and run an analysis whose parts merge (analyze/trace-analysis.ts) over every matching trace, on
 * --threads threads: worker threads analyse the traces only they hold (parallel/read-parallel.ts).
 * `analysis` is the command's own instance, of the kind `spec` names (the workers make theirs from the
 * spec); the result is read from it. Reports what was read on stderr.
 */
export async function analyzeMatchingTraces(
  inputs: readonly string[],
  flags: CommonFlags,
  given: Io,
  spec: AnalysisSpec,
  analysis: MergeableAnalysis,
  options: { adjustSkew?: boolean } = {},
): Promise<TraceCounts> {
  const filter = filterFrom(flags, given);
  const io = await applyWhere(filter, inputs, flags, given);
  const analyzer = new TraceAnalyzer({ spec, filter, adjustSkew: options.adjustSkew ?? false }, analysis);
  // Traces that complete as the input goes on are analysed then and let go (model/completing-collector.ts).
  const completing = batchCompletion(inputs, flags, io);
  if (completing) {
    completing.onComplete = () => analyzer.run(completing, completing.openIds());
    // The default timeout keeps the fastest reading of one large file (a part per thread), which holds
    // traces to the end; a timeout given completes on any reading (docs/DECISIONS.md, D102).
    completing.mayHoldToTheEnd = (flags as Partial<LiveFlags>).traceTimeout === DEFAULT_TRACE_TIMEOUT_US;
  }
  const collector = completing ?? new TraceCollector(undefined, { fold: true });
  const stats = await readAll(inputs, flags, io, { kind: 'analysis', collector, analyzer });
  if (completing) stats.late += completing.late;
  report(stats, analyzer.total, inputs, flags, io);
  return { stats, total: analyzer.total, matched: analyzer.matched, filter, misses: analyzer.misses.exportState() };
}

/**
 * A collector that completes traces by log time as the input goes on, when this read can (completesInBatch).
 * Under the default timeout nothing completes in the first DEFAULT_HOLD_LINES lines: an input of that size
 * is read whole (D120: ~500 MB of JSON lines), whatever the order of its times; a timeout given
 * completes from the first line.
 */
function batchCompletion(inputs: readonly string[], flags: CommonFlags, io: Io, ordered = false, fold = true): CompletingCollector | undefined {
  const live = flags as Partial<LiveFlags>;
  if (live.traceTimeout === undefined || !completesInBatch(inputs, live as LiveFlags, io)) return undefined;
  const held = io.env.TRACECTL_HOLD_LINES !== undefined ? Number(io.env.TRACECTL_HOLD_LINES) : DEFAULT_HOLD_LINES;
  const holdLines = live.traceTimeout === DEFAULT_TRACE_TIMEOUT_US ? { holdLines: held } : {};
  return new CompletingCollector(new TraceCompletion({ timeoutUs: live.traceTimeout, ...holdLines }), live.traceTimeout, ordered, fold);
}

/** Lines read whole before the default timeout completes anything: ~500 MB of corpus a's ~330-byte lines. */
export const DEFAULT_HOLD_LINES = 1_500_000;

/** What eachMatchingTrace keeps of each line: `events`, a span event per log line (with its other fields: `keepFields`). */
export interface EachTraceOptions {
  events?: boolean;
  keepFields?: boolean;
  /**
   * Undefined when the next trace may go to `release`, else what to wait for first: each completed trace
   * is taken in turn (model/paced-take.ts), in the order traces complete, and reading waits before each
   * chunk until they all were (IngestOptions.pace).
   */
  pace?: IngestOptions['pace'];
}

/**
 * Every matching trace of the inputs through `visit`, and what it returns through `release` in the order
 * the traces were first seen (TraceCollector.traceIds()), for a command whose output is in that
 * order (errors). Traces that complete by log time while reading are visited then and let go; their
 * results wait only for the traces seen before them (InSeenOrder). With `options.pace`, one at a time in
 * the order they complete, as EachTraceOptions.pace says. The caller reports what was read
 * (read.ts, report), after its output.
 */
export async function eachMatchingTrace<R>(
  inputs: readonly string[],
  flags: CommonFlags,
  given: Io,
  visit: (tree: TraceTree) => R | undefined,
  release: (result: R) => void,
  options: EachTraceOptions = {},
): Promise<TraceCounts> {
  const events = options.events ?? false;
  const filter = filterFrom(flags, given);
  const io = await applyWhere(filter, inputs, flags, given);
  const tally = new MissTally(filter);
  const counts = { stats: undefined as unknown as IngestStats, total: 0, matched: 0, filter, get misses(): MissState { return tally.exportState(); } };
  const order = new InSeenOrder<R>(release);
  const completing = batchCompletion(inputs, flags, io, true, !events);
  const collector = completing ?? new TraceCollector(undefined, { fold: !events });
  // Paced, a trace goes on in the order it completes: waiting in seen order for a trace still open would hold
  // every trace completed after it. Else in the order first seen.
  const ordered = options.pace === undefined ? completing : undefined;
  const each = (traceId: string, spans: Span[]): void => {
    const tree = buildTree(traceId, spans, {});
    counts.total++;
    if (!isEmptyFilter(filter)) tally.noteTree(tree);
    const matched = matchesFilter(tree, filter);
    if (matched) counts.matched++;
    const r = matched ? visit(tree) : undefined;
    if (ordered) {
      order.add(ordered.seenOrder(traceId), r);
      ordered.forgetOrder([traceId]);
    } else if (r !== undefined) release(r);
  };
  const taker = new PacedTake(collector, events, () => completing?.openIds() ?? new Set(), each, options.pace);
  if (completing) completing.onComplete = () => taker.completed();
  const pace = options.pace !== undefined ? () => taker.ready() : undefined;
  counts.stats = await readAll(inputs, flags, io, { kind: 'traces', collector }, undefined, options.keepFields ?? false, pace);
  if (completing) counts.stats.late += completing.late;
  await taker.end();
  order.end();
  return counts;
}

/** Why there is nothing to show, for stderr: no traces at all, or none that matched. */
export function nothingFound(counts: TraceCounts, io: Io, quiet: boolean | undefined, what?: string): void {
  if (quiet) return;
  const caveat = skippedLinesCaveat(counts.stats);
  if (counts.total === 0) io.stderr.write(`tracectl: no traces found${caveat}\n`);
  else if (counts.matched === 0) io.stderr.write(`tracectl: ${whyNoneMatched(counts.misses, counts.filter)}${caveat}\n`);
  else if (what !== undefined) io.stderr.write(`tracectl: ${what}${caveat}\n`);
}
