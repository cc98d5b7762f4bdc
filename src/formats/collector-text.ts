import type { Span } from '../model/span.js';
import { clampSpan, emptyResult, type FormatResult } from './format-result.js';
import { decodeOtlpId, normalizeSpanId, normalizeTraceId } from './ids.js';
import { newAttributes } from './json.js';
import type { Instant } from './nanos.js';
import { otlpKind } from './otlp-traces.js';

const TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([+-])(\d\d)(\d\d)/;

/** Go's time.String(): `2020-02-11 20:26:12.000000321 +0000 UTC`, down to the nanosecond. */
export function parseGoTime(text: string): Instant | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh, om] = m;
  const offsetMin = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMin * 60_000;
  const digits = frac.padEnd(9, '0');
  return { us: ms * 1000 + Number(digits.slice(0, 6)), nanos: Number(digits.slice(6)) };
}

/**
 * The OpenTelemetry collector's debug exporter text (`ResourceSpans #0 ... Span #0 / Trace ID : ...`),
 * as found in collector logs. A whole-text reader: spans span many lines. Only the span header fields
 * are read; events, links and attributes under a span are left out.
 */
export function readCollectorText(text: string, source: string): FormatResult {
  const result = emptyResult('collector-text');
  let service = 'unknown';
  let fields: Map<string, string> | undefined;
  let startLine = 0;
  const finish = () => {
    if (fields) {
      const span = toSpan(fields, service, `${source}:${startLine}`, result.warnings);
      if (span) result.spans.push(clampSpan(span, result.warnings));
    }
    fields = undefined;
  };
  text.split('\n').forEach((line, i) => {
    if (/^ResourceSpans #/.test(line)) {
      finish();
      service = 'unknown';
    }
    const svc = /^\s+-> service\.name: Str\((.*)\)\s*$/.exec(line);
    if (svc && !fields) service = svc[1] ?? service;
    if (/^Span #\d+/.test(line)) {
      finish();
      fields = new Map();
      startLine = i + 1;
      return;
    }
    if (/^(Events|Links|ScopeSpans|SpanEvent|SpanLink)\b/.test(line) && fields) {
      // Header fields are over; keep the span open only to let its end be found.
      fields.set('#closed', '1');
    }
    const kv = /^ {4}([A-Za-z ]+?)\s*: ?(.*)$/.exec(line);
    if (kv && fields && !fields.has('#closed')) fields.set(kv[1] ?? '', (kv[2] ?? '').trim());
  });
  finish();
  return result;
}

function toSpan(f: Map<string, string>, service: string, where: string, warnings: string[]): Span | undefined {
  const traceHex = decodeOtlpId(f.get('Trace ID') ?? '');
  const spanHex = decodeOtlpId(f.get('ID') ?? '');
  if (traceHex === undefined || spanHex === undefined) {
    warnings.push(`${where}: collector-text: span "${f.get('Name') ?? '?'}" without ${traceHex === undefined ? 'Trace ID' : 'ID'} (skipped)`);
    return undefined;
  }
  const start = parseGoTime(f.get('Start time') ?? '');
  if (!start) {
    warnings.push(`${where}: collector-text: span ${spanHex} has no start time (skipped)`);
    return undefined;
  }
  const end = parseGoTime(f.get('End time') ?? '') ?? start;
  const error = f.get('Status code') === 'Error';
  const span: Span = {
    traceId: normalizeTraceId(traceHex),
    spanId: normalizeSpanId(spanHex),
    service,
    operation: f.get('Name') || 'unknown',
    start: start.us,
    end: end.us,
    startNanos: start.nanos,
    error,
    attributes: newAttributes(),
    events: [],
    origin: 'otlp',
    where,
  };
  const parent = decodeOtlpId(f.get('Parent ID') ?? '');
  if (parent !== undefined) span.parentSpanId = normalizeSpanId(parent);
  const kind = otlpKind(f.get('Kind'));
  if (kind) span.kind = kind;
  const message = f.get('Status message');
  if (error && message) span.errorMessage = message;
  return span;
}
