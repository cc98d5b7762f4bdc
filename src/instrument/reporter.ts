/**
 * The span reporter: finished span records wait in a bounded queue and are written in batches, off
 * the request path:
 *
 *   endSpan ──push──> queue (≤ maxQueueSize) ──timer, or setImmediate when a batch is full──> pump ──> sink
 *
 * The pump writes a batch at a time, yielding to the event loop between batches, and writes nothing
 * while the sink is blocked (its write() returned false, until 'drain'): records then wait in the queue,
 * and once it is full new ones are dropped and counted. So a slow, stalled or broken sink never slows or
 * breaks a request, and the memory held is the queue's plus one batch in the sink's buffer. The next
 * pump reports how many were dropped (once, not per record).
 */
import type { Redactor } from './redact.js';
import { safeStringify, toJsonSafe } from './safe-json.js';
import { outletOf, type LineSink, type Outlet } from './sink.js';
import type { SpanRecord } from './tracer.js';

export interface ReporterOptions {
  sink: LineSink;
  maxQueueSize: number;
  maxBatchSize: number;
  flushIntervalMs: number;
  redactor: Redactor | undefined;
  /** Told, during a flush, how many records were dropped since it was last told. */
  onDrop: (dropped: number, droppedTotal: number) => void;
}

export interface TracerStats {
  queued: number;
  /** Records handed to the sink. */
  written: number;
  /** Records refused because the queue was full or the tracer shut down. */
  dropped: number;
  /** Records the sink refused or threw on, or that were still queued when a shutdown timed out. */
  lost: number;
}

/** How often a pump waiting for 'drain' looks again (a destroyed stream never drains). */
const RECHECK_MS = 250;

export class SpanReporter {
  private queue: SpanRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private pumping: Promise<void> | undefined;
  private closed = false;
  private stopped = false;
  private droppedSinceWarning = 0;
  private readonly counts = { written: 0, dropped: 0, lost: 0 };
  private readonly outlet: Outlet;

  constructor(private readonly options: ReporterOptions) {
    this.outlet = outletOf(options.sink);
  }

  enqueue(record: SpanRecord): void {
    if (this.closed || this.queue.length >= this.options.maxQueueSize) {
      this.counts.dropped++;
      if (!this.closed) this.droppedSinceWarning++;
      return;
    }
    this.queue.push(record);
    this.schedule();
  }

  stats(): TracerStats {
    return { queued: this.queue.length, ...this.counts };
  }

  /**
   * Write everything queued, waiting for the sink to drain as often as needed. Resolves when the sink
   * has handed the last byte over (to the OS, for a stream), or after `timeoutMs`. Never rejects.
   */
  flush(timeoutMs: number): Promise<void> {
    this.cancelScheduled();
    const done = this.pump().then(() => this.outlet.settled());
    return withTimeout(done, timeoutMs);
  }

  /**
   * Flush, then stop: records queued later are dropped (and counted). Records still queued when the
   * time is up are counted as lost.
   */
  async shutdown(timeoutMs: number): Promise<void> {
    this.closed = true;
    await this.flush(timeoutMs);
    this.stopped = true;
    this.cancelScheduled();
    this.counts.lost += this.queue.length;
    this.queue = [];
  }

  private schedule(): void {
    if (this.pumping !== undefined) return; // the running pump takes it
    if (this.queue.length >= this.options.maxBatchSize) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        void this.pump();
      });
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.pump();
      }, this.options.flushIntervalMs);
      // The reporter alone must not keep a process alive; shutdown() writes the last batch.
      this.timer.unref();
    }
  }

  private pump(): Promise<void> {
    this.pumping ??= this.run().finally(() => {
      this.pumping = undefined;
      if (this.queue.length > 0 && !this.stopped) this.schedule();
    });
    return this.pumping;
  }

  private async run(): Promise<void> {
    this.cancelScheduled();
    this.reportDrops();
    while (this.queue.length > 0 && !this.stopped) {
      if (this.outlet.closed) {
        this.counts.lost += this.queue.length;
        this.queue = [];
        break;
      }
      if (this.outlet.blocked) {
        await Promise.race([this.outlet.drained(), delay(RECHECK_MS)]);
        continue;
      }
      const batch = this.queue.splice(0, this.options.maxBatchSize);
      const lines = batch.map((r) => this.serialise(r));
      const ok = this.outlet.write(lines);
      this.counts.written += ok;
      this.counts.lost += lines.length - ok;
      // Between batches the event loop runs: requests are served while a backlog is written.
      if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      this.reportDrops();
    }
  }

  private cancelScheduled(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private reportDrops(): void {
    if (this.droppedSinceWarning === 0) return;
    const n = this.droppedSinceWarning;
    this.droppedSinceWarning = 0;
    try {
      this.options.onDrop(n, this.counts.dropped);
    } catch {
      // a warning that cannot be given must not stop the flush
    }
  }

  private serialise(r: SpanRecord): string {
    const redactor = this.options.redactor;
    const safe = { ...r, tags: toJsonSafe(r.tags, { redactor }), logs: toJsonSafe(r.logs, { redactor }) };
    try {
      // The other fields are strings and numbers the tracer made.
      return JSON.stringify(safe);
    } catch {
      return safeStringify(safe);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
}

/** `p`, or undefined after `ms`, whichever comes first; never rejects. */
function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([p.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}
