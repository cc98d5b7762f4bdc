import type { Entry, Level } from '../entries/entry.js';
import type { Span } from '../model/span.js';
import { keepSpan, emptyResult, place, type FormatResult, type Where } from './format-result.js';
import { isHex, normalizeSpanId, normalizeTraceId } from './ids.js';
import { asNumber, asString, boundedCopy, isObject, newAttributes, type JsonObject } from './json.js';
import { msToMicros, toMicros } from './nanos.js';

const KEYS = ['metadata', 'transaction', 'span', 'error', 'log', 'metricset'] as const;
export const APM_EVENT_KEYS: readonly string[] = KEYS;
type ApmKey = (typeof KEYS)[number];

/** An intake v2 line is a one-key object (`{"span": {...}}`); the one key names the event type. */
export function apmEventType(value: JsonObject): ApmKey | undefined {
  let only: string | undefined;
  for (const key in value) {
    if (only !== undefined) return undefined;
    only = key;
  }
  const type = KEYS.find((k) => k === only);
  return type !== undefined && isObject(value[type]) ? type : undefined;
}

/**
 * Elastic APM intake v2, one event per line. Transactions and spans become spans; errors and logs
 * become entries; metadata and metricsets are recognised and produce nothing. The metadata line's
 * service is not seen here (lines are read one at a time), so `context.service.name` is used when the
 * event carries it.
 */
export function readElasticApm(doc: JsonObject, where: Where): FormatResult {
  const result = emptyResult('elastic-apm');
  const type = apmEventType(doc);
  const event = type === undefined ? undefined : doc[type];
  if (!isObject(event)) return result;
  if (type === 'transaction' || type === 'span') {
    const span = readApmSpan(event, type, place(where), result.warnings);
    if (span) keepSpan(result, span);
  } else if (type === 'error' || type === 'log') {
    result.entries.push(readApmEntry(event, type, where));
  }
  return result;
}

function serviceOf(event: JsonObject): string | undefined {
  const context = isObject(event.context) ? event.context : undefined;
  const service = context && isObject(context.service) ? context.service : undefined;
  return service ? asString(service.name) : undefined;
}

function readApmSpan(event: JsonObject, type: 'transaction' | 'span', at: string, warnings: string[]): Span | undefined {
  const traceId = asString(event.trace_id);
  const id = asString(event.id);
  if (traceId === undefined || id === undefined) {
    warnings.push(`${at}: elastic-apm: ${type} without ${traceId === undefined ? 'trace_id' : 'id'} (skipped)`);
    return undefined;
  }
  // A span's `start` is an offset from its transaction, which another line holds; without an absolute
  // `timestamp` it cannot be placed.
  const start = toMicros(event.timestamp);
  if (start === undefined) {
    warnings.push(`${at}: elastic-apm: ${type} ${id} has no timestamp (skipped)`);
    return undefined;
  }
  const durationMs = asNumber(event.duration) ?? 0;
  const attributes = newAttributes();
  for (const key of ['type', 'subtype', 'action', 'result', 'outcome', 'sampled'] as const) {
    if (event[key] !== undefined && event[key] !== null) attributes[key] = boundedCopy(event[key]);
  }
  const span: Span = {
    traceId: normalizeTraceId(traceId),
    spanId: normalizeSpanId(id),
    service: serviceOf(event) ?? 'unknown',
    operation: asString(event.name) ?? 'unknown',
    start,
    end: start + msToMicros(durationMs),
    error: event.outcome === 'failure',
    attributes,
    events: [],
    origin: 'record',
    where: at,
  };
  const parent = asString(event.parent_id) ?? (type === 'span' ? asString(event.transaction_id) : undefined);
  if (parent !== undefined) span.parentSpanId = normalizeSpanId(parent);
  if (type === 'transaction' && event.type === 'request') span.kind = 'server';
  return span;
}

/** An ECS field, nested (`{"service":{"name"}}`) or dotted (`"service.name"`); nested wins, as in apm-server. */
function pick(event: JsonObject, flat: string, path: readonly string[]): unknown {
  let node: unknown = event;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return node ?? event[flat];
}

const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

function readApmEntry(event: JsonObject, type: 'error' | 'log', where: Where): Entry {
  const entry: Entry = { source: where.source, line: where.line, error: type === 'error' };
  const traceId = asString(pick(event, 'trace.id', ['trace', 'id'])) ?? asString(event.trace_id);
  if (traceId !== undefined) {
    entry.traceId = isHex(traceId) ? normalizeTraceId(traceId) : traceId;
    entry.traceIdKind = 'trace';
  }
  const spanId =
    asString(pick(event, 'span.id', ['span', 'id'])) ??
    asString(event.parent_id) ??
    asString(pick(event, 'transaction.id', ['transaction', 'id'])) ??
    asString(event.transaction_id);
  if (spanId !== undefined) entry.spanId = isHex(spanId) ? normalizeSpanId(spanId) : spanId;
  const service = asString(pick(event, 'service.name', ['service', 'name'])) ?? serviceOf(event);
  if (service !== undefined) entry.service = service;
  const rawTime = event['@timestamp'] ?? event.timestamp;
  const time = typeof rawTime === 'string' && !/^\d+$/.test(rawTime) ? msOrUndefined(Date.parse(rawTime)) : toMicros(rawTime);
  if (time !== undefined) entry.time = time;
  const exception = isObject(event.exception) ? event.exception : undefined;
  const log = isObject(event.log) ? event.log : undefined;
  const message = asString(event.message) ?? asString(exception?.message) ?? asString(log?.message);
  if (message !== undefined) entry.message = message;
  const level = asString(pick(event, 'log.level', ['log', 'level']))?.toLowerCase().replace(/^warning$/, 'warn');
  const known = LEVELS.find((l) => l === level);
  if (known) entry.level = known;
  else if (type === 'error') entry.level = 'error';
  if (known === 'error' || known === 'fatal') entry.error = true;
  if (entry.error && message !== undefined) entry.errorMessage = message;
  return entry;
}

function msOrUndefined(ms: number): number | undefined {
  return Number.isFinite(ms) ? msToMicros(ms) : undefined;
}
