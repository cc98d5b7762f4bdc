import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StrictError, type IngestOptions } from '../ingest/read-inputs.js';
import type { Chunk } from '../input/chunker.js';
import type { BlockPool } from '../input/block-pool.js';
import type { ReadWindow } from '../input/read-window.js';
import type { PackedDeliveries } from '../ingest/packed-deliveries.js';
import type { TraceFinisher, TraceParts } from './finish-traces.js';
import type { ThreadEvent, ThreadObserver } from './observer.js';
import type { ThreadPlan } from './plan-threads.js';
import type { FinishSpec, FromWorker, ToWorker, WorkerJob } from './job.js';
import type { LineNotes } from '../model/line-notes.js';

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
/** Tests (IngestOptions.holdForTakeOver): how long this thread waits for the first worker to take over the end of its part. */
const HOLD_FOR_TAKE_OVER_MS = 60_000;

interface Slot {
  worker: Worker;
  /** A `summaries` or `folds` job's messages at the end: its trace ids, then its shared traces. */
  ids: Deferred<string[]>;
  parts: Deferred<unknown>;
  /**
   * Chunks handed over and not yet done, counted down by the worker itself: a "done" message would
   * wait for the main thread's event loop, which does not turn while it processes chunks of its own,
   * so the worker would sit idle with its work done and the main thread would think it busy.
   */
  inFlight: Int32Array;
  /** The MiB the worker's heap holds, as it last said (job.ts, `init`); 0 once it has ended. */
  heapMb: Int32Array;
  result: Promise<WorkerResult>;
  /** The lines of the part of a file it read itself (Pool.readRanges), as its `ids` message says. */
  rangeLines?: number;
  /** The lines of the end of this thread's part it took over and read before its own (undefined: not known). */
  takenLines?: number | undefined;
}

export interface WorkerResult {
  /** What finished the worker's own traces (TraceFinisher.exportDone). */
  done?: unknown;
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
  promise.catch(() => undefined); // awaited only by a job's end; a failure is reported through `result`
  return { promise, resolve, reject };
}

/** The events a job's end counts (ThreadObserver): traces held in parts, traces finished on workers. */
export interface FinishEvents {
  shared: ThreadEvent;
  done: ThreadEvent;
}

/** The worker threads of one read, and the talk with them. */
export class Pool {
  private slots: Slot[] = [];
  private failure: Error | undefined;
  private cancelled = false;

  constructor(
    private readonly size: number,
    private job: WorkerJob,
    private readonly options: IngestOptions,
    /** Where the blocks of the chunks handed over go back to, once a worker is done with them. */
    private readonly blocks: BlockPool,
    private readonly plan: ThreadPlan,
    private readonly observer: ThreadObserver | undefined,
    private readonly onDelivered?: (seq: number, packed: PackedDeliveries) => void,
  ) {}

  private count(event: ThreadEvent, n = 1): void {
    this.observer?.count?.(event, n);
  }

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
      this.count('ranges');
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
    this.count('handedOut');
    if (c.owned) this.count('moved');
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
      ...(c.leadIn ? { leadIn: c.leadIn } : {}),
    };
    slot.worker.postMessage(msg, [bytes.buffer as ArrayBuffer]);
    return true;
  }

  /** The workers' job, decided before the first chunk is offered (workers may have started already). */
  setJob(job: WorkerJob, completes = false): void {
    this.job = job;
    this.completes = completes;
    for (const s of this.slots) s.worker.postMessage({ type: 'job', job, ...(completes ? { completes } : {}) } satisfies ToWorker);
  }

  /** A `folds` job that completes (complete-on-threads.ts): where each chunk's notes and the closed traces handed back go. */
  private completes = false;
  onNotes: (seq: number, notes: LineNotes, worker: number) => void = () => undefined;
  onClosedParts: (ids: string[], state: unknown) => void = () => undefined;

  /** Every worker: these traces are closed after chunk `after`. */
  closing(ids: string[], after: number): void {
    for (const s of this.slots) s.worker.postMessage({ type: 'closing', ids, after } satisfies ToWorker);
  }

  /** Worker `w`: analyse the closed traces whole there, hand back those held elsewhere too. */
  complete(w: number, spec: FinishSpec, analyse: string[], handBack: string[]): void {
    this.slots[w]!.worker.postMessage({ type: 'complete', spec, analyse, handBack } satisfies ToWorker);
  }

  /**
   * The end of a `summaries` or `folds` job. Each worker sends the ids of the traces it holds; an id held
   * by two threads or more is shared, the rest are whole where they are. The workers hand back their
   * shared traces and finish the rest, while this thread finishes its own whole ones; then it absorbs
   * the shared parts, finishes those traces, and merges what each worker finished. Every trace is
   * finished once, whole.
   */
  async finishTraces(parts: TraceParts, finisher: TraceFinisher, events: FinishEvents): Promise<WorkerResult[]> {
    try {
      for (const s of this.slots) s.worker.postMessage({ type: 'finish', spec: finisher.spec } satisfies ToWorker);
      const shared = await this.shareOut((id) => parts.holds(id));
      this.count(events.shared, shared.size);
      finisher.finish(shared);
      for (const s of this.slots) parts.absorb(await s.parts.promise);
      finisher.finishOnly(shared); // whole here, their parts absorbed
    } catch (err) {
      this.cancel();
      throw this.failure ?? err;
    }
    const results = await this.finish(false);
    for (const r of results) if (r.done !== undefined) this.count(events.done, finisher.absorbDone(r.done));
    return results;
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

  /** Rejects when a worker fails (never resolves otherwise): for a wait on what the workers send. */
  failed(): Promise<never> {
    // One promise for every wait, once the workers run (before, there is nothing to fail).
    if (this.slots.length === 0) return new Promise<never>(() => undefined);
    this.failure$ ??= Promise.race(this.slots.map((s) => s.result)).then(() => new Promise<never>(() => undefined));
    return this.failure$;
  }
  private failure$: Promise<never> | undefined;

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

  /** `tell`: send the workers "finish" (finishTraces has already). */
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
    const { signal: _signal, pace: _pace, ...options } = this.options;
    this.observer?.workerHeaps?.(() => this.slots.reduce((sum, slot) => sum + Atomics.load(slot.heapMb, 0), 0) * 2 ** 20);
    for (let i = 0; i < this.size; i++) {
      const index = i;
      const worker = new Worker(workerFile(), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      const slot: Slot = {
        worker,
        inFlight: new Int32Array(new SharedArrayBuffer(4)),
        heapMb: new Int32Array(new SharedArrayBuffer(4)),
        ids: deferred(),
        parts: deferred(),
        result: undefined as never,
      };
      slot.result = new Promise((resolve, reject) => {
        const fail = (err: Error) => {
          slot.ids.reject(err);
          slot.parts.reject(err);
          reject(err);
        };
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'block') {
            this.count('back');
            this.blocks.give(m.memory);
          } else if (m.type === 'delivered') this.onDelivered?.(m.seq, m.packed);
          else if (m.type === 'notes') this.onNotes(m.seq, m.notes, index);
          else if (m.type === 'closedParts') this.onClosedParts(m.ids, m.state);
          else if (m.type === 'ids') {
            slot.rangeLines = m.lines;
            slot.takenLines = m.taken?.lines;
            this.count('taken', m.taken?.pieces ?? 0);
            slot.ids.resolve(m.ids);
          } else if (m.type === 'parts') slot.parts.resolve(m.state);
          else if (m.type === 'result') resolve({ done: m.done, stats: m.stats });
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
          Atomics.store(slot.heapMb, 0, 0);
          if (code !== 0) fail(new Error(`worker exited with code ${code}`));
        });
      });
      worker.once('online', () => this.observer?.workerOnline?.(this.plan));
      worker.postMessage({ type: 'init', job: this.job, options, inFlight: slot.inFlight, stop: this.stop, heapMb: slot.heapMb } satisfies ToWorker);
      if (this.completes) worker.postMessage({ type: 'job', job: this.job, completes: true } satisfies ToWorker);
      this.slots.push(slot);
    }
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
