import type { Level } from '../entries/entry.js';
import type { Span, SpanEvent, SpanKind } from '../model/span.js';
import { keepSpan, emptyResult, place, type FormatResult, type Where } from './format-result.js';
import { normalizeSpanId, normalizeTraceId } from './ids.js';
import { asNumber, asString, boundedCopy, isObject, newAttributes, NO_ATTRIBUTES, NO_EVENTS, type JsonObject, settledAttributes } from './json.js';
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
  const traceId = asString(doc.traceId);
  const spanId = asString(doc.spanId);
  if (traceId === undefined || spanId === undefined) {
    result.warnings.push(`${place(where)}: span record without ${traceId === undefined ? 'traceId' : 'spanId'} (skipped)`);
    return result;
  }
  const startMs = asNumber(doc.startTime);
  const endMs = asNumber(doc.endTime);
  if (startMs === undefined || endMs === undefined) {
    result.warnings.push(`${place(where)}: span record ${spanId} without numeric startTime/endTime (skipped)`);
    return result;
  }
  // A span file may hold a million records: the common record (no tags, no logs, a numeric status code)
  // allocates no attribute dictionary, no event list and no status object of its own.
  const attributes = isObject(doc.tags) ? readTags(doc.tags) : NO_ATTRIBUTES;
  const status = doc.status;
  const message = isObject(status) ? asString(status.message) : undefined;
  const parent = asString(doc.parentSpanId);
  const host = asString(doc.host) ?? asString(doc.hostname);
  // Every span gets every field (absent ones undefined): one object shape, and no property store added
  // later to a million spans. Its place as file and line, not as a "file:line" string (whereOf()): the
  // string would be ~56 of the ~300 bytes a span keeps.
  const span: Span = {
    traceId: normalizeTraceId(traceId),
    spanId: normalizeSpanId(spanId),
    parentSpanId: parent !== undefined ? normalizeSpanId(parent) : undefined,
    service: asString(doc.serviceName) ?? asString(doc.service) ?? 'unknown',
    operation: asString(doc.name) ?? 'unknown',
    start: msToMicros(startMs),
    end: msToMicros(endMs),
    kind: readKind(doc.kind),
    error: statusIsError(isObject(status) ? status.code : status) || attributes.error === true || attributes.error === 'true',
    errorMessage: message,
    host,
    attributes,
    events: Array.isArray(doc.logs) && doc.logs.length > 0 ? doc.logs.flatMap(readLog) : NO_EVENTS,
    origin: 'record',
    whereSource: where.source,
    whereLine: where.line,
  };
  keepSpan(result, span);
  return result;
}

function readTags(tags: JsonObject): Record<string, unknown> {
  const attributes = newAttributes();
  for (const [k, v] of Object.entries(tags)) attributes[k] = boundedCopy(v);
  return settledAttributes(attributes);
}

const ERROR_STATUS = /^(error|2|status_code_error)$/i;

/**
 * `status` as `{code, message}` or a bare `'error'`/`'ok'` (an `error` tag counts too, above). A numeric
 * code is an error when it reads as "2", which only the number 2 does: no string is made for it.
 */
function statusIsError(code: unknown): boolean {
  if (typeof code === 'number') return code === 2;
  const s = asString(code);
  return s !== undefined && ERROR_STATUS.test(s);
}

/** The kind as one of KINDS' own strings (not a copy per record), or undefined. */
function readKind(raw: unknown): SpanKind | undefined {
  const kind = asString(raw);
  if (kind === undefined) return undefined;
  const i = KINDS.indexOf(kind);
  if (i >= 0) return KINDS[i] as SpanKind;
  const k = KINDS.indexOf(kind.toLowerCase());
  return k >= 0 ? (KINDS[k] as SpanKind) : undefined;
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
