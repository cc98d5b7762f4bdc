import type { Entry } from '../entries/entry.js';
import { whereOf, type Span } from '../model/span.js';
import { MAX_DURATION_US, plausibleTime, type RangedField } from '../core/time.js';

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
  /** Values set aside as out of range (core/time.ts), by field: counted, not a warning each. */
  outOfRange?: Record<RangedField, number>;
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
 * A span as the model may hold it, or undefined. A start out of range (core/time.ts) drops the span, as
 * a missing start does; an end out of range, or one further than the longest duration from the start,
 * is as if absent (the span is instantaneous); both are counted in `result.outOfRange`. The model
 * promises `end >= start`: a negative duration is a producer bug (or clock step); the span is kept,
 * shown as instantaneous, and the reader says so.
 */
export function clampSpan(span: Span, result: FormatResult): Span | undefined {
  if (!plausibleTime(span.start)) {
    setAside(result, 'time');
    return undefined;
  }
  if (!plausibleTime(span.end)) {
    setAside(result, 'time');
    span.end = span.start;
  } else if (span.end - span.start > MAX_DURATION_US) {
    setAside(result, 'duration');
    span.end = span.start;
  }
  if (span.end < span.start) {
    result.warnings.push(
      `${whereOf(span) ?? '?'}: span ${span.spanId} ends ${span.start - span.end} µs before it starts (duration set to 0)`,
    );
    span.end = span.start;
  }
  return span;
}

/** `span` into `result` once `clampSpan` keeps it. */
export function keepSpan(result: FormatResult, span: Span): void {
  const kept = clampSpan(span, result);
  if (kept) result.spans.push(kept);
}

/** A value of `field` read as absent for its range: counted in the result. */
export function setAside(result: FormatResult, field: RangedField): void {
  (result.outOfRange ??= { duration: 0, time: 0 })[field]++;
}
