/** Ids as they come in logs, made comparable: lowercase hex, 64-bit trace ids padded to 128 bits. */

const HEX = /^[0-9a-fA-F]+$/;
const MAX_ID = 128; // anything longer is not an id we trust

export function isHex(s: string): boolean {
  return HEX.test(s);
}

/**
 * A trace id: hex is lowercased, and a 64-bit (16-digit) one is left-padded to 32 digits, as B3 and
 * OTel do when 64-bit and 128-bit systems meet. Other strings (UUIDs, vendor ids) are kept as they are.
 */
export function normalizeTraceId(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? decimalToHex(String(v)) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = cleanId(v);
  if (s === undefined) return undefined;
  const kind = hexKind(s);
  if (kind === NOT_HEX) return s;
  if (kind === ZERO) return undefined; // W3C: all zeros is invalid
  const lower = kind === UPPER ? s.toLowerCase() : s;
  return lower.length === 16 ? lower.padStart(32, '0') : lower;
}

export function normalizeSpanId(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? decimalToHex(String(v), 16) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = cleanId(v);
  if (s === undefined) return undefined;
  const kind = hexKind(s);
  if (kind === ZERO) return undefined;
  return kind === UPPER ? s.toLowerCase() : s;
}

/** Trimmed, without a 0x prefix, within bounds; undefined when nothing usable is left. */
function cleanId(v: string): string | undefined {
  // Ids almost never carry blanks: trim (which allocates) only when an end is a blank.
  const t = v.length > 0 && (v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32) ? v.trim() : v;
  const s = stripHexPrefix(t);
  return s.length === 0 || s.length > MAX_ID ? undefined : s;
}

const NOT_HEX = 0;
const LOWER = 1; // hex with no upper-case letter: usable as it is
const UPPER = 2; // hex with an upper-case letter
const ZERO = 3; // only zeros

/** Per ASCII character: HEX_DIGIT for a hex digit but 0, with HEX_UPPER for A–F; NOT_HEX_CHAR for the rest. */
const HEX_DIGIT = 1;
const HEX_UPPER = 2;
const NOT_HEX_CHAR = 4;
const HEX_CLASS = new Uint8Array(128).fill(NOT_HEX_CHAR);
HEX_CLASS[0x30] = 0;
for (let c = 0x31; c <= 0x39; c++) HEX_CLASS[c] = HEX_DIGIT;
for (let c = 0x61; c <= 0x66; c++) HEX_CLASS[c] = HEX_DIGIT;
for (let c = 0x41; c <= 0x46; c++) HEX_CLASS[c] = HEX_DIGIT | HEX_UPPER;

/**
 * One pass over the characters instead of a regex, a zero test and a toLowerCase: ids are on every line.
 * The classes of the characters are OR-ed together without a branch a character: the digits and letters
 * of a random id would make such branches guess wrong half the time (2.4× slower).
 */
function hexKind(s: string): number {
  // A trace id is on every line of its trace and a span id on each of its span's lines, a few lines
  // apart; the field scanner gives the same bytes the same string. The last answers, by a cheap hash, are
  // kept: a hit costs a comparison (usually of two references) instead of a pass over 32 characters.
  const n = s.length;
  const slot = n < 2 ? 0 : (n * 31 + s.charCodeAt(n - 1) * 7 + s.charCodeAt(n - 2) * 3 + s.charCodeAt(n >> 1)) & (KIND_SLOTS - 1);
  if (kindText[slot] === s) return kindOf[slot]!;
  const kind = hexKindOnce(s);
  kindText[slot] = s;
  kindOf[slot] = kind;
  return kind;
}

const KIND_SLOTS = 256;
const kindText = new Array<string | undefined>(KIND_SLOTS);
const kindOf = new Uint8Array(KIND_SLOTS);

function hexKindOnce(s: string): number {
  let seen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    seen |= c < 128 ? HEX_CLASS[c]! : NOT_HEX_CHAR;
  }
  if ((seen & NOT_HEX_CHAR) !== 0) return NOT_HEX;
  if ((seen & HEX_DIGIT) === 0) return ZERO;
  return (seen & HEX_UPPER) !== 0 ? UPPER : LOWER;
}

/**
 * OpenTelemetry Python's ConsoleLogExporter writes ids as "0x4bf92f35…" (Python's hex formatting);
 * the same id elsewhere is bare hex, so the prefix goes.
 */
function stripHexPrefix(s: string): string {
  return s.length > 2 && s.charCodeAt(0) === 0x30 && (s.charCodeAt(1) | 0x20) === 0x78 /* 0x / 0X */ ? s.slice(2) : s;
}

/**
 * A Datadog id field: an unsigned 64-bit decimal, or (dd-trace with 128-bit trace ids and
 * DD_TRACE_128_BIT_TRACEID_LOGGING_ENABLED) 32 hex digits. A 32-digit value is always hex: a 64-bit
 * decimal has at most 20 digits.
 */
export function ddIdToHex(v: unknown, width = 32): string | undefined {
  const s = typeof v === 'number' ? (Number.isSafeInteger(v) ? String(v) : '') : typeof v === 'string' ? v.trim() : '';
  if (s.length === 32 && HEX.test(s)) return width === 32 ? normalizeTraceId(s) : undefined;
  return decimalToHex(s, width);
}

/** Datadog writes ids as unsigned 64-bit decimals ("dd.trace_id":"1234567890123456789"). */
export function decimalToHex(dec: string, width = 32): string | undefined {
  if (!/^\d{1,20}$/.test(dec)) return undefined;
  const n = BigInt(dec);
  if (n === 0n || n >= 1n << 64n) return undefined;
  return n.toString(16).padStart(width, '0');
}

export interface ParsedTraceparent {
  traceId: string;
  parentId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/i;

/**
 * W3C trace context: "00-<32 hex trace id>-<16 hex parent id>-<flags>". Version ff is invalid; version
 * 00 has exactly these four fields; a later version may append "-…" fields, which are ignored.
 */
export function parseTraceparent(v: unknown): ParsedTraceparent | undefined {
  if (typeof v !== 'string') return undefined;
  const m = TRACEPARENT.exec(v.trim());
  if (!m) return undefined;
  const version = m[1]!.toLowerCase();
  if (version === 'ff' || (version === '00' && m[5] !== undefined)) return undefined;
  const traceId = m[2]!.toLowerCase();
  const parentId = m[3]!.toLowerCase();
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { traceId, parentId, sampled: (parseInt(m[4]!, 16) & 1) === 1 };
}

export interface ParsedB3 {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

/** B3 single header: "{TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}" (the last two optional). */
export function parseB3Single(v: unknown): ParsedB3 | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.trim().split('-');
  if (parts.length < 2) return undefined;
  const traceId = normalizeTraceId(parts[0]);
  const spanId = normalizeSpanId(parts[1]);
  if (!traceId || !spanId || !isHex(parts[0]!) || !isHex(parts[1]!)) return undefined;
  const parent = parts.length >= 4 ? normalizeSpanId(parts[3]) : undefined;
  return parent ? { traceId, spanId, parentSpanId: parent } : { traceId, spanId };
}

/** Cloud Logging's "projects/PROJECT/traces/TRACE_ID". */
export function traceFromGcp(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const i = v.lastIndexOf('/traces/');
  return normalizeTraceId(i >= 0 ? v.slice(i + 8) : v);
}

const PAD64 = '0000000000000000';

/** A 64-bit id as it was logged, from its 128-bit padded form: what people type. */
export function unpaddedId(id: string): string {
  return id.length === 32 && id.startsWith(PAD64) ? id.slice(16) : id;
}

/**
 * A hex id as Go's `%x` writes it, without leading zeros: how older Jaeger wrote trace and span ids
 * (31 or 15 digits where the first was 0). Any zero-padded spelling of the id holds this one, so a byte
 * search for it finds them all. Ids that are not hex, or all zeros, are returned as they are.
 */
export function withoutLeadingZeros(id: string): string {
  if (id.length < 2 || id.charCodeAt(0) !== 48 || !/^[0-9a-fA-F]+$/.test(id)) return id;
  const i = id.search(/[^0]/);
  return i < 0 ? id : id.slice(i);
}
