// Completed traces on their way to the OTLP senders, with the reading that completes them held back
// while the senders are full, so that a slow receiver slows the reading down instead of letting
// completed traces pile up in memory:
//
//   completed traces ──push(trace)──▶ held ──pump──▶ each sender: open batch + requests out ──▶ receiver
//      ▲                                                  (its `unsettled` items)
//      └── ready(): the next trace, and reading, wait while a trace is held
//
// The pump hands the first held trace to every sender once each has room for it: its unsettled items
// plus the trace's stay within `limit`, or it has none (a trace larger than the limit goes alone). A
// sender without room and without a request out sends its open batch, so that room comes. Completed
// traces are pushed one at a time, each once ready() allows (model/paced-take.ts), whatever completed
// them (a chunk, the end of input, a turn of the --follow timer): what is held is one trace at most, and
// what the senders hold never passes the limit but for that lone large trace.
import type { ExportTrace } from './export-span.js';
import type { OtlpHttpSender } from './otlp-http.js';

/** Counts only tests read: after each change, spans held, and the most items unsettled in one sender. */
export interface SendObserver {
  queued(held: number, inSenders: number): void;
}

export class SendQueue {
  private readonly held: ExportTrace[] = [];
  private heldSpans = 0;
  /** Whether pump() is running, cleared as its loop ends: a push right after must start it again. */
  private pumping = false;
  private pumped: Promise<void> = Promise.resolve();
  /** Wakes the pump when a request settles (room may have come). */
  private wake: (() => void) | undefined;
  private readers: (() => void)[] = [];

  constructor(
    private readonly senders: readonly OtlpHttpSender[],
    private readonly limit: number,
    private readonly observer?: SendObserver,
  ) {
    for (const s of senders) {
      s.onSettled = () => {
        this.tell();
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
      };
    }
  }

  push(trace: ExportTrace): void {
    this.held.push(trace);
    this.heldSpans += trace.spans.length;
    this.tell();
    if (!this.pumping) {
      this.pumping = true;
      this.pumped = this.pump();
    }
  }

  /** Undefined when reading may go on; else resolves once nothing is held. */
  ready(): Promise<void> | undefined {
    if (this.held.length === 0) return undefined;
    return new Promise((resolve) => this.readers.push(resolve));
  }

  /** Resolves once every pushed trace is in its senders (their finish() sends the rest). */
  async drained(): Promise<void> {
    while (this.pumping) await this.pumped;
  }

  private async pump(): Promise<void> {
    try {
      while (this.held.length > 0) {
        const trace = this.held[0]!;
        const full = this.senders.filter((s) => s.unsettled > 0 && s.unsettled + s.itemsIn(trace) > this.limit);
        if (full.length > 0) {
          const settled = new Promise<void>((resolve) => (this.wake = resolve));
          for (const s of full) if (!s.busy) await s.sendOpen();
          await settled;
          continue;
        }
        this.held.shift();
        this.heldSpans -= trace.spans.length;
        await Promise.all(this.senders.map((s) => s.add(trace)));
        this.tell();
        if (this.held.length === 0) for (const resolve of this.readers.splice(0)) resolve();
      }
    } finally {
      // In the turn the loop ends, so that a trace pushed after it finds no pump and starts one.
      this.pumping = false;
    }
  }

  private tell(): void {
    if (this.observer === undefined) return;
    let most = 0;
    for (const s of this.senders) most = Math.max(most, s.unsettled);
    this.observer.queued(this.heldSpans, most);
  }
}
