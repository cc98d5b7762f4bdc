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

/**
 * One Zipkin span. Each span of the tree is written with an id of its own (a duplicate id was given a
 * new one), never as a `shared` half: Zipkin would merge halves that share an id into one span.
 */
export function zipkinSpan(s: ExportSpan): Record<string, unknown> {
  const o: Record<string, unknown> = { traceId: s.traceId, id: s.spanId };
  if (s.parentSpanId !== undefined) o.parentId = s.parentSpanId;
  o.name = s.operation;
  if (s.kind !== undefined && KINDS[s.kind] !== undefined) o.kind = KINDS[s.kind];
  o.timestamp = micros(s.startNs);
  // Zipkin reads a duration of 0 as not recorded: leave it out, as Zipkin's own tracers do.
  const duration = micros(s.endNs) - micros(s.startNs);
  if (duration > 0) o.duration = duration;
  o.localEndpoint = s.host !== undefined && /^\d{1,3}(\.\d{1,3}){3}$/.test(s.host) ? { serviceName: s.service, ipv4: s.host } : { serviceName: s.service };
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
