import { getHeapStatistics } from 'node:v8';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { EntryNormalizer } from '../entries/normalize-entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { countOverlong, processChunk, StrictError } from '../ingest/read-inputs.js';
import { describeFsError } from '../input/open-source.js';
import { newlinesIn, readRange } from '../input/read-range.js';
import { ReadWindow } from '../input/read-window.js';
import { BlockPool } from '../input/block-pool.js';
import { takeOver } from './steal-range.js';
import { workerSide, type WorkerSide } from './worker-jobs.js';
import type { TraceFinisher } from './finish-traces.js';
import type { FinishSpec, FromWorker, ToWorker, WorkerOptions } from './job.js';

/**
 * A worker thread: processes the chunks it is handed, or the part of a file it is told to read, exactly
 * as the main thread would (same line processor, same normalizer), into its job's side (worker-jobs.ts).
 * A `deliveries` job hands each chunk back packed as soon as it is done, and only its stats at the end;
 * a `summaries` or `folds` job sends its trace ids when told to finish (or at the end of its range), then
 * hands back the traces another thread holds a part of and finishes the rest (rows, analysis).
 * Everything a worker keeps lives in its one WorkerContext, made at `init`.
 */
class WorkerContext {
  private side: WorkerSide;
  private readonly normalizer: EntryNormalizer;
  private readonly stats = new IngestStats();
  /** What finishes its traces, once the main thread has sent the spec. */
  private finisher: TraceFinisher | undefined;
  /** The lines of the range this worker read (a `range` message), if it read one. */
  private rangeLines: number | undefined;
  /** The end of the main thread's part this worker took over: pieces, and their lines (undefined: not known). */
  private readonly taken: { pieces: number; lines: number | undefined } = { pieces: 0, lines: 0 };
  /** Whether the trace ids went already (at the end of a range: nothing more comes to this worker). */
  private idsSent = false;
  /** The memory of this worker's reads, for all the parts it reads. */
  private readonly blocks = new BlockPool(2);

  constructor(
    private readonly port: MessagePort,
    init: Extract<ToWorker, { type: 'init' }>,
    private readonly options: WorkerOptions = init.options,
    /** Counted down as each chunk handed over is done. */
    private readonly inFlight = init.inFlight,
    /** Set to 1 by the main thread when the run is interrupted. */
    private readonly stop = init.stop,
    /** Where this worker says how much its heap holds (job.ts, `init`). */
    private readonly heapMb = init.heapMb,
  ) {
    this.side = workerSide(init.job);
    this.normalizer = new EntryNormalizer(this.options.normalize, this.stats);
  }

  handle(m: ToWorker): void {
    switch (m.type) {
      case 'init':
        return;
      case 'job':
        this.side = workerSide(m.job, m.completes);
        return;
      case 'closing':
        this.side.taker?.closed.close(m.ids, m.after);
        return;
      case 'complete':
        return this.complete(m);
      case 'chunk':
        return this.chunk(m);
      case 'range':
        return this.range(m);
      case 'finish':
        return this.finish(m.spec);
      case 'shared':
        return this.shared(m);
    }
  }

  private send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(m, transfer);
  }

  private chunk(m: Extract<ToWorker, { type: 'chunk' }>): void {
    const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
    const lead = m.leadIn;
    const leadIn = lead && { ...lead, bytes: Buffer.from(lead.bytes.buffer, lead.bytes.byteOffset, lead.bytes.byteLength) };
    const chunk = { bytes, firstLine: m.firstLine, lines: m.lines, ...(m.markers ? { markers: m.markers } : {}), ...(leadIn ? { leadIn } : {}) };
    this.side.beginChunk(m.seq, m.at);
    processChunk(chunk, m.source, this.side.sink, this.options, this.stats, this.normalizer);
    this.tellHeap();
    const back = this.side.chunkDone(m.seq);
    if (back) this.send(back.message, back.transfer);
    // Before the count goes down: the main thread then may read into the block again at once.
    if (m.handBack) this.send({ type: 'block', memory: m.bytes.buffer as ArrayBuffer }, [m.bytes.buffer as ArrayBuffer]);
    Atomics.sub(this.inFlight, 0, 1);
  }

  private range(m: Extract<ToWorker, { type: 'range' }>): void {
    this.rangeLines = this.readPart(m.source, m.start, m.end, m.chunkBytes, 1, this.stats);
    if (m.window !== undefined) this.takeOverTheEnd(m.source, new ReadWindow(m.window), m.chunkBytes);
    this.blocks.close();
    if (m.done) {
      Atomics.store(m.done, 0, 1);
      Atomics.notify(m.done, 0);
    }
    // A range is all this worker reads: its ids go now, to be at hand when the main thread's reading
    // ends (sent at "finish", they arrived ~40 ms into the main thread's wait).
    if (this.side.parts) this.sendIds();
  }

  /** Closed traces (complete-on-threads.ts): those whole here analysed now, the others handed back. */
  private complete(m: Extract<ToWorker, { type: 'complete' }>): void {
    const parts = this.side.parts!;
    this.finisher ??= this.side.finisher(m.spec)!;
    if (m.analyse.length > 0) {
      const except = new Set(parts.traceIds());
      for (const id of m.analyse) except.delete(id);
      this.finisher.finish(except);
    }
    if (m.handBack.length > 0) {
      const taken = parts.take(m.handBack);
      this.send({ type: 'closedParts', ids: m.handBack, state: taken.state }, taken.transfer);
    }
  }

  private finish(spec: FinishSpec | undefined): void {
    // A finisher made for completed traces already holds what they gave.
    this.finisher ??= spec === undefined ? undefined : this.side.finisher(spec);
    if (this.finisher !== undefined) return this.sendIds();
    // A `deliveries` job's end: its chunks went back as they were done.
    this.send({ type: 'result', stats: this.stats });
    this.port.close();
  }

  /** The traces another thread holds parts of go back; the rest are finished here. */
  private shared(m: Extract<ToWorker, { type: 'shared' }>): void {
    const parts = this.side.parts!;
    const finisher = this.finisher!;
    if (m.lineShift) {
      // The places of the traces, only for a result that shows them; unknown (after Ctrl-C), they keep
      // the lines of the part (the places decide ties).
      if (m.lineShift.by !== undefined && finisher.showsPlaces) parts.shiftLines(m.lineShift.source, m.lineShift.by);
      this.stats.shiftLines(m.lineShift.source, m.lineShift.by);
    }
    const taken = parts.take(m.ids);
    this.send({ type: 'parts', state: taken.state }, taken.transfer);
    finisher.finish();
    const done = finisher.exportDone();
    this.stats.late += this.side.taker?.late ?? 0;
    this.send({ type: 'result', done: done.done, stats: this.stats }, done.transfer);
    this.port.close();
  }

  /** The ids of the traces this worker holds, and the lines of its range if it read one. */
  private sendIds(): void {
    if (this.idsSent) return;
    this.idsSent = true;
    const ids = this.side.parts!.traceIds();
    this.send({ type: 'ids', ids, ...(this.rangeLines !== undefined ? { lines: this.rangeLines, taken: this.taken } : {}) });
  }

  private stopped = (): boolean => Atomics.load(this.stop, 0) === 1;

  /** What this heap holds, garbage not yet collected included: a few µs a chunk of megabytes. */
  private tellHeap(): void {
    Atomics.store(this.heapMb, 0, Math.ceil(getHeapStatistics().used_heap_size / 2 ** 20));
  }

  /**
   * Reads [start, end) of `source`, its lines numbered from `firstLine` there, into this worker's side,
   * counting into `into`; the lines read.
   */
  private readPart(source: string, start: number, end: number, chunkBytes: number, firstLine: number, into: IngestStats): number {
    const { options, side, normalizer } = this;
    let at = start;
    const limits = { blockBytes: chunkBytes, maxLineBytes: options.maxLineBytes, ...(options.maxDocumentBytes !== undefined ? { maxDocumentBytes: options.maxDocumentBytes } : {}) };
    const read = readRange(source, start, end, { ...limits, firstLine, stopped: this.stopped, blocks: this.blocks }, (chunk) => {
      side.beginChunk(0, at);
      at += chunk.bytes.length;
      processChunk(chunk, source, side.sink, options, into, normalizer);
      this.tellHeap();
    });
    countOverlong(read.overlong, into, options, source);
    if (read.error !== undefined) into.failedSources.push(`${source}: ${describeFsError(read.error)}`);
    return read.lines;
  }

  /**
   * The end of the main thread's part, taken over as long as enough is left (steal-range.ts), each piece
   * numbered back from this worker's part. Each piece's stats are kept apart until it is read, so that
   * its first few examples and warnings are kept beside the part's (restoreOrder picks the first of all).
   */
  private takeOverTheEnd(source: string, window: ReadWindow, chunkBytes: number): void {
    const taken = this.taken;
    while (!this.stopped() && taken.lines !== undefined) {
      const piece = takeOver(source, window, chunkBytes);
      if (piece === undefined) return;
      taken.pieces++;
      const buf = this.blocks.take(chunkBytes);
      try {
        taken.lines += newlinesIn(source, piece.start, piece.end, buf);
      } catch (err) {
        // The piece is this worker's now but cannot be numbered: it is not read, and the places say so.
        taken.lines = undefined;
        this.stats.failedSources.push(`${source}: ${describeFsError(err)}`);
        return;
      } finally {
        this.blocks.give(buf.buffer as ArrayBuffer);
      }
      const own = new IngestStats();
      this.readPart(source, piece.start, piece.end, chunkBytes, 1 - taken.lines, own);
      this.stats.merge(own);
    }
  }
}

const port = parentPort!;
let context: WorkerContext | undefined;
port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'init') context = new WorkerContext(port, m);
    context!.handle(m);
  } catch (err) {
    port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err), strict: err instanceof StrictError } satisfies FromWorker);
  }
});
