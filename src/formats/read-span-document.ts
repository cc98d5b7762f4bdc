import { APM_EVENT_KEYS, apmEventType, readElasticApm } from './elastic-apm.js';
import type { FormatResult, Where } from './format-result.js';
import { readJaeger } from './jaeger.js';
import { isObject, type JsonObject } from './json.js';
import { readOtlpLogs } from './otlp-logs.js';
import { readOtlpTraces } from './otlp-traces.js';
import { isSpanRecord, readSpanRecord } from './span-record.js';
import { isZipkinSpan, readZipkin } from './zipkin.js';

export type { FormatResult, SpanFormat, Where } from './format-result.js';

type Kind = 'otlp' | 'tempo' | 'otlp-logs' | 'jaeger' | 'zipkin' | 'record' | 'elastic-apm' | 'tempo-trace';

/**
 * Which span format a parsed JSON value is in, looking only at a few keys: this runs for every NDJSON
 * object, nearly all of which are ordinary log lines.
 */
function classify(value: unknown): Kind | undefined {
  if (Array.isArray(value)) return value.length > 0 && isZipkinSpan(value[0]) ? 'zipkin' : undefined;
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.resourceSpans)) return 'otlp';
  if (Array.isArray(value.batches)) return 'tempo';
  if (Array.isArray(value.resourceLogs)) return 'otlp-logs';
  // Tempo's v2 API wraps the request in `{"trace": {...}}`.
  if (isObject(value.trace) && (Array.isArray(value.trace.resourceSpans) || Array.isArray(value.trace.batches))) {
    return 'tempo-trace';
  }
  if (isJaeger(value)) return 'jaeger';
  if (isSpanRecord(value)) return 'record';
  if (isZipkinSpan(value) && ('localEndpoint' in value || 'timestamp' in value)) return 'zipkin';
  if (apmEventType(value) !== undefined) return 'elastic-apm';
  return undefined;
}

/**
 * Every top-level key classify() looks at (with elastic-apm.ts's event keys). A reader that keeps only
 * some fields of a line (entries/scan-fields.ts) keeps these too, so classify gives it the same answer;
 * classify also asks whether an object has exactly one key, so such a reader must not use it on objects
 * of fewer than two keys. Keep both lists in step with classify.
 */
export const SPAN_DOCUMENT_KEYS: readonly string[] = [
  'resourceSpans', 'batches', 'resourceLogs', 'trace', 'traceID', 'spans', 'data', 'spanId', 'name', 'startTime',
  'endTime', 'traceId', 'id', 'localEndpoint', 'timestamp', ...APM_EVENT_KEYS,
];
/**
 * An object of two or more keys with none of these is no span document: each kind classify() knows
 * needs one of them (OTLP, Tempo, OTLP logs, Tempo's wrapper, Jaeger's two shapes, span records, Zipkin).
 * Ordinary log lines have none, so most lines are settled without calling classify.
 */
export const SPAN_DOCUMENT_NEEDS: ReadonlySet<string> = new Set(['resourceSpans', 'batches', 'resourceLogs', 'trace', 'traceID', 'data', 'startTime', 'id']);

function isJaeger(value: JsonObject): boolean {
  if ('traceID' in value && Array.isArray(value.spans)) return true;
  const data = value.data;
  if (Array.isArray(data)) {
    const first: unknown = data[0];
    return isObject(first) && 'traceID' in first && Array.isArray(first.spans);
  }
  return isObject(data) && 'traceID' in data && Array.isArray(data.spans);
}

/** Cheap check on a parsed JSON value: is it a span (or OTLP logs / APM) document rather than a log line? */
export function isSpanDocument(value: unknown): boolean {
  return classify(value) !== undefined;
}

/**
 * Convert a parsed JSON value into spans and entries, or undefined when it is not a span format. Never
 * throws on bad data: odd records are skipped with a warning naming where they were.
 */
export function readSpanDocument(value: unknown, where: Where): FormatResult | undefined {
  const kind = classify(value);
  if (kind === undefined) return undefined;
  try {
    return readAs(kind, value, where);
  } catch (err) {
    // A reader bug must not take the whole run down; the document is reported and skipped instead.
    const format = kind === 'tempo-trace' ? 'tempo' : kind;
    const message = err instanceof Error ? err.message : String(err);
    return { format, spans: [], entries: [], warnings: [`${where.source}:${where.line}: ${format}: could not read (${message})`] };
  }
}

function readAs(kind: Kind, value: unknown, where: Where): FormatResult | undefined {
  if (kind === 'zipkin') return readZipkin(Array.isArray(value) ? value : [value], where);
  if (!isObject(value)) return undefined;
  switch (kind) {
    case 'otlp':
      return readOtlpTraces(value, where, 'otlp');
    case 'tempo':
      return readOtlpTraces(value, where, 'tempo');
    case 'tempo-trace':
      return readOtlpTraces(value.trace as JsonObject, where, 'tempo');
    case 'otlp-logs':
      return readOtlpLogs(value, where);
    case 'jaeger':
      return readJaeger(value, where);
    case 'record':
      return readSpanRecord(value, where);
    case 'elastic-apm':
      return readElasticApm(value, where);
  }
}
