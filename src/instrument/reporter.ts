/**
 * The span reporter: finished span records wait in a bounded queue and are written in batches, off
 * the request path:
 *
 *   endSpan ──push──> queue (≤ maxQueueSize) ──timer, or setImmediate when a batch is full──> sink
 *
 * A slow or broken sink never slows or breaks a request. When the queue is full new records are dropped
 * and counted, and the next flush reports how many (once, not per record).
 */
import type { Redactor } from './redact.js';
import { safeStringify, toJsonSafe } from './safe-json.js';
import { writeLines, type LineSink } from './sink.js';
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
  written: number;
  dropped: number;
  /** Records the sink refused or threw on. */
  lost: number;
}

export class SpanReporter {
  private queue: SpanRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private droppedSinceWarning = 0;
  private readonly counts = { written: 0, dropped: 0, lost: 0 };

  constructor(private readonly options: ReporterOptions) {}

  enqueue(record: SpanRecord): void {
    if (this.closed || this.queue.length >= this.options.maxQueueSize) {
      this.counts.dropped++;
      if (!this.closed) this.droppedSinceWarning++;
      return;
    }
    this.queue.push(record);
    if (this.queue.length >= this.options.maxBatchSize) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        void this.flush();
      });
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.flushIntervalMs);
      // The reporter alone must not keep a process alive; shutdown() writes the last batch.
      this.timer.unref();
    }
  }

  stats(): TracerStats {
    return { queued: this.queue.length, ...this.counts };
  }

  /** Write everything queued now. Resolves when the sink has taken it. Never rejects. */
  flush(): Promise<void> {
    this.cancelScheduled();
    this.reportDrops();
    const pending: Promise<void>[] = [];
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatchSize);
      const lines = batch.map((r) => this.serialise(r));
      pending.push(
        new Promise<void>((resolve) => {
          const ok = writeLines(this.options.sink, lines, resolve);
          this.counts.written += ok;
          this.counts.lost += lines.length - ok;
        }),
      );
    }
    return Promise.all(pending).then(() => undefined);
  }

  /** Flush, then stop: records queued later are dropped (and counted). */
  async shutdown(): Promise<void> {
    await this.flush();
    this.closed = true;
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
    return safeStringify({ ...r, tags: toJsonSafe(r.tags, { redactor }), logs: toJsonSafe(r.logs, { redactor }) });
  }
}
