import { Readable } from 'node:stream';
import { existsSync, statSync } from 'node:fs';
import { ErrorSummary } from '../analyze/error-paths.js';
import { isEmptyFilter, matchesFilter, MissTally } from '../analyze/filters.js';
import { groupRow, rowMatches } from '../analyze/group-rows.js';
import { TraceRanker } from '../analyze/slowest.js';
import { TraceAnalyzer, type AnalysisSpec, type MergeableAnalysis } from '../analyze/trace-analysis.js';
import type { Entry } from '../entries/entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { ingest, type IngestSink } from '../ingest/read-inputs.js';
import { followFile } from '../input/follow-file.js';
import { isDirectory } from '../input/list-directory.js';
import type { SourceSpec } from '../input/open-source.js';
import { buildTree } from '../model/build-tree.js';
import { SummaryCollector } from '../model/collect-summaries.js';
import { CompletingCollector } from '../model/completing-collector.js';
import type { Span } from '../model/span.js';
import { TraceCompletion } from '../model/trace-completion.js';
import { PacedTake } from '../model/paced-take.js';
import type { TraceTree } from '../model/tree.js';
import { errorGroupJson, renderErrorSummary, traceErrorsJson, traceErrorsOf } from '../render/errors-output.js';
import { GroupJsonLines } from '../render/group-output.js';
import { LIVE_ERRORS_HEADER, LIVE_GROUP_HEADER, LIVE_SLOWEST_HEADER, LIVE_SUMMARY_HEADER, liveBoard, liveErrorGroupLine, liveErrorLine, liveGroupLine, liveSlowLine, liveStatus } from '../render/live-output.js';
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
  each: (tree: TraceTree) => void,
  events = false,
  reopen = true,
  room?: () => Promise<void> | undefined,
): LiveSink & { total: number; matched: number; tally: MissTally; ready(): Promise<void> | undefined } {
  const filter = filterFrom(flags, io);
  const collector = new CompletingCollector(liveCompletion(flags, io, reopen), flags.traceTimeout, false, !events);
  const tally = new MissTally(filter);
  const counts = { total: 0, matched: 0 };
  const take = (traceId: string, spans: Span[]): void => {
    const tree = buildTree(traceId, spans, {});
    counts.total++;
    if (!isEmptyFilter(filter)) tally.noteTree(tree);
    if (!matchesFilter(tree, filter)) return;
    counts.matched++;
    each(tree);
  };
  const taker = new PacedTake(collector, events, () => collector.openIds(), take, room);
  collector.onComplete = () => taker.completed();
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

/** A JSON line (ending in a newline) with `"update":true` added when it is an update of a trace shown before. */
function markUpdate(line: string, update: boolean): string {
  return update ? line.replace(/}\n$/, ',"update":true}\n') : line;
}

function finish(stats: IngestStats, traces: number, results: boolean, inputs: readonly string[], flags: LiveFlags, io: Io): number {
  report(stats, traces, inputs, flags, io);
  if (!results && !flags.quiet) io.stderr.write(traces === 0 ? 'tracectl: no traces found\n' : 'tracectl: nothing matched\n');
  return exitCode(stats, results);
}

/** group --follow: a row per trace as it completes (a terminal scrolls them too). */
export async function followGroup(inputs: readonly string[], flags: LiveFlags & { limit?: number }, io: Io): Promise<number> {
  refuseWhere(flags);
  const filter = filterFrom(flags, io);
  const out = outputSettings(flags, io);
  const completion = liveCompletion(flags, io);
  const summaries = new SummaryCollector();
  const json = new GroupJsonLines(out.redact);
  let traces = 0;
  let rows = 0;
  const take = (ids: readonly string[]): void => {
    for (const id of ids) {
      const s = summaries.summaries.get(id);
      if (s === undefined) continue;
      summaries.summaries.delete(id);
      const row = groupRow(s, summaries.correlationOnly.delete(id));
      traces++;
      const update = completion.takeUpdate(id);
      if (!rowMatches(row, filter) || (flags.limit !== undefined && rows >= flags.limit)) continue;
      if (rows === 0 && !flags.json) io.stdout.write(LIVE_GROUP_HEADER + '\n');
      io.stdout.write(flags.json ? markUpdate(json.text([row], 0, 1), update) : liveGroupLine(row, out.redact, update) + '\n');
      rows++;
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
    completeDue: () => take(completion.due()),
    completeAll: () => take(completion.all()),
  };
  const stats = await runLive(inputs, flags, io, sink, out, undefined);
  return finish(stats, traces - completion.reopened, rows > 0, inputs, flags, io);
}

/** errors --follow: a line per failing trace's origin; with --summary, per origin with its group's count so far, and the board. */
export async function followErrors(inputs: readonly string[], flags: LiveFlags & { summary?: boolean; limit?: number }, io: Io): Promise<number> {
  refuseWhere(flags);
  const out = outputSettings(flags, io);
  const boardOn = io.stdoutIsTTY && !flags.json;
  const summary = new ErrorSummary();
  let results = 0;
  const sink = treeSink(flags, io, (tree) => {
    const update = sink.completion.takeUpdate(tree.traceId);
    if (flags.summary) {
      // A trace counts once. An update is built from the late lines alone, so its origin is not the whole
      // trace's: it is added only for a trace that had none before (its failure came late).
      if (update && summary.has(tree.traceId)) return;
      const key = summary.add(tree);
      if (key === undefined) return;
      results++;
      if (boardOn) return;
      const g = summary.groups().find((x) => `${x.service}\u0000${x.operation}\u0000${x.message}` === key)!;
      if (results === 1 && !flags.json) io.stdout.write(LIVE_SUMMARY_HEADER + '\n');
      io.stdout.write((flags.json ? errorGroupJson(g, out.redact) : liveErrorGroupLine(g, out.redact)) + '\n');
      return;
    }
    const t = traceErrorsOf(tree);
    if (t === undefined || (flags.limit !== undefined && results >= flags.limit)) return;
    if (results === 0 && !flags.json) io.stdout.write(LIVE_ERRORS_HEADER + '\n');
    results++;
    io.stdout.write(flags.json ? markUpdate(traceErrorsJson(t, out.redact).join(''), update) : liveErrorLine(t, out.redact, update) + '\n');
  });
  const groups = () => {
    const all = summary.groups();
    return flags.limit !== undefined ? all.slice(0, flags.limit) : all;
  };
  const board = boardOn && flags.summary ? () => (results > 0 ? renderErrorSummary(groups(), out.tableWidth, out.palette, out.redact) : 'no errors yet\n') : undefined;
  const stats = await runLive(inputs, flags, io, sink, out, board);
  return finish(stats, sink.total - sink.completion.reopened, results > 0, inputs, flags, io);
}

/**
 * slowest, latency, services --follow: the analysis over traces as they complete. A terminal shows its
 * table as a board; piped, slowest (by trace) prints a line for each trace entering the top N, and every
 * command prints its final table (or JSON lines) at the end, as without --follow.
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
  const ranker = analysis instanceof TraceRanker ? analysis : undefined;
  let shown = new Set<string>();
  let header = flags.json;
  // A line for each trace that entered the top N since the last completion, at its rank then.
  const changes = (): void => {
    if (ranker === undefined || boardOn) return;
    const rows = ranker.rows();
    rows.forEach((r, i) => {
      if (shown.has(r.traceId)) return;
      if (!header) io.stdout.write(LIVE_SLOWEST_HEADER + '\n');
      header = true;
      io.stdout.write((flags.json ? slowTraceJson(r, i + 1, out.redact) : liveSlowLine(r, i + 1, out.redact)) + '\n');
    });
    shown = new Set(rows.map((r) => r.traceId));
  };
  collector.onComplete = () => {
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
      collector.completion.all();
      analyzer.run(collector);
      changes();
    },
  };
  const stats = await runLive(inputs, flags, io, sink, out, boardOn ? () => (analyzer.matched > 0 ? table() : 'no traces completed yet\n') : undefined);
  // A trace completed again as an update is one trace.
  const total = analyzer.total - collector.completion.reopened;
  report(stats, total, inputs, flags, io);
  return { stats, total, matched: analyzer.matched, filter, misses: analyzer.misses.exportState() };
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
