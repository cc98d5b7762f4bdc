/**
 * Spans: starting, tagging, failing and ending them, and the record a finished one becomes:
 *
 *   {"traceId":"…","spanId":"…","parentSpanId":"…"|null,"name":"POST /orders","serviceName":"orders",
 *    "kind":"server","startTime":1714557600123.456,"endTime":1714557600170.2,"duration":46.744,
 *    "tags":{"span.kind":"server","http.status_code":200},"logs":[{"timestamp":…,"message":"…"}],
 *    "status":{"code":"OK"}}
 *
 * Times are epoch milliseconds, fractional; `kind` is present when the span has one. Finished spans go to
 * the reporter (reporter.ts), which writes them in batches off the request path. Unsampled spans get
 * ids (logs still correlate) but are never reported.
 */
import { getContextStore, getTraceContext, runWithContext } from './context.js';
import { epochMs, type Clock } from './clock.js';
import { newSpanId, newTraceId } from './ids.js';
import { logger as defaultLogger, ownLine, type TracedLogger } from './logger.js';
import { makeRedactor, type RedactSetting } from './redact.js';
import { SpanReporter, type TracerStats } from './reporter.js';
import { clipString, DEFAULT_MAX_STRING, errorFields, isError } from './safe-json.js';
import { scrubUrls } from './scrub.js';
import { normalizeRatio, sampleByRatio } from './sampling.js';
import { stdoutSink, type LineSink } from './sink.js';

export type { TracerStats } from './reporter.js';

export type SpanKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer';

export interface SpanStatus {
  code: 'OK' | 'ERROR';
  message?: string;
}

export interface SpanLog {
  timestamp: number;
  message: string;
  [field: string]: unknown;
}

/** A finished span as written to the sink. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  /** Not in every record: set when the span was started with a kind (tracectl reads it). */
  kind?: SpanKind;
  startTime: number;
  endTime: number;
  duration: number;
  tags: Record<string, unknown>;
  logs: SpanLog[];
  status: SpanStatus;
}

/** A span in progress. Change it through the tracer's methods. */
export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  name: string;
  readonly serviceName: string;
  readonly kind: SpanKind | undefined;
  readonly sampled: boolean;
  readonly startTime: number;
  endTime: number | undefined;
  readonly tags: Record<string, unknown>;
  readonly logs: SpanLog[];
  status: SpanStatus;
}

/** Where a span hangs: a trace, and the span inside it (absent for a root in an existing trace). */
export interface SpanParent {
  traceId: string;
  spanId?: string | undefined;
  sampled?: boolean | undefined;
}

export interface StartSpanOptions {
  /** Default: the current context (the request, or the enclosing withSpan). `null`: a new trace. */
  parent?: SpanParent | null;
  attributes?: Record<string, unknown>;
  kind?: SpanKind;
  /** Use this span id instead of a new one (the middleware's server span has the id it already sent). */
  spanId?: string;
  serviceName?: string;
  startTime?: number;
}

export interface TracerOptions {
  serviceName?: string;
  /** stdout by default. */
  sink?: LineSink;
  /** Fraction of new traces that are recorded (0..1, default 1). Incoming decisions are honoured. */
  sampleRatio?: number;
  /**
   * Finished spans waiting to be written; more are dropped and counted. Default 16384: a burst of 2,000
   * concurrent requests of three spans each ends ~6,000 spans within a few milliseconds
   * (bench/instrument-sink.js), and a queued span holds about 1 KB.
   */
  maxQueueSize?: number;
  /** Records per sink write; a full batch is written on the next turn of the event loop. Default 512. */
  maxBatchSize?: number;
  /** How long a partial batch waits. Default 200 ms. */
  flushIntervalMs?: number;
  /** Logs kept per span; later ones are counted in the tag `logs.dropped`. Default 128. */
  maxLogsPerSpan?: number;
  /** Redaction of tag and span-log keys, as for the logger. */
  redact?: RedactSetting;
  /** Receives the drop warning (default: the default logger, at warn). */
  logger?: TracedLogger;
  clock?: Clock;
}

/** How long flush() and shutdown() wait for a slow sink. */
const DEFAULT_TIMEOUT_MS = 5000;

export class DistributedTracer {
  readonly serviceName: string | undefined;
  readonly sampleRatio: number;
  private readonly maxLogsPerSpan: number;
  private readonly clock: Clock;
  private readonly reporter: SpanReporter;

  constructor(options: TracerOptions = {}) {
    this.serviceName = options.serviceName;
    this.sampleRatio = normalizeRatio(options.sampleRatio);
    this.maxLogsPerSpan = positive(options.maxLogsPerSpan, 128);
    this.clock = options.clock ?? epochMs;
    const warnLogger = options.logger ?? defaultLogger;
    const maxQueueSize = positive(options.maxQueueSize, 16384);
    this.reporter = new SpanReporter({
      sink: options.sink ?? stdoutSink,
      maxQueueSize,
      maxBatchSize: positive(options.maxBatchSize, 512),
      flushIntervalMs: positive(options.flushIntervalMs, 200),
      redactor: makeRedactor(options.redact),
      onDrop: (dropped, droppedTotal) =>
        warnLogger[ownLine]('warn', 'span records dropped: reporter queue full', { dropped, droppedTotal, maxQueueSize }, { serviceName: this.serviceName }),
    });
  }

  startSpan(name: string, options: StartSpanOptions = {}): Span {
    const current = getTraceContext();
    let parent: SpanParent | undefined;
    if (options.parent === undefined) {
      parent = current ? { traceId: current.traceId, spanId: current.spanId, sampled: current.sampled } : undefined;
    } else {
      parent = options.parent ?? undefined;
    }
    const traceId = parent?.traceId ?? newTraceId();
    const tags: Record<string, unknown> = {};
    if (options.kind !== undefined) tags['span.kind'] = options.kind;
    Object.assign(tags, options.attributes);
    return {
      traceId,
      spanId: options.spanId ?? newSpanId(),
      parentSpanId: parent?.spanId,
      name,
      serviceName: options.serviceName ?? current?.serviceName ?? this.serviceName ?? 'unknown',
      kind: options.kind,
      sampled: parent?.sampled ?? sampleByRatio(traceId, this.sampleRatio),
      startTime: options.startTime ?? this.clock(),
      endTime: undefined,
      tags,
      logs: [],
      status: { code: 'OK' },
    };
  }

  setTag(span: Span, key: string, value: unknown): void {
    span.tags[key] = value;
  }

  setName(span: Span, name: string): void {
    span.name = name;
  }

  logEvent(span: Span, message: string, fields?: Record<string, unknown>): void {
    if (span.logs.length >= this.maxLogsPerSpan) {
      span.tags['logs.dropped'] = (typeof span.tags['logs.dropped'] === 'number' ? span.tags['logs.dropped'] : 0) + 1;
      return;
    }
    const entry: SpanLog = { timestamp: roundMicros(this.clock()), message };
    for (const [k, v] of Object.entries(fields ?? {})) if (k !== 'timestamp' && k !== 'message') entry[k] = v;
    span.logs.push(entry);
  }

  /** Mark the span failed. An Error is also logged on the span with its name, message and stack. */
  setError(span: Span, error: unknown, message?: string): void {
    const f = isError(error) ? errorFields(error) : undefined;
    const text = scrubUrls(message ?? (f ? String(f.message) : typeof error === 'string' ? error : 'error'));
    span.status = { code: 'ERROR', message: text };
    span.tags.error = true;
    if (f) {
      // The event's message is what a tree view prints: make it the error itself, not the word "error".
      this.logEvent(span, `${f.name}: ${f.message}`, { event: 'error', 'error.kind': f.name, 'error.message': f.message, stack: f.stack });
    } else if (error !== undefined) {
      this.logEvent(span, text, { event: 'error', 'error.message': text });
    }
  }

  /** Finish the span; a sampled one is queued for writing. Ending twice does nothing. */
  endSpan(span: Span, endTime?: number): void {
    if (span.endTime !== undefined) return;
    const end = Math.max(endTime ?? this.clock(), span.startTime);
    span.endTime = end;
    if (!span.sampled) return;
    // Microseconds are the precision that means something; more digits are float noise.
    const start = roundMicros(span.startTime);
    const stop = roundMicros(end);
    const record: SpanRecord = {
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId ?? null,
      name: clipString(String(span.name), DEFAULT_MAX_STRING),
      serviceName: span.serviceName,
      startTime: start,
      endTime: stop,
      duration: roundMicros(stop - start),
      tags: { ...span.tags },
      logs: span.logs.slice(),
      status: { ...span.status },
    };
    if (span.kind !== undefined) record.kind = span.kind;
    this.reporter.enqueue(record);
  }

  /**
   * Run `fn` inside a new child span of the current context, which is current while `fn` runs (so logs
   * and calls inside it hang under it). The span is ended however `fn` finishes; a throw or rejection
   * is recorded on the span and passed on unchanged.
   */
  withSpan<T>(name: string, fn: (span: Span) => T, options: StartSpanOptions = {}): T {
    const span = this.startSpan(name, options);
    const store = getContextStore();
    const trace = {
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      serviceName: span.serviceName,
      sampled: span.sampled,
    };
    let result: T;
    try {
      result = runWithContext({ trace, logger: store?.logger, tracer: this }, () => fn(span));
    } catch (err) {
      this.setError(span, err);
      this.endSpan(span);
      throw err;
    }
    if (isThenable(result)) {
      return result.then(
        (v) => {
          this.endSpan(span);
          return v;
        },
        (err: unknown) => {
          this.setError(span, err);
          this.endSpan(span);
          throw err;
        },
      ) as T;
    }
    this.endSpan(span);
    return result;
  }

  stats(): TracerStats {
    return this.reporter.stats();
  }

  /**
   * Write every finished span now, waiting for a slow sink to drain. Resolves when the sink has handed
   * the last byte over (to the OS, for a stream such as stdout), or after `timeoutMs`. Never rejects.
   */
  flush(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.reporter.flush(positive(timeoutMs, DEFAULT_TIMEOUT_MS));
  }

  /**
   * Flush, then stop: spans ended later are dropped (and counted). Resolves when the last byte is with
   * the OS, so `process.exit()` after it loses nothing, or after `timeoutMs` (a reader that never reads
   * must not keep a service from exiting); spans still queued then are counted as lost. Never rejects.
   */
  shutdown(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.reporter.shutdown(positive(timeoutMs, DEFAULT_TIMEOUT_MS));
  }
}

function roundMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function positive(v: number | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

function isThenable(v: unknown): v is PromiseLike<unknown> & { then: Promise<unknown>['then'] } {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
