// Zipkin v2 JSON (the array its `/api/v2/spans` takes and its UI opens): timestamps and durations in
// microseconds, tags as strings, log lines as annotations, the service as `localEndpoint`.
import type { ExportSpan } from './export-span.js';

const KINDS: Record<string, string> = { server: 'SERVER', client: 'CLIENT', producer: 'PRODUCER', consumer: 'CONSUMER' };

const micros = (ns: bigint): number => Number(ns / 1000n);

function tagValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** What the reader gives a `shared` record (formats/zipkin-merge.ts). */
const SHARED = 'zipkin.shared';
const ORIGINAL_ID = 'tracectl.original_span_id';

/**
 * A trace as Zipkin v2 records, one a span. A SERVER span under the CLIENT span it shared its id with
 * when read (`sharesIdWith`, D119) is written as Zipkin's own tracers write that half (zipkin-lens
 * testdata/yelp.json): the client's id and parent, `shared: true`; its children point at that id, which
 * Zipkin resolves to the shared server on their endpoint. Read back, the pair is the same client and
 * server. A shared record read without its client half (zipkin.shared) is written shared again. Every
 * other span keeps an id of its own (a duplicate id was given a new one): Zipkin merges records that
 * share an id and a side.
 */
export function zipkinTrace(spans: readonly ExportSpan[]): Record<string, unknown>[] {
  const byId = new Map<string, ExportSpan>();
  const sharedAs = new Map<string, string>();
  for (const s of spans) {
    byId.set(s.spanId, s);
    if (s.sharesIdWith !== undefined) sharedAs.set(s.spanId, s.sharesIdWith);
  }
  return spans.map((s) => {
    const attributes = { ...s.attributes };
    const shared = attributes[SHARED] !== undefined || s.sharesIdWith !== undefined;
    delete attributes[SHARED];
    if (s.sharesIdWith === undefined) {
      const parent = s.parentSpanId !== undefined ? sharedAs.get(s.parentSpanId) : undefined;
      const record = zipkinSpan(parent !== undefined ? { ...s, attributes, parentSpanId: parent } : { ...s, attributes });
      if (shared) record.shared = true;
      return record;
    }
    delete attributes[ORIGINAL_ID];
    const half: ExportSpan = { ...s, attributes, spanId: s.sharesIdWith };
    const client = byId.get(s.sharesIdWith);
    if (client?.parentSpanId !== undefined) half.parentSpanId = sharedAs.get(client.parentSpanId) ?? client.parentSpanId;
    else delete half.parentSpanId;
    return { ...zipkinSpan(half), shared: true };
  });
}

function endpoint(service: string, host: string | undefined): Record<string, string> {
  return host !== undefined && IPV4.test(host) ? { serviceName: service, ipv4: host } : { serviceName: service };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** One Zipkin span record of an exported span. */
function zipkinSpan(s: ExportSpan): Record<string, unknown> {
  const o: Record<string, unknown> = { traceId: s.traceId, id: s.spanId };
  if (s.parentSpanId !== undefined) o.parentId = s.parentSpanId;
  o.name = s.operation;
  if (s.kind !== undefined && KINDS[s.kind] !== undefined) o.kind = KINDS[s.kind];
  o.timestamp = micros(s.startNs);
  // Zipkin reads a duration of 0 as not recorded: leave it out, as Zipkin's own tracers do.
  const duration = micros(s.endNs) - micros(s.startNs);
  if (duration > 0) o.duration = duration;
  o.localEndpoint = endpoint(s.service, s.host);
  const tags: Record<string, string> = {};
  for (const k of Object.keys(s.attributes)) {
    const v = tagValue(s.attributes[k]);
    if (v !== undefined) tags[k] = v;
  }
  // Zipkin's convention: the error tag holds the message, empty when there is none.
  if (s.error) tags.error = s.errorMessage ?? '';
  if (s.followsFrom) tags['tracectl.parent_follows_from'] = 'true';
  if (Object.keys(tags).length > 0) o.tags = tags;
  if (s.events.length > 0) {
    o.annotations = s.events.map((e) => ({ timestamp: micros(e.timeNs), value: e.level !== undefined && e.level !== 'info' ? `${e.level}: ${e.message}` : e.message }));
  }
  return o;
}
