/**
 * `fetch` with trace propagation. Each call gets its own client span between the caller and the callee:
 *
 *   caller span A ──> client span C (this call) ──> callee's server span S (parent C)
 *
 * C's id goes out in traceparent / X-Span-Id (X-Parent-Span-Id carries A), so the callee's server span
 * has a parent that exists: C is logged (its own completion or failure line, spanId C, parentSpanId A)
 * and, with a tracer in the context, recorded as a span. Failures are logged and rethrown unchanged.
 */
import { getContextStore } from './context.js';
import { newSpanId, newTraceId } from './ids.js';
import { logger as defaultLogger, ownLine, type LogLevel, type TracedLogger } from './logger.js';
import { outgoingHeaders } from './propagation.js';
import { errorFields, isError } from './safe-json.js';
import { displayUrl, scrubUrls } from './scrub.js';
import type { DistributedTracer } from './tracer.js';

export interface TracedFetchOptions {
  /** Default: the logger of the current request context, else the package's `logger`. */
  logger?: TracedLogger;
  /** Default: the tracer of the current request context, if any. */
  tracer?: DistributedTracer;
  /** The fetch to wrap; default: the global one, looked up at call time. */
  fetch?: typeof globalThis.fetch;
  /** Service name outside a request context. */
  serviceName?: string;
}

export type FetchInput = string | URL | Request;

/** A tracedFetch with its own defaults (a logger, tracer or fetch other than the context's). */
export function createTracedFetch(options: TracedFetchOptions = {}) {
  return async function tracedFetch(input: FetchInput, init?: RequestInit): Promise<Response> {
    const store = getContextStore();
    const log = options.logger ?? store?.logger ?? defaultLogger;
    const tracer = options.tracer ?? store?.tracer;
    const doFetch = options.fetch ?? globalThis.fetch;

    const current = store?.trace;
    const traceId = current?.traceId ?? newTraceId();
    const parentSpanId = current?.spanId;
    const sampled = current?.sampled ?? true;
    const serviceName = current?.serviceName ?? options.serviceName;
    const callContext = { traceId, spanId: newSpanId(), parentSpanId, serviceName };

    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const url = displayUrl(rawUrl(input));
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((v, k) => headers.set(k, v));
    for (const [k, v] of Object.entries(outgoingHeaders(traceId, callContext.spanId, parentSpanId, sampled))) {
      headers.set(k, v);
    }

    const span = tracer?.startSpan(`${method} ${url}`, {
      parent: { traceId, spanId: parentSpanId, sampled },
      spanId: callContext.spanId,
      kind: 'client',
      serviceName,
      attributes: { 'http.method': method, 'http.url': url },
    });
    const started = performance.now();
    let response: Response;
    try {
      response = await doFetch(input, { ...init, headers });
    } catch (err) {
      const durationMs = round3(performance.now() - started);
      const message = describe(err);
      log[ownLine]('error', 'outgoing request failed', { spanKind: 'client', method, url, error: message, duration_ms: durationMs }, callContext);
      if (span && tracer) {
        tracer.setError(span, err);
        tracer.endSpan(span);
      }
      throw err;
    }
    const durationMs = round3(performance.now() - started);
    const status = response.status;
    const level: LogLevel = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    log[ownLine](level, 'outgoing request completed', { spanKind: 'client', method, url, status, duration_ms: durationMs }, callContext);
    if (span && tracer) {
      tracer.setTag(span, 'http.status_code', status);
      if (status >= 500) tracer.setError(span, undefined, `HTTP ${status}`);
      tracer.endSpan(span);
    }
    return response;
  };
}

/**
 * Wraps the global `fetch`: propagates the current trace, logs the call as a client span, rethrows
 * failures. Uses the logger and tracer the middleware put in the context.
 */
export const tracedFetch: (input: FetchInput, init?: RequestInit) => Promise<Response> = createTracedFetch();

/** The URL asked for; shown only through displayUrl, without credentials, query or fragment. */
function rawUrl(input: FetchInput): string {
  try {
    return input instanceof Request ? input.url : String(input);
  } catch {
    return '[unreadable URL]';
  }
}

/** A failure's message, URLs scrubbed (Node's fetch errors quote the whole URL). */
function describe(err: unknown): string {
  if (isError(err)) return String(errorFields(err).message);
  try {
    return scrubUrls(String(err));
  } catch {
    return '[Unserializable]';
  }
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
