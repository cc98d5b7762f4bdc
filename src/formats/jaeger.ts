import type { Span, SpanEvent, SpanKind, SpanLink } from '../model/span.js';
import { keepSpan, emptyResult, place, type FormatResult, type Where } from './format-result.js';
import { normalizeSpanId, normalizeTraceId } from './ids.js';
import { asArray, asString, boundedCopy, isObject, newAttributes, type JsonObject } from './json.js';
import { toMicros } from './nanos.js';
import { levelFromName } from '../entries/parse-level.js';

const KINDS: readonly string[] = ['internal', 'server', 'client', 'producer', 'consumer'];

/** The traces in a Jaeger document: `{data:[traces]}` (query API), `{data:trace}`, or one bare trace. */
export function jaegerTraces(doc: JsonObject): unknown[] {
  if (Array.isArray(doc.data)) return doc.data;
  if (isObject(doc.data)) return [doc.data];
  return [doc];
}

export function readJaeger(doc: JsonObject, where: Where): FormatResult {
  const result = emptyResult('jaeger');
  let index = 0;
  for (const trace of jaegerTraces(doc)) {
    if (!isObject(trace)) {
      result.warnings.push(`${place(where)}: jaeger: trace is not an object (skipped)`);
      continue;
    }
    const processes = isObject(trace.processes) ? trace.processes : {};
    for (const raw of asArray(trace.spans)) {
      const span = readJaegerSpan(raw, processes, place(where, index), result.warnings);
      if (span) keepSpan(result, span);
      index += 1;
    }
  }
  return result;
}

/** Jaeger tags/fields `[{key, type, value}]` to a plain object; int64 beyond 2^53 arrives as a string. */
export function jaegerTags(list: unknown): Record<string, unknown> {
  const out = newAttributes();
  for (const kv of asArray(list)) {
    if (!isObject(kv)) continue;
    const key = asString(kv.key);
    if (key !== undefined) out[key] = boundedCopy(kv.value);
  }
  return out;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function readJaegerSpan(raw: unknown, processes: JsonObject, where: string, warnings: string[]): Span | undefined {
  if (!isObject(raw)) {
    warnings.push(`${where}: jaeger: span is not an object (skipped)`);
    return undefined;
  }
  const rawTrace = asString(raw.traceID);
  const rawSpan = asString(raw.spanID);
  if (rawTrace === undefined || rawSpan === undefined) {
    warnings.push(`${where}: jaeger: span without ${rawTrace === undefined ? 'traceID' : 'spanID'} (skipped)`);
    return undefined;
  }
  const traceId = normalizeTraceId(rawTrace);
  const spanId = normalizeSpanId(rawSpan);
  const start = toMicros(raw.startTime);
  if (start === undefined) {
    warnings.push(`${where}: jaeger: span ${spanId} has no startTime (skipped)`);
    return undefined;
  }
  const duration = toMicros(raw.duration) ?? 0;
  const process = isObject(raw.process) ? raw.process : asProcess(processes, raw.processID);
  const processTags = jaegerTags(process?.tags);
  const attributes = jaegerTags(raw.tags);
  const span: Span = {
    traceId,
    spanId,
    service: asString(process?.serviceName) ?? 'unknown',
    operation: asString(raw.operationName) ?? 'unknown',
    start,
    end: start + duration,
    error: isTrue(attributes.error),
    attributes,
    events: asArray(raw.logs).flatMap(readLog),
    origin: 'jaeger',
    where,
  };
  const host = asString(processTags.hostname) ?? asString(processTags.ip);
  if (host !== undefined) span.host = host;
  const kind = asString(attributes['span.kind'])?.toLowerCase();
  if (kind !== undefined && KINDS.includes(kind)) span.kind = kind as SpanKind;
  if (span.error) {
    // OpenTelemetry's Jaeger mapping puts the status message in this tag; older tracers log it.
    const message = asString(attributes['otel.status_description']) ?? span.events.find((e) => e.level === 'error')?.message;
    if (message !== undefined) span.errorMessage = message;
  }
  // tracectl's own export marks the placeholders it made for lines without a span id.
  if (isTrue(attributes['tracectl.inferred'])) span.inferred = true;
  linkReferences(span, raw.references, rawTrace);
  return span;
}

function asProcess(processes: JsonObject, id: unknown): JsonObject | undefined {
  const key = asString(id);
  if (key === undefined || !Object.hasOwn(processes, key)) return undefined;
  const p = processes[key];
  return isObject(p) ? p : undefined;
}

/**
 * Parent as Jaeger's own model picks it: the first CHILD_OF reference within the same trace, else the
 * first FOLLOWS_FROM. References to other traces, and any beyond the parent, become links.
 */
function linkReferences(span: Span, references: unknown, rawTrace: string): void {
  const refs: { traceId: string; spanId: string; follows: boolean; sameTrace: boolean }[] = [];
  for (const r of asArray(references)) {
    if (!isObject(r)) continue;
    const t = asString(r.traceID);
    const s = asString(r.spanID);
    if (t === undefined || s === undefined) continue;
    const sameTrace = normalizeTraceId(t) === normalizeTraceId(rawTrace);
    refs.push({ traceId: normalizeTraceId(t), spanId: normalizeSpanId(s), follows: r.refType === 'FOLLOWS_FROM', sameTrace });
  }
  const parent = refs.find((r) => r.sameTrace && !r.follows) ?? refs.find((r) => r.sameTrace && r.follows);
  if (parent) {
    span.parentSpanId = parent.spanId;
    if (parent.follows) span.parentIsFollowsFrom = true;
  }
  const links: SpanLink[] = refs
    .filter((r) => r !== parent)
    .map((r) => ({ traceId: r.traceId, spanId: r.spanId, kind: r.follows ? 'follows_from' : 'child_of' }));
  if (links.length > 0) span.links = links;
}

function readLog(raw: unknown): SpanEvent[] {
  if (!isObject(raw)) return [];
  const fields = jaegerTags(raw.fields);
  const event: SpanEvent = {
    message: asString(fields.event) ?? asString(fields.message) ?? asString(fields['error.object']) ?? 'log',
  };
  const time = toMicros(raw.timestamp);
  if (time !== undefined) event.time = time;
  // A level field (OpenTracing's log convention; tracectl's export writes one) is the event's level.
  const level = typeof fields.level === 'string' ? levelFromName(fields.level) : undefined;
  if (level !== undefined) event.level = level;
  if (fields.event === 'error' || level === 'error') {
    event.level = 'error';
    const detail = asString(fields.message) ?? asString(fields['error.object']);
    if (detail !== undefined) event.message = detail;
  }
  if (Object.keys(fields).length > 0) event.attributes = fields;
  return [event];
}
