// What OTLP carries for a span beyond its fields: attributes as KeyValue/AnyValue, log lines as events,
// links. One list of (key, value) pairs, which the JSON writer and the protobuf encoder both spell out.
import type { ExportEvent, ExportSpan } from './export-span.js';

/** OTLP's AnyValue, as plain data: what both encodings write. */
export type AnyValue =
  | { string: string }
  | { bool: boolean }
  | { int: bigint }
  | { double: number }
  | { array: AnyValue[] }
  | { kvlist: KeyValue[] };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** Nesting beyond this is written as a JSON string, so a deep attribute cannot deepen the encoders' recursion. */
const MAX_DEPTH = 8;

export function anyValue(v: unknown, depth = 0): AnyValue | undefined {
  if (typeof v === 'string') return { string: v };
  if (typeof v === 'boolean') return { bool: v };
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return { int: BigInt(v) };
    return Number.isFinite(v) ? { double: v } : { string: String(v) };
  }
  if (typeof v === 'bigint') return { int: v };
  if (v === null || v === undefined) return undefined;
  if (depth >= MAX_DEPTH) return { string: safeJson(v) };
  if (Array.isArray(v)) return { array: v.flatMap((x) => anyValue(x, depth + 1) ?? []) };
  if (typeof v === 'object') return { kvlist: keyValues(v as Record<string, unknown>, depth + 1) };
  return { string: String(v) };
}

export function keyValues(attrs: Record<string, unknown>, depth = 0): KeyValue[] {
  const out: KeyValue[] = [];
  for (const key of Object.keys(attrs)) {
    const value = anyValue(attrs[key], depth);
    if (value !== undefined) out.push({ key, value });
  }
  return out;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The instrumentation scope a span came with (`otel.scope.*`, kept by the OTLP reader), else tracectl's. */
export function scopeOf(span: ExportSpan): { name: string; version?: string } {
  const name = span.attributes['otel.scope.name'];
  const version = span.attributes['otel.scope.version'];
  if (typeof name !== 'string') return { name: 'tracectl' };
  return typeof version === 'string' ? { name, version } : { name };
}

/** The span's attributes as OTLP writes them: its own (less the scope, which has its place), kind of link marks. */
export function spanAttributes(span: ExportSpan): KeyValue[] {
  const attrs = keyValues(span.attributes).filter((kv) => kv.key !== 'otel.scope.name' && kv.key !== 'otel.scope.version');
  if (span.followsFrom) attrs.push({ key: 'tracectl.parent_follows_from', value: { bool: true } });
  return attrs;
}

/**
 * A log line as a span event: the message is the event's name (an error line with a stack is the
 * `exception` event OTel defines, message and stack as its attributes), the level and the line's place
 * as attributes.
 */
export function eventOf(e: ExportEvent): { timeNs: bigint; name: string; attributes: KeyValue[] } {
  const attrs = keyValues(e.attributes);
  let name = e.message === '' ? 'log' : e.message;
  if (e.stack !== undefined) {
    attrs.push({ key: 'exception.message', value: { string: e.message } }, { key: 'exception.stacktrace', value: { string: e.stack } });
    name = 'exception';
  }
  if (e.level !== undefined) attrs.push({ key: 'level', value: { string: e.level } });
  if (e.source !== undefined) attrs.push({ key: 'tracectl.source', value: { string: e.source } });
  return { timeNs: e.timeNs, name, attributes: attrs };
}

/** Resource attributes of a group of spans. */
export function resourceAttributes(service: string, host: string | undefined): KeyValue[] {
  const attrs: KeyValue[] = [{ key: 'service.name', value: { string: service } }];
  if (host !== undefined) attrs.push({ key: 'host.name', value: { string: host } });
  return attrs;
}

export const KIND_NUMBER: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/** Links: the span's own, and a FOLLOWS_FROM parent again as a link, as OpenTracing shims mark it. */
export function linksOf(span: ExportSpan): { traceId: string; spanId: string; attributes: KeyValue[] }[] {
  const links = span.links.map((l) => ({
    traceId: l.traceId,
    spanId: l.spanId,
    attributes: l.kind === 'link' ? [] : [{ key: 'opentracing.ref_type', value: { string: l.kind } } satisfies KeyValue],
  }));
  if (span.followsFrom && span.parentSpanId !== undefined) {
    links.push({ traceId: span.traceId, spanId: span.parentSpanId, attributes: [{ key: 'opentracing.ref_type', value: { string: 'follows_from' } }] });
  }
  return links;
}
