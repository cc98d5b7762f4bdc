/**
 * Where lines go: a function, or anything with a `write(string)` (a Writable, process.stdout). Writing
 * never throws into the caller: a sink that throws, rejects or has been destroyed loses that line, and
 * the caller is told so through the return value (for counting), not an exception.
 */

export interface WritableLike {
  write(chunk: string, cb?: (err?: Error | null) => void): unknown;
  readonly destroyed?: boolean;
  readonly writableEnded?: boolean;
}

export type LineSink = ((line: string) => void) | WritableLike;

/** The process's stdout, looked up at write time (tests and hosts may replace it). */
export const stdoutSink: LineSink = (line: string) => {
  process.stdout.write(line + '\n');
};

/**
 * Write lines (without their newlines) to the sink: a function sink is called once per line, a
 * Writable gets one write of the lines joined and newline-terminated. Returns how many lines were
 * handed over; the rest were lost (a sink that threw, or a destroyed stream). `done` runs once the text
 * has been handed over (for a Writable, when its write callback says so).
 */
export function writeLines(sink: LineSink, lines: readonly string[], done?: () => void): number {
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
  try {
    if (sink.destroyed || sink.writableEnded || lines.length === 0) {
      done?.();
      return 0;
    }
    sink.write(lines.join('\n') + '\n', () => done?.());
    return lines.length;
  } catch {
    done?.();
    return 0;
  }
}
