import type { Entry } from '../entries/entry.js';
import { whereOf, type Span } from '../model/span.js';

export type SpanFormat =
  | 'otlp'
  | 'tempo'
  | 'jaeger'
  | 'zipkin'
  | 'record'
  | 'otlp-logs'
  | 'elastic-apm'
  | 'collector-text';

export interface FormatResult {
  format: SpanFormat;
  spans: Span[];
  entries: Entry[];
  warnings: string[];
}

/** Where a document came from; every warning and every span's `where` starts from it. */
export interface Where {
  source: string;
  line: number;
}

export function emptyResult(format: SpanFormat): FormatResult {
  return { format, spans: [], entries: [], warnings: [] };
}

/**
 * "source:line" (or "source:line#index"), kept by every span of a span file: the "source:" part is made
 * once per source and shared, so a million spans hold a million short tails, not two joins each.
 */
export function place(where: Where, index?: number): string {
  if (where.source !== lastSource) {
    lastSource = where.source;
    lastPrefix = `${where.source}:`;
  }
  return index === undefined ? lastPrefix + where.line : `${lastPrefix}${where.line}#${index}`;
}
let lastSource: string | undefined;
let lastPrefix = '';

/**
 * The model promises `end >= start`. A negative duration is a producer bug (or clock step); the span
 * is kept, shown as instantaneous, and the reader says so.
 */
export function clampSpan(span: Span, warnings: string[]): Span {
  if (span.end < span.start) {
    warnings.push(
      `${whereOf(span) ?? '?'}: span ${span.spanId} ends ${span.start - span.end} µs before it starts (duration set to 0)`,
    );
    span.end = span.start;
  }
  return span;
}
