import { parentPort } from 'node:worker_threads';
import { EntryNormalizer } from '../entries/normalize-entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { processChunk, StrictError, type IngestOptions } from '../ingest/read-inputs.js';
import { SummaryCollector } from '../model/collect-summaries.js';
import { TraceCollector } from '../model/collect-traces.js';
import { DeliveryPacker, transferables } from '../ingest/packed-deliveries.js';
import { analysisShowsPlaces, TraceAnalyzer, type AnalysisJob } from '../analyze/trace-analysis.js';
import { GroupRows, type GroupSpec } from '../analyze/group-rows.js';
import { countOverlong } from '../ingest/read-inputs.js';
import { describeFsError } from '../input/open-source.js';
import { newlinesIn, readRange } from '../input/read-range.js';
import { ReadWindow } from '../input/read-window.js';
import { BlockPool } from '../input/block-pool.js';
import { takeOver } from './steal-range.js';
import type { FromWorker, ToWorker, WorkerJob } from './job.js';

/**
 * A worker thread: processes the chunks it is handed exactly as the main thread would (same line
 * processor, same normalizer). For a `summaries` job into its own per-trace summaries, handed back with
 * its stats when told to finish; for a `deliveries` job, each chunk's spans and entries are packed and
 * handed back as soon as the chunk is done, and only the stats at the end; for a `folds` job into a
 * fold-mode trace collector, whose traces are analysed at the end (those no other thread holds part of)
 * or handed back (those another does). A `summaries` job told at the end to make group's rows does
 * likewise: the rows of the traces only it holds, the summaries of the others handed back.
 */
let summaries: SummaryCollector | undefined;
let packer: DeliveryPacker | undefined;
let folds: TraceCollector | undefined;
let analysis: AnalysisJob | undefined;
let rowSpec: GroupSpec | undefined;
let options: IngestOptions | undefined;
let normalizer: EntryNormalizer | undefined;
let inFlight: Int32Array | undefined;
let stop: Int32Array | undefined;
const stats = new IngestStats();
/** The lines of the range this worker read (a `range` message), if it read one. */
let rangeLines: number | undefined;
/** The end of the main thread's part this worker took over: pieces, and their lines (undefined: not known). */
const taken: { pieces: number; lines: number | undefined } = { pieces: 0, lines: 0 };
/** Whether the trace ids went already (at the end of a range: nothing more comes to this worker). */
let idsSent = false;

/** The ids of the traces this worker holds, and the lines of its range if it read one. */
function sendIds(): void {
  if (idsSent) return;
  idsSent = true;
  const ids = folds ? folds.traceIds() : [...summaries!.summaries.keys()];
  send({ type: 'ids', ids, ...(rangeLines !== undefined ? { lines: rangeLines, taken } : {}) });
}

/**
 * Reads [start, end) of `source`, its lines numbered from `firstLine` there, into this worker's collector,
 * counting into `into`; the lines read.
 */
function readPart(source: string, start: number, end: number, chunkBytes: number, firstLine: number, into: IngestStats): number {
  let at = start;
  const read = readRange(source, start, end, { blockBytes: chunkBytes, maxLineBytes: options!.maxLineBytes, ...(options!.maxDocumentBytes !== undefined ? { maxDocumentBytes: options!.maxDocumentBytes } : {}), firstLine, stopped, blocks }, (chunk) => {
    folds?.beginChunkAt(at);
    at += chunk.bytes.length;
    processChunk(chunk, source, summaries ?? folds ?? packer!, options!, into, normalizer!);
  });
  countOverlong(read.overlong, into, options!, source);
  if (read.error !== undefined) into.failedSources.push(`${source}: ${describeFsError(read.error)}`);
  return read.lines;
}

const stopped = (): boolean => Atomics.load(stop!, 0) === 1;
/** The memory of this worker's reads, for all the parts it reads. */
const blocks = new BlockPool(2);

/**
 * The end of the main thread's part, taken over as long as enough is left (steal-range.ts), each piece
 * numbered back from this worker's part. Each piece's stats are kept apart until it is read, so that
 * its first few examples and warnings are kept beside the part's (restoreOrder picks the first of all).
 */
function takeOverTheEnd(source: string, window: ReadWindow, chunkBytes: number): void {
  while (!stopped() && taken.lines !== undefined) {
    const piece = takeOver(source, window, chunkBytes);
    if (piece === undefined) return;
    taken.pieces++;
    const buf = blocks.take(chunkBytes);
    try {
      taken.lines += newlinesIn(source, piece.start, piece.end, buf);
    } catch (err) {
      // The piece is this worker's now but cannot be numbered: it is not read, and the places say so.
      taken.lines = undefined;
      stats.failedSources.push(`${source}: ${describeFsError(err)}`);
      return;
    } finally {
      blocks.give(buf.buffer as ArrayBuffer);
    }
    const own = new IngestStats();
    readPart(source, piece.start, piece.end, chunkBytes, 1 - taken.lines, own);
    stats.merge(own);
  }
}

const port = parentPort!;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

function setJob(job: WorkerJob): void {
  summaries = job === 'summaries' ? new SummaryCollector() : undefined;
  packer = job === 'deliveries' ? new DeliveryPacker() : undefined;
  folds = job === 'folds' ? new TraceCollector(undefined, { fold: true }) : undefined;
}

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'init') {
      setJob(m.job);
      options = m.options;
      normalizer = new EntryNormalizer(options.normalize, stats);
      inFlight = m.inFlight;
      stop = m.stop;
    } else if (m.type === 'chunk') {
      const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      const chunk = { bytes, firstLine: m.firstLine, lines: m.lines, ...(m.markers ? { markers: m.markers } : {}) };
      if (m.at !== undefined) folds?.beginChunkAt(m.at);
      else folds?.beginChunk(m.seq);
      processChunk(chunk, m.source, summaries ?? folds ?? packer!, options!, stats, normalizer!);
      if (packer) {
        const packed = packer.take();
        send({ type: 'delivered', seq: m.seq, packed }, transferables(packed));
      }
      // Before the count goes down: the main thread then may read into the block again at once.
      if (m.handBack) send({ type: 'block', memory: m.bytes.buffer as ArrayBuffer }, [m.bytes.buffer as ArrayBuffer]);
      Atomics.sub(inFlight!, 0, 1);
    } else if (m.type === 'range') {
      rangeLines = readPart(m.source, m.start, m.end, m.chunkBytes, 1, stats);
      if (m.window !== undefined) takeOverTheEnd(m.source, new ReadWindow(m.window), m.chunkBytes);
      blocks.close();
      if (m.done) {
        Atomics.store(m.done, 0, 1);
        Atomics.notify(m.done, 0);
      }
      // A range is all this worker reads: its ids go now, to be at hand when the main thread's reading
      // ends (sent at "finish", they arrived ~40 ms into the main thread's wait).
      if (folds || summaries) sendIds();
    } else if (m.type === 'job') {
      setJob(m.job);
    } else if (m.type === 'finish' && folds && m.analysis) {
      analysis = m.analysis;
      sendIds();
    } else if (m.type === 'finish' && summaries && m.rows) {
      rowSpec = m.rows;
      sendIds();
    } else if (m.type === 'shared' && summaries && rowSpec) {
      if (m.lineShift) {
        // Unknown (after Ctrl-C), ties keep the lines of the part.
        if (m.lineShift.by !== undefined) summaries.shiftLines(m.lineShift.source, m.lineShift.by);
        stats.shiftLines(m.lineShift.source, m.lineShift.by);
      }
      const state = summaries.takeSummaries(m.ids);
      send({ type: 'summaries', state }, [state.nums.buffer as ArrayBuffer, state.refs.buffer as ArrayBuffer]);
      const rows = new GroupRows(rowSpec);
      rows.add(summaries);
      const packed = rows.pack();
      send({ type: 'result', rows: { packed, traces: rows.traces, misses: rows.misses.exportState() }, stats }, [packed.nums.buffer as ArrayBuffer, packed.refs.buffer as ArrayBuffer]);
      port.close();
    } else if (m.type === 'shared') {
      if (m.lineShift) {
        // The spans' lines, only for an analysis that shows them (none does); unknown (after Ctrl-C),
        // they keep the lines of the part.
        if (m.lineShift.by !== undefined && analysisShowsPlaces(analysis!.spec)) folds!.shiftLines(m.lineShift.source, m.lineShift.by);
        stats.shiftLines(m.lineShift.source, m.lineShift.by);
      }
      const state = folds!.takeFolds(m.ids);
      send({ type: 'folds', state }, [state.folds.nums.buffer as ArrayBuffer, state.folds.refs.buffer as ArrayBuffer]);
      const analyzer = new TraceAnalyzer(analysis!);
      analyzer.run(folds!);
      send({ type: 'result', analysis: analyzer.exportState(), stats });
      port.close();
    } else {
      send({ type: 'result', stats }); // a `deliveries` job's end: its chunks went back as they were done
      port.close();
    }
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err), strict: err instanceof StrictError });
  }
});
