// Completed traces taken out of a collector one at a time, each only once `room()` allows, whatever
// completed them: a line of a chunk, the end of input, a turn of the --follow timer. Completing is
// bookkeeping (model/trace-completion.ts); a completed trace stays in the collector as the lines it was
// while open until its turn comes, so that a consumer that must not hold many traces at once (export's
// send queue) holds one:
//
//   chunk / timer ──completed()──▶ traces done, still in the collector
//                                         │ one at a time, after room()
//                                         ▼
//                                   each(traceId, spans) ──▶ consumer
//   reading ◀── ready(): waits until every completed trace was taken, and then for room()
//
// Lines that arrive for a trace already completed are late and never reach the collector (the
// completion refuses them), so a trace waiting its turn is taken as it was when it completed. Without a
// room() the traces are taken at once, in completed() and end().
import type { Span } from './span.js';
import type { TraceCollector } from './collect-traces.js';

export class PacedTake {
  /** Traces completed since the last pass began. */
  private pending = false;
  private running: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  /**
   * `open`: the traces still open (not to be taken); `room`: undefined when the next trace may be taken,
   * else what to wait for first (none: never wait). A collector that folds releases its folds at the end
   * of a pass, all at once, and lines may come in while a pass waits: it is taken without waiting.
   */
  constructor(
    private readonly collector: TraceCollector,
    private readonly events: boolean,
    private readonly open: () => ReadonlySet<string>,
    private readonly each: (traceId: string, spans: Span[]) => void,
    private readonly room?: () => Promise<void> | undefined,
  ) {
    if (room !== undefined && collector.borrowsEntries) throw new Error('a folding collector is taken without waiting');
  }

  /** Traces have completed: taken from now on, in turn. */
  completed(): void {
    if (this.room === undefined) return this.takeNow(this.open());
    this.pending = true;
    if (this.running === undefined) this.start();
  }

  /** For reading to wait on: undefined when every completed trace was taken and there is room. */
  ready(): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure.error);
    if (this.running !== undefined) return this.running.then(() => this.ready());
    return this.room?.();
  }

  /** The input ended: every trace left in the collector, open or not, taken in turn. */
  async end(): Promise<void> {
    while (this.running !== undefined) await this.running;
    if (this.failure !== undefined) throw this.failure.error;
    if (this.room === undefined) this.takeNow(undefined);
    else await this.pass(undefined);
  }

  private start(): void {
    this.running = this.passes().then(
      () => {
        this.running = undefined;
        if (this.pending) this.start();
      },
      (error: unknown) => {
        this.running = undefined;
        this.failure = { error };
      },
    );
  }

  private async passes(): Promise<void> {
    while (this.pending) {
      this.pending = false;
      await this.pass(this.open());
    }
  }

  /** Without a room to wait for: every trace but `except`, at once (an error is the caller's). */
  private takeNow(except: ReadonlySet<string> | undefined): void {
    for (const { traceId, spans } of this.collector.traceSpans(this.events, true, except)) this.each(traceId, spans);
  }

  /**
   * The traces held now but `except`, in the order they were first seen, each after room(). Which to take is
   * decided at once, with `except`: a trace that comes while the pass waits is open, whatever `except` says.
   */
  private async pass(except: ReadonlySet<string> | undefined): Promise<void> {
    const ids = this.collector.traceIds().filter((id) => !except?.has(id));
    for (const id of ids) {
      const wait = this.room?.();
      if (wait !== undefined) await wait;
      this.each(id, this.collector.takeSpans(id, this.events));
    }
  }
}
