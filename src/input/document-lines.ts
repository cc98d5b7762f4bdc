// A line that opens a span document is one document, however long: Jaeger's query API answers
// `/api/traces` with one line of several MB (`curl …/api/traces?service=x | tracectl group`), as do
// Zipkin's API and the collector's file exporter. Such a line is bounded by the document cap, as a
// pretty-printed document is; every other line keeps the log-line cap (`--max-line-bytes`).

/** Whole documents, one line or many, are held up to this many bytes unless the options say otherwise. */
export const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/**
 * How span documents open when written on one line (compact JSON): Jaeger, OTLP traces and logs, Tempo,
 * Zipkin; and a Jaeger trace object on a line of its own (`{"traceID":`), as tracectl's Jaeger export
 * writes one trace a line inside `{"data":[ … ]}`.
 */
const OPENERS: readonly Buffer[] = ['{"data":', '{"resourceSpans":', '{"resourceLogs":', '{"batches":', '[{"traceId":', '{"traceID":'].map((s) => Buffer.from(s, 'latin1'));

/** The longest opener: how many of a line's first bytes decide. */
export const OPENER_BYTES = Math.max(...OPENERS.map((o) => o.length));

/** Does the line at b[from, to) open a span document (after a UTF-8 BOM, if any)? */
export function opensSpanDocument(b: Uint8Array, from: number, to: number): boolean {
  if (to - from >= 3 && b[from] === 0xef && b[from + 1] === 0xbb && b[from + 2] === 0xbf) from += 3;
  for (const o of OPENERS) {
    if (to - from < o.length) continue;
    let k = 0;
    while (k < o.length && b[from + k] === o[k]) k++;
    if (k === o.length) return true;
  }
  return false;
}

/** opensSpanDocument for a line's text. Called for every line of a document source: allocates nothing. */
export function textOpensSpanDocument(s: string): boolean {
  const from = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const o of OPENERS) {
    if (s.length - from < o.length) continue;
    let k = 0;
    while (k < o.length && s.charCodeAt(from + k) === o[k]) k++; // the openers are ASCII: a char a byte
    if (k === o.length) return true;
  }
  return false;
}

/** The caps a reader of lines applies: a log line's, and a span document's written on one line. */
export interface LineCaps {
  maxLineBytes: number;
  maxDocumentBytes?: number;
}

/** The cap for the line at b[from, to). */
export function capFor(caps: LineCaps, b: Uint8Array, from: number, to: number): number {
  const doc = caps.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  return doc > caps.maxLineBytes && opensSpanDocument(b, from, to) ? doc : caps.maxLineBytes;
}
