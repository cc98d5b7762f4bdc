import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EntryNormalizer } from '../entries/normalize-entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { ingest, processChunk, StrictError, type ChunkHandler, type IngestOptions } from '../ingest/read-inputs.js';
import type { Chunk } from '../input/chunker.js';
import type { SourceSpec } from '../input/open-source.js';
import { SummaryCollector, type SummaryState } from '../model/collect-summaries.js';
import type { Collector, FromWorker, JobSpec, ToWorker } from './job.js';

/** Workers start only once this much input has been read here: below it, starting them costs more than it saves. */
const START_AFTER_BYTES = 8 << 20;
/** The size of the chunks a source is cut into when threads share the work. */
const THREADED_CHUNK_BYTES = 4 << 20;
/** Chunks a worker may hold at once: enough to keep it busy, few enough to keep memory flat. */
const MAX_IN_FLIGHT = 2;

/**
 * Reads the sources into `collector`, with up to `threads` threads: the main thread reads and cuts the
 * input into chunks of whole lines; once the input proves large, chunks go to `threads - 1` workers,
 * and to the main thread itself whenever every worker already holds enough. Each worker fills a
 * collector of its own; at the end their states are folded in, and the result is the same as one
 * thread's (tests hold it to that). `--strict` stays on one thread, so "the first bad line" is the first.
 */
export async function readInto(
  sources: readonly SourceSpec[],
  job: JobSpec,
  collector: Collector,
  options: IngestOptions,
  threads: number,
  startAfterBytes = START_AFTER_BYTES,
): Promise<IngestStats> {
  const stats = new IngestStats();
  // Threads pay off only where a worker's result is small: per-trace summaries. Whole traces would come
  // back as every entry, cloned across threads, which costs more than the parsing it saves (latency on
  // 250 MB: 4.3 s on one thread, 4.7 s on two); one trace by id reads at memory speed anyway.
  if (threads <= 1 || options.strict || job.kind !== 'summaries' || !(collector instanceof SummaryCollector)) {
    return ingest(sources, collector, options, stats);
  }
  // Larger chunks when threads share the work: fewer traces straddle two threads, so there is less to
  // clone back and merge (250 MB: 2.3–2.4 s with 4 MiB chunks against 2.5–2.6 s with 1 MiB).
  options = { ...options, chunkBytes: options.chunkBytes ?? THREADED_CHUNK_BYTES };
  const pool = new Pool(threads - 1, options);
  const normalizer = new EntryNormalizer(options.normalize);
  // Files that are surely large enough: start the workers now, so they are ready when the first chunks
  // are (a worker takes ~50 ms to load). For pipes the size shows only as it is read.
  let seen = fileBytes(sources) > startAfterBytes ? Infinity : 0;
  if (seen === Infinity) pool.start();
  const handler: ChunkHandler = {
    chunk(c: Chunk, source: string) {
      seen += c.bytes.length;
      if (seen > startAfterBytes && pool.offer(c, source)) return;
      processChunk(c, source, collector, options, stats, normalizer);
    },
  };
  try {
    await ingest(sources, collector, options, stats, handler);
  } finally {
    const results = await pool.finish();
    for (const r of results) {
      collector.absorb(r.state);
      stats.merge(Object.setPrototypeOf(r.stats, IngestStats.prototype) as IngestStats);
    }
    if (results.length > 0) stats.restoreOrder(sources.map((s) => s.name));
  }
  return stats;
}

interface Slot {
  worker: Worker;
  /**
   * Chunks handed over and not yet done, counted down by the worker itself: a "done" message would
   * wait for the main thread's event loop, which does not turn while it processes chunks of its own,
   * so the worker would sit idle with its work done and the main thread would think it busy.
   */
  inFlight: Int32Array;
  result: Promise<{ state: SummaryState; stats: unknown }>;
}

class Pool {
  private slots: Slot[] = [];
  private failure: Error | undefined;

  constructor(
    private readonly size: number,
    private readonly options: IngestOptions,
  ) {}

  /** Hand a chunk to a worker with room; false when all are busy (the caller does it itself). */
  offer(c: Chunk, source: string): boolean {
    if (this.failure) throw this.failure;
    this.start();
    const slot = this.slots.find((s) => Atomics.load(s.inFlight, 0) < MAX_IN_FLIGHT);
    if (!slot) return false;
    // A chunk may be a view into a larger buffer: copy it into its own, which can then move without copying.
    const bytes = new Uint8Array(c.bytes);
    Atomics.add(slot.inFlight, 0, 1);
    const msg: ToWorker = { type: 'chunk', bytes, source, firstLine: c.firstLine, lines: c.lines, ...(c.markers ? { markers: c.markers } : {}) };
    slot.worker.postMessage(msg, [bytes.buffer]);
    return true;
  }

  /** Start the workers (offer() does it at the first chunk otherwise). */
  start(): void {
    if (this.slots.length === 0) this.spawn();
  }

  async finish(): Promise<{ state: SummaryState; stats: unknown }[]> {
    for (const s of this.slots) s.worker.postMessage({ type: 'finish' } satisfies ToWorker);
    const results = await Promise.allSettled(this.slots.map((s) => s.result));
    for (const s of this.slots) void s.worker.terminate();
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    if (this.failure) throw this.failure;
    return results.map((r) => (r as PromiseFulfilledResult<{ state: SummaryState; stats: unknown }>).value);
  }

  private spawn(): void {
    const { signal: _signal, ...options } = this.options;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(workerFile());
      const slot: Slot = { worker, inFlight: new Int32Array(new SharedArrayBuffer(4)), result: undefined as never };
      slot.result = new Promise((resolve, reject) => {
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'result') resolve({ state: m.state, stats: m.stats });
          else {
            const err = m.strict ? new StrictError(m.message) : new Error(`worker: ${m.message}`);
            this.failure ??= err;
            reject(err);
          }
        });
        worker.on('error', (err) => {
          this.failure ??= err;
          reject(err);
        });
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`worker exited with code ${code}`));
        });
      });
      worker.postMessage({ type: 'init', options, inFlight: slot.inFlight } satisfies ToWorker);
      this.slots.push(slot);
    }
  }
}

/** The bytes of the sources that are regular files (stdin and what cannot be stat'ed count 0). */
function fileBytes(sources: readonly SourceSpec[]): number {
  let n = 0;
  for (const s of sources) {
    if (s.stdin) continue;
    try {
      const st = statSync(s.name);
      if (st.isFile()) n += st.size;
    } catch {
      // the reader reports it
    }
  }
  return n;
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
