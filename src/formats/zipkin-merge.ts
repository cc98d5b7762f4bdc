import type { Span, SpanEvent, SpanKind } from '../model/span.js';
import { asString, newAttributes } from './json.js';
import type { ZipkinEndpoint, ZipkinRecord } from './zipkin.js';

/**
 * Zipkin records that share an id, as Zipkin's own trace model (zipkin-lens `mergeV2ById` and
 * `SpanNodeBuilder`) and Jaeger's query service (`SpanIDDeduper`) take them (D119):
 *
 *   1. Pieces of one side (same `shared` flag, compatible local endpoint) are one span reported in
 *      parts, e.g. a start record without duration and a finish record: fields are filled from
 *      whichever piece has them. Unlike Zipkin, two pieces that both carry a timestamp and disagree
 *      are NOT merged (smartthings has five SERVER receives of one message, all kept).
 *   2. A CLIENT half and the `shared` SERVER half of one RPC stay two spans, each with its own service,
 *      timing and host: the tree builder puts the server under the client (build-tree.ts,
 *      settleDuplicates), as both of those models do. Only Zipkin's trace view draws the pair as one
 *      row. So the answer is the same whether the halves came in one file or in two.
 *   3. Every shared record carries `zipkin.shared: true`, with or without its client half here, so that
 *      a Zipkin file written from it says `shared` again (export/zipkin-json.ts).
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
    if (clients.length > 1 || servers.length > 1) {
      warnings.push(
        `${group[0]?.where ?? '?'}: zipkin: span id ${group[0]?.id ?? '?'} has ${clients.length} unshared and ${servers.length} shared parts that could not be merged (kept as separate spans)`,
      );
    }
    for (const r of [...clients, ...servers]) {
      const s = toSpan(r, warnings);
      if (s) spans.push(s);
    }
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

function toSpan(r: ZipkinRecord, warnings: string[]): Span | undefined {
  const annotations = [...r.annotations].sort((a, b) => a.timestamp - b.timestamp);
  const start = r.timestamp ?? annotations[0]?.timestamp;
  if (start === undefined) {
    warnings.push(`${r.where}: zipkin: span ${r.id} has no timestamp and no annotations (skipped)`);
    return undefined;
  }
  // No duration means the span was never finished (Brave's "brave.flush" annotation marks one reported
  // when its context was collected): 0, as zipkin-lens's newSpanRow and Jaeger show it. An annotation
  // stamped at the flush, seconds later, is no end.
  const duration = r.duration ?? 0;
  const attributes = Object.assign(newAttributes(), r.tags);
  const peer = r.remote?.serviceName;
  if (peer !== undefined && attributes['peer.service'] === undefined) attributes['peer.service'] = peer;
  if (r.duration === undefined) attributes['zipkin.unfinished'] = true;
  // The server half of an RPC: its id is the caller's, and a Zipkin file written from it must say so again.
  if (r.shared) attributes['zipkin.shared'] = true;
  const span: Span = {
    traceId: r.traceId,
    spanId: r.id,
    service: r.local?.serviceName ?? 'unknown',
    operation: r.name ?? 'unknown',
    start,
    end: start + duration,
    error: 'error' in attributes,
    attributes,
    events: annotations.map((a): SpanEvent => ({ time: a.timestamp, message: a.value })),
    origin: 'zipkin',
    where: r.where,
  };
  if (r.parentId !== undefined) span.parentSpanId = r.parentId;
  if (r.kind) span.kind = KIND[r.kind];
  const host = hostOf(r.local);
  if (host !== undefined) span.host = host;
  const message = asString(attributes.error);
  if (message !== undefined) span.errorMessage = message;
  // tracectl's own export marks the placeholders it made for lines without a span id.
  if (attributes['tracectl.inferred'] === 'true') span.inferred = true;
  return span;
}
