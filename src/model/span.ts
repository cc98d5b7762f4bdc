import type { Micros } from '../core/time.js';
import type { Level } from '../entries/entry.js';

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanOrigin = 'log' | 'record' | 'otlp' | 'jaeger' | 'zipkin';

/** A log line or span event attached to a span, shown by `tree --logs` and as timeline markers. */
export interface SpanEvent {
  time?: Micros;
  nanos?: number;
  level?: Level;
  message: string;
  /** The stack trace that followed a text log line (Entry.stack). */
  stack?: string;
  source?: string; // file and line, when it came from a log line
  line?: number;
  attributes?: Record<string, unknown>;
}

/** A reference other than the parent (Jaeger FOLLOWS_FROM, OTLP links). */
export interface SpanLink {
  traceId: string;
  spanId: string;
  kind: 'child_of' | 'follows_from' | 'link';
}

/**
 * A span, from whichever source. Ids are lowercase hex (trace ids 32 chars where the source gave 128 bits,
 * span ids 16). Times are integer microseconds since the epoch; `end >= start` always holds (readers
 * clamp negative durations and say so in their warnings).
 */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** Where the parent link came from when it matters for asynchrony (FOLLOWS_FROM: the parent does not wait). */
  parentIsFollowsFrom?: boolean;
  service: string;
  operation: string;
  start: Micros;
  end: Micros;
  /** Sub-microsecond part of start, ordering only. */
  startNanos?: number;
  kind?: SpanKind;
  error: boolean;
  errorMessage?: string;
  /** A span from log lines: the time of its first error line with a message (events may not be kept). */
  errorAt?: Micros;
  /** Host or process identity, for clock-skew decisions; defaults to the service. */
  host?: string;
  attributes: Record<string, unknown>;
  events: SpanEvent[];
  links?: SpanLink[];
  /** True for a placeholder made to hold entries that have a trace id but no span id. */
  inferred?: boolean;
  origin: SpanOrigin;
  /**
   * Where the span came from, for diagnostics: "file:line" of its first entry or record ("file:line#n"
   * for the n-th span of a document line). Read it with whereOf(): a reader of one span a line sets
   * `whereSource` and `whereLine` instead, so that a million spans are not a million strings.
   */
  where?: string;
  whereSource?: string;
  whereLine?: number;
}

/** Span.where, or "file:line" from `whereSource` and `whereLine`; undefined when the span says neither. */
export function whereOf(s: Span): string | undefined {
  return s.where ?? (s.whereSource !== undefined ? `${s.whereSource}:${s.whereLine ?? 0}` : undefined);
}

export const duration = (s: Span): Micros => s.end - s.start;
