// Jaeger's JSON as its query API answers `/api/traces` and its UI opens with "upload JSON": `{"data":
// [trace…]}`, each trace with `processes` (one per service and host) and spans whose tags and log fields
// carry their types; times and durations in microseconds; parents as CHILD_OF or FOLLOWS_FROM references.
import type { ExportSpan, ExportTrace } from './export-span.js';
import { byResource } from './export-span.js';

interface JaegerTag {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64';
  value: string | boolean | number;
}

function tag(key: string, v: unknown): JaegerTag | undefined {
  if (typeof v === 'string') return { key, type: 'string', value: v };
  if (typeof v === 'boolean') return { key, type: 'bool', value: v };
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { key, type: 'int64', value: v } : Number.isFinite(v) ? { key, type: 'float64', value: v } : { key, type: 'string', value: String(v) };
  if (v === null || v === undefined) return undefined;
  return { key, type: 'string', value: JSON.stringify(v) ?? String(v) };
}

function tags(attrs: Record<string, unknown>): JaegerTag[] {
  return Object.keys(attrs).flatMap((k) => tag(k, attrs[k]) ?? []);
}

/** Microseconds from nanoseconds, truncated as Jaeger's own OTLP conversion does. */
const micros = (ns: bigint): number => Number(ns / 1000n);

/** Jaeger writes a 128-bit trace id whose high half is zero as its 64-bit form. */
const jaegerTraceId = (id: string): string => (id.startsWith('0000000000000000') ? id.slice(16) : id);

/** Tags written from the span's own fields; an attribute of the same key (a Jaeger file read back) is not written twice. */
const OWN_TAGS = new Set(['span.kind', 'error', 'otel.status_description']);

function jaegerSpan(s: ExportSpan, processID: string): Record<string, unknown> {
  const spanTags = tags(s.attributes).filter((t) => !OWN_TAGS.has(t.key));
  if (s.kind !== undefined && s.kind !== 'internal') spanTags.push({ key: 'span.kind', type: 'string', value: s.kind });
  if (s.error) spanTags.push({ key: 'error', type: 'bool', value: true });
  if (s.errorMessage !== undefined) spanTags.push({ key: 'otel.status_description', type: 'string', value: s.errorMessage });
  const references = [];
  if (s.parentSpanId !== undefined) references.push({ refType: s.followsFrom ? 'FOLLOWS_FROM' : 'CHILD_OF', traceID: jaegerTraceId(s.traceId), spanID: s.parentSpanId });
  for (const l of s.links) references.push({ refType: l.kind === 'follows_from' ? 'FOLLOWS_FROM' : 'CHILD_OF', traceID: jaegerTraceId(l.traceId), spanID: l.spanId });
  return {
    traceID: jaegerTraceId(s.traceId),
    spanID: s.spanId,
    flags: 1,
    operationName: s.operation,
    references,
    startTime: micros(s.startNs),
    duration: micros(s.endNs) - micros(s.startNs),
    tags: spanTags,
    logs: s.events.map((e) => {
      const fields = tags(e.attributes);
      fields.unshift({ key: 'event', type: 'string', value: e.message });
      if (e.level !== undefined) fields.push({ key: 'level', type: 'string', value: e.level });
      if (e.stack !== undefined) fields.push({ key: 'stack', type: 'string', value: e.stack });
      if (e.source !== undefined) fields.push({ key: 'tracectl.source', type: 'string', value: e.source });
      return { timestamp: micros(e.timeNs), fields };
    }),
    processID,
    warnings: null,
  };
}

/** One trace of `data`. */
export function jaegerTrace(trace: ExportTrace): Record<string, unknown> {
  const processes: Record<string, unknown> = {};
  const processOf = new Map<ExportSpan, string>();
  byResource(trace.spans).forEach((r, i) => {
    const id = `p${i + 1}`;
    processes[id] = { serviceName: r.service, tags: r.host !== undefined ? [{ key: 'hostname', type: 'string', value: r.host }] : [] };
    for (const s of r.spans) processOf.set(s, id);
  });
  // In the tree's pre-order, as the tree text lists them.
  const spans = trace.spans.map((s) => jaegerSpan(s, processOf.get(s)!));
  return { traceID: jaegerTraceId(trace.traceId), spans, processes, warnings: null };
}
/** The `{"data":[` … `]}` frame, written around traces as they come so that no trace waits for the rest. */
export const JAEGER_OPEN = '{"data":[';
export const JAEGER_CLOSE = '],"total":0,"limit":0,"offset":0,"errors":null}\n';
