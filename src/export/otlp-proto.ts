// OTLP as protobuf (opentelemetry-proto's trace.proto, common.proto, resource.proto and the collector's
// trace_service.proto): a small encoder for the few field types those messages use. The tests decode
// its output with protobufjs and the official .proto files.
import type { ExportSpan } from './export-span.js';
import { eventOf, KIND_NUMBER, linksOf, resourceAttributes, spanAttributes, type AnyValue, type KeyValue } from './otlp-attributes.js';
import { encodedSpan, groupSpans, type EncodedSpan } from './otlp-request.js';

const VARINT = 0;
const I64 = 1;
const LEN = 2;

/** Bytes appended to a growing buffer; a nested message is encoded on its own, then added with its length. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  varint(v: bigint | number): void {
    if (typeof v === 'number' && v >= 0 && v < 0x80000000) {
      // Tags, lengths, enums: most varints, kept off the BigInt path.
      let k = v;
      while (k >= 0x80) {
        this.byte((k & 0x7f) | 0x80);
        k >>>= 7;
      }
      this.byte(k);
      return;
    }
    // int64 negatives are their two's complement in 64 bits: ten bytes on the wire.
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) {
      this.byte(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.byte(Number(n));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  uint(field: number, v: number | bigint): void {
    this.tag(field, VARINT);
    this.varint(v);
  }

  fixed64(field: number, v: bigint): void {
    this.tag(field, I64);
    this.room(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setBigUint64(this.len, BigInt.asUintN(64, v), true);
    this.len += 8;
  }

  double(field: number, v: number): void {
    this.tag(field, I64);
    this.room(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.len, v, true);
    this.len += 8;
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, Buffer.from(s, 'utf8'));
  }

  hex(field: number, hex: string): void {
    this.bytes(field, Buffer.from(hex, 'hex'));
  }

  message(field: number, write: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

export function writeAnyValue(w: ProtoWriter, v: AnyValue): void {
  if ('string' in v) w.string(1, v.string);
  else if ('bool' in v) w.uint(2, v.bool ? 1 : 0);
  else if ('int' in v) w.uint(3, v.int);
  else if ('double' in v) w.double(4, v.double);
  else if ('array' in v) w.message(5, (a) => v.array.forEach((x) => a.message(1, (xw) => writeAnyValue(xw, x))));
  else w.message(6, (kl) => writeKeyValues(kl, 1, v.kvlist));
}

export function writeKeyValues(w: ProtoWriter, field: number, list: readonly KeyValue[]): void {
  for (const kv of list) {
    w.message(field, (m) => {
      m.string(1, kv.key);
      m.message(2, (vw) => writeAnyValue(vw, kv.value));
    });
  }
}

/** One `opentelemetry.proto.trace.v1.Span`. */
export function spanProto(span: ExportSpan): Uint8Array {
  const w = new ProtoWriter();
  w.hex(1, span.traceId);
  w.hex(2, span.spanId);
  if (span.parentSpanId !== undefined) w.hex(4, span.parentSpanId);
  w.string(5, span.operation);
  if (span.kind !== undefined) w.uint(6, KIND_NUMBER[span.kind] ?? 0);
  w.fixed64(7, span.startNs);
  w.fixed64(8, span.endNs);
  writeKeyValues(w, 9, spanAttributes(span));
  for (const e of span.events) {
    const ev = eventOf(e);
    w.message(11, (m) => {
      m.fixed64(1, ev.timeNs);
      m.string(2, ev.name);
      writeKeyValues(m, 3, ev.attributes);
    });
  }
  for (const l of linksOf(span)) {
    w.message(13, (m) => {
      m.hex(1, l.traceId);
      m.hex(2, l.spanId);
      writeKeyValues(m, 4, l.attributes);
    });
  }
  if (span.error) {
    w.message(15, (m) => {
      if (span.errorMessage !== undefined) m.string(2, span.errorMessage);
      m.uint(3, 2);
    });
  }
  return w.finish();
}

export function encodeSpanProto(span: ExportSpan): EncodedSpan<Uint8Array> {
  return encodedSpan(span, spanProto(span));
}

/**
 * An `ExportTraceServiceRequest` around spans already encoded by spanProto — or an
 * `ExportLogsServiceRequest` around log records: ResourceLogs and ScopeLogs number their fields as
 * ResourceSpans and ScopeSpans do (resource 1, scopes 2; scope 1, items 2).
 */
export function requestProto(spans: readonly EncodedSpan<Uint8Array>[]): Uint8Array {
  const w = new ProtoWriter();
  for (const r of groupSpans(spans)) {
    w.message(1, (rs) => {
      rs.message(1, (res) => writeKeyValues(res, 1, resourceAttributes(r.service, r.host)));
      for (const s of r.scopes) {
        rs.message(2, (ss) => {
          ss.message(1, (sc) => {
            sc.string(1, s.scope.name);
            if (s.scope.version !== undefined) sc.string(2, s.scope.version);
          });
          for (const body of s.spans) ss.bytes(2, body);
        });
      }
    });
  }
  return w.finish();
}

/** A varint at `at`, with the place after it; undefined past the end. */
function readVarint(b: Uint8Array, at: number): { value: bigint; next: number } | undefined {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < b.length && shift < 70n; i++) {
    value |= BigInt(b[i]! & 0x7f) << shift;
    if ((b[i]! & 0x80) === 0) return { value, next: i + 1 };
    shift += 7n;
  }
  return undefined;
}

/** Each field of a message: number, wire type, and a varint's value or a LEN field's bytes. Stops at damage. */
function* fields(b: Uint8Array): Generator<{ field: number; value?: bigint; bytes?: Uint8Array }> {
  let at = 0;
  while (at < b.length) {
    const tag = readVarint(b, at);
    if (tag === undefined) return;
    const field = Number(tag.value >> 3n);
    const wire = Number(tag.value & 7n);
    at = tag.next;
    if (wire === VARINT) {
      const v = readVarint(b, at);
      if (v === undefined) return;
      at = v.next;
      yield { field, value: v.value };
    } else if (wire === LEN) {
      const n = readVarint(b, at);
      if (n === undefined || n.next + Number(n.value) > b.length) return;
      yield { field, bytes: b.subarray(n.next, n.next + Number(n.value)) };
      at = n.next + Number(n.value);
    } else if (wire === I64) at += 8;
    else if (wire === 5) at += 4;
    else return;
  }
}

/** An `Export{Trace,Logs}ServiceResponse`'s partial success: items the receiver rejected, and why. */
export function decodePartialSuccess(b: Uint8Array): { rejected: number; message?: string } {
  let rejected = 0;
  let message: string | undefined;
  for (const f of fields(b)) {
    if (f.field !== 1 || f.bytes === undefined) continue;
    for (const p of fields(f.bytes)) {
      if (p.field === 1 && p.value !== undefined) rejected = Number(BigInt.asIntN(64, p.value));
      if (p.field === 2 && p.bytes !== undefined) message = Buffer.from(p.bytes).toString('utf8');
    }
  }
  return message !== undefined ? { rejected, message } : { rejected };
}

/** The `message` of a `google.rpc.Status`, which an OTLP/HTTP receiver sends with a failure; undefined if none. */
export function decodeStatusMessage(b: Uint8Array): string | undefined {
  for (const f of fields(b)) if (f.field === 2 && f.bytes !== undefined) return Buffer.from(f.bytes).toString('utf8');
  return undefined;
}
