import type { Span } from '../model/span.js';
import { keepSpan, emptyResult, type FormatResult } from './format-result.js';
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
 * as found in collector logs, read line by line: a span's header fields span many lines, and what is read
 * is handed on record by record (at each `ResourceSpans #`, and every DELIVER_SPANS spans within one), so
 * an endless stream of it is read in bounded memory. Only the span header fields are read; events, links
 * and attributes under a span are left out. Every line is read by index scans, in time linear in its
 * length (the text is untrusted: a backtracking pattern took seconds on one line of spaces); the caller
 * caps the lines.
 */
export class CollectorTextReader {
  private result = emptyResult('collector-text');
  private service = 'unknown';
  private fields: Map<string, string> | undefined;
  private startLine = 0;

  constructor(
    private readonly source: string,
    private readonly deliver: (result: FormatResult) => void,
  ) {}

  /** One line (no LF, no final CR) and its 1-based number. */
  line(line: string, lineNo: number): void {
    if (line.startsWith('ResourceSpans #')) {
      this.finishSpan();
      this.flush();
      this.service = 'unknown';
    }
    const fields = this.fields;
    if (!fields) {
      const svc = serviceName(line);
      if (svc !== undefined) this.service = svc;
    }
    if (line.startsWith('Span #') && isDigit(line.charCodeAt(6))) {
      this.finishSpan();
      if (this.result.spans.length >= DELIVER_SPANS) this.flush();
      this.fields = new Map();
      this.startLine = lineNo;
      return;
    }
    if (!fields || fields.has('#closed')) return;
    // Header fields are over; the span stays open only to let its end be found.
    if (SECTION.test(line)) fields.set('#closed', '1');
    else {
      const kv = headerField(line);
      if (kv) fields.set(kv[0], kv[1]);
    }
  }

  /** The text has ended: the last span and what is still held are handed on. */
  end(): void {
    this.finishSpan();
    this.flush();
  }

  private finishSpan(): void {
    if (this.fields) {
      const span = toSpan(this.fields, this.service, `${this.source}:${this.startLine}`, this.result.warnings);
      if (span) keepSpan(this.result, span);
    }
    this.fields = undefined;
  }

  private flush(): void {
    const r = this.result;
    if (r.spans.length === 0 && r.warnings.length === 0 && r.outOfRange === undefined) return;
    this.result = emptyResult('collector-text');
    this.deliver(r);
  }
}

/** A whole text in hand, read as one result. */
export function readCollectorText(text: string, source: string): FormatResult {
  const all = emptyResult('collector-text');
  const reader = new CollectorTextReader(source, (r) => {
    for (const span of r.spans) all.spans.push(span);
    all.warnings.push(...r.warnings);
    if (r.outOfRange) {
      const o = (all.outOfRange ??= { duration: 0, time: 0 });
      o.duration += r.outOfRange.duration;
      o.time += r.outOfRange.time;
    }
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => reader.line(line.endsWith('\r') ? line.slice(0, -1) : line, i + 1));
  reader.end();
  return all;
}

/** Spans of one record handed on together at most: a record may be endless. */
const DELIVER_SPANS = 1024;

/** Anchored, no repetition: constant time whatever the line. */
const SECTION = /^(?:Events|Links|ScopeSpans|SpanEvent|SpanLink)\b/;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0xfeff || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isKeyChar(c: number): boolean {
  return c === 0x20 || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `<blanks>-> service.name: Str(NAME)<blanks>`: NAME, else undefined. */
function serviceName(line: string): string | undefined {
  let i = 0;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  const head = '-> service.name: Str(';
  if (i === 0 || !line.startsWith(head, i)) return undefined;
  let end = line.length;
  while (end > i && isSpace(line.charCodeAt(end - 1))) end--;
  if (end - 1 < i + head.length || line.charCodeAt(end - 1) !== 0x29) return undefined;
  return line.slice(i + head.length, end - 1);
}

/**
 * A header field, `    Key Name    : value`: four spaces, a key of letters and spaces, blanks, a colon;
 * the key without its trailing blanks and the value trimmed, else undefined.
 */
function headerField(line: string): [string, string] | undefined {
  if (!line.startsWith('    ')) return undefined;
  const colon = line.indexOf(':', 4);
  if (colon < 0) return undefined;
  let keyEnd = colon;
  while (keyEnd > 4 && isSpace(line.charCodeAt(keyEnd - 1))) keyEnd--;
  if (keyEnd === 4) return undefined;
  for (let i = 4; i < keyEnd; i++) if (!isKeyChar(line.charCodeAt(i))) return undefined;
  return [line.slice(4, keyEnd), line.slice(colon + 1).trim()];
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
