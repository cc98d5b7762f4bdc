import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import { TraceSummary } from './trace-summary.js';

/**
 * The streaming side of `group`: one TraceSummary per trace id, fed entry by entry and span by span,
 * so memory follows the number of traces, not of lines.
 */
export class SummaryCollector {
  readonly summaries = new Map<string, TraceSummary>();
  /** Trace ids that came only from a correlation/request id, not a real trace id. */
  readonly correlationOnly = new Set<string>();

  entry(entry: Entry): void {
    const id = entry.traceId;
    if (id === undefined) return;
    let s = this.summaries.get(id);
    if (s === undefined) {
      s = new TraceSummary(id);
      this.summaries.set(id, s);
      if (entry.traceIdKind === 'correlation') this.correlationOnly.add(id);
    } else if (entry.traceIdKind === 'trace') {
      this.correlationOnly.delete(id);
    }
    s.add(entry);
  }

  spans(result: { spans: readonly Span[]; entries: readonly Entry[] }): void {
    for (const span of result.spans) {
      let s = this.summaries.get(span.traceId);
      if (s === undefined) {
        s = new TraceSummary(span.traceId);
        this.summaries.set(span.traceId, s);
      }
      s.addSpan(span); // TODO(me): addSpan lands after model helper finishes
    }
    for (const e of result.entries) this.entry(e);
  }
}
