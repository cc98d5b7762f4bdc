// OTLP/JSON as the OpenTelemetry collector's file exporter writes it: one ExportTraceServiceRequest per
// line; ids as hex, enums as integers, 64-bit integers (times in ns, intValue) as decimal strings.
import type { ExportSpan } from './export-span.js';
import { eventOf, KIND_NUMBER, linksOf, resourceAttributes, spanAttributes, type AnyValue, type KeyValue } from './otlp-attributes.js';
import { encodedSpan, groupSpans, type EncodedSpan } from './otlp-request.js';

export function jsonValue(v: AnyValue): unknown {
  if ('string' in v) return { stringValue: v.string };
  if ('bool' in v) return { boolValue: v.bool };
  if ('int' in v) return { intValue: v.int.toString() };
  if ('double' in v) return { doubleValue: v.double };
  if ('array' in v) return { arrayValue: { values: v.array.map(jsonValue) } };
  return { kvlistValue: { values: jsonKeyValues(v.kvlist) } };
}

export function jsonKeyValues(list: readonly KeyValue[]): unknown[] {
  return list.map((kv) => ({ key: kv.key, value: jsonValue(kv.value) }));
}

/** One span as OTLP/JSON text. */
export function spanJson(span: ExportSpan): string {
  const o: Record<string, unknown> = { traceId: span.traceId, spanId: span.spanId };
  if (span.parentSpanId !== undefined) o.parentSpanId = span.parentSpanId;
  o.name = span.operation;
  o.kind = span.kind !== undefined ? KIND_NUMBER[span.kind] : 0;
  o.startTimeUnixNano = span.startNs.toString();
  o.endTimeUnixNano = span.endNs.toString();
  const attributes = spanAttributes(span);
  if (attributes.length > 0) o.attributes = jsonKeyValues(attributes);
  if (span.events.length > 0) {
    o.events = span.events.map((e) => {
      const ev = eventOf(e);
      return { timeUnixNano: ev.timeNs.toString(), name: ev.name, attributes: jsonKeyValues(ev.attributes) };
    });
  }
  const links = linksOf(span);
  if (links.length > 0) o.links = links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: jsonKeyValues(l.attributes) }));
  o.status = span.error ? (span.errorMessage !== undefined ? { code: 2, message: span.errorMessage } : { code: 2 }) : {};
  return JSON.stringify(o);
}

export function encodeSpanJson(span: ExportSpan): EncodedSpan<string> {
  return encodedSpan(span, spanJson(span));
}

/** The names OTLP/JSON gives the levels of a request, per signal. */
export const TRACES_JSON = { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' } as const;
export const LOGS_JSON = { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' } as const;

/**
 * An ExportTraceServiceRequest around spans already written by spanJson (or, with LOGS_JSON, an
 * ExportLogsServiceRequest around log records), as one line of JSON (no newline).
 */
export function requestJson(items: readonly EncodedSpan<string>[], names: typeof TRACES_JSON | typeof LOGS_JSON = TRACES_JSON): string {
  const resources = groupSpans(items).map((r) => {
    const resource = JSON.stringify({ attributes: jsonKeyValues(resourceAttributes(r.service, r.host)) });
    const scopes = r.scopes.map((s) => `{"scope":${JSON.stringify(s.scope)},"${names.items}":[${s.spans.join(',')}]}`);
    return `{"resource":${resource},"${names.scopes}":[${scopes.join(',')}]}`;
  });
  return `{"${names.resources}":[${resources.join(',')}]}`;
}
