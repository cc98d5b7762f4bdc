// The trace filters every command shares (--service, --errors, --since, --until, --min-duration), as one
// predicate so all commands agree on what "matches" means. A trace matches when EVERY given condition holds:
//   service      some span has exactly this service
//   errorsOnly   some span is an error
//   since/until  the trace's START lies in [since, until] (both inclusive); a trace that began before
//                `since` and ran into the window does not match, so "since 10:00" never shows 09:59 traces
//   minDuration  trace end - start >= minDuration
//   traceIds     the trace's id is in the set (--where: the traces with a matching line, found before)
import type { Span } from '../model/span.js';
import type { TraceTree } from '../model/tree.js';
import type { Micros } from '../core/time.js';

export interface TraceFilter {
  service?: string;
  errorsOnly?: boolean;
  since?: Micros;
  until?: Micros;
  minDuration?: Micros;
  traceIds?: ReadonlySet<string>;
}

/** The trace-id condition alone: it needs neither bounds nor spans. */
export function matchesId(traceId: string, f: TraceFilter): boolean {
  return f.traceIds === undefined || f.traceIds.has(traceId);
}

export function matchesFilter(tree: TraceTree, f: TraceFilter): boolean {
  return matchesId(tree.traceId, f) && matchesBounds(tree.start, tree.end, f) && spansMatch(tree.spans.length, (i) => tree.spans[i]!, f);
}

/**
 * matchesFilter before the tree is built: the trace's start and end as the tree will have them (see
 * plainBounds in model/build-tree.ts), and its spans (a tree holds each span once, service and error as
 * they are).
 */
export function matchesSpans(start: Micros, end: Micros, spans: readonly Span[], f: TraceFilter): boolean {
  return matchesBounds(start, end, f) && spansMatch(spans.length, (i) => spans[i]!, f);
}

// Cheap checks on the trace's bounds first; span scans only when asked for.
export function matchesBounds(start: Micros, end: Micros, f: TraceFilter): boolean {
  if (f.since !== undefined && !(start >= f.since)) return false;
  if (f.until !== undefined && !(start <= f.until)) return false;
  if (f.minDuration !== undefined && !(end - start >= f.minDuration)) return false;
  return true;
}

function spansMatch(n: number, spanAt: (i: number) => Span, f: TraceFilter): boolean {
  if (f.service === undefined && !f.errorsOnly) return true;
  let service = f.service === undefined;
  let error = !f.errorsOnly;
  for (let i = 0; i < n; i++) {
    const s = spanAt(i);
    if (!service && s.service === f.service) service = true;
    if (!error && s.error) error = true;
    if (service && error) return true;
  }
  return false;
}

/** The filter as a predicate, for `trees.filter(traceFilter(opts))` or a streaming stage. */
export function traceFilter(f: TraceFilter): (tree: TraceTree) => boolean {
  return (tree) => matchesFilter(tree, f);
}

/** True when a condition reads the spans (service, errors), not only the trace's bounds. */
export function filterReadsSpans(f: TraceFilter): boolean {
  return f.service !== undefined || f.errorsOnly === true;
}

/** True when no condition is set, so callers can skip filtering altogether. */
export function isEmptyFilter(f: TraceFilter): boolean {
  return f.service === undefined && !f.errorsOnly && f.since === undefined && f.until === undefined && f.minDuration === undefined && f.traceIds === undefined;
}
