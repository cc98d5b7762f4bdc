// The files export writes: a format as a writer of traces, one at a time, into a sink (stdout or a file
// opened when the command starts); output is gathered into writes of up to SINK_BYTES, or written at
// once after each trace (flush) when following.
import { closeSync, openSync, writeSync } from 'node:fs';
import { ChromeLanes, CHROME_CLOSE, CHROME_OPEN } from '../../export/chrome-trace.js';
import type { ExportTrace } from '../../export/export-span.js';
import { JAEGER_CLOSE, JAEGER_OPEN, jaegerTrace } from '../../export/jaeger-json.js';
import type { OtlpSignal } from '../../export/otlp-http.js';
import { encodeSpanJson, LOGS_JSON, requestJson } from '../../export/otlp-json.js';
import { encodeLogsJson, encodeLogsProto } from '../../export/otlp-logs.js';
import { encodeSpanProto, requestProto } from '../../export/otlp-proto.js';
import { zipkinTrace } from '../../export/zipkin-json.js';
import type { CommandContext } from '../main.js';
import { UsageError } from '../options.js';

export type Format = 'otlp' | 'otlp-proto' | 'jaeger' | 'zipkin' | 'chrome';

/** Where a file format's bytes go: stdout, or a file written as the traces come. */
export interface Sink {
  /** Gathers `chunk`; nothing once closed (a second Ctrl-C closed the file while traces were still coming). */
  write(chunk: string | Uint8Array): void;
  /** Writes what is gathered, at once. */
  flush(): void;
  /** Writes what is gathered and closes the file; once. */
  close(): void;
}

/** Output is gathered up to this many bytes before a write: a Chrome or Jaeger file is many small pieces. */
const SINK_BYTES = 1 << 20;

export function openSink(file: string | undefined, io: CommandContext['io']): Sink {
  const target = file === undefined || file === '-' ? { write: (b: Uint8Array) => void io.stdout.write(b), close: () => undefined } : fileTarget(file);
  let parts: Uint8Array[] = [];
  let size = 0;
  let closed = false;
  const flush = (): void => {
    if (size === 0 || closed) return;
    target.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    parts = [];
    size = 0;
  };
  return {
    flush,
    write: (c) => {
      if (closed) return;
      const bytes = typeof c === 'string' ? Buffer.from(c) : c;
      parts.push(bytes);
      size += bytes.length;
      if (size >= SINK_BYTES) flush();
    },
    close: () => {
      if (closed) return;
      try {
        flush();
      } finally {
        closed = true;
        target.close();
      }
    },
  };
}

/** Writes to a file opened (truncated) now; a failure is a one-line message with the file's name. */
function fileTarget(file: string): { write(b: Uint8Array): void; close(): void } {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (err) {
    throw new UsageError(`${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return {
    write: (bytes) => {
      let done = 0;
      try {
        while (done < bytes.length) done += writeSync(fd, bytes, done);
      } catch (err) {
        throw new UsageError(`${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    },
    close: () => closeSync(fd),
  };
}

/** A file format as a writer of traces, one at a time, and the frame around them. */
export function fileWriter(format: Format, signal: OtlpSignal, out: Sink): { trace(t: ExportTrace): void; end(): void } {
  const logs = signal === 'logs';
  switch (format) {
    case 'otlp':
      return {
        // A trace without log lines writes no logs request: an empty one would be a line of nothing.
        trace: (t) => {
          if (!logs) out.write(requestJson(t.spans.map(encodeSpanJson)) + '\n');
          else if (t.spans.some((s) => s.events.length > 0)) out.write(requestJson(t.spans.flatMap(encodeLogsJson), LOGS_JSON) + '\n');
        },
        end: () => undefined,
      };
    case 'otlp-proto':
      return {
        trace: (t) => {
          if (logs && !t.spans.some((s) => s.events.length > 0)) return;
          const body = requestProto(logs ? t.spans.flatMap(encodeLogsProto) : t.spans.map(encodeSpanProto));
          out.write(varint(body.length));
          out.write(body);
        },
        end: () => undefined,
      };
    case 'jaeger': {
      let first = true;
      out.write(JAEGER_OPEN);
      return {
        trace: (t) => {
          out.write((first ? '\n' : ',\n') + JSON.stringify(jaegerTrace(t)));
          first = false;
        },
        end: () => out.write(`\n${JAEGER_CLOSE}`),
      };
    }
    case 'zipkin': {
      let first = true;
      out.write('[');
      return {
        trace: (t) => {
          for (const record of zipkinTrace(t.spans)) {
            out.write((first ? '\n' : ',\n') + JSON.stringify(record));
            first = false;
          }
        },
        end: () => out.write('\n]\n'),
      };
    }
    case 'chrome': {
      const lanes = new ChromeLanes();
      let first = true;
      out.write(CHROME_OPEN);
      return {
        trace: (t) => {
          for (const e of lanes.traceEvents(t)) {
            out.write((first ? '\n' : ',\n') + JSON.stringify(e));
            first = false;
          }
        },
        end: () => out.write(`\n${CHROME_CLOSE}`),
      };
    }
  }
}

function varint(n: number): Uint8Array {
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Uint8Array.from(bytes);
}
