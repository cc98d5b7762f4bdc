/**
 * Where lines go: a function, or anything with a `write(string)` (a Writable, process.stdout). Writing
 * never throws into the caller: a sink that throws, rejects or has been destroyed loses that line, and
 * the caller is told so through the return value (for counting), not an exception.
 *
 * A Writable's `write()` returning false means "wait for 'drain'": a pipe whose reader is slow or stalled
 * otherwise buffers everything written to it inside this process. `Outlet` keeps that state per sink, so
 * that the logger and the span reporter writing to the same stdout both see it:
 *
 *   write() → false ──> blocked ── 'drain' ──> open
 *                        │ reporter: writes nothing, records wait in its bounded queue
 *                        │ logger:   writes up to BLOCKED_ALLOWANCE bytes more, then drops and counts
 */

export interface WritableLike {
  /** As a Writable's: false asks the writer to wait for 'drain'. */
  write(chunk: string, cb?: (err?: Error | null) => void): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  readonly destroyed?: boolean;
  readonly writableEnded?: boolean;
  /** As a Writable's: a write returned false and 'drain' has not come yet (whoever wrote). */
  readonly writableNeedDrain?: boolean;
}

export type LineSink = ((line: string) => void) | WritableLike;

/** Bytes the logger may still hand to a blocked sink; past them its lines are dropped and counted. */
export const BLOCKED_ALLOWANCE = 4 * 1024 * 1024;

/**
 * The process's stdout, looked up at write time (tests and hosts may replace it). A Writable, so that its
 * backpressure and its write callbacks (the bytes handed to the OS) reach the writers.
 */
export const stdoutSink: WritableLike = {
  write: (chunk, cb) => process.stdout.write(chunk, cb),
  once: (event, listener) => process.stdout.once(event, listener),
  get destroyed() {
    return process.stdout.destroyed;
  },
  get writableEnded() {
    return process.stdout.writableEnded;
  },
  get writableNeedDrain() {
    return process.stdout.writableNeedDrain;
  },
};

/** A sink's write state, shared by every writer that uses the same sink object. */
export class Outlet {
  /** Bytes written since the sink became blocked. */
  bytesWhileBlocked = 0;
  private isBlocked = false;
  private waiters: (() => void)[] = [];

  constructor(readonly sink: LineSink) {}

  /**
   * Set when a write returned false, by this writer or (as `writableNeedDrain` says) another one of the
   * same stream; cleared by 'drain'. A function sink is never blocked.
   */
  get blocked(): boolean {
    if (!this.isBlocked && typeof this.sink !== 'function') {
      let needDrain = false;
      try {
        needDrain = this.sink.writableNeedDrain === true;
      } catch {
        // a sink whose getter throws is taken as open; its writes then say what they say
      }
      if (needDrain) this.block();
    }
    return this.isBlocked;
  }

  /** The sink can take no more: destroyed or ended. */
  get closed(): boolean {
    if (typeof this.sink === 'function') return false;
    try {
      return this.sink.destroyed === true || this.sink.writableEnded === true;
    } catch {
      return true;
    }
  }

  /**
   * Write lines (without their newlines): a function sink is called once per line, a Writable gets one
   * write of the lines joined and newline-terminated. Returns how many lines were handed over; the rest
   * were lost. `done` runs once the text has been handed over (for a Writable, when its write callback
   * says so: the bytes are with the OS), or at once when nothing was written.
   */
  write(lines: readonly string[], done?: () => void): number {
    const sink = this.sink;
    if (typeof sink === 'function') {
      let ok = 0;
      for (const line of lines) {
        try {
          const r: unknown = sink(line);
          // An async function sink: swallow its rejection, it must not become an unhandled rejection.
          if (r !== null && typeof r === 'object' && typeof (r as { catch?: unknown }).catch === 'function') {
            (r as Promise<unknown>).catch(() => undefined);
          }
          ok++;
        } catch {
          // counted as lost by the caller
        }
      }
      done?.();
      return ok;
    }
    if (lines.length === 0 || this.closed) {
      done?.();
      return 0;
    }
    const text = lines.join('\n') + '\n';
    try {
      const more = sink.write(text, () => done?.());
      if (this.isBlocked) this.bytesWhileBlocked += text.length;
      if (more === false && !this.isBlocked) this.block();
      return lines.length;
    } catch {
      done?.();
      return 0;
    }
  }

  /**
   * Resolves when everything written before has been handed over (a Writable's callbacks run in order,
   * so the callback of an empty write comes after all earlier bytes).
   */
  settled(): Promise<void> {
    const sink = this.sink;
    if (typeof sink === 'function' || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      try {
        sink.write('', () => resolve());
      } catch {
        resolve();
      }
    });
  }

  /** Resolves when the sink is not blocked (at once if it is not). */
  drained(): Promise<void> {
    if (!this.isBlocked) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private block(): void {
    const sink = this.sink as WritableLike;
    if (typeof sink.once !== 'function') return; // no 'drain' to wait for: never hold writers back
    this.isBlocked = true;
    this.bytesWhileBlocked = 0;
    try {
      sink.once('drain', () => this.open());
    } catch {
      this.open();
    }
  }

  private open(): void {
    this.isBlocked = false;
    this.bytesWhileBlocked = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

const outlets = new WeakMap<object, Outlet>();

/** The one Outlet of a sink. */
export function outletOf(sink: LineSink): Outlet {
  let o = outlets.get(sink);
  if (o === undefined) {
    o = new Outlet(sink);
    outlets.set(sink, o);
  }
  return o;
}

/** Write lines to a sink through its Outlet (see Outlet.write). */
export function writeLines(sink: LineSink, lines: readonly string[], done?: () => void): number {
  return outletOf(sink).write(lines, done);
}
