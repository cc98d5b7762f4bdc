import type { Span, SpanEvent, SpanKind, SpanLink } from '../model/span.js';
import { keepSpan, emptyResult, place, type FormatResult, type Where } from './format-result.js';
import { decodeOtlpId, normalizeSpanId, normalizeTraceId } from './ids.js';
import { asArray, asString, isObject, newAttributes, type JsonObject } from './json.js';
import { nanosToInstant } from './nanos.js';
import { attributesToObject, HOST_KEYS, pickString } from './otlp-values.js';

const KINDS: readonly (SpanKind | undefined)[] = [undefined, 'internal', 'server', 'client', 'producer', 'consumer'];

/** OTLP kind as a number (1..5) or an enum name (`SPAN_KIND_SERVER`, or just `SERVER`). */
export function otlpKind(raw: unknown): SpanKind | undefined {
  if (typeof raw === 'number') return KINDS[raw];
  if (typeof raw !== 'string') return undefined;
  const name = raw.toLowerCase().replace(/^span_kind_/, '');
  return KINDS.find((k) => k === name);
}

/** Status code 2 or its enum name means error; 0 (unset) and 1 (ok) do not. */
export function otlpStatusIsError(code: unknown): boolean {
  return code === 2 || code === '2' || code === 'STATUS_CODE_ERROR' || code === 'ERROR';
}

export function otlpTraceId(raw: unknown): string | undefined {
  const s = asString(raw);
  const hex = s === undefined ? undefined : decodeOtlpId(s);
  return hex === undefined ? undefined : normalizeTraceId(hex);
}

export function otlpSpanId(raw: unknown): string | undefined {
  const s = asString(raw);
  const hex = s === undefined ? undefined : decodeOtlpId(s);
  return hex === undefined ? undefined : normalizeSpanId(hex);
}

interface Resource {
  service: string;
  host?: string;
}

export function readResource(resource: unknown): Resource {
  const attrs = attributesToObject(isObject(resource) ? resource.attributes : undefined);
  return { service: pickString(attrs, ['service.name']) ?? 'unknown', host: pickString(attrs, HOST_KEYS) };
}

/**
 * `ExportTraceServiceRequest` (`resourceSpans`) or Tempo's `{batches}`: the same shape, Tempo writing ids
 * in base64 and enums by name. Both id spellings are accepted either way.
 */
export function readOtlpTraces(doc: JsonObject, where: Where, format: 'otlp' | 'tempo'): FormatResult {
  const result = emptyResult(format);
  const batches = asArray(doc.resourceSpans ?? doc.batches);
  let index = 0;
  for (const rs of batches) {
    if (!isObject(rs)) {
      result.warnings.push(`${place(where)}: ${format}: resource entry is not an object (skipped)`);
      continue;
    }
    const resource = readResource(rs.resource);
    for (const ss of asArray(rs.scopeSpans ?? rs.instrumentationLibrarySpans)) {
      if (!isObject(ss)) continue;
      const scope = isObject(ss.scope) ? ss.scope : isObject(ss.instrumentationLibrary) ? ss.instrumentationLibrary : {};
      for (const raw of asArray(ss.spans)) {
        const span = readOtlpSpan(raw, resource, scope, place(where, index), result.warnings, format);
        if (span) keepSpan(result, span);
        index += 1;
      }
    }
  }
  return result;
}

function readOtlpSpan(
  raw: unknown,
  resource: Resource,
  scope: JsonObject,
  where: string,
  warnings: string[],
  format: string,
): Span | undefined {
  if (!isObject(raw)) {
    warnings.push(`${where}: ${format}: span is not an object (skipped)`);
    return undefined;
  }
  const traceId = otlpTraceId(raw.traceId);
  const spanId = otlpSpanId(raw.spanId);
  if (traceId === undefined || spanId === undefined) {
    warnings.push(`${where}: ${format}: span without a valid ${traceId === undefined ? 'traceId' : 'spanId'} (skipped)`);
    return undefined;
  }
  const start = nanosToInstant(raw.startTimeUnixNano);
  if (start === undefined) {
    warnings.push(`${where}: ${format}: span ${spanId} has no startTimeUnixNano (skipped)`);
    return undefined;
  }
  let end = nanosToInstant(raw.endTimeUnixNano);
  if (end === undefined) {
    warnings.push(`${where}: ${format}: span ${spanId} has no endTimeUnixNano (duration set to 0)`);
    end = start;
  }
  const attributes = attributesToObject(raw.attributes);
  const scopeName = asString(scope.name);
  if (scopeName !== undefined) attributes['otel.scope.name'] = scopeName;
  const scopeVersion = asString(scope.version);
  if (scopeVersion !== undefined) attributes['otel.scope.version'] = scopeVersion;

  const status = isObject(raw.status) ? raw.status : {};
  const events = asArray(raw.events).flatMap((e) => readEvent(e));
  const exception = events.find((e) => e.level === 'error');
  const span: Span = {
    traceId,
    spanId,
    service: resource.service,
    operation: asString(raw.name) ?? 'unknown',
    start: start.us,
    // Sub-µs parts are dropped from the end so durations truncate like Jaeger's conversion does.
    end: end.us,
    startNanos: start.nanos,
    error: otlpStatusIsError(status.code),
    attributes,
    events,
    origin: 'otlp',
    where,
  };
  const parent = otlpSpanId(raw.parentSpanId);
  if (parent !== undefined) span.parentSpanId = parent;
  const kind = otlpKind(raw.kind);
  if (kind) span.kind = kind;
  const message = asString(status.message) ?? (exception ? exceptionMessage(exception) : undefined);
  if (message !== undefined) span.errorMessage = message;
  if (resource.host !== undefined) span.host = resource.host;
  // tracectl's own export marks the placeholders it made for lines without a span id.
  if (attributes['tracectl.inferred'] === true) span.inferred = true;
  const links = asArray(raw.links).flatMap((l) => readLink(l));
  if (links.length > 0) span.links = links;
  return span;
}

function readEvent(raw: unknown): SpanEvent[] {
  if (!isObject(raw)) return [];
  const attributes = attributesToObject(raw.attributes);
  const name = asString(raw.name) ?? 'event';
  const event: SpanEvent = { message: name };
  const time = nanosToInstant(raw.timeUnixNano);
  if (time) {
    event.time = time.us;
    event.nanos = time.nanos;
  }
  if (name === 'exception') event.level = 'error';
  if (Object.keys(attributes).length > 0) event.attributes = attributes;
  return [event];
}

function exceptionMessage(event: SpanEvent): string | undefined {
  const attrs = event.attributes ?? newAttributes();
  const message = asString(attrs['exception.message']);
  const type = asString(attrs['exception.type']);
  if (message !== undefined && type !== undefined) return `${type}: ${message}`;
  return message ?? type;
}

function readLink(raw: unknown): SpanLink[] {
  if (!isObject(raw)) return [];
  const traceId = otlpTraceId(raw.traceId);
  const spanId = otlpSpanId(raw.spanId);
  return traceId !== undefined && spanId !== undefined ? [{ traceId, spanId, kind: 'link' }] : [];
}

