import type { IngestOptions } from '../ingest/read-inputs.js';
import type { SummaryCollector } from '../model/collect-summaries.js';
import type { TraceCollector } from '../model/collect-traces.js';
import type { PackedDeliveries } from '../ingest/packed-deliveries.js';
import type { LineNotes } from '../model/line-notes.js';
import type { AnalysisJob, TraceAnalyzer } from '../analyze/trace-analysis.js';
import type { GroupRows, GroupSpec } from '../analyze/group-rows.js';

/**
 * What reading is for, with the collector it fills: per-trace summaries and group's `rows` made of them
 * (`summaries`); whole traces (`traces`: tree, timeline, critical-path, errors, report, export); or an
 * analysis of every trace whose parts merge (`analysis`: slowest, latency, services;
 * analyze/trace-analysis.ts), which needs only folded traces. `rows` and `analyzer` are complete when
 * reading returns, whatever the threads.
 */
export type JobSpec =
  | { kind: 'summaries'; collector: SummaryCollector; rows: GroupRows }
  | { kind: 'traces'; collector: TraceCollector }
  | { kind: 'analysis'; collector: TraceCollector; analyzer: TraceAnalyzer };

/** The options a worker needs: IngestOptions without what cannot cross a thread (the abort signal, the pace). */
export type WorkerOptions = Omit<IngestOptions, 'signal' | 'pace'>;

/**
 * What a worker makes of its chunks (worker-jobs.ts): per-trace summaries (`summaries`), of which it
 * makes group's rows at the end where no other thread holds a part of a trace, and hands back the
 * others; what each chunk delivered — spans and entries, packed — handed back chunk by chunk, for the
 * main thread to replay in input order (`deliveries`, ingest/packed-deliveries.ts); or its traces folded
 * span by span (`folds`), analysed at the end where no other thread holds a part of them, and handed back
 * where one does.
 */
export type WorkerJob = 'summaries' | 'deliveries' | 'folds';

/** What finishes a worker's traces at the end: group's rows, or an analysis. */
export type FinishSpec = { rows: GroupSpec } | { analysis: AnalysisJob };

export type ToWorker =
  /**
   * `inFlight`: shared with the main thread, which counts a chunk up as it hands it over; `stop`, set to 1
   * by the main thread when the run is interrupted: a part read by the worker itself (`range`) ends there.
   * `heapMb`: the worker writes the MiB its heap holds after each chunk it processes, for the main
   * thread's heap watch (observer.ts, workerHeaps).
   */
  | { type: 'init'; job: WorkerJob; options: WorkerOptions; inFlight: Int32Array; stop: Int32Array; heapMb: Int32Array }
  /**
   * `handBack`: `bytes` is a whole read block (Chunk.owned), to be moved back when done with (`block`).
   * `at`: its offset in the one file read, when arrivals are so numbered (TraceCollector.beginChunkAt).
   */
  | { type: 'chunk'; seq: number; bytes: Uint8Array; source: string; firstLine: number; lines: number; at?: number; markers?: string[]; handBack?: boolean; leadIn?: { source: string; bytes: Uint8Array; firstLine: number; lines: number } }
  /**
   * Before the first chunk: the job decided after the worker was started (it was started as `deliveries`).
   * `completes`: a `folds` job whose traces complete while reading (complete-on-threads.ts): each chunk's
   * lines are noted and sent back (`notes`), and late lines dropped.
   */
  | { type: 'job'; job: WorkerJob; completes?: boolean }
  /** These traces are closed after chunk `after`: their lines in later chunks are late. */
  | { type: 'closing'; ids: string[]; after: number }
  /** Closed traces: analyse those whole here (`analyse`), hand back those another thread holds parts of (`handBack`). */
  | { type: 'complete'; spec: FinishSpec; analyse: string[]; handBack: string[] }
  /**
   * Instead of chunks: read [start, end) of the file `source` (end: Infinity for the rest), `chunkBytes`
   * at a time, arrivals numbered by offset. Its lines are numbered from 1 at `start` until `shared` says
   * how many come before. `window`: the main thread's ReadWindow, whose end the worker then takes over
   * while enough is left (steal-range.ts). `done`: set to 1 (and notified) when it has read all it will.
   */
  | { type: 'range'; source: string; start: number; end: number; chunkBytes: number; window?: SharedArrayBuffer; done?: Int32Array }
  /** No more chunks. A `summaries` or `folds` job is given what finishes its traces and answers with `ids`. */
  | { type: 'finish'; spec?: FinishSpec }
  /**
   * Of the ids a worker sent, those some other thread holds too: hand them back, finish the rest.
   * `lineShift`: the lines of the file before the worker's range, to add to its places (undefined: not
   * known, after Ctrl-C stopped the reading short of the range).
   */
  | { type: 'shared'; ids: string[]; lineShift?: { source: string; by: number | undefined } };

export type FromWorker =
  /** The memory of a chunk handed over with `handBack`, processed: the main thread reads into it again. */
  | { type: 'block'; memory: ArrayBuffer }
  | { type: 'delivered'; seq: number; packed: PackedDeliveries }
  /** A `folds` job that completes: chunk `seq`'s lines with a trace id, to be replayed in input order. */
  | { type: 'notes'; seq: number; notes: LineNotes }
  /** Closed traces handed back (`complete`'s handBack), taken out of its collector. */
  | { type: 'closedParts'; ids: string[]; state: unknown }
  /**
   * A `summaries` or `folds` job's trace ids, every one it holds; `lines`, those of its range; `taken`,
   * the pieces of the main thread's part it read too, and their lines (undefined: not known).
   */
  | { type: 'ids'; ids: string[]; lines?: number; taken?: { pieces: number; lines: number | undefined } }
  /** Its shared traces, taken out of its collector (SummaryState or FoldState, as the job's). */
  | { type: 'parts'; state: unknown }
  /** The end: `done`, what finished its own traces (packed rows, or an analysis's state); the stats of every job. */
  | { type: 'result'; done?: unknown; stats: unknown }
  | { type: 'failed'; message: string; strict: boolean };
