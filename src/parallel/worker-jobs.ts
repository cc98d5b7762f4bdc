// The worker's side of each job (job.ts, WorkerJob): where a chunk's entries and spans go, what goes
// back after each chunk, and how the worker's traces end. The main thread's side of the same jobs is in
// read-threaded.ts; the messages between them in job.ts.
import { GroupRows } from '../analyze/group-rows.js';
import { TraceAnalyzer } from '../analyze/trace-analysis.js';
import type { IngestSink } from '../ingest/ingest-options.js';
import { DeliveryPacker, transferables } from '../ingest/packed-deliveries.js';
import { SummaryCollector } from '../model/collect-summaries.js';
import { TraceCollector } from '../model/collect-traces.js';
import { analysisFinisher, foldParts, rowsFinisher, summaryParts, type TraceFinisher, type TraceParts } from './finish-traces.js';
import type { FinishSpec, FromWorker, WorkerJob } from './job.js';
import { NoteTaker } from '../model/line-notes.js';
import type { Span } from '../model/span.js';

export interface WorkerSide {
  /** Where processChunk puts a chunk's entries and spans. */
  readonly sink: IngestSink;
  /**
   * What comes next is chunk `seq` of the input, or starts at byte `at` of the one file read in parts:
   * for a job whose traces merge in input order (TraceCollector.beginChunk).
   */
  beginChunk(seq: number, at: number | undefined): void;
  /** A chunk processed: what goes back at once (a `deliveries` job's packed chunk, a completing job's notes). */
  chunkDone(seq: number): { message: FromWorker; transfer: ArrayBuffer[] } | undefined;
  /** A `folds` job that completes: what notes its lines and drops the late ones (model/line-notes.ts). */
  readonly taker?: NoteTaker;
  /** A job whose traces are finished where whole (`summaries`, `folds`): its traces as parts, and what finishes them once the spec comes. */
  readonly parts: TraceParts | undefined;
  finisher(spec: FinishSpec): TraceFinisher | undefined;
}

export function workerSide(job: WorkerJob, completes = false): WorkerSide {
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
    const taker = completes ? new NoteTaker() : undefined;
    return {
      sink: taker ? notingSink(collector, taker) : collector,
      beginChunk(seq, at) {
        if (taker) taker.chunk = seq;
        if (at !== undefined) collector.beginChunkAt(at);
        else collector.beginChunk(seq);
      },
      chunkDone: (seq) => (taker ? { message: { type: 'notes', seq, notes: taker.take() }, transfer: [] } : undefined),
      ...(taker ? { taker } : {}),
      parts: foldParts(collector),
      finisher: (spec) => ('analysis' in spec ? analysisFinisher(new TraceAnalyzer(spec.analysis), collector) : undefined),
    };
  }
  const packer = new DeliveryPacker();
  return {
    sink: packer,
    beginChunk: () => undefined,
    chunkDone(seq) {
      const packed = packer.take();
      return { message: { type: 'delivered', seq, packed }, transfer: transferables(packed) };
    },
    parts: undefined,
    finisher: () => undefined,
  };
}

/** A fold collector behind a NoteTaker: late lines and span records are dropped, the others noted and folded. */
function notingSink(collector: TraceCollector, taker: NoteTaker): IngestSink {
  return {
    borrowsEntries: collector.borrowsEntries,
    entry(e) {
      if (e.traceId === undefined || taker.admit(e.traceId, e.time)) collector.entry(e);
    },
    spans(r) {
      let kept: Span[] | undefined;
      r.spans.forEach((s, i) => {
        if (taker.admit(s.traceId, s.end)) kept?.push(s);
        else kept ??= r.spans.slice(0, i);
      });
      collector.spans(kept === undefined ? r : { ...r, spans: kept });
    },
  };
}
