// Which root stands for a trace: the rule every command follows (analyze/main-root.ts on a tree,
// trace-summary.ts while streaming, build-tree.ts before it infers parents). It is jaeger-ui's trace name
// (getTraceName in model/trace-viewer.tsx: a span with no parent in the trace, fewest references first,
// then the earliest start), read for logs. A span naming no parent is a root by its word where the input
// carries parent ids: a span record, or a log span in a trace whose spans name parents it holds. Where
// logs carry none (pino, zap, logback, structlog with the OTel log instrumentations write trace and span
// ids only), a log span naming none says nothing, and a span naming a missing parent — the entry
// service's, under the caller's traceparent — stands first. Classes, lower first:
//   0  a span naming no parent: a record, or a log span where the trace's spans name parents it holds
//   1  a span whose named parent is missing (or is itself); a proxy's access line under the caller (D81)
//   2  a log span naming no parent where no span names a parent the trace holds
//   3  a placeholder of lines without a span id
//   4  a span whose times cannot be right: far off (plausible-times.ts) or untimed
// then the earliest start, its sub-µs part, the span id.
//
//   R  (no parent)                  |40=========90|          <- class 0: stands for the trace
//   G  (parent missing)        |0===================================200|
//   P  (placeholder)          |-5=====30|
//
// Parents inferred from timing (infer-parents.ts) need every span of the trace, which `group` never holds,
// so the choice is made on the parents the input names, and the span it picks is never given a parent
// from timing (build-tree.ts): it stays a root, and no command's root depends on the inference.
import type { Span } from './span.js';
import { UNTIMED_ATTRIBUTE } from './spans-from-entries.js';

/**
 * A root's class under the rule above. `placeholder`: span.inferred; `outOfRange`: far off;
 * `namesParents`: some span of the trace names a parent the trace holds (TraceTree.namesParents).
 */
export function rootClass(span: Span, placeholder: boolean, outOfRange: boolean, namesParents: boolean): number {
  if (outOfRange || span.attributes[UNTIMED_ATTRIBUTE] === true) return 4;
  const names = span.parentSpanId !== undefined && span.parentSpanId !== '';
  if (placeholder) return names ? 1 : 3;
  if (names) return 1;
  return span.origin !== 'log' || namesParents ? 0 : 2;
}

/** Does root a (of class ca) stand before root b (of class cb)? Class, start, sub-µs start, span id. */
export function ranksBefore(a: Span, ca: number, b: Span, cb: number): boolean {
  if (ca !== cb) return ca < cb;
  if (a.start !== b.start) return a.start < b.start;
  const na = a.startNanos ?? 0;
  const nb = b.startNanos ?? 0;
  if (na !== nb) return na < nb;
  return a.spanId < b.spanId;
}
