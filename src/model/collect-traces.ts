import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import type { TraceTree } from './tree.js';
import { buildTree, type BuildTreeOptions } from './build-tree.js';
import { mergeSpans } from './merge-spans.js';
import { spansFromEntries } from './spans-from-entries.js';
import { TraceFold } from './span-fold.js';
import { unpaddedId } from '../entries/parse-ids.js';


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

  private readonly keep: (traceId: string) => boolean;
  /**
   * Services and operations repeat on every line, but each parsed line brings its own copy of the string:
   * keep one. Bounded, so a log with unbounded operation names (ids in URLs) cannot grow it forever.
   */
  private readonly strings = new Map<string, string>();

  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size < 100_000) this.strings.set(s, s);
    return s;
  }

  /** Traces folded span by span as their lines arrive (`fold`), instead of keeping every entry. */
  private readonly folds = new Map<string, TraceFold>();
  private readonly fold: boolean;
  /** Folding keeps fields of an entry, never the entry (span-fold.ts): the reader may reuse one. */
  readonly borrowsEntries: boolean;

  /**
   * `idPrefix`: keep only traces whose id (or its unpadded 64-bit form) starts with it, any case.
   * `fold`: keep a few fields per span instead of every entry (span-fold.ts) — for the commands that measure
   * spans and show no log lines; their spans then carry no events.
   */
  constructor(readonly idPrefix?: string, options: { fold?: boolean } = {}) {
    this.fold = options.fold ?? false;
    this.borrowsEntries = this.fold;
    if (idPrefix === undefined) this.keep = () => true;
    else {
      const q = unpaddedId(idPrefix.trim().toLowerCase());
      this.keep = (id) => {
        const l = id.toLowerCase();
        return l.startsWith(q) || unpaddedId(l).startsWith(q);
      };
    }
  }

  entry(entry: Entry): void {
    const id = entry.traceId;
    if (id === undefined || !this.keep(id)) return;
    if (entry.service !== undefined) entry.service = this.intern(entry.service);
    if (entry.operation !== undefined) entry.operation = this.intern(entry.operation);
    if (this.fold) return this.foldEntry(id, entry);
    const list = this.entriesByTrace.get(id);
    if (list) {
      entry.traceId = list[0]!.traceId; // one copy of the id per trace, not one per line
      list.push(entry);
      if (entry.traceIdKind === 'trace') this.correlationOnly.delete(id);
    } else {
      this.entriesByTrace.set(id, [entry]);
      if (entry.traceIdKind === 'correlation' && !this.spansByTrace.has(id)) this.correlationOnly.add(id);
    }
  }

  private foldEntry(id: string, entry: Entry): void {
    const fold = this.folds.get(id);
    if (fold) {
      fold.add(entry);
      if (entry.traceIdKind === 'trace') this.correlationOnly.delete(id);
    } else {
      const f = new TraceFold(id);
      f.add(entry);
      this.folds.set(id, f);
      if (entry.traceIdKind === 'correlation' && !this.spansByTrace.has(id)) this.correlationOnly.add(id);
    }
  }

  /**
   * The list the last span went to. Span files keep a trace's spans together, so most spans go where the
   * one before went: one string comparison instead of the prefix test and a map lookup.
   */
  private lastSpans: Span[] | undefined;

  spans(result: { spans: readonly Span[]; entries: readonly Entry[] }): void {
    for (const span of result.spans) {
      let list = this.lastSpans;
      if (list === undefined || span.traceId !== list[0]!.traceId) {
        if (!this.keep(span.traceId)) continue;
        list = this.spansByTrace.get(span.traceId);
        if (list === undefined) {
          list = [];
          this.spansByTrace.set(span.traceId, list);
        }
        this.correlationOnly.delete(span.traceId);
        this.lastSpans = list;
      }
      if (list.length > 0) span.traceId = list[0]!.traceId; // one copy of the id per trace
      span.service = this.intern(span.service);
      span.operation = this.intern(span.operation);
      list.push(span);
    }
    for (const e of result.entries) this.entry(e);
  }

  /** Every trace id seen, in first-seen order (entries first, then span-only traces). */
  traceIds(): string[] {
    const ids = new Set(this.entriesByTrace.keys());
    for (const id of this.folds.keys()) ids.add(id);
    for (const id of this.spansByTrace.keys()) ids.add(id);
    return [...ids];
  }

  get size(): number {
    return this.traceIds().length;
  }

  /** Log spans rebuilt from entries, joined with the span records of the same trace, linked into a tree. */
  tree(traceId: string, options: BuildTreeOptions & { events?: boolean } = {}): TraceTree {
    const entries = this.entriesByTrace.get(traceId) ?? [];
    const records = this.spansByTrace.get(traceId) ?? [];
    const fold = this.folds.get(traceId);
    const logSpans = fold ? fold.spans() : entries.length > 0 ? spansFromEntries(entries, { events: options.events ?? true }) : [];
    // Span files alone (no log lines for this trace) need no merging: the records are the spans.
    const spans = records.length === 0 ? logSpans : logSpans.length === 0 ? records : mergeSpans(records, logSpans);
    return buildTree(traceId, spans, options);
  }

  /** Trees one at a time; each trace's raw material is released once its tree is built when `release`. */
  *trees(options: BuildTreeOptions & { events?: boolean } = {}, release = false): Generator<TraceTree> {
    for (const id of this.traceIds()) {
      const t = this.tree(id, options);
      if (release) {
        this.lastSpans = undefined;
        this.entriesByTrace.delete(id);
        this.folds.delete(id);
        this.spansByTrace.delete(id);
      }
      yield t;
    }
  }
}
