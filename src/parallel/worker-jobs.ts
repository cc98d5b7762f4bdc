// The worker's side of each job (job.ts, WorkerJob): where a chunk's entries and spans go, what goes
// back after each chunk, and how the worker's traces end. The main thread's side of the same jobs is in
// read-threaded.ts; the messages between them in job.ts.
import { GroupRows } from '../analyze/group-rows.js';
import { TraceAnalyzer } from '../analyze/trace-analysis.js';
import type { IngestSink } from '../ingest/ingest-options.js';
import { DeliveryPacker, transferables, type PackedDeliveries } from '../ingest/packed-deliveries.js';
import { SummaryCollector } from '../model/collect-summaries.js';
import { TraceCollector } from '../model/collect-traces.js';
import { analysisFinisher, foldParts, rowsFinisher, summaryParts, type TraceFinisher, type TraceParts } from './finish-traces.js';
import type { FinishSpec, WorkerJob } from './job.js';

export interface WorkerSide {
  /** Where processChunk puts a chunk's entries and spans. */
  readonly sink: IngestSink;
  /**
   * What comes next is chunk `seq` of the input, or starts at byte `at` of the one file read in parts:
   * for a job whose traces merge in input order (TraceCollector.beginChunk).
   */
  beginChunk(seq: number, at: number | undefined): void;
  /** A chunk processed: what goes back at once (a `deliveries` job's packed chunk). */
  chunkDone(): { packed: PackedDeliveries; transfer: ArrayBuffer[] } | undefined;
  /** A job whose traces are finished where whole (`summaries`, `folds`): its traces as parts, and what finishes them once the spec comes. */
  readonly parts: TraceParts | undefined;
  finisher(spec: FinishSpec): TraceFinisher | undefined;
}

export function workerSide(job: WorkerJob): WorkerSide {
  if (job === 'summaries') {
    const collector = new SummaryCollector();
    return {
      sink: collector,
      beginChunk: () => undefined,
      chunkDone: () => undefined,
      parts: summaryParts(collector),
      finisher: (spec) => ('rows' in spec ? rowsFinisher(new GroupRows(spec.rows), collector) : undefined),
    };
  }
  if (job === 'folds') {
    const collector = new TraceCollector(undefined, { fold: true });
    return {
      sink: collector,
      beginChunk: (seq, at) => (at !== undefined ? collector.beginChunkAt(at) : collector.beginChunk(seq)),
      chunkDone: () => undefined,
      parts: foldParts(collector),
      finisher: (spec) => ('analysis' in spec ? analysisFinisher(new TraceAnalyzer(spec.analysis), collector) : undefined),
    };
  }
  const packer = new DeliveryPacker();
  return {
    sink: packer,
    beginChunk: () => undefined,
    chunkDone() {
      const packed = packer.take();
      return { packed, transfer: transferables(packed) };
    },
    parts: undefined,
    finisher: () => undefined,
  };
}
