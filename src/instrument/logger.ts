/**
 * A JSON-lines logger that stamps every line with the current trace context:
 *
 *   {"timestamp":"…","level":"info","message":"charging card","serviceName":"payments",
 *    "traceId":"4bf9…","spanId":"00f0…","parentSpanId":"a2fb…","amount":42}
 *
 * Data is copied through safe-json (cycles, BigInt, Errors) with secret-looking keys redacted. Data keys
 * that would overwrite one of the fields above are kept under "data.<key>" instead. A logger never
 * throws: a line that cannot be written is dropped.
 */
import { getTraceContext } from './context.js';
import { epochMs, isoMicros, type Clock } from './clock.js';
import { makeRedactor, type RedactSetting, type Redactor } from './redact.js';
import { toJsonSafe } from './safe-json.js';
import { stdoutSink, writeLines, type LineSink } from './sink.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };
const RESERVED = new Set(['timestamp', 'level', 'message', 'serviceName', 'traceId', 'spanId', 'parentSpanId']);

export interface LoggerOptions {
  /** stdout by default. */
  sink?: LineSink;
  /** Lowest level written; `LOG_LEVEL` from the environment, else "info". */
  level?: LogLevel;
  /** Secret-key redaction: on with the default keys unless `false`. */
  redact?: RedactSetting;
  /** The service name used outside a request (inside one, the middleware's name wins). */
  serviceName?: string;
  /** Fields added to every line (e.g. version, region). */
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
  private readonly sink: LineSink;
  private readonly redactor: Redactor | undefined;
  private readonly serviceName: string | undefined;
  private readonly base: Record<string, unknown>;
  private readonly clock: Clock;

  constructor(options: LoggerOptions = {}) {
    const envLevel = process.env.LOG_LEVEL?.toLowerCase();
    this.minLevel = options.level ?? (isLogLevel(envLevel) ? envLevel : 'info');
    this.sink = options.sink ?? stdoutSink;
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
    try {
      if (!this.isEnabled(level)) return;
      const line = this.format(level, message, data, context);
      writeLines(this.sink, [line]);
    } catch {
      // Formatting is already defensive; this is the last guard that keeps a logger from throwing.
    }
  }

  /** The JSON text of a line, without the newline. Exposed for tests and custom sinks. */
  format(level: LogLevel, message: string, data?: unknown, context?: LineContext): string {
    const ctx = context ?? getTraceContext() ?? {};
    const rec: Record<string, unknown> = {
      timestamp: isoMicros(this.clock()),
      level,
      message: typeof message === 'string' ? message : String(toJsonSafe(message)),
    };
    const serviceName = ctx.serviceName ?? this.serviceName;
    if (serviceName !== undefined) rec.serviceName = serviceName;
    if (ctx.traceId !== undefined) rec.traceId = ctx.traceId;
    if (ctx.spanId !== undefined) rec.spanId = ctx.spanId;
    if (ctx.parentSpanId !== undefined) rec.parentSpanId = ctx.parentSpanId;
    for (const [k, v] of Object.entries(this.base)) addField(rec, k, v);
    if (data !== undefined) {
      const safe = toJsonSafe(data instanceof Error ? { error: data } : data, { redactor: this.redactor });
      if (isPlainRecord(safe)) {
        for (const [k, v] of Object.entries(safe)) addField(rec, k, v);
      } else {
        addField(rec, 'data', safe);
      }
    }
    return JSON.stringify(rec);
  }
}

function addField(rec: Record<string, unknown>, k: string, v: unknown): void {
  const key = RESERVED.has(k) ? `data.${k}` : k;
  if (key === '__proto__') Object.defineProperty(rec, key, { value: v, enumerable: true, writable: true, configurable: true });
  else rec[key] = v;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A logger writing to stdout, for code that does not need its own. */
export const logger = new TracedLogger();
