import type { SpanNode } from '../model/tree.js';
import type { Micros } from '../core/time.js';

/** What an analysis hands on about a span: enough to name it, place it on the trace's axis and say if it failed. */
export interface SpanRef {
  spanId: string;
  /** SpanNode.key, when another span of the trace has the same id. */
  key?: string;
  service: string;
  operation: string;
  start: Micros;
  duration: Micros;
  error: boolean;
}

export function spanRef(n: SpanNode): SpanRef {
  const s = n.span;
  const ref: SpanRef = { spanId: s.spanId, service: s.service, operation: s.operation, start: s.start, duration: s.end - s.start, error: s.error };
  if (n.key !== undefined) ref.key = n.key;
  return ref;
}
