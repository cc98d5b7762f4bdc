import type { IngestOptions } from '../ingest/read-inputs.js';
import { SummaryCollector, type SummaryState } from '../model/collect-summaries.js';
import type { TraceCollector } from '../model/collect-traces.js';
import type { PackedDeliveries } from '../ingest/packed-deliveries.js';

/**
 * What reading is for: per-trace summaries (group), which worker threads can build and hand back, or whole
 * traces (everything that rebuilds trees), read on one thread (read-parallel.ts says why).
 */
export type JobSpec = { kind: 'summaries' } | { kind: 'traces' };

export type Collector = SummaryCollector | TraceCollector;

/** The options a worker needs: IngestOptions without what cannot cross a thread (the abort signal). */
export type WorkerOptions = Omit<IngestOptions, 'signal'>;

/**
 * What a worker makes of its chunks: per-trace summaries, handed back once at the end, or (`deliveries`)
 * what each chunk delivered — spans and entries, packed — handed back chunk by chunk, for the main thread
 * to replay in input order (ingest/packed-deliveries.ts).
 */
export type WorkerJob = 'summaries' | 'deliveries';

export type ToWorker =
  /** `inFlight`: shared with the main thread, which counts a chunk up as it hands it over. */
  | { type: 'init'; job: WorkerJob; options: WorkerOptions; inFlight: Int32Array }
  | { type: 'chunk'; seq: number; bytes: Uint8Array; source: string; firstLine: number; lines: number; markers?: string[] }
  | { type: 'finish' };

export type FromWorker =
  | { type: 'delivered'; seq: number; packed: PackedDeliveries }
  /** `state`: the summaries (a `summaries` job), or undefined. */
  | { type: 'result'; state: SummaryState | undefined; stats: unknown }
  | { type: 'failed'; message: string; strict: boolean };
