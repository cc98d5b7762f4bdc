/**
 * Incoming trace context from request headers, and the headers this library sends. Precedence:
 *
 *   1. W3C `traceparent`            00-<32 hex trace>-<16 hex parent>-<2 hex flags>
 *   2. `X-Trace-Id` / `X-Span-Id`   (+ `X-Sampled`), as tracedFetch and many home-grown systems send
 *   3. B3 single `b3`               <trace>-<span>[-<sampled>[-<parent>]]
 *   4. B3 multi `X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled`, `X-B3-Flags`
 *
 * Header values come from anyone on the network: a value that is too long, not hex of the right length,
 * or all zeros is not trusted, and the next source is tried (in the end a new trace starts). Hex is
 * accepted in either case and lowercased; 64-bit trace ids (B3, X-Trace-Id) are left-padded to 128 bits.
 */

/** Longest header value looked at. traceparent v00 is 55 characters; later versions may append fields. */
export const MAX_HEADER_LENGTH = 256;

export type ContextSource = 'traceparent' | 'x-trace-id' | 'b3' | 'b3-multi';

export interface IncomingContext {
  traceId: string;
  /** The caller's span id: becomes the parent of the span made for this request. */
  parentSpanId: string | undefined;
  /** The caller's sampling decision, when it sent one. */
  sampled: boolean | undefined;
  source: ContextSource;
}

/** Node's `IncomingHttpHeaders`, a plain record, or a fetch `Headers`. Names are matched lowercased. */
export type HeaderBag =
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null };

const HEX32 = /^[0-9a-fA-F]{32}$/;
const HEX16 = /^[0-9a-fA-F]{16}$/;
const ZEROS = /^0+$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

function header(headers: HeaderBag, name: string): string | undefined {
  let v: string | string[] | null | undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    v = (headers as { get(name: string): string | null }).get(name);
  } else {
    v = (headers as Record<string, string | string[] | undefined>)[name];
  }
  // A repeated header is ambiguous (two callers?): trust neither copy.
  if (Array.isArray(v)) return v.length === 1 ? bounded(v[0]) : undefined;
  return bounded(v ?? undefined);
}

function bounded(v: string | undefined): string | undefined {
  if (typeof v !== 'string' || v.length > MAX_HEADER_LENGTH) return undefined;
  const t = v.trim();
  return t.length > 0 ? t : undefined;
}

/** 32 hex digits, or 16 padded to 32; lowercased; undefined if invalid or all zeros. */
export function parseTraceId(v: string | undefined): string | undefined {
  if (v === undefined || ZEROS.test(v)) return undefined;
  if (HEX32.test(v)) return v.toLowerCase();
  if (HEX16.test(v)) return v.toLowerCase().padStart(32, '0');
  return undefined;
}

/** 16 hex digits, lowercased; undefined if invalid or all zeros. */
export function parseSpanId(v: string | undefined): string | undefined {
  if (v === undefined || ZEROS.test(v) || !HEX16.test(v)) return undefined;
  return v.toLowerCase();
}

function parseSampledFlag(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === '1' || s === 'true' || s === 'd') return true;
  if (s === '0' || s === 'false') return false;
  return undefined;
}

/** W3C trace context level 1; future versions are read by their first four fields, as the spec asks. */
export function parseTraceparent(v: string | undefined): IncomingContext | undefined {
  if (v === undefined) return undefined;
  const m = TRACEPARENT.exec(v.toLowerCase());
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m;
  if (version === undefined || traceId === undefined || parentId === undefined || flags === undefined) return undefined;
  if (version === 'ff') return undefined;
  if (version === '00' && rest !== undefined) return undefined; // v00 has exactly four fields
  if (ZEROS.test(traceId) || ZEROS.test(parentId)) return undefined;
  return { traceId, parentSpanId: parentId, sampled: (Number.parseInt(flags, 16) & 1) === 1, source: 'traceparent' };
}

function parseXTraceId(headers: HeaderBag): IncomingContext | undefined {
  const traceId = parseTraceId(header(headers, 'x-trace-id'));
  if (!traceId) return undefined;
  return {
    traceId,
    parentSpanId: parseSpanId(header(headers, 'x-span-id')),
    sampled: parseSampledFlag(header(headers, 'x-sampled')),
    source: 'x-trace-id',
  };
}

/** B3 single header. A lone sampling state ("0", "1", "d") carries no ids and is not a context. */
export function parseB3Single(v: string | undefined): IncomingContext | undefined {
  if (v === undefined) return undefined;
  const parts = v.split('-');
  if (parts.length < 2 || parts.length > 4) return undefined;
  const traceId = parseTraceId(parts[0]);
  const spanId = parseSpanId(parts[1]);
  if (!traceId || !spanId) return undefined;
  const sampled = parts.length >= 3 ? parseSampledFlag(parts[2]) : undefined;
  if (parts.length >= 3 && sampled === undefined) return undefined;
  if (parts.length === 4 && !parseSpanId(parts[3])) return undefined;
  return { traceId, parentSpanId: spanId, sampled, source: 'b3' };
}

function parseB3Multi(headers: HeaderBag): IncomingContext | undefined {
  const traceId = parseTraceId(header(headers, 'x-b3-traceid'));
  const spanId = parseSpanId(header(headers, 'x-b3-spanid'));
  if (!traceId || !spanId) return undefined;
  const debug = header(headers, 'x-b3-flags') === '1';
  const sampled = debug ? true : parseSampledFlag(header(headers, 'x-b3-sampled'));
  return { traceId, parentSpanId: spanId, sampled, source: 'b3-multi' };
}

/** The trace context a request carries, from the first valid source in precedence order. */
export function extractContext(headers: HeaderBag): IncomingContext | undefined {
  return (
    parseTraceparent(header(headers, 'traceparent')) ??
    parseXTraceId(headers) ??
    parseB3Single(header(headers, 'b3')) ??
    parseB3Multi(headers)
  );
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/**
 * The headers an outgoing call sends. `spanId` is the call's own (client) span; `parentSpanId` the span
 * that made the call, sent as X-Parent-Span-Id for systems that log it.
 */
export function outgoingHeaders(
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  sampled: boolean,
): Record<string, string> {
  const h: Record<string, string> = {
    traceparent: formatTraceparent(traceId, spanId, sampled),
    'x-trace-id': traceId,
    'x-span-id': spanId,
    'x-sampled': sampled ? '1' : '0',
  };
  if (parentSpanId !== undefined) h['x-parent-span-id'] = parentSpanId;
  return h;
}
