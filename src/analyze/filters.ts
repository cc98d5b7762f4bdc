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

/**
 * What the traces read were like against the filter: enough to say why none matched (a window beside the
 * input's times, a service no trace has). Counts, a min, maxes and a set: the states of disjoint sets of
 * traces (read on several threads) merge exactly.
 */
export interface MissState {
  traces: number;
  /** Earliest start and latest end of the timed traces read. */
  first?: Micros;
  last?: Micros;
  /** Traces that start before --since, that end before it too, and that start after --until. */
  startsBefore: number;
  endsBefore: number;
  startsAfter: number;
  /** With --service: traces that have a span of it, and every service seen (sorted). */
  withService: number;
  services: string[];
  /** With --errors: traces with a failing span. With --min-duration: the longest trace. */
  withError: number;
  longest?: Micros;
}

export class MissTally {
  private state: MissState = { traces: 0, startsBefore: 0, endsBefore: 0, startsAfter: 0, withService: 0, services: [], withError: 0 };
  private readonly services = new Set<string>();

  constructor(readonly filter: TraceFilter) {}

  /** One trace read, matched or not; `services` and `failed` are asked only when the filter reads them. */
  note(start: Micros | undefined, end: Micros | undefined, services: () => Iterable<string>, failed: () => boolean): void {
    const f = this.filter;
    const m = this.state;
    m.traces++;
    const timed = start !== undefined && end !== undefined && !Number.isNaN(start) && !Number.isNaN(end);
    if (timed) {
      if (m.first === undefined || start < m.first) m.first = start;
      if (m.last === undefined || end > m.last) m.last = end;
      if (f.since !== undefined && start < f.since) m.startsBefore++;
      if (f.since !== undefined && end < f.since) m.endsBefore++;
      if (f.until !== undefined && start > f.until) m.startsAfter++;
      if (f.minDuration !== undefined && (m.longest === undefined || end - start > m.longest)) m.longest = end - start;
    }
    if (f.service !== undefined) {
      let has = false;
      for (const s of services()) {
        this.services.add(s);
        if (s === f.service) has = true;
      }
      if (has) m.withService++;
    }
    if (f.errorsOnly && failed()) m.withError++;
  }

  /** The tally of a tree (matchesFilter's reading of it). */
  noteTree(tree: TraceTree): void {
    const spans = tree.spans;
    const empty = spans.length === 0;
    this.note(empty ? undefined : tree.start, empty ? undefined : tree.end, () => spans.map((s) => s.service), () => spans.some((s) => s.error));
  }

  /** Plain data, to cross threads. */
  exportState(): MissState {
    return { ...this.state, services: [...this.services].sort() };
  }

  absorb(o: MissState): void {
    const m = this.state;
    m.traces += o.traces;
    if (o.first !== undefined && (m.first === undefined || o.first < m.first)) m.first = o.first;
    if (o.last !== undefined && (m.last === undefined || o.last > m.last)) m.last = o.last;
    m.startsBefore += o.startsBefore;
    m.endsBefore += o.endsBefore;
    m.startsAfter += o.startsAfter;
    m.withService += o.withService;
    m.withError += o.withError;
    if (o.longest !== undefined && (m.longest === undefined || o.longest > m.longest)) m.longest = o.longest;
    for (const s of o.services) this.services.add(s);
  }
}
