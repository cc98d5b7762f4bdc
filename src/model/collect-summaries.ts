import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import { TraceSummary } from './trace-summary.js';

export interface SummaryState {
  summaries: Map<string, TraceSummary>;
  correlationOnly: Set<string>;
}

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

  /** What a worker thread hands back: plain data that survives structured cloning. */
  exportState(): SummaryState {
    return { summaries: this.summaries, correlationOnly: this.correlationOnly };
  }

  /**
   * Fold in another collector's state (from a worker thread, where TraceSummary instances arrive as plain
   * objects). An id stays correlation-only only if every part saw it only as a correlation id.
   */
  absorb(state: SummaryState): void {
    for (const [id, plain] of state.summaries) {
      const s = Object.setPrototypeOf(plain, TraceSummary.prototype) as TraceSummary;
      const mine = this.summaries.get(id);
      if (mine === undefined) {
        this.summaries.set(id, s);
        if (state.correlationOnly.has(id)) this.correlationOnly.add(id);
      } else {
        mine.merge(s);
        if (!state.correlationOnly.has(id)) this.correlationOnly.delete(id);
      }
    }
  }

  spans(result: { spans: readonly Span[]; entries: readonly Entry[] }): void {
    for (const span of result.spans) {
      let s = this.summaries.get(span.traceId);
      if (s === undefined) {
        s = new TraceSummary(span.traceId);
        this.summaries.set(span.traceId, s);
      }
      s.addSpan(span);
    }
    for (const e of result.entries) this.entry(e);
  }
}
