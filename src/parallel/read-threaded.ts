// The main thread's side of reading on threads, one reader per plan (plan-threads.ts): the main thread
// reads and cuts the input into chunks of whole lines, and hands chunks to the workers (pool.ts) whenever
// one has room, doing the others itself; or one plain file is split into a part per thread, each worker
// reading its own (split-file.ts). Either way the result is the one thread's (read-parallel.ts,
// readAlone), byte for byte: test/parallel/ holds it to that.
import { EntryNormalizer } from '../entries/normalize-entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { ingest, processChunk, type ChunkHandler, type IngestOptions } from '../ingest/read-inputs.js';
import type { IngestSink } from '../ingest/ingest-options.js';
import { replay } from '../ingest/packed-deliveries.js';
import type { Chunk } from '../input/chunker.js';
import { BlockPool } from '../input/block-pool.js';
import type { SourceSpec } from '../input/open-source.js';
import { ReadWindow } from '../input/read-window.js';
import type { SummaryCollector } from '../model/collect-summaries.js';
import type { TraceCollector } from '../model/collect-traces.js';
import type { TraceFinisher, TraceParts } from './finish-traces.js';
import type { ThreadObserver } from './observer.js';
import { DEFAULT_CHUNK_BYTES, tailChunkBytes, THREADED_CHUNK_BYTES, type SpansPlan, type SummariesPlan } from './plan-threads.js';
import { Pool, type FinishEvents, type WorkerResult } from './pool.js';
import { Recording, type Waiting } from './recording.js';
import { linesUpTo, splitFile } from './split-file.js';
import { CompleteOnThreads } from './complete-on-threads.js';
import { CompletingCollector } from '../model/completing-collector.js';

/** A job's traces on this thread: the collector, as parts other threads may hold too, and what finishes them. */
export interface TracesHere<C> {
  collector: C;
  parts: TraceParts;
  end: TraceFinisher;
}

/**
 * group (SummariesPlan): workers fill summaries of their own; at the end they make the rows of the traces
 * only they hold and hand back only the others (Pool.finishTraces). The rows are complete on return.
 */
export async function readSummaries(
  sources: readonly SourceSpec[],
  job: TracesHere<SummaryCollector>,
  given: IngestOptions,
  plan: SummariesPlan,
  observer: ThreadObserver | undefined,
): Promise<IngestStats> {
  const { collector, parts, end } = job;
  const stats = new IngestStats();
  // Larger chunks when threads share the work (THREADED_CHUNK_BYTES); smaller again at the end of a file
  // of known size (tailChunkBytes).
  const chosen = given.chunkBytes;
  const options = { ...given, chunkBytes: chosen ?? THREADED_CHUNK_BYTES };
  const blocks = new BlockPool();
  const pool = new Pool(plan.threads - 1, 'summaries', options, blocks, plan, observer);
  const normalizer = new EntryNormalizer(options.normalize, stats);
  // Files surely large enough: the workers start before reading, ready when the first chunks are (a
  // worker takes ~50 ms to load).
  if (plan.startNow) pool.start();
  const window = plan.split ? new ReadWindow() : undefined;
  let read = 0;
  let split: boolean | undefined; // undecided until the first chunk
  const handler: ChunkHandler = {
    // Smaller near the end of this thread's part too (a split file's): what it has in hand when a worker
    // takes over the rest (steal-range.ts) is then small, and the two end closer together.
    chunkBytes: () => chosen ?? tailChunkBytes(THREADED_CHUNK_BYTES, plan.bytes !== undefined ? (split ? window!.until : plan.bytes) - read : NaN),
    chunk(c: Chunk, source: string) {
      read += c.bytes.length;
      observer?.count?.('cut', 1);
      split ??= window !== undefined && splitFile(sources[0]!.name, window, plan.bytes!, pool, options);
      if (!split && read > plan.handOutAfterBytes && pool.offer(c, source, 0)) return;
      processChunk(c, source, collector, options, stats, normalizer);
      if (c.owned) blocks.give(c.bytes.buffer as ArrayBuffer);
    },
    blocks,
    sourceEnd(source, lines, bytes) {
      if (split) pool.linesBeforeRanges = linesUpTo(source, lines, bytes, window!.until);
    },
  };
  await readThenFinish(sources, window, collector, options, stats, handler, blocks, pool, () => (pool.started ? pool.finishTraces(parts, end, GROUP_EVENTS) : Promise.resolve([])));
  if (!pool.started) end.finish();
  return stats;
}

const GROUP_EVENTS: FinishEvents = { shared: 'groupsShared', done: 'groupRows' };
const FOLD_EVENTS: FinishEvents = { shared: 'foldsShared', done: 'foldsAnalysed' };

/**
 * Whole traces and analyses (SpansPlan). When the input is span data, workers parse chunks and hand back
 * what each delivered, packed (ingest/packed-deliveries.ts); the main thread replays every chunk's
 * deliveries into the collector in input order — its own chunks' too, recorded while earlier ones are
 * still out — so the collector sees exactly the sequence one thread would have given it.
 *
 * A log line becomes an entry that would have to cross back whole, and cloning entries cost more than
 * parsing them (latency on 250 MB of logs: 4.3 s on one thread, 4.7 s on two). So the first
 * `decideAfterBytes` are read here, counting spans against entries, and the workers take chunks only if
 * spans were the most. If entries were, the plan's `whenEntries` says: `folds` — the workers fold their
 * chunks' lines into spans and at the end analyse the traces no other thread holds part of
 * (Pool.finishTraces; one plain file is split instead, each worker reading a part of it) — or `alone`,
 * the rest read here. With an analysis (`analysis`), its result is complete on return.
 */
export async function readSpans(
  sources: readonly SourceSpec[],
  collector: TraceCollector,
  analysis: TracesHere<TraceCollector> | undefined,
  options: IngestOptions,
  plan: SpansPlan,
  observer: ThreadObserver | undefined,
): Promise<IngestStats> {
  const stats = new IngestStats();
  // One plain file to fold on threads: once folding is decided, each thread reads a part of it itself
  // (splitFile), and the reads here stop where the workers' parts begin.
  const window = plan.split ? new ReadWindow() : undefined;
  let split = false;
  const normalizer = new EntryNormalizer(options.normalize, stats);
  const waiting: Waiting[] = [];
  let next = 0; // chunk numbers, in input order
  const deliverReady = () => {
    while (waiting.length > 0 && waiting[0]!.deliver !== undefined) waiting.shift()!.deliver!(collector);
  };
  const blocks = new BlockPool();
  const pool = new Pool(plan.threads - 1, 'deliveries', options, blocks, plan, observer, (seq, packed) => {
    const w = waiting.find((x) => x.seq === seq);
    if (w === undefined) return;
    w.deliver = (sink) => replay(packed, sink);
    deliverReady();
  });
  if (plan.startNow) pool.start();
  // Traces that complete while reading: judged here in input order from every thread's notes.
  let completing = analysis && collector instanceof CompletingCollector && plan.whenEntries === 'folds' ? new CompleteOnThreads(collector, analysis, pool, observer) : undefined;
  let seen = 0;
  let spans = 0;
  let entries = 0;
  let shared: boolean | undefined; // undecided until decideAfterBytes were read here
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
    chunkBytes: () => options.chunkBytes ?? tailChunkBytes(folding ? THREADED_CHUNK_BYTES : DEFAULT_CHUNK_BYTES, plan.bytes !== undefined ? (split ? window!.until : plan.bytes) - seen : NaN),
    chunk(c: Chunk, source: string) {
      // A chunk handed to a worker comes back from it; one done here is done with once processed.
      const now = () => {
        if (!handOut(c, source) && c.owned) blocks.give(c.bytes.buffer as ArrayBuffer);
      };
      // With completion, no chunk is cut before the traces it may close are decided.
      const wait = completing?.beforeCut(chunkNo);
      return wait ? wait.then(now) : now();
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
    observer?.count?.('cut', 1);
    const no = chunkNo++;
    completing?.cut(no);
    if (shared === undefined) {
      begin();
      completing?.here(no);
      processChunk(c, source, counting, options, stats, normalizer);
      completing?.doneHere(no);
      // Decided on the first deliveries (one trace by id may read far before its first line); for one
      // plain file to split, after its first chunk, so that the worker's part starts early.
      if (seen > plan.decideAfterBytes && spans + entries > 0) {
        shared = spans > entries;
        folding = !shared && plan.whenEntries === 'folds';
        if (folding) {
          // Workers reading parts of the file see them on their own clocks: traces complete only at the end.
          if (window && collector instanceof CompletingCollector) {
            completing?.stop();
            completing = undefined;
            collector.holdToTheEnd();
          }
          pool.setJob('folds', completing !== undefined);
          if (window) split = splitFile(sources[0]!.name, window, plan.bytes!, pool, options);
        } else {
          completing?.stop();
          completing = undefined;
          if (!shared) pool.cancel();
        }
      }
      return false;
    }
    if (folding) {
      if (!split && pool.offer(c, source, no, at)) return true;
      begin();
      completing?.here(no);
      processChunk(c, source, collector, options, stats, normalizer);
      completing?.doneHere(no);
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
  await readThenFinish(sources, window, collector, options, stats, handler, blocks, pool, async () => {
    if (!folding || !analysis) return pool.finish();
    // Every chunk's notes first: the closed traces' messages reach the workers before "finish".
    try {
      await completing?.settled();
    } catch (err) {
      pool.cancel();
      throw err;
    }
    return pool.finishTraces(analysis.parts, analysis.end, FOLD_EVENTS);
  });
  deliverReady();
  if (waiting.length > 0) throw new Error(`worker: ${waiting.length} chunks were never handed back`);
  // Whatever was not analysed on threads (all of it, unless folding took place; after finishTraces, nothing).
  analysis?.end.finish();
  return stats;
}

/**
 * Reads the sources (one file through `window`, when it is split) with `handler`, then ends the
 * workers with `finish` — also when reading failed — and merges their stats into `stats`.
 */
async function readThenFinish(
  sources: readonly SourceSpec[],
  window: ReadWindow | undefined,
  sink: IngestSink,
  options: IngestOptions,
  stats: IngestStats,
  handler: ChunkHandler,
  blocks: BlockPool,
  pool: Pool,
  finish: () => Promise<WorkerResult[]>,
): Promise<void> {
  try {
    await ingest(window ? [{ ...sources[0]!, window }] : sources, sink, options, stats, handler);
  } finally {
    blocks.close();
    // Ctrl-C: what was read is printed at once, and a worker reading its part of a file stops where it is.
    if (options.signal?.aborted || stats.interrupted) pool.stopRanges();
    const results = await finish();
    for (const r of results) stats.merge(Object.setPrototypeOf(r.stats, IngestStats.prototype) as IngestStats);
    if (results.length > 0) stats.restoreOrder(sources.map((s) => s.name));
  }
}
