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

/** The attributes the Zipkin reader (formats/zipkin-merge.ts) gives a span merged from a CLIENT and a shared SERVER half. */
const CLIENT_SERVICE = 'zipkin.client.service';
const SERVER_TIMESTAMP = 'zipkin.server.timestamp';
const SERVER_DURATION = 'zipkin.server.duration';
/** What the reader gives a `shared` record it found no client half for. */
const SHARED = 'zipkin.shared';

/**
 * A span as Zipkin v2 records: one, or two for a span the Zipkin reader merged from a CLIENT half and the
 * `shared` SERVER half of one RPC (it carries zipkin.client.service or zipkin.server.*): the halves are written again as Zipkin's
 * own tracers write them (zipkin-lens testdata/yelp.json), under the span's one id, the SERVER half marked
 * `shared: true`. Read back, they merge into the same span. A shared record read without its client half
 * (zipkin.shared) is written shared again. Any other span keeps an id of its own (a duplicate id was given
 * a new one): Zipkin merges records that share an id.
 */
export function zipkinRecords(s: ExportSpan): Record<string, unknown>[] {
  if (s.attributes[SHARED] !== undefined) {
    const attributes = { ...s.attributes };
    delete attributes[SHARED];
    return [{ ...zipkinSpan({ ...s, attributes }), shared: true }];
  }
  const clientService = s.attributes[CLIENT_SERVICE];
  const merged = clientService !== undefined || s.attributes[SERVER_TIMESTAMP] !== undefined || s.attributes[SERVER_DURATION] !== undefined;
  if (!merged || s.kind !== 'server') return [zipkinSpan(s)];
  const serverStart = s.attributes[SERVER_TIMESTAMP];
  const serverDuration = s.attributes[SERVER_DURATION];
  const attributes = { ...s.attributes };
  delete attributes[CLIENT_SERVICE];
  delete attributes[SERVER_TIMESTAMP];
  delete attributes[SERVER_DURATION];
  // The client half: the caller's timing (the merged span's), its service and host. Tags, annotations and
  // the error stay on the server half, whose values the reader keeps over the client's.
  const client: Record<string, unknown> = { traceId: s.traceId };
  if (s.parentSpanId !== undefined) client.parentId = s.parentSpanId;
  client.id = s.spanId;
  client.kind = 'CLIENT';
  client.name = s.operation;
  client.timestamp = micros(s.startNs);
  const duration = micros(s.endNs) - micros(s.startNs);
  if (duration > 0) client.duration = duration;
  // A client half without a service (the reader drops Zipkin's "unknown") is written without one.
  if (typeof clientService === 'string') client.localEndpoint = endpoint(clientService, s.host);
  const peer = attributes['peer.service'];
  if (typeof peer === 'string') client.remoteEndpoint = { serviceName: peer };
  const half: ExportSpan = { ...s, attributes };
  delete half.host; // the reader takes the host from the half whose timing it keeps: the client's
  const server = zipkinSpan(half);
  if (typeof serverStart === 'number') server.timestamp = serverStart;
  else delete server.timestamp;
  if (typeof serverDuration === 'number' && serverDuration > 0) server.duration = serverDuration;
  else delete server.duration;
  server.shared = true;
  return [client, server];
}

function endpoint(service: string, host: string | undefined): Record<string, string> {
  return host !== undefined && IPV4.test(host) ? { serviceName: service, ipv4: host } : { serviceName: service };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** One Zipkin span record of an exported span (zipkinRecords decides when a span is two). */
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
