import type { Span, SpanEvent, SpanKind } from '../model/span.js';
import { asString, newAttributes } from './json.js';
import type { ZipkinEndpoint, ZipkinRecord } from './zipkin.js';

/**
 * Zipkin records that share an id are merged the way Zipkin's UI does it (zipkin-lens `mergeV2ById`
 * and `newSpanRow`), with one extra caution:
 *
 *   1. Pieces of one side (same `shared` flag, compatible local endpoint) are one span reported in
 *      parts, e.g. a start record without duration and a finish record: fields are filled from
 *      whichever piece has them. Unlike Zipkin, two pieces that both carry a timestamp and disagree
 *      are NOT merged (smartthings has five SERVER receives of one message, all kept).
 *   2. A CLIENT half and the `shared` SERVER half of one RPC become one span, as in Zipkin's trace
 *      view: the server's name and service (its children run there), the client's timestamp and
 *      duration (the caller's view of the whole call; the server's are the fallback). `host` names the
 *      clock the timing came from, so skew checks against the server-side children stay meaningful.
 *   3. When there is not exactly one half of each, nothing crosses sides; the same-id spans are kept
 *      and a warning says so (the tree builder then handles the duplicate ids).
 */
export function mergeById(records: readonly ZipkinRecord[], warnings: string[]): Span[] {
  const groups = new Map<string, ZipkinRecord[]>();
  for (const r of records) {
    const key = `${r.traceId}/${r.id}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const spans: Span[] = [];
  for (const group of groups.values()) {
    backfillShared(group);
    const clients = mergePieces(group.filter((r) => !r.shared));
    const servers = mergePieces(group.filter((r) => r.shared));
    const [client] = clients;
    const [server] = servers;
    let made: (Span | undefined)[];
    if (clients.length === 1 && servers.length === 1 && client && server) {
      made = [toSpan(client, warnings, server)];
    } else {
      made = [...clients, ...servers].map((r) => toSpan(r, warnings));
      if (made.length > 1) {
        warnings.push(
          `${group[0]?.where ?? '?'}: zipkin: span id ${group[0]?.id ?? '?'} has ${clients.length} unshared and ${servers.length} shared parts that could not be merged (kept as separate spans)`,
        );
      }
    }
    for (const s of made) if (s) spans.push(s);
  }
  return spans;
}

/** Some tracers omit `shared` on the server half; a CLIENT and a SERVER with one id can only be that. */
function backfillShared(group: ZipkinRecord[]): void {
  const client = group.find((r) => r.kind === 'CLIENT');
  if (!client) return;
  for (const r of group) {
    if (r.kind === 'SERVER') r.shared = true;
    // A shared server that was not propagated its parent id inherits the client's.
    if (r.shared && r.parentId === undefined && client.parentId !== undefined) r.parentId = client.parentId;
  }
}

function compatible(a: ZipkinEndpoint | undefined, b: ZipkinEndpoint | undefined): boolean {
  if (!a || !b) return true;
  const differ = <T>(x: T | undefined, y: T | undefined) => x !== undefined && y !== undefined && x !== y;
  return !(differ(a.serviceName, b.serviceName) || differ(a.ipv4, b.ipv4) || differ(a.ipv6, b.ipv6) || differ(a.port, b.port));
}

function mergePieces(records: readonly ZipkinRecord[]): ZipkinRecord[] {
  const pieces: ZipkinRecord[] = [];
  for (const r of records) {
    const into = pieces.find(
      (p) =>
        compatible(p.local, r.local) &&
        !(p.timestamp !== undefined && r.timestamp !== undefined && p.timestamp !== r.timestamp) &&
        !(p.duration !== undefined && r.duration !== undefined && p.duration !== r.duration),
    );
    if (!into) {
      pieces.push({ ...r, tags: Object.assign(newAttributes(), r.tags), annotations: [...r.annotations] });
      continue;
    }
    into.parentId ??= r.parentId;
    into.name ??= r.name;
    into.kind ??= r.kind;
    into.timestamp ??= r.timestamp;
    into.duration ??= r.duration;
    if (r.local) into.local = { ...r.local, ...into.local };
    if (r.remote) into.remote = { ...r.remote, ...into.remote };
    Object.assign(into.tags, r.tags);
    for (const a of r.annotations) {
      if (!into.annotations.some((b) => b.timestamp === a.timestamp && b.value === a.value)) into.annotations.push(a);
    }
  }
  return pieces;
}

const KIND: Record<NonNullable<ZipkinRecord['kind']>, SpanKind> = {
  CLIENT: 'client',
  SERVER: 'server',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

function hostOf(e: ZipkinEndpoint | undefined): string | undefined {
  return e?.ipv4 ?? e?.ipv6 ?? e?.serviceName;
}

function toSpan(main: ZipkinRecord, warnings: string[], server?: ZipkinRecord): Span | undefined {
  const annotations = [...main.annotations, ...(server?.annotations ?? [])].sort((a, b) => a.timestamp - b.timestamp);
  const first = annotations[0];
  const timed = main.timestamp !== undefined ? main : server?.timestamp !== undefined ? server : undefined;
  const start = timed?.timestamp ?? first?.timestamp;
  if (start === undefined) {
    warnings.push(`${main.where}: zipkin: span ${main.id} has no timestamp and no annotations (skipped)`);
    return undefined;
  }
  // No duration means the span was never finished (Brave's "brave.flush" annotation marks one reported
  // when its context was collected): 0, as zipkin-lens's newSpanRow and Jaeger show it. An annotation
  // stamped at the flush, seconds later, is no end.
  const recorded = main.duration ?? server?.duration;
  const duration = recorded ?? 0;
  const named = server ?? main;
  const attributes = Object.assign(newAttributes(), main.tags, server?.tags);
  const peer = main.remote?.serviceName ?? server?.remote?.serviceName;
  if (peer !== undefined && attributes['peer.service'] === undefined) attributes['peer.service'] = peer;
  if (recorded === undefined) attributes['zipkin.unfinished'] = true;
  // The server half of an RPC whose client half is not here (another file, or never reported): its id
  // is the caller's, and a Zipkin file written from it must say so again (export/zipkin-json.ts).
  if (main.shared && !server) attributes['zipkin.shared'] = true;
  if (server) {
    if (main.local?.serviceName !== undefined) attributes['zipkin.client.service'] = main.local.serviceName;
    if (server.timestamp !== undefined) attributes['zipkin.server.timestamp'] = server.timestamp;
    if (server.duration !== undefined) attributes['zipkin.server.duration'] = server.duration;
  }
  const span: Span = {
    traceId: main.traceId,
    spanId: main.id,
    service: named.local?.serviceName ?? main.local?.serviceName ?? 'unknown',
    operation: named.name ?? main.name ?? 'unknown',
    start,
    end: start + duration,
    error: 'error' in attributes,
    attributes,
    events: annotations.map((a): SpanEvent => ({ time: a.timestamp, message: a.value })),
    origin: 'zipkin',
    where: main.where,
  };
  const parent = main.parentId ?? server?.parentId;
  if (parent !== undefined) span.parentSpanId = parent;
  const kind = (server ?? main).kind;
  if (kind) span.kind = KIND[kind];
  const host = hostOf((timed ?? main).local);
  if (host !== undefined) span.host = host;
  const message = asString(attributes.error);
  if (message !== undefined) span.errorMessage = message;
  // tracectl's own export marks the placeholders it made for lines without a span id.
  if (attributes['tracectl.inferred'] === 'true') span.inferred = true;
  return span;
}
