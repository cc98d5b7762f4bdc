// A span's log lines as OTLP log records (opentelemetry-proto's logs.proto and the collector's
// logs_service.proto), each carrying its trace and span id, so a log backend shows them correlated with
// the trace. Requests group them by resource and scope as spans are: `requestJson(records, LOGS_JSON)`,
// `requestProto(records)`.
import type { Level } from '../entries/entry.js';
import type { ExportEvent, ExportSpan } from './export-span.js';
import { keyValues, type KeyValue } from './otlp-attributes.js';
import { jsonKeyValues } from './otlp-json.js';
import { ProtoWriter, writeKeyValues } from './otlp-proto.js';
import { encodedSpan, type EncodedSpan } from './otlp-request.js';

/** SeverityNumber: the first of each range (TRACE=1, DEBUG=5, INFO=9, WARN=13, ERROR=17, FATAL=21). */
const SEVERITY: Record<Level, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

interface LogRecord {
  timeNs: bigint;
  severityNumber?: number;
  severityText?: string;
  body: string;
  attributes: KeyValue[];
  traceId: string;
  spanId: string;
}

/** A log line of `span` as a LogRecord: its message the body, its level the severity, its stack and place as attributes. */
function logRecord(span: ExportSpan, e: ExportEvent): LogRecord {
  const attributes = keyValues(e.attributes);
  if (e.stack !== undefined) attributes.push({ key: 'exception.stacktrace', value: { string: e.stack } });
  if (e.source !== undefined) attributes.push({ key: 'tracectl.source', value: { string: e.source } });
  const r: LogRecord = { timeNs: e.timeNs, body: e.message, attributes, traceId: span.traceId, spanId: span.spanId };
  if (e.level !== undefined) {
    r.severityNumber = SEVERITY[e.level];
    r.severityText = e.level.toUpperCase();
  }
  return r;
}

function recordJson(r: LogRecord): string {
  const o: Record<string, unknown> = { timeUnixNano: r.timeNs.toString() };
  if (r.severityNumber !== undefined) o.severityNumber = r.severityNumber;
  if (r.severityText !== undefined) o.severityText = r.severityText;
  o.body = { stringValue: r.body };
  if (r.attributes.length > 0) o.attributes = jsonKeyValues(r.attributes);
  o.traceId = r.traceId;
  o.spanId = r.spanId;
  return JSON.stringify(o);
}

function recordProto(r: LogRecord): Uint8Array {
  const w = new ProtoWriter();
  w.fixed64(1, r.timeNs);
  if (r.severityNumber !== undefined) w.uint(2, r.severityNumber);
  if (r.severityText !== undefined) w.string(3, r.severityText);
  w.message(5, (b) => b.string(1, r.body));
  writeKeyValues(w, 6, r.attributes);
  w.hex(9, r.traceId);
  w.hex(10, r.spanId);
  return w.finish();
}

/** The span's log lines, each encoded as OTLP/JSON text. */
export function encodeLogsJson(span: ExportSpan): EncodedSpan<string>[] {
  return span.events.map((e) => encodedSpan(span, recordJson(logRecord(span, e))));
}

/** The span's log lines, each encoded as protobuf. */
export function encodeLogsProto(span: ExportSpan): EncodedSpan<Uint8Array>[] {
  return span.events.map((e) => encodedSpan(span, recordProto(logRecord(span, e))));
}
