/**
 * Request middleware for node:http, Express and Connect: `(req, res, next)`.
 *
 *   caller ──traceparent: 00-T-P-01──> [ this service: span S, parent P ] ──X-Trace-Id: T, X-Span-Id: S──> response
 *
 * The incoming context (see propagation.ts) gives the trace id and the parent; the request gets a new
 * span id. Untrusted or missing context starts a new trace. `next()` runs inside the context, so logs,
 * tracedFetch and withSpan anywhere below it carry the ids. Start and completion are logged; with a
 * tracer, a sampled request also records a server span.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithContext, type TraceContext } from './context.js';
import { newSpanId, newTraceId } from './ids.js';
import { logger as defaultLogger, ownLine, type LogLevel, type OwnFields, type TracedLogger } from './logger.js';
import { extractContext, formatTraceparent } from './propagation.js';
import { normalizeRatio, sampleByRatio } from './sampling.js';
import type { DistributedTracer } from './tracer.js';

export interface MiddlewareOptions {
  /** Default: the package's `logger` (stdout). */
  logger?: TracedLogger;
  /** Records a server span per sampled request. */
  tracer?: DistributedTracer;
  /** Head-sampling ratio for requests that bring no sampling decision. Default: the tracer's, else 1. */
  sampleRatio?: number;
  /** Ignore incoming trace headers (an edge service facing the internet may prefer its own traces). */
  trustIncoming?: boolean;
  /** Log "request started" too (default true); completion is always logged. */
  logStart?: boolean;
}

/** What Express and Connect put on a request after routing; plain node:http has none of it. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  originalUrl?: string;
  route?: { path?: unknown };
}

export type NextFunction = (err?: unknown) => void;
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

export function correlationMiddleware(serviceName: string, options: MiddlewareOptions = {}): Middleware {
  const log = options.logger ?? defaultLogger;
  const tracer = options.tracer;
  const ratio = normalizeRatio(options.sampleRatio ?? tracer?.sampleRatio ?? 1);
  const trustIncoming = options.trustIncoming ?? true;
  const logStart = options.logStart ?? true;

  return function correlation(req, res, next) {
    const incoming = trustIncoming ? extractContext(req.headers) : undefined;
    const traceId = incoming?.traceId ?? newTraceId();
    const trace: TraceContext = {
      traceId,
      spanId: newSpanId(),
      parentSpanId: incoming?.parentSpanId,
      serviceName,
      sampled: incoming?.sampled ?? sampleByRatio(traceId, ratio),
    };
    const method = req.method ?? 'GET';
    const path = pathOf((req as RoutedRequest).originalUrl ?? req.url);

    if (!res.headersSent) {
      res.setHeader('X-Trace-Id', trace.traceId);
      res.setHeader('X-Span-Id', trace.spanId);
      res.setHeader('traceparent', formatTraceparent(trace.traceId, trace.spanId, trace.sampled));
    }

    const span = tracer?.startSpan(`${method} ${path}`, {
      parent: { traceId, spanId: trace.parentSpanId, sampled: trace.sampled },
      spanId: trace.spanId,
      kind: 'server',
      serviceName,
      attributes: { 'http.method': method, 'http.target': path },
    });
    const started = performance.now();
    if (logStart) log[ownLine]('info', 'request started', { spanKind: 'server', method, path }, trace);

    let done = false;
    const finish = (aborted: boolean): void => {
      if (done) return;
      done = true;
      const durationMs = round3(performance.now() - started);
      const status = res.statusCode;
      const route = routeOf(req as RoutedRequest);
      const level: LogLevel = aborted ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      const data: OwnFields = { spanKind: 'server', method, path };
      if (route !== undefined) data.route = route;
      data.status = status;
      data.duration_ms = durationMs;
      if (aborted) data.aborted = true;
      log[ownLine](level, aborted ? 'request aborted' : 'request completed', data, trace);
      if (span && tracer) {
        if (route !== undefined) {
          tracer.setName(span, `${method} ${route}`);
          tracer.setTag(span, 'http.route', route);
        }
        tracer.setTag(span, 'http.status_code', status);
        if (aborted) tracer.setError(span, undefined, 'client closed the connection before the response was sent');
        else if (status >= 500) tracer.setError(span, undefined, `HTTP ${status}`);
        tracer.endSpan(span);
      }
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));

    runWithContext({ trace, logger: log, tracer }, () => next());
  };
}

/** The path without its query string: queries carry tokens and personal data too often to log. */
function pathOf(url: string | undefined): string {
  if (url === undefined || url.length === 0) return '/';
  const q = url.search(/[?#]/);
  const p = q >= 0 ? url.slice(0, q) : url;
  return p.length > 2048 ? p.slice(0, 2048) + '…' : p;
}

/** Express's matched route ("/orders/:id"), which groups requests better than the path; else none. */
function routeOf(req: RoutedRequest): string | undefined {
  const r = req.route?.path;
  if (typeof r !== 'string') return undefined;
  return (typeof req.baseUrl === 'string' ? req.baseUrl : '') + r;
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
