import type { IngestOptions } from '../ingest/read-inputs.js';
import { SummaryCollector, type SummaryState } from '../model/collect-summaries.js';
import type { FoldState, TraceCollector } from '../model/collect-traces.js';
import type { PackedDeliveries } from '../ingest/packed-deliveries.js';
import type { AnalysisJob, AnalyzerState, TraceAnalyzer } from '../analyze/trace-analysis.js';
import type { GroupRows, GroupSpec } from '../analyze/group-rows.js';
import type { Packed } from '../model/packed.js';
import type { MissState } from '../analyze/filters.js';

/**
 * What reading is for: per-trace summaries (group), which worker threads build and make `rows` of; whole
 * traces (tree, timeline, critical-path, errors, services), of which only span data is read on worker
 * threads (read-parallel.ts says why); or an analysis of every trace whose parts merge (slowest, latency:
 * analyze/trace-analysis.ts), which workers run on the traces only they hold — the analyzer's result is
 * complete when reading returns. group's `rows` are made likewise (GroupRows), complete when reading
 * returns.
 */
export type JobSpec = { kind: 'summaries'; rows: GroupRows } | { kind: 'traces' } | { kind: 'analysis'; analyzer: TraceAnalyzer };

export type Collector = SummaryCollector | TraceCollector;

/** The options a worker needs: IngestOptions without what cannot cross a thread (the abort signal). */
export type WorkerOptions = Omit<IngestOptions, 'signal'>;

/**
 * What a worker makes of its chunks: per-trace summaries, of which it makes group's rows at the end
 * where no other thread holds a part of a trace, and hands back the others; (`deliveries`)
 * what each chunk delivered — spans and entries, packed — handed back chunk by chunk, for the main thread
 * to replay in input order (ingest/packed-deliveries.ts); or (`folds`) its traces folded span by span,
 * analysed at the end where no other thread holds a part of them, and handed back where one does.
 */
export type WorkerJob = 'summaries' | 'deliveries' | 'folds';

export type ToWorker =
  /**
   * `inFlight`: shared with the main thread, which counts a chunk up as it hands it over; `stop`, set to 1
   * by the main thread when the run is interrupted: a part read by the worker itself (`range`) ends there.
   */
  | { type: 'init'; job: WorkerJob; options: WorkerOptions; inFlight: Int32Array; stop: Int32Array }
  /**
   * `handBack`: `bytes` is a whole read block (Chunk.owned), to be moved back when done with (`block`).
   * `at`: its offset in the one file read, when arrivals are so numbered (TraceCollector.beginChunkAt).
   */
  | { type: 'chunk'; seq: number; bytes: Uint8Array; source: string; firstLine: number; lines: number; at?: number; markers?: string[]; handBack?: boolean }
  /** Before the first chunk: the job decided after the worker was started (it was started as `deliveries`). */
  | { type: 'job'; job: WorkerJob }
  /**
   * Instead of chunks: read [start, end) of the file `source` (end: Infinity for the rest), `chunkBytes`
   * at a time, arrivals numbered by offset. Its lines are numbered from 1 at `start` until `shared` says
   * how many come before. `window`: the main thread's ReadWindow, whose end the worker then takes over
   * while enough is left (steal-range.ts). `done`: set to 1 (and notified) when it has read all it will.
   */
  | { type: 'range'; source: string; start: number; end: number; chunkBytes: number; window?: SharedArrayBuffer; done?: Int32Array }
  /** No more chunks. A `folds` job is given its analysis, a `summaries` job may be given group's rows to make; both answer with `ids`. */
  | { type: 'finish'; analysis?: AnalysisJob; rows?: GroupSpec }
  /**
   * Of the ids a worker sent, those some other thread holds too: hand them back, analyse (or make rows
   * of) the rest. `lineShift`: the lines of the file before the worker's range, to add to its places
   * (undefined: not known, after Ctrl-C stopped the reading short of the range).
   */
  | { type: 'shared'; ids: string[]; lineShift?: { source: string; by: number | undefined } };

export type FromWorker =
  /** The memory of a chunk handed over with `handBack`, processed: the main thread reads into it again. */
  | { type: 'block'; memory: ArrayBuffer }
  | { type: 'delivered'; seq: number; packed: PackedDeliveries }
  /**
   * A `folds` (or rows-making `summaries`) job's trace ids, every one it holds; `lines`, those of its range;
   * `taken`, the pieces of the main thread's part it read too, and their lines (undefined: not known).
   */
  | { type: 'ids'; ids: string[]; lines?: number; taken?: { pieces: number; lines: number | undefined } }
  /** A `summaries` job's shared traces, taken out of its collector. */
  | { type: 'summaries'; state: SummaryState }
  /** A `folds` job's shared traces, taken out of its collector. */
  | { type: 'folds'; state: FoldState }
  /**
   * The end: `analysis`, a `folds` job's result; `rows`, a `summaries` job's rows (GroupRows.pack) and the
   * number of traces they were made of; the stats of every job.
   */
  | { type: 'result'; analysis?: AnalyzerState; rows?: { packed: Packed; traces: number; misses: MissState }; stats: unknown }
  | { type: 'failed'; message: string; strict: boolean };
