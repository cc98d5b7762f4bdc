import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import type { TraceTree } from './tree.js';
import { buildTree, type BuildTreeOptions } from './build-tree.js';
import { mergeSpans } from './merge-spans.js';
import { spansFromEntries } from './spans-from-entries.js';

/**
 * The non-streaming side: keeps each trace's entries and span records, so trees can be rebuilt. Used by
 * the commands that need whole traces (tree, timeline, latency, errors, critical-path, services, slowest).
 * `keep` limits what is held (tree and timeline keep only the traces their id prefix can name).
 */
export class TraceCollector {
  private readonly entriesByTrace = new Map<string, Entry[]>();
  private readonly spansByTrace = new Map<string, Span[]>();
  /** Trace ids that came only from correlation ids: no spans to link, but entries still count. */
  readonly correlationOnly = new Set<string>();

  constructor(private readonly keep: (traceId: string) => boolean = () => true) {}

  entry(entry: Entry): void {
    const id = entry.traceId;
    if (id === undefined || !this.keep(id)) return;
    const list = this.entriesByTrace.get(id);
    if (list) {
      list.push(entry);
      if (entry.traceIdKind === 'trace') this.correlationOnly.delete(id);
    } else {
      this.entriesByTrace.set(id, [entry]);
      if (entry.traceIdKind === 'correlation' && !this.spansByTrace.has(id)) this.correlationOnly.add(id);
    }
  }

  spans(result: { spans: readonly Span[]; entries: readonly Entry[] }): void {
    for (const span of result.spans) {
      if (!this.keep(span.traceId)) continue;
      const list = this.spansByTrace.get(span.traceId);
      if (list) list.push(span);
      else this.spansByTrace.set(span.traceId, [span]);
      this.correlationOnly.delete(span.traceId);
    }
    for (const e of result.entries) this.entry(e);
  }

  /** Every trace id seen, in first-seen order (entries first, then span-only traces). */
  traceIds(): string[] {
    const ids = new Set(this.entriesByTrace.keys());
    for (const id of this.spansByTrace.keys()) ids.add(id);
    return [...ids];
  }

  get size(): number {
    return this.traceIds().length;
  }

  /** Log spans rebuilt from entries, joined with the span records of the same trace, linked into a tree. */
  tree(traceId: string, options: BuildTreeOptions = {}): TraceTree {
    const entries = this.entriesByTrace.get(traceId) ?? [];
    const records = this.spansByTrace.get(traceId) ?? [];
    const logSpans = entries.length > 0 ? spansFromEntries(entries) : [];
    const spans = records.length > 0 ? mergeSpans(records, logSpans) : logSpans;
    return buildTree(traceId, spans, options);
  }

  /** Trees one at a time; each trace's raw material is released once its tree is built when `release`. */
  *trees(options: BuildTreeOptions = {}, release = false): Generator<TraceTree> {
    for (const id of this.traceIds()) {
      const t = this.tree(id, options);
      if (release) {
        this.entriesByTrace.delete(id);
        this.spansByTrace.delete(id);
      }
      yield t;
    }
  }
}
