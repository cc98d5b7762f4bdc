// tracectl/instrument: the producing side. Logs and span records that tracectl reads, from a service,
// with nothing but Node's built-ins. Imports nothing from the rest of tracectl.
export { correlationMiddleware } from './middleware.js';
export type { MiddlewareOptions, Middleware, NextFunction } from './middleware.js';
export { getTraceContext, runWithContext } from './context.js';
export type { TraceContext, ContextStore } from './context.js';
export { TracedLogger, logger } from './logger.js';
export type { LoggerOptions, LoggerStats, LogLevel, LineContext } from './logger.js';
export { tracedFetch, createTracedFetch } from './fetch.js';
export type { TracedFetchOptions, FetchInput } from './fetch.js';
export { DistributedTracer } from './tracer.js';
export type { Span, SpanKind, SpanLog, SpanParent, SpanRecord, SpanStatus, StartSpanOptions, TracerOptions, TracerStats } from './tracer.js';
export { extractContext, formatTraceparent, outgoingHeaders, parseTraceparent, parseB3Single, parseTraceId, parseSpanId } from './propagation.js';
export type { IncomingContext, ContextSource, HeaderBag } from './propagation.js';
export { newTraceId, newSpanId, isValidTraceId, isValidSpanId } from './ids.js';
export { sampleByRatio } from './sampling.js';
export { makeRedactor, REDACTED, DEFAULT_SECRET_KEYS } from './redact.js';
export type { RedactOptions, RedactSetting, Redactor } from './redact.js';
export { safeStringify, toJsonSafe } from './safe-json.js';
export type { LineSink, WritableLike } from './sink.js';
