import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import { PackReader, PackWriter, type Packed } from './packed.js';
import { TraceSummary } from './trace-summary.js';

/** A collector's state as it crosses threads (packed.ts says why not as objects). */
export type SummaryState = Packed;

/**
 * The streaming side of `group`: one TraceSummary per trace id, fed entry by entry and span by span,
 * so memory follows the number of traces, not of lines.
 */
export class SummaryCollector {
  /** entry() keeps nothing of an entry but copies of its fields (TraceSummary.add). */
  readonly borrowsEntries = true;
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

  /**
   * The named traces taken out, packed for another thread's absorb(): the traces another thread holds
   * parts of, at the end of `group` on threads. Ids not held are passed over.
   */
  takeSummaries(ids: Iterable<string>): SummaryState {
    const taken: TraceSummary[] = [];
    const correlationOnly: string[] = [];
    for (const id of ids) {
      const s = this.summaries.get(id);
      if (s === undefined) continue;
      taken.push(s);
      if (this.correlationOnly.delete(id)) correlationOnly.push(id);
      this.summaries.delete(id);
    }
    return packState(taken, correlationOnly);
  }

  /** Lines of `source` are `by` further down than they were numbered (TraceSummary.shiftLines). */
  shiftLines(source: string, by: number): void {
    for (const s of this.summaries.values()) s.shiftLines(source, by);
  }

  /**
   * Fold in another collector's state (from a worker thread). An id stays correlation-only only if every
   * part saw it only as a correlation id.
   */
  absorb(state: SummaryState): void {
    const r = new PackReader(state);
    const theirs: TraceSummary[] = [];
    for (let k = r.int(); k > 0; k--) theirs.push(TraceSummary.unpack(r));
    const theirCorrelationOnly = new Set(r.strs());
    for (const s of theirs) {
      const id = s.traceId;
      const mine = this.summaries.get(id);
      if (mine === undefined) {
        this.summaries.set(id, s);
        if (theirCorrelationOnly.has(id)) this.correlationOnly.add(id);
      } else {
        mine.merge(s);
        if (!theirCorrelationOnly.has(id)) this.correlationOnly.delete(id);
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

/** Summaries, then the correlation-only ids among them: what absorb() reads. */
function packState(summaries: readonly TraceSummary[], correlationOnly: readonly string[]): SummaryState {
  const w = new PackWriter();
  w.num(summaries.length);
  for (const s of summaries) s.pack(w);
  w.strs(correlationOnly, correlationOnly.length);
  return w.finish();
}
