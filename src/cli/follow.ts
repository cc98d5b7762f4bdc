import { Readable } from 'node:stream';
import { existsSync, statSync } from 'node:fs';
import { ErrorSummary, errorGroupKey, type ErrorGroup } from '../analyze/error-paths.js';
import { isEmptyFilter, matchesFilter, MissTally } from '../analyze/filters.js';
import { groupRow, rowMatches } from '../analyze/group-rows.js';
import { TraceRanker, type SlowTraceRow } from '../analyze/slowest.js';
import { TraceAnalyzer, type AnalysisSpec, type MergeableAnalysis } from '../analyze/trace-analysis.js';
import type { Entry } from '../entries/entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { skippedLinesCaveat } from '../render/ingest-report.js';
import { ingest, type IngestSink } from '../ingest/read-inputs.js';
import { followFile } from '../input/follow-file.js';
import { isDirectory } from '../input/list-directory.js';
import type { SourceSpec } from '../input/open-source.js';
import { buildTree } from '../model/build-tree.js';
import { SummaryCollector } from '../model/collect-summaries.js';
import { CompletingCollector } from '../model/completing-collector.js';
import { spansOfPacked, type FoldState } from '../model/collect-traces.js';
import type { SummaryState } from '../model/collect-summaries.js';
import { KEPT_BYTES, KeptTraces, packedBytes } from '../model/kept-traces.js';
import type { Span } from '../model/span.js';
import { FINISHED_KEPT, TraceCompletion } from '../model/trace-completion.js';
import { PacedTake } from '../model/paced-take.js';
import type { TraceTree } from '../model/tree.js';
import { errorGroupJson, errorSummaryOutput, renderErrorSummary, traceErrorsJson, traceErrorsOf } from '../render/errors-output.js';
import { GroupJsonLines } from '../render/group-output.js';
import { LIVE_ERRORS_HEADER, LIVE_GROUP_HEADER, LIVE_SLOWEST_HEADER, LIVE_SUMMARY_HEADER, liveBoard, liveErrorGroupLine, liveErrorLine, liveGroupLine, liveSlowLine, liveStatus, markRunning, type Shown } from '../render/live-output.js';
import { slowTraceJson } from '../render/slowest-output.js';
import { clean } from '../render/sanitize.js';
import type { Io } from './io.js';
import type { LiveFlags } from './live-options.js';
import { outputSettings, sourcesFrom, UsageError, ingestOptionsFrom, type OutputSettings } from './options.js';
import { exitCode, filterFrom, report } from './read.js';
import type { EachTraceOptions, TraceCounts } from './read-traces.js';
import { withDecidedUnits } from './decided-units.js';

// --follow: read until the input ends or Ctrl-C, completing traces as they go quiet (--idle of arrival
// time, or --trace-timeout of log time: model/trace-completion.ts) and showing each as it completes.
// Piped stdout gets a line per result as it comes (render/live-output.ts); a terminal gets a board, the
// command's table redrawn at most four times a second with a status line, left on screen at the end.
// Reading is the one-thread ingest with chunks of one line, so a line is handled as soon as it arrives.

/** Board redraws at most this often (ms). */
const BOARD_MS = 250;

/** What a followed command keeps: a sink whose traces complete, and what was read. */
interface LiveSink extends IngestSink {
  readonly completion: TraceCompletion;
  completeDue(): void;
  /** Every trace completed and taken (export waits for room in its senders between them). */
  completeAll(): void | Promise<void>;
}

/**
 * stdin, or one file followed as it grows (input/follow-file.ts). A named pipe (`mkfifo`, `<(producer)`) is
 * read as stdin is, to its writer's end: it cannot be polled by position. A file not there yet is waited
 * for, as `tail -F` does, and said so.
 */
function liveSources(inputs: readonly string[], io: Io): SourceSpec[] {
  if (inputs.length > 1) throw new UsageError('--follow reads one file, or stdin');
  const name = inputs[0];
  if (name === undefined || name === '-') return sourcesFrom(inputs, io);
  if (isDirectory(name)) throw new UsageError(`${name}: --follow follows a file, not a folder`);
  if (isPipe(name)) return sourcesFrom(inputs, io);
  if (!existsSync(name)) io.stderr.write(`tracectl: ${clean(name)}: not there yet; waiting for it (Ctrl-C to stop)\n`);
  const pollMs = Number(io.env.TRACECTL_FOLLOW_POLL_MS) || undefined;
  return [{ name, stdin: Readable.from(followFile(name, { signal: io.signal, ...(pollMs !== undefined ? { pollMs } : {}) })) }];
}

function isPipe(name: string): boolean {
  try {
    const st = statSync(name);
    return st.isFIFO() || st.isCharacterDevice() || st.isSocket();
  } catch {
    return false;
  }
}

/** `reopen`: a late line is shown as an update of its trace, once that completes in turn; else it is counted late and left out. */
function liveCompletion(flags: LiveFlags, io: Io, reopen = true): TraceCompletion {
  return new TraceCompletion({ clock: { now: () => io.now() }, idleMs: flags.idle / 1000, timeoutUs: flags.traceTimeout, reopen });
}

function refuseWhere(flags: LiveFlags): void {
  // --where reads the input twice (cli/where.ts); a stream is read once.
  if (flags.where !== undefined && flags.where.length > 0) throw new UsageError('--where cannot be used with --follow');
}

/**
 * Reads the sources into `sink` until they end or Ctrl-C, completing due traces on a timer; `board`: the
 * table to redraw on a terminal (undefined: rows are printed by the sink as results come).
 */
async function runLive(
  inputs: readonly string[],
  flags: LiveFlags,
  io: Io,
  sink: LiveSink,
  out: OutputSettings,
  board: (() => string) | undefined,
  reading: { keepFields?: boolean; pace?: () => Promise<void> | undefined } = {},
): Promise<IngestStats> {
  const options = ingestOptionsFrom(flags, io);
  // Units are decided from the first chunk standard input gives, or a file's head as it is then.
  const sources = await withDecidedUnits(liveSources(inputs, io), options, true);
  options.chunkBytes = 1; // every whole line is a chunk at once: nothing waits for more input
  if (reading.keepFields) options.normalize = { ...options.normalize, keepFields: true };
  if (reading.pace !== undefined) options.pace = reading.pace;
  const stats = new IngestStats();
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawnLines = 0;
  const draw = (ended: boolean): void => {
    if (board === undefined) return;
    const now = io.now();
    if (!ended && now - drawnAt < BOARD_MS) return;
    const rate = drawnAt === Number.NEGATIVE_INFINITY ? Number.NaN : ((stats.read - drawnLines) * 1000) / Math.max(1, now - drawnAt);
    drawnAt = now;
    drawnLines = stats.read;
    const status = liveStatus({ lines: stats.read, linesPerSecond: rate, open: sink.completion.openCount, late: sink.completion.late, ended });
    io.stdout.write(liveBoard(board(), status, out.width, io.rows !== undefined && io.rows > 0 ? io.rows : 24));
  };
  const tickMs = Math.max(10, Math.min(BOARD_MS, flags.idle / 4000));
  const timer = setInterval(() => {
    sink.completeDue();
    draw(false);
  }, tickMs);
  try {
    await ingest(sources, sink, options, stats);
  } finally {
    clearInterval(timer);
  }
  await sink.completeAll();
  stats.late = sink.completion.late;
  if (sink.completion.reopens) stats.lateShown = true;
  stats.sources = 1;
  if (board !== undefined) {
    draw(true);
    io.stdout.write('\n');
  }
  return stats;
}

/**
 * A collector whose completed traces are built and handed to `each`, filtered: folded, or with a span
 * event per log line (`events`); `reopen` as liveCompletion's; `room`: each trace waits for it
 * (model/paced-take.ts), and `ready` is what reading waits for.
 */
function treeSink(
  flags: LiveFlags,
  io: Io,
  each: (tree: TraceTree, shown: Shown) => void,
  events = false,
  reopen = true,
  room?: () => Promise<void> | undefined,
): LiveSink & { total: number; matched: number; tally: MissTally; ready(): Promise<void> | undefined } {
  const filter = filterFrom(flags, io);
  const collector = new CompletingCollector(liveCompletion(flags, io, reopen), flags.traceTimeout, false, !events);
  if (reopen) collector.keepCompleted(keptTraces<FoldState>(io));
  const tally = new MissTally(filter);
  const counts = { total: 0, matched: 0 };
  const take = (traceId: string, spans: Span[]): void => {
    const shown = shownAs(collector, traceId);
    const tree = buildTree(traceId, spans, {});
    counts.total++;
    if (!isEmptyFilter(filter)) tally.noteTree(tree);
    if (!matchesFilter(tree, filter)) return;
    counts.matched++;
    each(tree, shown);
  };
  const taker = new PacedTake(collector, events, () => collector.openIds(), take, room);
  collector.onComplete = (ids) => {
    collector.keepTraces(ids);
    taker.completed();
  };
  return {
    completion: collector.completion,
    borrowsEntries: collector.borrowsEntries,
    entry: (e: Entry) => collector.entry(e),
    spans: (r: { spans: readonly Span[]; entries: readonly Entry[] }) => collector.spans(r),
    completeDue: () => void collector.completeDue(),
    completeAll: () => {
      collector.completion.all();
      return taker.end();
    },
    ready: () => taker.ready(),
    get total() {
      return counts.total;
    },
    get matched() {
      return counts.matched;
    },
    tally,
  };
}

/**
 * The store of completed traces a followed command keeps, bounded as the finished ids are (D124);
 * TRACECTL_KEPT_TRACES lowers its count, for tests of fragments.
 */
function keptTraces<T>(io: Io): KeptTraces<T> {
  const kept = Number(io.env.TRACECTL_KEPT_TRACES);
  return new KeptTraces<T>(kept >= 1 ? Math.min(kept, FINISHED_KEPT) : FINISHED_KEPT, KEPT_BYTES);
}

/** How a trace completing now is shown (D124); its update and fragment marks asked once, here. */
function shownAs(collector: CompletingCollector, id: string): Shown {
  if (!collector.completion.takeUpdate(id)) return 'first';
  return collector.takeEarlier(id) === 'fragment' ? 'fragment' : 'update';
}

/**
 * A JSON line (ending in a newline) with `"update":true` added when it is an update of a trace shown
 * before, and `"fragment":true` too when the update is its late lines alone.
 */
function markUpdate(line: string, shown: Shown): string {
  return shown === 'first' ? line : line.replace(/}\n$/, shown === 'fragment' ? ',"update":true,"fragment":true}\n' : ',"update":true}\n');
}

/**
 * Updates that were their late lines alone, their traces no longer kept: said once at the end, shown
 * (rows marked) or left out of totals.
 */
function reportFragments(fragments: number, shown: boolean, flags: LiveFlags, io: Io): void {
  if (fragments === 0 || flags.quiet) return;
  const what = fragments === 1 ? '1 update was' : `${fragments} updates were`;
  io.stderr.write(
    `tracectl: ${what} late lines alone: their traces had completed too long before to be kept whole (the last ${FINISHED_KEPT.toLocaleString('en-US')} traces, up to ${KEPT_BYTES / 1024 / 1024} MiB, are); ${shown ? 'shown marked as fragments' : 'left out of the results'}\n`,
  );
}

function finish(stats: IngestStats, traces: number, results: boolean, inputs: readonly string[], flags: LiveFlags, io: Io): number {
  report(stats, traces, inputs, flags, io);
  if (!results && !flags.quiet) io.stderr.write(`${traces === 0 ? 'tracectl: no traces found' : 'tracectl: nothing matched'}${skippedLinesCaveat(stats)}\n`);
  return exitCode(stats, results);
}

/**
 * group --follow: a row per trace as it completes (a terminal scrolls them too). A completed trace's
 * summary is kept (D124): a late line puts it back, and the update's row is the whole trace.
 */
export async function followGroup(inputs: readonly string[], flags: LiveFlags & { limit?: number }, io: Io): Promise<number> {
  refuseWhere(flags);
  const filter = filterFrom(flags, io);
  const out = outputSettings(flags, io);
  const completion = liveCompletion(flags, io);
  const summaries = new SummaryCollector();
  const kept = keptTraces<SummaryState>(io);
  const fragments = new Set<string>();
  completion.onReopen = (id) => {
    const state = kept.take(id);
    if (state === undefined) fragments.add(id);
    else summaries.absorb(state);
  };
  const json = new GroupJsonLines(out.redact);
  let traces = 0;
  let rows = 0;
  let fragmentsShown = 0;
  // `keep`: while reading; what completes at the end can reopen no more.
  const take = (ids: readonly string[], keep: boolean): void => {
    for (const id of ids) {
      const s = summaries.summaries.get(id);
      if (s === undefined) continue;
      const row = groupRow(s, summaries.correlationOnly.has(id));
      const shown: Shown = !completion.takeUpdate(id) ? 'first' : fragments.delete(id) ? 'fragment' : 'update';
      if (keep && shown !== 'fragment') {
        const state = summaries.takeSummaries([id]);
        kept.set(id, state, packedBytes(state));
      } else {
        summaries.summaries.delete(id);
        summaries.correlationOnly.delete(id);
      }
      traces++;
      if (!rowMatches(row, filter) || (flags.limit !== undefined && rows >= flags.limit)) continue;
      if (rows === 0 && !flags.json) io.stdout.write(LIVE_GROUP_HEADER + '\n');
      io.stdout.write(flags.json ? markUpdate(json.text([row], 0, 1), shown) : liveGroupLine(row, out.redact, shown) + '\n');
      rows++;
      if (shown === 'fragment') fragmentsShown++;
    }
  };
  const sink: LiveSink = {
    completion,
    borrowsEntries: true,
    entry(e) {
      if (e.traceId !== undefined && completion.note(e.traceId, e.time)) summaries.entry(e);
    },
    spans(r) {
      summaries.spans({ spans: r.spans.filter((s) => completion.note(s.traceId, s.end)), entries: [] });
      for (const e of r.entries) this.entry(e);
    },
    completeDue: () => take(completion.due(), true),
    completeAll: () => take(completion.all(), false),
  };
  const stats = await runLive(inputs, flags, io, sink, out, undefined);
  const code = finish(stats, traces - completion.reopened, rows > 0, inputs, flags, io);
  reportFragments(fragmentsShown, true, flags, io);
  return code;
}

/**
 * errors --follow: a line per failing trace's origin; with --summary, a running line (marked) per origin
 * with its group's count so far and, at the end of input or on Ctrl-C, the summary as without --follow
 * (D125); on a terminal, the board. An update is the whole trace (D124): its origin is the whole trace's, and the
 * summary takes the trace's earlier origin back before counting it, so a trace counts once (D112).
 */
export async function followErrors(inputs: readonly string[], flags: LiveFlags & { summary?: boolean; limit?: number }, io: Io): Promise<number> {
  refuseWhere(flags);
  const out = outputSettings(flags, io);
  const boardOn = io.stdoutIsTTY && !flags.json;
  const summary = new ErrorSummary();
  let results = 0;
  let fragments = 0;
  const printGroup = (g: ErrorGroup): void => {
    if (results === 0 && !flags.json) io.stdout.write(LIVE_SUMMARY_HEADER + '\n');
    results++;
    io.stdout.write((flags.json ? markRunning(errorGroupJson(g, out.redact)) : liveErrorGroupLine(g, out.redact)) + '\n');
  };
  const sink = treeSink(flags, io, (tree, shown) => {
    if (shown === 'fragment') fragments++;
    if (flags.summary) {
      // A fragment's origin is not its trace's (no parents, depths of a part): it is left out.
      if (shown === 'fragment') return;
      const before = shown === 'update' ? summary.withdraw(tree.traceId) : undefined;
      const key = summary.add(tree);
      const beforeKey = before !== undefined ? errorGroupKey(before) : undefined;
      if (boardOn || key === beforeKey) return;
      // Each group whose count changed, the one the trace left too (at 0 when it was its only trace).
      if (key !== undefined) printGroup(summary.group(key)!);
      if (beforeKey !== undefined) printGroup(summary.group(beforeKey) ?? before!);
      return;
    }
    const t = traceErrorsOf(tree);
    if (t === undefined || (flags.limit !== undefined && results >= flags.limit)) return;
    if (results === 0 && !flags.json) io.stdout.write(LIVE_ERRORS_HEADER + '\n');
    results++;
    io.stdout.write(flags.json ? markUpdate(traceErrorsJson(t, out.redact).join(''), shown) : liveErrorLine(t, out.redact, shown) + '\n');
  });
  const groups = () => {
    const all = summary.groups();
    return flags.limit !== undefined ? all.slice(0, flags.limit) : all;
  };
  const board = boardOn && flags.summary ? () => (summary.groups().length > 0 ? renderErrorSummary(groups(), out.tableWidth, out.palette, out.redact) : 'no errors yet\n') : undefined;
  const stats = await runLive(inputs, flags, io, sink, out, board);
  if (flags.summary && !boardOn) {
    // The answer after the running totals, as errors --summary prints it (a blank line between, in text).
    if (results > 0 && !flags.json) io.stdout.write('\n');
    io.stdout.write(errorSummaryOutput(groups(), flags.json === true, out.tableWidth, out.palette, out.redact));
  }
  const code = finish(stats, sink.total - sink.completion.reopened, flags.summary ? summary.groups().length > 0 : results > 0, inputs, flags, io);
  reportFragments(fragments, !flags.summary, flags, io);
  return code;
}

/**
 * slowest, latency, services --follow: the analysis over traces as they complete. A terminal shows its
 * table as a board; piped, slowest (by trace) prints a running line (marked: live-output.ts) for each
 * trace entering the top N or changing in it, and every command prints its final table (or JSON lines)
 * at the end of input or on Ctrl-C, as without --follow (D125).
 */
export async function followAnalysis(
  inputs: readonly string[],
  flags: LiveFlags,
  io: Io,
  spec: AnalysisSpec,
  analysis: MergeableAnalysis,
  table: () => string,
): Promise<TraceCounts> {
  refuseWhere(flags);
  const out = outputSettings(flags, io);
  const boardOn = io.stdoutIsTTY && !flags.json;
  const filter = filterFrom(flags, io);
  const analyzer = new TraceAnalyzer({ spec, filter, adjustSkew: false }, analysis);
  const collector = new CompletingCollector(liveCompletion(flags, io), flags.traceTimeout);
  collector.keepCompleted(keptTraces<FoldState>(io));
  const ranker = analysis instanceof TraceRanker ? analysis : undefined;
  // The rows printed, by trace: a trace whose update changed its row is printed again, marked.
  let shown = new Map<string, SlowTraceRow>();
  let header = flags.json;
  let running = 0;
  let fragments = 0;
  // A line for each trace that entered the top N, or whose row changed, since the last completion, at its rank then.
  const changes = (): void => {
    if (ranker === undefined || boardOn) return;
    const rows = ranker.rows();
    rows.forEach((r, i) => {
      const before = shown.get(r.traceId);
      if (before !== undefined && sameSlowRow(before, r)) return;
      if (!header) io.stdout.write(LIVE_SLOWEST_HEADER + '\n');
      header = true;
      const update = before !== undefined;
      io.stdout.write(flags.json ? markUpdate(markRunning(slowTraceJson(r, i + 1, out.redact)) + '\n', update ? 'update' : 'first') : liveSlowLine(r, i + 1, out.redact, update) + '\n');
      running++;
    });
    shown = new Map(rows.map((r) => [r.traceId, r]));
  };
  // Updates completing: the whole trace is held again, so what the analysis took of it before is taken
  // back; a fragment (nothing of it kept) is left out, and said so at the end.
  const settle = (ids: readonly string[]): void => {
    for (const id of ids) {
      if (!collector.completion.takeUpdate(id)) continue;
      const earlier = collector.takeEarlier(id);
      if (earlier === undefined) continue;
      if (earlier !== 'fragment') {
        analyzer.withdraw(id, spansOfPacked(earlier));
        continue;
      }
      collector.takeSpans(id, false);
      fragments++;
    }
  };
  collector.onComplete = (ids) => {
    collector.keepTraces(ids);
    settle(ids);
    analyzer.run(collector, collector.openIds());
    changes();
  };
  const sink: LiveSink = {
    completion: collector.completion,
    borrowsEntries: collector.borrowsEntries,
    entry: (e) => collector.entry(e),
    spans: (r) => collector.spans(r),
    completeDue: () => void collector.completeDue(),
    completeAll: () => {
      settle(collector.completion.all());
      analyzer.run(collector);
      changes();
    },
  };
  const stats = await runLive(inputs, flags, io, sink, out, boardOn ? () => (analyzer.matched > 0 ? table() : 'no traces completed yet\n') : undefined);
  // A trace completed again as an update is one trace; a fragment left out was not counted again.
  const total = analyzer.total - (collector.completion.reopened - fragments);
  report(stats, total, inputs, flags, io);
  reportFragments(fragments, false, flags, io);
  // The command prints its final table next, as without --follow: a blank line after the running rows.
  if (running > 0 && !flags.json) io.stdout.write('\n');
  return { stats, total, matched: analyzer.matched, filter, misses: analyzer.misses.exportState() };
}

/** Whether a trace's row in the top N says the same as before (its rank aside). */
function sameSlowRow(a: SlowTraceRow, b: SlowTraceRow): boolean {
  return a.duration === b.duration && a.start === b.start && a.spanCount === b.spanCount && a.errorCount === b.errorCount && a.rootOperation === b.rootOperation && a.rootService === b.rootService;
}

/**
 * export --follow: each matching trace through `visit` as it completes, and what it returns through
 * `release`, in the order the traces complete. A late line is counted and left out, as in batch: an
 * update would send spans again under ids already sent. The caller reports what was read.
 */
export async function followTraces<R>(
  inputs: readonly string[],
  flags: LiveFlags,
  io: Io,
  visit: (tree: TraceTree) => R | undefined,
  release: (result: R) => void,
  options: EachTraceOptions = {},
): Promise<TraceCounts> {
  refuseWhere(flags);
  const out = outputSettings(flags, io);
  const sink = treeSink(
    flags,
    io,
    (tree) => {
      const r = visit(tree);
      if (r !== undefined) release(r);
    },
    options.events ?? false,
    false,
    options.pace,
  );
  const reading = { ...(options.keepFields !== undefined ? { keepFields: options.keepFields } : {}), ...(options.pace !== undefined ? { pace: () => sink.ready() } : {}) };
  const stats = await runLive(inputs, flags, io, sink, out, undefined, reading);
  return { stats, total: sink.total, matched: sink.matched, filter: filterFrom(flags, io), misses: sink.tally.exportState() };
}
