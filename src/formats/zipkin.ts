import { keepSpan, emptyResult, place, type FormatResult, type Where } from './format-result.js';
import { isHex, normalizeSpanId, normalizeTraceId } from './ids.js';
import { asArray, asString, boundedCopy, isObject, newAttributes } from './json.js';
import { toMicros } from './nanos.js';
import { mergeById } from './zipkin-merge.js';

export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

/** One Zipkin v2 record after cleaning; several may make one span (see zipkin-merge.ts). */
export interface ZipkinRecord {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp?: number;
  duration?: number;
  local?: ZipkinEndpoint;
  remote?: ZipkinEndpoint;
  tags: Record<string, unknown>;
  annotations: { timestamp: number; value: string }[];
  shared: boolean;
  where: string;
}

const KINDS = ['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'] as const;

/** Looks like a Zipkin v2 span: string `traceId` and `id`, and no OTLP/own-record `spanId`. */
export function isZipkinSpan(value: unknown): boolean {
  return isObject(value) && typeof value.traceId === 'string' && typeof value.id === 'string' && !('spanId' in value);
}

export function readZipkin(records: readonly unknown[], where: Where): FormatResult {
  const result = emptyResult('zipkin');
  const cleaned: ZipkinRecord[] = [];
  records.forEach((raw, index) => {
    const record = cleanRecord(raw, place(where, index), result.warnings);
    if (record) cleaned.push(record);
  });
  widenTraceIds(cleaned);
  for (const span of mergeById(cleaned, result.warnings)) keepSpan(result, span);
  return result;
}

function endpoint(raw: unknown): ZipkinEndpoint | undefined {
  if (!isObject(raw)) return undefined;
  const e: ZipkinEndpoint = {};
  const serviceName = asString(raw.serviceName);
  // Zipkin treats the placeholder name "unknown" as no name at all.
  if (serviceName !== undefined && serviceName !== 'unknown') e.serviceName = serviceName;
  const ipv4 = asString(raw.ipv4);
  if (ipv4 !== undefined) e.ipv4 = ipv4;
  const ipv6 = asString(raw.ipv6);
  if (ipv6 !== undefined) e.ipv6 = ipv6;
  if (typeof raw.port === 'number') e.port = raw.port;
  return Object.keys(e).length > 0 ? e : undefined;
}

function cleanRecord(raw: unknown, where: string, warnings: string[]): ZipkinRecord | undefined {
  if (!isObject(raw)) {
    warnings.push(`${where}: zipkin: span is not an object (skipped)`);
    return undefined;
  }
  const traceId = asString(raw.traceId);
  const id = asString(raw.id);
  if (traceId === undefined || id === undefined) {
    warnings.push(`${where}: zipkin: span without ${traceId === undefined ? 'traceId' : 'id'} (skipped)`);
    return undefined;
  }
  const record: ZipkinRecord = {
    // Kept at its written width for now: widenTraceIds needs to see which ids were 64-bit.
    traceId: traceId.trim().toLowerCase(),
    id: normalizeSpanId(id),
    tags: readTags(raw.tags),
    annotations: readAnnotations(raw.annotations),
    shared: false,
    where,
  };
  const parentId = asString(raw.parentId);
  // A self-parent would make a cycle; Zipkin's own cleaner drops it the same way.
  if (parentId !== undefined && normalizeSpanId(parentId) !== record.id) record.parentId = normalizeSpanId(parentId);
  const name = asString(raw.name);
  if (name !== undefined && name !== 'unknown') record.name = name;
  const kind = KINDS.find((k) => k === raw.kind);
  if (kind) record.kind = kind;
  // Zipkin's cleaner also ignores 0: it means "not recorded" in Zipkin v2.
  const timestamp = toMicros(raw.timestamp);
  if (timestamp) record.timestamp = timestamp;
  const duration = toMicros(raw.duration);
  if (duration) record.duration = duration;
  const local = endpoint(raw.localEndpoint);
  if (local) record.local = local;
  const remote = endpoint(raw.remoteEndpoint);
  if (remote) record.remote = remote;
  // `shared` belongs to the server side; some tracers set it on clients by mistake.
  if (raw.shared === true && kind !== 'CLIENT') record.shared = true;
  return record;
}

function readTags(raw: unknown): Record<string, unknown> {
  const tags = newAttributes();
  if (!isObject(raw)) return tags;
  for (const [key, value] of Object.entries(raw)) tags[key] = boundedCopy(value);
  return tags;
}

function readAnnotations(raw: unknown): { timestamp: number; value: string }[] {
  const out: { timestamp: number; value: string }[] = [];
  for (const a of asArray(raw)) {
    if (!isObject(a)) continue;
    const timestamp = toMicros(a.timestamp);
    const value = asString(a.value);
    if (timestamp !== undefined && value !== undefined) out.push({ timestamp, value });
  }
  return out;
}

/**
 * One trace may be reported with 64-bit ids by some tracers and 128-bit by others; Zipkin then uses the
 * longer id for the whole trace. Do the same, then pad what is left to 128 bits.
 */
function widenTraceIds(records: ZipkinRecord[]): void {
  const wide = new Map<string, string>();
  for (const r of records) {
    if (r.traceId.length === 32 && isHex(r.traceId)) wide.set(r.traceId.slice(16), r.traceId);
  }
  for (const r of records) {
    const low = r.traceId.length <= 16 && isHex(r.traceId) ? r.traceId.padStart(16, '0') : undefined;
    r.traceId = (low !== undefined ? wide.get(low) : undefined) ?? normalizeTraceId(r.traceId);
  }
}

