import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EntryNormalizer } from '../entries/normalize-entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { ingest, processChunk, StrictError, type ChunkHandler, type IngestOptions } from '../ingest/read-inputs.js';
import type { Chunk } from '../input/chunker.js';
import { BlockPool } from '../input/block-pool.js';
import type { SourceSpec } from '../input/open-source.js';
import { ReadWindow } from '../input/read-window.js';
import { lineStartNear, newlinesIn } from '../input/read-range.js';
import { SummaryCollector, type SummaryState } from '../model/collect-summaries.js';
import type { Entry } from '../entries/entry.js';
import type { Span } from '../model/span.js';
import type { FormatResult } from '../formats/format-result.js';
import type { IngestSink } from '../ingest/ingest-options.js';
import { TraceCollector } from '../model/collect-traces.js';
import { NO_ENTRIES, replay, type DeliverySink, type PackedDeliveries, type SpanBatch } from '../ingest/packed-deliveries.js';
import type { FoldState } from '../model/collect-traces.js';
import type { AnalyzerState, TraceAnalyzer } from '../analyze/trace-analysis.js';
import type { MissState } from '../analyze/filters.js';
import type { GroupRows } from '../analyze/group-rows.js';
import type { Packed } from '../model/packed.js';
import type { Collector, FromWorker, JobSpec, ToWorker, WorkerJob } from './job.js';

/**
 * Chunks handed to worker threads in this process, how many of them moved without a copy, how many of
 * those came back to be read into again (`back`), how many chunks reads on threads cut in all, how
 * many parts of files workers read themselves (`ranges`, splitFile), and how many pieces of the main
 * thread's parts they took over (`taken`, steal-range.ts), for tests that must know a split took place
 * and how.
 */
export const workerChunks = { count: 0, moved: 0, back: 0, cut: 0, ranges: 0, taken: 0 };

/** For tests of folding on threads: traces held in parts by two threads, and traces analysed by workers. */
export const workerFolds = { shared: 0, analysed: 0 };

/** For tests of group's rows on threads: traces held in parts by two threads, and traces whose rows workers made. */
export const workerGroups = { shared: 0, rows: 0 };

/** Workers start only once this much input has been read here: below it, starting them costs more than it saves. */
const START_AFTER_BYTES = 8 << 20;
/**
 * `group` on plain files whose size is known from the start: one thread up to this many bytes. A
 * worker's start, its cold code and the merge at the end cost ~0.15 s, which the second core earns back
 * only past ~100 MB (docs/DECISIONS.md, D40). A pipe's size shows only as it is read, so a pipe
 * is shared after START_AFTER_BYTES.
 */
const SUMMARIES_FILES_AFTER_BYTES = 96 << 20;
/** The size of the chunks a source is cut into when threads share the work. */
const THREADED_CHUNK_BYTES = 4 << 20;
/** Otherwise (as the chunker's default). */
const DEFAULT_CHUNK_BYTES = 1 << 20;
/**
 * Near the end of an input of known size, chunks shrink to what is left / TAIL_CHUNKS (not below
 * MIN_TAIL_CHUNK_BYTES): when this thread reads its last chunk a worker may still hold MAX_IN_FLIGHT
 * others, which at 4 MiB each this thread waits for with nothing to do.
 */
const TAIL_CHUNKS = 8;
const MIN_TAIL_CHUNK_BYTES = 256 << 10;

/** The chunk size for `base`-sized chunks with `remaining` bytes of input left (NaN: unknown). */
export function tailChunkBytes(base: number, remaining: number): number {
  if (!(remaining < base * TAIL_CHUNKS)) return base;
  return Math.max(MIN_TAIL_CHUNK_BYTES, Math.min(base, Math.floor(remaining / TAIL_CHUNKS)));
}

/** Chunks a worker may hold at once: enough to keep it busy, few enough to keep memory flat. */
const MAX_IN_FLIGHT = 2;
/**
 * The same for span data (`deliveries`), read in 1 MiB chunks: a worker gets through two in less time
 * than this thread takes over a chunk of its own and the worker's packed spans, and would wait for more.
 * Six is no faster than four; logs (4 MiB chunks) gain nothing past two.
 */
const MAX_IN_FLIGHT_SPANS = 4;
/**
 * A worker's young generation, in MB (V8's default here is several times larger). What a worker makes
 * of a chunk dies young or is packed away, and with the default its heap grows with the input; 8 MB
 * keeps it flat in the same time, 2 MB is slower (docs/DECISIONS.md, D48).
 */
const WORKER_YOUNG_MB = 8;

/**
 * Reads the sources into `collector`, with up to `threads` threads: the main thread reads and cuts the
 * input into chunks of whole lines; once the input proves large, chunks go to `threads - 1` workers,
 * and to the main thread itself whenever every worker already holds enough. For `group` each worker
 * fills summaries of its own and makes the rows of the traces only it holds (readSummaries); for whole
 * traces of span data each
 * chunk's spans come back packed and are replayed in input order (readDeliveries). Either way the
 * result is the same as one thread's (tests hold it to that). `--strict` stays on one thread, so "the
 * first bad line" is the first. `workersOnline` is called as each worker starts running (a worker's
 * start resets the process's V8 flags: cli/io.ts, smallYoungGeneration and scavengeAlone).
 */
export async function readInto(
  sources: readonly SourceSpec[],
  job: JobSpec,
  collector: Collector,
  options: IngestOptions,
  threads: number,
  startAfterBytes?: number,
  workersOnline?: () => void,
): Promise<IngestStats> {
  if (job.kind === 'analysis' && collector instanceof TraceCollector) {
    if (threads > 1 && !options.strict) return readDeliveries(sources, collector, options, threads, startAfterBytes, workersOnline, job.analyzer);
    const stats = await ingest(sources, collector, options, new IngestStats());
    job.analyzer.run(collector);
    return stats;
  }
  if (job.kind === 'summaries' && collector instanceof SummaryCollector && threads > 1 && !options.strict) {
    return readSummaries(sources, collector, options, threads, startAfterBytes, job.rows, workersOnline);
  }
  if (threads <= 1 || options.strict) {
    const stats = await ingest(sources, collector, options, new IngestStats());
    if (job.kind === 'summaries' && job.rows && collector instanceof SummaryCollector) job.rows.add(collector);
    return stats;
  }
  if (job.kind === 'traces' && collector instanceof TraceCollector) return readDeliveries(sources, collector, options, threads, startAfterBytes, workersOnline);
  return ingest(sources, collector, options, new IngestStats());
}

/**
 * group: workers fill summaries of their own; at the end they make the rows of the traces only they hold
 * and hand back only the others (Pool.finishRows). `rows` is complete on return.
 */
async function readSummaries(
  sources: readonly SourceSpec[],
  collector: SummaryCollector,
  options: IngestOptions,
  threads: number,
  after: number | undefined,
  rows: GroupRows,
  workersOnline: (() => void) | undefined,
): Promise<IngestStats> {
  const stats = new IngestStats();
  // Larger chunks when threads share the work: fewer traces straddle two threads, so there is less to
  // clone back and merge (250 MB: 2.3–2.4 s with 4 MiB chunks against 2.5–2.6 s with 1 MiB); smaller
  // again at the end of a file of known size (tailChunkBytes).
  const chosen = options.chunkBytes;
  options = { ...options, chunkBytes: chosen ?? THREADED_CHUNK_BYTES };
  const blocks = new BlockPool();
  const pool = new Pool(threads - 1, 'summaries', options, blocks);
  pool.whenOnline = workersOnline;
  const normalizer = new EntryNormalizer(options.normalize, stats);
  // Files that are surely large enough: start the workers now, so they are ready when the first chunks
  // are (a worker takes ~50 ms to load); files that are surely too small: never. For pipes (and gzip) the
  // size shows only as it is read.
  const known = knownSize(sources);
  let read = 0;
  const startAfterBytes = after ?? (known.all ? SUMMARIES_FILES_AFTER_BYTES : START_AFTER_BYTES);
  let seen = known.bytes > startAfterBytes ? Infinity : known.all ? -Infinity : 0;
  if (seen === Infinity) pool.start();
  // One plain file (not gzip, not a pipe) large enough for threads: split into a part per thread at the
  // first chunk, each worker reading its own (splitFile), as for slowest and latency.
  const window = seen === Infinity && known.all && sources.length === 1 && sources[0]!.stdin === undefined ? new ReadWindow() : undefined;
  let split: boolean | undefined; // undecided until the first chunk
  const handler: ChunkHandler = {
    // Smaller near the end of this thread's part too (a split file's): what it has in hand when a worker
    // takes over the rest (steal-range.ts) is then small, and the two end closer together.
    chunkBytes: () => chosen ?? tailChunkBytes(THREADED_CHUNK_BYTES, known.all ? (split ? window!.until : known.bytes) - read : NaN),
    chunk(c: Chunk, source: string) {
      seen += c.bytes.length;
      read += c.bytes.length;
      workerChunks.cut++;
      split ??= window !== undefined && splitFile(sources[0]!.name, window, known.bytes, pool, options);
      if (!split && seen > startAfterBytes && pool.offer(c, source, 0)) return;
      processChunk(c, source, collector, options, stats, normalizer);
      if (c.owned) blocks.give(c.bytes.buffer as ArrayBuffer);
    },
    blocks,
    sourceEnd(source, lines, bytes) {
      if (split) pool.linesBeforeRanges = linesUpTo(source, lines, bytes, window!.until);
    },
  };
  try {
    await ingest(window ? [{ ...sources[0]!, window }] : sources, collector, options, stats, handler);
  } finally {
    blocks.close();
    if (options.signal?.aborted || stats.interrupted) pool.stopRanges();
    const results = pool.started ? await pool.finishRows(collector, rows) : [];
    for (const r of results) stats.merge(Object.setPrototypeOf(r.stats, IngestStats.prototype) as IngestStats);
    if (results.length > 0) stats.restoreOrder(sources.map((s) => s.name));
  }
  if (!pool.started) rows.add(collector);
  return stats;
}

/**
 * Whole traces (tree, latency, critical-path, …), when the input is span data: workers parse chunks and
 * hand back what each delivered, packed (ingest/packed-deliveries.ts); the main thread replays every chunk's
 * deliveries into the collector in input order — its own chunks' too, recorded while earlier ones are
 * still out — so the collector sees exactly the sequence one thread would have given it.
 *
 * A log line becomes an entry that would have to cross back whole, and cloning entries cost more than
 * parsing them (latency on 250 MB of logs: 4.3 s on one thread, 4.7 s on two). So the first
 * START_AFTER_BYTES are read here, counting spans against entries, and the workers take chunks as above
 * only if spans were the most. If entries were, and the job is an analysis whose parts merge (`analyzer`:
 * slowest, latency, services), the workers fold their chunks' lines into spans instead, and at the end
 * analyse the traces no other thread holds part of (Pool.finishAnalysis); else the rest is read here.
 * One plain file is then split instead, each worker reading a part of it itself (splitFile).
 * With an analyzer, its result is complete on return.
 */
async function readDeliveries(
  sources: readonly SourceSpec[],
  collector: TraceCollector,
  options: IngestOptions,
  threads: number,
  after: number | undefined,
  workersOnline: (() => void) | undefined,
  analyzer?: TraceAnalyzer,
): Promise<IngestStats> {
  const stats = new IngestStats();
  const startAfterBytes = after ?? START_AFTER_BYTES;
  const known = knownSize(sources);
  // Folding on threads: files of a known size below group's threshold stay on one thread (a worker's
  // start costs the same as for group).
  const foldOnThreads = analyzer !== undefined && (after !== undefined || !known.all || known.bytes > SUMMARIES_FILES_AFTER_BYTES);
  // One plain file to fold on threads: once folding is decided, each thread reads a part of it itself
  // (splitFile), and the reads here stop where the workers' parts begin.
  const window = foldOnThreads && sources.length === 1 && known.all && sources[0]!.stdin === undefined ? new ReadWindow() : undefined;
  let split = false;
  const normalizer = new EntryNormalizer(options.normalize, stats);
  const waiting: Waiting[] = [];
  let next = 0; // chunk numbers, in input order
  const deliverReady = () => {
    while (waiting.length > 0 && waiting[0]!.deliver !== undefined) waiting.shift()!.deliver!(collector);
  };
  const blocks = new BlockPool();
  const pool = new Pool(threads - 1, 'deliveries', options, blocks, (seq, packed) => {
    const w = waiting.find((x) => x.seq === seq);
    if (w === undefined) return;
    w.deliver = (sink) => replay(packed, sink);
    deliverReady();
  });
  pool.whenOnline = workersOnline;
  if (known.bytes > startAfterBytes) pool.start();
  let seen = 0;
  let spans = 0;
  let entries = 0;
  let shared: boolean | undefined; // undecided until startAfterBytes were read here
  let folding = false; // decided: entries, folded on threads
  let chunkNo = 1; // every chunk's place in the input, for the order of a trace's folded entries
  const counting: IngestSink = {
    entry(e) {
      entries++;
      collector.entry(e);
    },
    spans(r) {
      spans += r.spans.length;
      entries += r.entries.length;
      collector.spans(r);
    },
  };
  const handler: ChunkHandler = {
    // Once folding on threads, larger chunks, as for group: fewer traces fall in parts on two threads.
    // Span data keeps 1 MiB: its deliveries come back sooner, and the worker waits less. Smaller near
    // the end of a file of known size, or of this thread's part of a split one (tailChunkBytes).
    chunkBytes: () => options.chunkBytes ?? tailChunkBytes(folding ? THREADED_CHUNK_BYTES : DEFAULT_CHUNK_BYTES, known.all ? (split ? window!.until : known.bytes) - seen : NaN),
    chunk(c: Chunk, source: string) {
      // A chunk handed to a worker comes back from it; one done here is done with once processed.
      if (!handOut(c, source) && c.owned) blocks.give(c.bytes.buffer as ArrayBuffer);
    },
    blocks,
    sourceEnd(source, lines, bytes) {
      // The lines before the workers' parts: this thread's, and those it did not get to when interrupted.
      if (split) pool.linesBeforeRanges = linesUpTo(source, lines, bytes, window!.until);
    },
  };
  /** One chunk: processed here (false), or handed to a worker (true). */
  const handOut = (c: Chunk, source: string): boolean => {
    // One file read in parts (window): arrivals are numbered by offset in it, as the workers' parts are.
    const at = window ? seen : undefined;
    const begin = (): void => (at !== undefined ? collector.beginChunkAt(at) : collector.beginChunk(no));
    seen += c.bytes.length;
    workerChunks.cut++;
    const no = chunkNo++;
    if (shared === undefined) {
      begin();
      processChunk(c, source, counting, options, stats, normalizer);
      // Decided on the first deliveries (one trace by id may read far before its first line); for one
      // plain file to split, after its first chunk, so that the worker's part starts early.
      if (seen > (window ? 0 : startAfterBytes) && spans + entries > 0) {
        shared = spans > entries;
        folding = !shared && foldOnThreads;
        if (folding) {
          pool.setJob('folds');
          if (window) split = splitFile(sources[0]!.name, window, known.bytes, pool, options);
        } else if (!shared) pool.cancel();
      }
      return false;
    }
    if (folding) {
      if (!split && pool.offer(c, source, no, at)) return true;
      begin();
      processChunk(c, source, collector, options, stats, normalizer);
      return false;
    }
    if (!shared) {
      processChunk(c, source, collector, options, stats, normalizer);
      return false;
    }
    const seq = next++;
    if (pool.offer(c, source, seq)) {
      waiting.push({ seq, deliver: undefined });
      return true;
    }
    const recording = new Recording();
    processChunk(c, source, recording, options, stats, normalizer);
    waiting.push({ seq, deliver: (sink) => recording.replay(sink) });
    deliverReady();
    return false;
  };
  try {
    await ingest(window ? [{ ...sources[0]!, window }] : sources, collector, options, stats, handler);
  } finally {
    blocks.close();
    // Ctrl-C: what was read is printed at once, and a worker reading its part of a file stops where it is.
    if (options.signal?.aborted || stats.interrupted) pool.stopRanges();
    const results = folding && analyzer ? await pool.finishAnalysis(collector, analyzer) : await pool.finish();
    for (const r of results) stats.merge(Object.setPrototypeOf(r.stats, IngestStats.prototype) as IngestStats);
    if (results.length > 0) stats.restoreOrder(sources.map((s) => s.name));
  }
  deliverReady();
  if (waiting.length > 0) throw new Error(`worker: ${waiting.length} chunks were never handed back`);
  // Whatever was not analysed on threads (all of it, unless folding took place; after finishAnalysis, nothing).
  analyzer?.run(collector);
  return stats;
}

/** A file with less than this many chunks left, past what was read when folding was decided, is not split (splitFile). */
const MIN_SPLIT_BYTES_IN_CHUNKS = 2;
/**
 * How far behind this thread a worker begins its part of a split file (splitFile), in chunks: this
 * thread's part is larger by as much. The split comes after the first chunk read here, and a worker
 * started with the reading then begins its part on code not yet optimized: with equal parts the worker
 * ends well after this thread, which waits for it with nothing to do (docs/DECISIONS.md, D45). In
 * chunks, so that the small chunks of tests still give workers parts of some size.
 */
const WORKER_LAG_CHUNKS = 3;
/**
 * And then this thread's part is 1.2 times that: the first worker takes over the end of this thread's
 * part when it ends first (steal-range.ts), but nothing helps this thread when the worker ends last.
 * With 1.2 the worker ended first in all of 27 runs (latency, group, slowest on corpus a) and took over
 * 1–5 pieces; with 1.0 and 3 chunks it ended 85–250 ms last in 6 of 18 (slowest and group). Each piece
 * costs the worker a count of its lines (~0.2 ms a MB) and a cut.
 */
const FIRST_PART_SCALE = 1.2;

/** At most this much of a file is counted for its lines after Ctrl-C (linesUpTo): ~30 ms here. */
const MAX_COUNTED_AFTER_STOP = 32 << 20;

/** Tests (IngestOptions.holdForTakeOver): how long this thread waits for the first worker to take over the end of its part. */
const HOLD_FOR_TAKE_OVER_MS = 60_000;

/**
 * The lines before `end` (where the workers' parts begin), from the `lines` in the first `bytes` bytes
 * the main thread read: those, and when it stopped short of `end` (Ctrl-C), the lines between, if they
 * are few enough to count at once. Else undefined: the places the workers report say the line is not known.
 */
function linesUpTo(path: string, lines: number, bytes: number, end: number): number | undefined {
  if (bytes === end) return lines;
  if (end - bytes > MAX_COUNTED_AFTER_STOP) return undefined;
  try {
    return lines + newlinesIn(path, bytes, end);
  } catch {
    return undefined;
  }
}

/**
 * One plain file read on threads (folded for slowest, latency and services; summed up for group): the
 * rest of the file, past what the reads here have asked for, is cut at line starts into one part for
 * this thread and one for each worker, which reads its part itself (read-range.ts). Handed chunk by
 * chunk, every chunk's traces at its edges would fall in parts on two threads (~4,200 of 52,000 on
 * corpus a with 4 MiB chunks), each packed, sent back, merged and only then analysed on this thread;
 * with one part per thread, only the traces at the few cuts do. The workers number their lines from their
 * parts' starts; the end shifts them (Pool.shareOut). False when the file is too small to split or no
 * cut was found (then chunks are handed out one by one).
 */
function splitFile(path: string, window: ReadWindow, size: number, pool: Pool, options: IngestOptions): boolean {
  const from = window.asked;
  const rest = size - from;
  const workers = pool.workers;
  const chunkBytes = options.chunkBytes ?? THREADED_CHUNK_BYTES;
  if (workers < 1 || rest < MIN_SPLIT_BYTES_IN_CHUNKS * chunkBytes) return false;
  const starts: number[] = [];
  const mine = Math.min(rest * 0.9, (FIRST_PART_SCALE * (rest + workers * WORKER_LAG_CHUNKS * chunkBytes)) / (workers + 1));
  for (let k = 1; k <= workers; k++) {
    const at = lineStartNear(path, from + Math.round(mine + ((rest - mine) * (k - 1)) / workers));
    if (at === undefined || at <= (starts.at(-1) ?? from) || at >= size) return false;
    starts.push(at);
  }
  if (!window.stopAt(starts[0]!)) return false;
  pool.readRanges(path, starts, chunkBytes, window, options.holdForTakeOver === true);
  return true;
}

/** A chunk whose deliveries wait for the chunks before it; `deliver` is set once they are at hand. */
interface Waiting {
  seq: number;
  deliver: ((sink: DeliverySink) => void) | undefined;
}

/**
 * What a chunk read here delivered, kept to be handed on in order. A span file gives a result per line
 * (a wrapper and its lists around one span): runs of results without entries are kept as one list of
 * their spans, so that the wrappers die young instead of living, and being copied by the collector,
 * until the chunks before are back.
 */
export class Recording implements IngestSink {
  private readonly calls: (Entry | SpanBatch)[] = [];
  private readonly isEntry: boolean[] = [];
  /** The run the last spans went to, while no entry has come since. */
  private run: SpanRun | undefined;

  entry(entry: Entry): void {
    this.calls.push(entry);
    this.isEntry.push(true);
    this.run = undefined;
  }

  spans(result: FormatResult): void {
    if (result.entries.length > 0) {
      this.calls.push(result);
      this.isEntry.push(false);
      this.run = undefined;
      return;
    }
    if (result.spans.length === 0) return;
    if (this.run === undefined) {
      this.run = { spans: [], entries: NO_ENTRIES };
      this.calls.push(this.run);
      this.isEntry.push(false);
    }
    for (const span of result.spans) this.run.spans.push(span);
  }

  replay(sink: DeliverySink): void {
    for (let i = 0; i < this.calls.length; i++) {
      if (this.isEntry[i]) sink.entry(this.calls[i] as Entry);
      else sink.spans(this.calls[i] as SpanBatch);
    }
  }
}

/** Spans delivered one after another with no entry among them, handed on in one call. */
interface SpanRun extends SpanBatch {
  spans: Span[];
}

interface Slot {
  worker: Worker;
  /** A `folds` job's messages at the end: its trace ids, then its shared traces. */
  ids: Deferred<string[]>;
  folds: Deferred<FoldState>;
  /** A rows-making `summaries` job's shared traces. */
  parts: Deferred<SummaryState>;
  /**
   * Chunks handed over and not yet done, counted down by the worker itself: a "done" message would
   * wait for the main thread's event loop, which does not turn while it processes chunks of its own,
   * so the worker would sit idle with its work done and the main thread would think it busy.
   */
  inFlight: Int32Array;
  result: Promise<WorkerResult>;
  /** The lines of the part of a file it read itself (Pool.readRanges), as its `ids` message says. */
  rangeLines?: number;
  /** The lines of the end of this thread's part it took over and read before its own (undefined: not known). */
  takenLines?: number | undefined;
}

interface WorkerResult {
  analysis?: AnalyzerState | undefined;
  rows?: { packed: Packed; traces: number; misses: MissState } | undefined;
  stats: unknown;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // awaited only by a folds job's end; a failure is reported through `result`
  return { promise, resolve, reject };
}

class Pool {
  private slots: Slot[] = [];
  private failure: Error | undefined;

  private cancelled = false;
  /**
   * Called as each worker comes online: a worker's start resets the process's V8 flags, which the
   * caller may want to set again (cli/io.ts, smallYoungGeneration and scavengeAlone).
   */
  whenOnline: (() => void) | undefined;

  constructor(
    private readonly size: number,
    private job: WorkerJob,
    private readonly options: IngestOptions,
    /** Where the blocks of the chunks handed over go back to, once a worker is done with them. */
    private readonly blocks: BlockPool,
    private readonly onDelivered?: (seq: number, packed: PackedDeliveries) => void,
  ) {}

  /** The number of workers this pool runs (or will, once started). */
  get workers(): number {
    return this.size;
  }

  /** Set to 1 when the run is interrupted: the parts the workers read themselves end there (stopRanges). */
  private readonly stop = new Int32Array(new SharedArrayBuffer(4));

  /** The run was interrupted: the workers stop reading their parts of a file at their next read. */
  stopRanges(): void {
    Atomics.store(this.stop, 0, 1);
  }

  /** The file whose parts the workers read themselves (readRanges), if they do. */
  private rangeSource: string | undefined;
  /** The lines of that file before the first worker's part, once read here (the workers' lines are shifted by it). */
  linesBeforeRanges: number | undefined;

  /**
   * Instead of chunks: worker k reads [starts[k], starts[k + 1]) of the file (the last, to its end), its
   * lines' arrivals numbered by their offsets in the file (TraceCollector.beginChunkAt).
   */
  readRanges(source: string, starts: readonly number[], chunkBytes: number, window: ReadWindow, hold: boolean): void {
    this.start();
    this.rangeSource = source;
    // The first worker's part begins where this thread's ends: it may take over the end of this one
    // (steal-range.ts). `hold` (tests): wait here until it has taken all it will.
    const done = new Int32Array(new SharedArrayBuffer(4));
    this.slots.forEach((s, k) => {
      workerChunks.ranges++;
      const first = k === 0 ? { window: window.buffer, done } : {};
      s.worker.postMessage({ type: 'range', source, start: starts[k]!, end: starts[k + 1] ?? Infinity, chunkBytes, ...first } satisfies ToWorker);
    });
    if (hold && this.slots.length > 0) Atomics.wait(done, 0, 0, HOLD_FOR_TAKE_OVER_MS);
  }

  /** Hand chunk number `seq` (at byte `at` of the one file read, if so numbered) to a worker with room; false when all are busy (the caller does it itself). */
  offer(c: Chunk, source: string, seq: number, at?: number): boolean {
    if (this.failure) throw this.failure;
    this.start();
    const most = this.job === 'deliveries' ? MAX_IN_FLIGHT_SPANS : MAX_IN_FLIGHT;
    const slot = this.slots.find((s) => Atomics.load(s.inFlight, 0) < most);
    if (!slot) return false;
    // A chunk that owns its memory moves to the worker as it is; any other may be a view into a buffer
    // that other chunks share: it is copied into one of its own, which can then move.
    const bytes = c.owned ? new Uint8Array(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength) : new Uint8Array(c.bytes);
    Atomics.add(slot.inFlight, 0, 1);
    workerChunks.count++;
    if (c.owned) workerChunks.moved++;
    const msg: ToWorker = {
      type: 'chunk',
      seq,
      bytes,
      source,
      firstLine: c.firstLine,
      lines: c.lines,
      ...(at !== undefined ? { at } : {}),
      ...(c.markers ? { markers: c.markers } : {}),
      ...(c.owned ? { handBack: true } : {}),
    };
    slot.worker.postMessage(msg, [bytes.buffer as ArrayBuffer]);
    return true;
  }

  /** The workers' job, decided before the first chunk is offered (workers may have started already). */
  setJob(job: WorkerJob): void {
    this.job = job;
    for (const s of this.slots) s.worker.postMessage({ type: 'job', job } satisfies ToWorker);
  }

  /**
   * The end of a `folds` job. Each worker sends the ids of the traces it holds; an id held by two threads
   * or more is shared, the rest are whole where they are. The workers hand back their shared traces and
   * analyse the rest, while this thread analyses its own whole ones; then it absorbs the shared parts,
   * analyses those traces, and absorbs each worker's analysis. Every trace is analysed once, whole.
   */
  async finishAnalysis(collector: TraceCollector, analyzer: TraceAnalyzer): Promise<WorkerResult[]> {
    const results = await this.finishShared(async () => {
      for (const s of this.slots) s.worker.postMessage({ type: 'finish', analysis: analyzer.job } satisfies ToWorker);
      const shared = await this.shareOut((id) => collector.holds(id));
      workerFolds.shared += shared.size;
      analyzer.run(collector, shared);
      for (const s of this.slots) collector.absorb(await s.folds.promise);
      analyzer.run(collector);
    });
    for (const r of results) {
      if (r.analysis === undefined) continue;
      analyzer.absorb(r.analysis);
      workerFolds.analysed += r.analysis.total;
    }
    return results;
  }

  /**
   * The end of a `summaries` job that makes group's rows, as finishAnalysis: the workers make the rows of
   * the traces only they hold and hand back the summaries of the others; this thread makes the rows of
   * its own whole traces meanwhile, then of the shared ones once merged, and merges all the rows.
   */
  async finishRows(collector: SummaryCollector, rows: GroupRows): Promise<WorkerResult[]> {
    const results = await this.finishShared(async () => {
      for (const s of this.slots) s.worker.postMessage({ type: 'finish', rows: rows.spec } satisfies ToWorker);
      const shared = await this.shareOut((id) => collector.summaries.has(id));
      workerGroups.shared += shared.size;
      rows.add(collector, shared);
      for (const s of this.slots) collector.absorb(await s.parts.promise);
      rows.addOnly(collector, shared); // now whole here
    });
    for (const r of results) {
      if (r.rows === undefined) continue;
      rows.absorb(r.rows.packed, r.rows.traces, r.rows.misses);
      workerGroups.rows += r.rows.traces;
    }
    return results;
  }

  /** `exchange` (the talk with the workers at the end), then their results; on any failure, none. */
  private async finishShared(exchange: () => Promise<void>): Promise<WorkerResult[]> {
    try {
      await exchange();
    } catch (err) {
      this.cancel();
      throw this.failure ?? err;
    }
    return this.finish(false);
  }

  /**
   * After "finish": each worker's trace ids, and of them those held by another thread too (this one, by
   * `holds`, or another worker), which each worker is then told to hand back.
   */
  private async shareOut(holds: (id: string) => boolean): Promise<Set<string>> {
    const theirs = await Promise.all(this.slots.map((s) => s.ids.promise));
    // The lines before each worker's part of a file: this thread's, those of the end of its part the
    // first worker took over, then each part's before it.
    const shifts: (number | undefined)[] = [];
    let before = this.linesBeforeRanges;
    for (const s of this.slots) {
      const at = before === undefined || s.takenLines === undefined ? undefined : before + s.takenLines;
      shifts.push(at);
      before = at === undefined || s.rangeLines === undefined ? undefined : at + s.rangeLines;
    }
    const shared = new Set<string>();
    const heldBy = new Map<string, number>(); // ids this thread does not hold: the first worker holding each
    const alone = theirs.length === 1; // one worker: an id it holds is shared only with this thread
    theirs.forEach((ids, w) => {
      for (const id of ids) {
        if (holds(id)) shared.add(id);
        else if (!alone) {
          const first = heldBy.get(id);
          if (first === undefined) heldBy.set(id, w);
          else if (first !== w) shared.add(id);
        }
      }
    });
    this.slots.forEach((s, w) => {
      const lineShift = this.rangeSource !== undefined && s.rangeLines !== undefined ? { lineShift: { source: this.rangeSource, by: shifts[w] } } : {};
      s.worker.postMessage({ type: 'shared', ids: theirs[w]!.filter((id) => shared.has(id)), ...lineShift } satisfies ToWorker);
    });
    return shared;
  }

  /** Whether workers were started (and not cancelled). */
  get started(): boolean {
    return this.slots.length > 0;
  }

  /** Start the workers (offer() does it at the first chunk otherwise). */
  start(): void {
    if (this.slots.length === 0 && !this.cancelled) this.spawn();
  }

  /** No chunk will be offered: stop the workers started in advance. */
  cancel(): void {
    this.cancelled = true;
    for (const s of this.slots) {
      s.result.catch(() => undefined); // the exit a terminate() causes is no failure
      void s.worker.terminate();
    }
    this.slots = [];
  }

  /** `tell`: send the workers "finish" (a folds job's end has already). */
  async finish(tell = true): Promise<WorkerResult[]> {
    if (tell) for (const s of this.slots) s.worker.postMessage({ type: 'finish' } satisfies ToWorker);
    const results = await Promise.allSettled(this.slots.map((s) => s.result));
    for (const s of this.slots) void s.worker.terminate();
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    if (this.failure) throw this.failure;
    return results.map((r) => (r as PromiseFulfilledResult<WorkerResult>).value);
  }

  private spawn(): void {
    const { signal: _signal, ...options } = this.options;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(workerFile(), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      const slot: Slot = { worker, inFlight: new Int32Array(new SharedArrayBuffer(4)), ids: deferred(), folds: deferred(), parts: deferred(), result: undefined as never };
      slot.result = new Promise((resolve, reject) => {
        const fail = (err: Error) => {
          slot.ids.reject(err);
          slot.folds.reject(err);
          slot.parts.reject(err);
          reject(err);
        };
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'block') {
            workerChunks.back++;
            this.blocks.give(m.memory);
          } else if (m.type === 'delivered') this.onDelivered?.(m.seq, m.packed);
          else if (m.type === 'ids') {
            slot.rangeLines = m.lines;
            slot.takenLines = m.taken?.lines;
            workerChunks.taken += m.taken?.pieces ?? 0;
            slot.ids.resolve(m.ids);
          }
          else if (m.type === 'folds') slot.folds.resolve(m.state);
          else if (m.type === 'summaries') slot.parts.resolve(m.state);
          else if (m.type === 'result') resolve({ analysis: m.analysis, rows: m.rows, stats: m.stats });
          else {
            const err = m.strict ? new StrictError(m.message) : new Error(`worker: ${m.message}`);
            this.failure ??= err;
            fail(err);
          }
        });
        worker.on('error', (err) => {
          this.failure ??= err;
          fail(err);
        });
        worker.on('exit', (code) => {
          if (code !== 0) fail(new Error(`worker exited with code ${code}`));
        });
      });
      worker.once('online', () => this.whenOnline?.());
      worker.postMessage({ type: 'init', job: this.job, options, inFlight: slot.inFlight, stop: this.stop } satisfies ToWorker);
      this.slots.push(slot);
    }
  }
}

/**
 * The bytes of the sources that are regular files (stdin and what cannot be stat'ed count 0), and whether
 * that is all the input there is: false when a source is a pipe, cannot be read, or is gzip (its size on
 * disk says little of what it holds).
 */
function knownSize(sources: readonly SourceSpec[]): { bytes: number; all: boolean } {
  let bytes = 0;
  let all = true;
  for (const s of sources) {
    if (s.stdin) {
      all = false;
      continue;
    }
    try {
      const st = statSync(s.name);
      if (!st.isFile()) all = false;
      else {
        bytes += st.size;
        if (isGzip(s.name)) all = false;
      }
    } catch {
      all = false; // the reader reports it
    }
  }
  return { bytes, all };
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * The worker's compiled file. From dist/ it sits beside this module; when this module runs from src/
 * (the test runner compiles TypeScript on the fly, which a worker thread cannot), use the built copy.
 */
function workerFile(): URL {
  const beside = new URL('./ingest-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../dist/parallel/ingest-worker.js', import.meta.url);
}
