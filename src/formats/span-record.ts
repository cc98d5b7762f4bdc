import type { Level } from '../entries/entry.js';
import type { Span, SpanEvent, SpanKind } from '../model/span.js';
import { clampSpan, emptyResult, place, type FormatResult, type Where } from './format-result.js';
import { normalizeSpanId, normalizeTraceId } from './ids.js';
import { asArray, asNumber, asString, boundedCopy, isObject, newAttributes, type JsonObject, settledAttributes } from './json.js';
import { msToMicros } from './nanos.js';

const KINDS: readonly string[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** The project's own span record: detected by `spanId` + `name` + numeric `startTime`/`endTime`. */
export function isSpanRecord(value: JsonObject): boolean {
  return (
    'spanId' in value &&
    'name' in value &&
    typeof value.startTime === 'number' &&
    typeof value.endTime === 'number'
  );
}

/**
 * `{traceId, spanId, parentSpanId, name, serviceName, startTime, endTime, duration, tags, logs, status}`
 * with times in epoch milliseconds (fractions allowed). `duration` is informational: start and end are
 * the truth, so a record whose fields disagree is still placed where it ran.
 */
export function readSpanRecord(doc: JsonObject, where: Where): FormatResult {
  const result = emptyResult('record');
  const at = place(where);
  const traceId = asString(doc.traceId);
  const spanId = asString(doc.spanId);
  if (traceId === undefined || spanId === undefined) {
    result.warnings.push(`${at}: span record without ${traceId === undefined ? 'traceId' : 'spanId'} (skipped)`);
    return result;
  }
  const startMs = asNumber(doc.startTime);
  const endMs = asNumber(doc.endTime);
  if (startMs === undefined || endMs === undefined) {
    result.warnings.push(`${at}: span record ${spanId} without numeric startTime/endTime (skipped)`);
    return result;
  }
  const attributes = newAttributes();
  if (isObject(doc.tags)) for (const [k, v] of Object.entries(doc.tags)) attributes[k] = boundedCopy(v);
  const { error, message } = readStatus(doc.status, attributes);
  const span: Span = {
    traceId: normalizeTraceId(traceId),
    spanId: normalizeSpanId(spanId),
    service: asString(doc.serviceName) ?? asString(doc.service) ?? 'unknown',
    operation: asString(doc.name) ?? 'unknown',
    start: msToMicros(startMs),
    end: msToMicros(endMs),
    error,
    attributes: settledAttributes(attributes),
    events: asArray(doc.logs).flatMap(readLog),
    origin: 'record',
    where: at,
  };
  const parent = asString(doc.parentSpanId);
  if (parent !== undefined) span.parentSpanId = normalizeSpanId(parent);
  if (message !== undefined) span.errorMessage = message;
  const kind = asString(doc.kind)?.toLowerCase();
  if (kind !== undefined && KINDS.includes(kind)) span.kind = kind as SpanKind;
  const host = asString(doc.host) ?? asString(doc.hostname);
  if (host !== undefined) span.host = host;
  result.spans.push(clampSpan(span, result.warnings));
  return result;
}

/** `status` as `{code, message}` or a bare `'error'`/`'ok'`; an `error` tag counts too. */
function readStatus(status: unknown, tags: Record<string, unknown>): { error: boolean; message?: string } {
  const code = isObject(status) ? asString(status.code) : asString(status);
  const statusError = code !== undefined && /^(error|2|status_code_error)$/i.test(code);
  const tagError = tags.error === true || tags.error === 'true';
  const message = isObject(status) ? asString(status.message) : undefined;
  return message !== undefined ? { error: statusError || tagError, message } : { error: statusError || tagError };
}

function readLog(raw: unknown): SpanEvent[] {
  if (!isObject(raw)) return [];
  const attributes = newAttributes();
  for (const [k, v] of Object.entries(raw)) {
    if (k !== 'timestamp' && k !== 'message' && k !== 'event') attributes[k] = boundedCopy(v);
  }
  const event: SpanEvent = { message: asString(raw.message) ?? asString(raw.event) ?? 'log' };
  const ms = asNumber(raw.timestamp);
  if (ms !== undefined) event.time = msToMicros(ms);
  const level = asString(raw.level)?.toLowerCase();
  if (level !== undefined && LEVELS.includes(level)) event.level = level as Level;
  if (Object.keys(attributes).length > 0) event.attributes = attributes;
  return [event];
}
