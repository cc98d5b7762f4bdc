/**
 * A JSON-lines logger that stamps every line with the current trace context:
 *
 *   {"timestamp":"…","level":"info","message":"charging card","serviceName":"payments",
 *    "traceId":"4bf9…","spanId":"00f0…","parentSpanId":"a2fb…","attrs":{"amount":42}}
 *
 * The caller's data (and the `base` fields) go under `attrs`, never beside the fields above: data is
 * often a request body, and at the top level a key such as `error`, `status`, `duration_ms`, `trace_id`
 * or `resourceSpans` would take a role in the reader (a forged failure, a forged trace, a line read as
 * span data). Only the library's own fields sit at the top level: the ones above, and what the
 * middleware and tracedFetch measure (`spanKind`, `method`, `path`, `route`, `url`, `status`,
 * `duration_ms`, `aborted`, `error`). An Error given as the data, or under `err` or `error` in it, is the
 * line's `error` (JSON.parse makes no Error, so a request body cannot forge one).
 *
 * Data is copied through safe-json (cycles, BigInt, Errors, depth, keys and size bounded, with markers)
 * with secret-looking keys redacted; a line longer than MAX_LINE_BYTES loses its data to a marker. A
 * logger never throws and never drops a line unsaid: a line it cannot format is written with a marker,
 * and lines dropped because the sink stayed blocked are counted (`stats()`) and reported in a warning
 * once it drains.
 */
import { getTraceContext } from './context.js';
import { epochMs, isoMicros, type Clock } from './clock.js';
import { makeRedactor, type RedactSetting, type Redactor } from './redact.js';
import { clipString, DEFAULT_MAX_STRING, isError, toJsonSafe } from './safe-json.js';
import { BLOCKED_ALLOWANCE, outletOf, stdoutSink, type LineSink, type Outlet } from './sink.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

/** Longest line written, in bytes (tracectl skips lines over 1 MiB by default). */
export const MAX_LINE_BYTES = 256 * 1024;

/**
 * The method through which the middleware and tracedFetch write lines with fields of their own at the
 * top level. Not exported from the package: callers' data always goes under `attrs`.
 */
export const ownLine = Symbol('tracectl.ownLine');

/** The library's own fields of a line; values it measured, never a caller's data. */
export type OwnFields = Record<string, string | number | boolean | undefined>;

export interface LoggerStats {
  /** Lines handed to the sink. */
  written: number;
  /** Lines dropped because the sink stayed blocked (see sink.ts). */
  dropped: number;
  /** Lines the sink refused or threw on. */
  lost: number;
}

export interface LoggerOptions {
  /** stdout by default. */
  sink?: LineSink;
  /** Lowest level written; `LOG_LEVEL` from the environment, else "info". */
  level?: LogLevel;
  /** Secret-key redaction: on with the default keys unless `false`. */
  redact?: RedactSetting;
  /** The service name used outside a request (inside one, the middleware's name wins). */
  serviceName?: string;
  /** Fields added to every line's `attrs` (e.g. version, region). */
  base?: Record<string, unknown>;
  clock?: Clock;
}

/** Trace fields for one line, when they are not the current context's (tracedFetch's client entries). */
export interface LineContext {
  traceId?: string | undefined;
  spanId?: string | undefined;
  parentSpanId?: string | undefined;
  serviceName?: string | undefined;
}

export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && Object.hasOwn(RANK, v);
}

export class TracedLogger {
  readonly minLevel: LogLevel;
  private readonly outlet: Outlet;
  private readonly redactor: Redactor | undefined;
  private readonly serviceName: string | undefined;
  private readonly base: Record<string, unknown>;
  private readonly clock: Clock;
  private readonly counts: LoggerStats = { written: 0, dropped: 0, lost: 0 };
  private droppedSinceNotice = 0;
  private noticePending = false;

  constructor(options: LoggerOptions = {}) {
    const envLevel = process.env.LOG_LEVEL?.toLowerCase();
    this.minLevel = options.level ?? (isLogLevel(envLevel) ? envLevel : 'info');
    this.outlet = outletOf(options.sink ?? stdoutSink);
    this.redactor = makeRedactor(options.redact);
    this.serviceName = options.serviceName;
    this.clock = options.clock ?? epochMs;
    const base = toJsonSafe(options.base ?? {}, { redactor: this.redactor });
    this.base = isPlainRecord(base) ? base : {};
  }

  debug(message: string, data?: unknown): void {
    this.log('debug', message, data);
  }

  info(message: string, data?: unknown): void {
    this.log('info', message, data);
  }

  warn(message: string, data?: unknown): void {
    this.log('warn', message, data);
  }

  error(message: string, data?: unknown): void {
    this.log('error', message, data);
  }

  isEnabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.minLevel];
  }

  /**
   * Write one line. `context` replaces the current trace context's fields for this line only (a field
   * set to undefined there is left out).
   */
  log(level: LogLevel, message: string, data?: unknown, context?: LineContext): void {
    this.line(level, message, data, context, undefined);
  }

  /** A line with the library's own fields at the top level (middleware, tracedFetch, warnings). */
  [ownLine](level: LogLevel, message: string, own: OwnFields, context?: LineContext): void {
    this.line(level, message, undefined, context, own);
  }

  stats(): LoggerStats {
    return { ...this.counts };
  }

  /** The JSON text of a line, without the newline. Exposed for tests and custom sinks. */
  format(level: LogLevel, message: string, data?: unknown, context?: LineContext): string {
    return this.build(level, message, data, context, undefined);
  }

  private line(level: LogLevel, message: string, data: unknown, context: LineContext | undefined, own: OwnFields | undefined): void {
    try {
      if (!this.isEnabled(level)) return;
      const outlet = this.outlet;
      if (outlet.blocked && outlet.bytesWhileBlocked >= BLOCKED_ALLOWANCE) {
        this.counts.dropped++;
        this.droppedSinceNotice++;
        this.noticeWhenDrained();
        return;
      }
      let text: string;
      try {
        text = this.build(level, message, data, context, own);
      } catch {
        text = this.build(level, message, undefined, context, undefined, '[Unserializable]');
      }
      const ok = outlet.write([text]);
      this.counts.written += ok;
      this.counts.lost += 1 - ok;
    } catch {
      this.counts.lost++; // the last guard that keeps a logger from throwing
    }
  }

  private build(
    level: LogLevel,
    message: string,
    data: unknown,
    context: LineContext | undefined,
    own: OwnFields | undefined,
    marker?: string,
  ): string {
    const ctx = context ?? getTraceContext() ?? {};
    const rec: Record<string, unknown> = {
      timestamp: isoMicros(this.clock()),
      level,
      message: clipString(this.shownMessage(message), DEFAULT_MAX_STRING),
    };
    const serviceName = ctx.serviceName ?? this.serviceName;
    if (serviceName !== undefined) rec.serviceName = serviceName;
    if (ctx.traceId !== undefined) rec.traceId = ctx.traceId;
    if (ctx.spanId !== undefined) rec.spanId = ctx.spanId;
    if (ctx.parentSpanId !== undefined) rec.parentSpanId = ctx.parentSpanId;
    if (own !== undefined) for (const [k, v] of Object.entries(own)) if (v !== undefined && !Object.hasOwn(rec, k)) rec[k] = v;

    const attrs: Record<string, unknown> = { ...this.base };
    if (marker !== undefined) {
      rec.attrs = marker;
      return JSON.stringify(rec);
    }
    if (isError(data)) {
      rec.error = toJsonSafe(data, { redactor: this.redactor });
    } else if (data !== undefined) {
      const safe = toJsonSafe(liftError(data, rec, this.redactor), { redactor: this.redactor });
      if (isPlainRecord(safe)) for (const [k, v] of Object.entries(safe)) setOwn(attrs, k, v);
      else attrs.value = safe;
    }
    if (Object.keys(attrs).length > 0) rec.attrs = attrs;
    const line = JSON.stringify(rec);
    if (line.length * 3 <= MAX_LINE_BYTES || Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
    const bytes = Buffer.byteLength(line);
    if (rec.attrs !== undefined) rec.attrs = `[Truncated: line of ${bytes} bytes]`;
    if (rec.error !== undefined) rec.error = `[Truncated: line of ${bytes} bytes]`;
    return JSON.stringify(rec);
  }

  /** The message as written: a string, with its secret text replaced unless redaction is off. */
  private shownMessage(message: unknown): string {
    const text = typeof message === 'string' ? message : String(toJsonSafe(message));
    return this.redactor ? this.redactor.text(text) : text;
  }

  /** Once the sink drains, say how many lines were dropped while it was blocked. */
  private noticeWhenDrained(): void {
    if (this.noticePending) return;
    this.noticePending = true;
    void this.outlet.drained().then(() => {
      this.noticePending = false;
      const dropped = this.droppedSinceNotice;
      this.droppedSinceNotice = 0;
      this[ownLine]('warn', 'log lines dropped: output blocked', { dropped, droppedTotal: this.counts.dropped });
    });
  }
}

/**
 * A record whose `err` or `error` is an Error: that Error becomes the line's `error` (set on `rec`), and
 * the record without it is returned. Anything else is returned as it is.
 */
function liftError(data: unknown, rec: Record<string, unknown>, redactor: Redactor | undefined): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  for (const key of ['err', 'error']) {
    let v: unknown;
    try {
      v = Object.hasOwn(data, key) ? (data as Record<string, unknown>)[key] : undefined;
    } catch {
      return data;
    }
    if (isError(v)) {
      rec.error = toJsonSafe(v, { redactor });
      const rest: Record<string, unknown> = {};
      try {
        for (const k of Object.keys(data)) if (k !== key) setOwn(rest, k, (data as Record<string, unknown>)[k]);
      } catch {
        return data;
      }
      return rest;
    }
  }
  return data;
}

function setOwn(rec: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(rec, k, { value: v, enumerable: true, writable: true, configurable: true });
  else rec[k] = v;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A logger writing to stdout, for code that does not need its own. */
export const logger = new TracedLogger();
