import type { IngestOptions } from '../ingest/read-inputs.js';
import { SummaryCollector, type SummaryState } from '../model/collect-summaries.js';
import { TraceCollector, type TraceState } from '../model/collect-traces.js';

/**
 * What reading is for, said as data so that a worker thread can build the same collector: per-trace
 * summaries (group), or whole traces (everything that rebuilds trees), optionally only those whose id
 * starts with a prefix.
 */
export type JobSpec = { kind: 'summaries' } | { kind: 'traces'; idPrefix?: string };

export type Collector = SummaryCollector | TraceCollector;
export type CollectorState = SummaryState | TraceState;

export function collectorFor(spec: JobSpec): Collector {
  return spec.kind === 'summaries' ? new SummaryCollector() : new TraceCollector(spec.idPrefix);
}

export function absorbState(into: Collector, state: CollectorState): void {
  if (into instanceof SummaryCollector) into.absorb(state as SummaryState);
  else into.absorb(state as TraceState);
}

/** The options a worker needs: IngestOptions without what cannot cross a thread (the abort signal). */
export type WorkerOptions = Omit<IngestOptions, 'signal'>;

export type ToWorker =
  | { type: 'init'; job: JobSpec; options: WorkerOptions }
  | { type: 'chunk'; bytes: Uint8Array; source: string; firstLine: number; lines: number; markers?: string[] }
  | { type: 'finish' };

export type FromWorker =
  | { type: 'done-chunk' }
  | { type: 'result'; state: CollectorState; stats: unknown }
  | { type: 'failed'; message: string; strict: boolean };
