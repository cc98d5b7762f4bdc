// A rebuilt trace as every writer sees it: ids valid for OTLP, Jaeger and Zipkin (16 or 32 hex digits),
// times in nanoseconds, the tree's parent links, and what tracectl knows beyond the span (inferred
// placeholders, ids it had to replace) as `tracectl.*` attributes. Writers read these, never the tree.
import type { Span, SpanKind, SpanLink } from '../model/span.js';
import { whereOf } from '../model/span.js';
import type { Level } from '../entries/entry.js';
import { PARENT_INFERRED_ATTRIBUTE, type TraceTree } from '../model/tree.js';
import { sha256 } from '../core/sha256.js';

export interface ExportEvent {
  /** Nanoseconds since the epoch, as a decimal-exact bigint. */
  timeNs: bigint;
  message: string;
  level?: Level;
  /** "file:line" of the log line the event came from. */
  source?: string;
  stack?: string;
  attributes: Record<string, unknown>;
}

export interface ExportSpan {
  traceId: string; // 32 hex digits
  spanId: string; // 16 hex digits
  parentSpanId?: string;
  /** The parent link is FOLLOWS_FROM (the parent does not wait for this span). */
  followsFrom: boolean;
  service: string;
  host?: string;
  operation: string;
  startNs: bigint;
  endNs: bigint;
  kind?: SpanKind;
  error: boolean;
  errorMessage?: string;
  /** The span's own attributes, then the tracectl.* ones; redacted as the caller asked. */
  attributes: Record<string, unknown>;
  events: ExportEvent[];
  links: { traceId: string; spanId: string; kind: SpanLink['kind'] }[];
  /**
   * The exported id of the CLIENT span this SERVER span hangs under when both were read with one id
   * (Zipkin's shared RPC id, D119): the Zipkin writer gives the server half that id again.
   */
  sharesIdWith?: string;
}

export interface ExportTrace {
  traceId: string;
  spans: ExportSpan[];
}

/** How the caller wants attribute values and log text treated before they leave (redaction). */
export interface ExportOptions {
  redactAttributes(attributes: Record<string, unknown>): Record<string, unknown>;
  redactText(text: string): string;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const ZEROS = /^0+$/;

/**
 * A trace id as 32 hex digits: itself when it is one (64-bit ids are already padded by the readers),
 * else the first 128 bits of its SHA-256 — the same id gives the same hex id in every run and format.
 */
export function hexTraceId(id: string): string {
  return HEX32.test(id) && !ZEROS.test(id) ? id : hashedId(id, 32);
}

/** A span id (or a tree key such as `id#2`, `inferred:<service>`) as 16 hex digits, likewise. */
export function hexSpanId(id: string): string {
  return HEX16.test(id) && !ZEROS.test(id) ? id : hashedId(id, 16);
}

function hashedId(id: string, digits: number): string {
  const hex = sha256(id, 'hex').slice(0, digits);
  // An all-zero id means "absent" in OTLP and W3C; a hash of all zeros is only possible in theory.
  return ZEROS.test(hex) ? '1'.padStart(digits, '0') : hex;
}

/** Microseconds plus a sub-microsecond remainder (0..999) as nanoseconds. */
export function toNanos(us: number, nanos: number | undefined): bigint {
  const extra = nanos !== undefined && Number.isInteger(nanos) && nanos > 0 && nanos < 1000 ? nanos : 0;
  return BigInt(Math.trunc(us)) * 1000n + BigInt(extra);
}

/**
 * The tree's spans in pre-order. Span ids are the tree's node keys (duplicates are `id#n`), so that a
 * reader rebuilds the same parent links: a child points at the node it hangs under, not at whichever
 * span shares that id. A root that named a parent missing from the trace keeps pointing at it.
 */
export function exportTrace(tree: TraceTree, options: ExportOptions): ExportTrace {
  const traceId = hexTraceId(tree.traceId);
  const spans: ExportSpan[] = [];
  const nodes = tree.nodes;
  for (const node of nodes) {
    const s = node.span;
    const key = node.key ?? s.spanId;
    const spanId = hexSpanId(key);
    const attributes: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, options.redactAttributes(s.attributes));
    if (traceId !== tree.traceId) attributes['tracectl.original_trace_id'] = tree.traceId;
    if (spanId !== key) attributes['tracectl.original_span_id'] = s.spanId;
    if (s.inferred === true) attributes['tracectl.inferred'] = true;
    if (node.parentInferred === true) attributes[PARENT_INFERRED_ATTRIBUTE] = true;
    const where = whereOf(s);
    if (where !== undefined) attributes['tracectl.source'] = where;
    const startUs = tree.layout.start[node.index]!;
    const endUs = tree.layout.end[node.index]!;
    const span: ExportSpan = {
      traceId,
      spanId,
      followsFrom: s.parentIsFollowsFrom === true,
      service: s.service,
      operation: options.redactText(s.operation),
      startNs: toNanos(startUs, startUs === s.start ? s.startNanos : undefined),
      endNs: toNanos(endUs, undefined),
      error: s.error,
      attributes,
      events: s.events.map((e) => {
        const attrs: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, e.attributes ? options.redactAttributes(e.attributes) : {});
        const ev: ExportEvent = { timeNs: toNanos(e.time ?? startUs, e.time !== undefined ? e.nanos : undefined), message: options.redactText(e.message), attributes: attrs };
        if (e.level !== undefined) ev.level = e.level;
        if (e.source !== undefined) ev.source = e.line !== undefined ? `${e.source}:${e.line}` : e.source;
        if (e.stack !== undefined) ev.stack = options.redactText(e.stack);
        return ev;
      }),
      links: (s.links ?? []).map((l) => ({ traceId: hexTraceId(l.traceId), spanId: hexSpanId(l.spanId), kind: l.kind })),
    };
    if (node.parent !== undefined) {
      span.parentSpanId = hexSpanId(node.parent.key ?? node.parent.span.spanId);
      if (s.kind === 'server' && node.parent.span.kind === 'client' && readId(s) === readId(node.parent.span)) span.sharesIdWith = span.parentSpanId;
    }
    // A root that named a parent in the trace was cut from a cycle: pointing at it again would remake the cycle.
    else if (node.missingParent !== undefined) span.parentSpanId = hexSpanId(node.missingParent);
    if (s.host !== undefined && s.host !== s.service) span.host = s.host;
    if (s.kind !== undefined) span.kind = s.kind;
    if (s.errorMessage !== undefined) span.errorMessage = options.redactText(s.errorMessage);
    spans.push(span);
  }
  return { traceId, spans };
}

/** The id a span was read with: a file tracectl wrote keeps it in `tracectl.original_span_id` when it had to give another. */
function readId(s: Span): string {
  const original = s.attributes['tracectl.original_span_id'];
  return typeof original === 'string' ? original : s.spanId;
}

/** Exported spans grouped by service (and host), in first-seen order: OTLP's resources, Jaeger's processes. */
export function byResource(spans: readonly ExportSpan[]): { service: string; host?: string; spans: ExportSpan[] }[] {
  const groups = new Map<string, { service: string; host?: string; spans: ExportSpan[] }>();
  for (const s of spans) {
    const key = `${s.service}\u0000${s.host ?? ''}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = s.host !== undefined ? { service: s.service, host: s.host, spans: [] } : { service: s.service, spans: [] };
      groups.set(key, g);
    }
    g.spans.push(s);
  }
  return [...groups.values()];
}
