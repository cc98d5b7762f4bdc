import type { Micros } from '../core/time.js';
import type { EnvelopeInfo } from '../input/envelopes.js';
import type { Fields } from './extra-fields.js';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Numeric rank of a level, for comparisons (`>= LEVEL_RANK.error`). */
export const LEVEL_RANK: Readonly<Record<Level, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * One log line, normalized. Every role is optional except where it says. The raw record is not kept:
 * nothing downstream reads it, and the field scanner (scan-fields.ts) never builds it.
 */
export interface Entry {
  source: string; // file name, or '-' for stdin
  line: number; // 1-based line number in that source
  traceId?: string; // lowercase hex for real trace ids; the raw value for correlation ids
  /** 'correlation' when the trace id came only from a correlation/request id fallback. */
  traceIdKind?: 'trace' | 'correlation';
  spanId?: string; // lowercase hex when hex
  parentSpanId?: string;
  service?: string;
  time?: Micros;
  nanos?: number; // sub-microsecond remainder 0..999, ordering only
  level?: Level;
  message?: string;
  operation?: string;
  duration?: Micros; // a duration the entry reports (e.g. "request completed in 120 ms")
  error: boolean;
  errorMessage?: string;
  httpStatus?: number;
  /** The lines after a text log line that continue it: a stack trace, bounded (stack-lines.ts). */
  stack?: string;
  envelope?: EnvelopeInfo;
  /** The record's fields that took no role, flattened and bounded (extra-fields.ts); only under NormalizeOptions.keepFields. */
  fields?: Fields;
}
