import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import type { Micros } from '../core/time.js';
import type { TraceTree } from './tree.js';
import { buildTree, type BuildTreeOptions } from './build-tree.js';
import { mergeSpans } from './merge-spans.js';
import { withoutRepeatedRecords } from './repeated-records.js';
import { spansFromEntries } from './spans-from-entries.js';
import { FoldRows, TraceFold } from './span-fold.js';
import { shiftPlace } from '../core/places.js';
import { unpaddedId, withoutLeadingZeros } from '../entries/parse-ids.js';
import { PackReader, PackWriter, type Packed } from './packed.js';

/**
 * Part of a fold-mode collector, as it crosses threads: the traces' folds packed (packed.ts), and their
 * span records as objects with their arrivals (cloned; span records in a log file are few — span files
 * are shared between threads as deliveries, see read-parallel.ts).
 */
export interface FoldState {
  folds: Packed;
  records: { traceId: string; arrivals: number[]; spans: Span[] }[];
}

/** Arrivals per chunk: a chunk's entries are numbered from seq × this (a chunk holds far fewer lines). */
const ARRIVALS_PER_CHUNK = 2 ** 32;

/**
 * The spans a collector's first FoldRows has room for. Room not yet used is memory never touched (no
 * cost to the system), and each doubling copies every row: from 1,024 rows, ~20 ms of each thread's
 * read of corpus a for `latency`, and a peak ~30 MB higher (`slowest`, two threads).
 */
const FOLD_ROWS = 1 << 17;

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
  private folds = new Map<string, TraceFold>();
  /** The folds' spans, all in one place (span-fold.ts); a new one once the folds are released. */
  private foldRows: FoldRows;
  private readonly fold: boolean;
  /** Folding keeps fields of an entry, never the entry (span-fold.ts): the reader may reuse one. */
  readonly borrowsEntries: boolean;
  /** In fold mode, each span record's arrival, beside spansByTrace's lists: what merging them needs. */
  private readonly spanArrivals = new Map<string, number[]>();
  /**
   * Every folded entry and span record gets an arrival: its place in the input, counted from the start of
   * the chunk it came in (beginChunk), so that parts of the input folded on other threads merge in order.
   */
  private arrivalBase = 0;
  private arrivalCount = 0;

  /**
   * `idPrefix`: keep only traces whose id (or its unpadded 64-bit form) starts with it, any case; or whose
   * id without leading zeros starts with it without leading zeros (an id older Jaeger wrote as `%x` does).
   * `fold`: keep a few fields per span instead of every entry (span-fold.ts) — for the commands that measure
   * spans and show no log lines; their spans then carry no events.
   */
  constructor(readonly idPrefix?: string, options: { fold?: boolean } = {}) {
    this.fold = options.fold ?? false;
    this.borrowsEntries = this.fold;
    this.foldRows = new FoldRows(this.fold ? FOLD_ROWS : undefined);
    if (idPrefix === undefined) this.keep = () => true;
    else {
      const q = unpaddedId(idPrefix.trim().toLowerCase());
      const bare = withoutLeadingZeros(q);
      this.keep = (id) => {
        const l = id.toLowerCase();
        return l.startsWith(q) || unpaddedId(l).startsWith(q) || withoutLeadingZeros(l).startsWith(bare);
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

  /**
   * What comes next is from chunk `seq` of the input (chunks numbered in input order, from 1; what comes
   * before any chunk, such as a whole-document source, counts as chunk 0). Only needed when parts of the
   * input are folded on other threads; on one thread arrivals simply count up.
   */
  beginChunk(seq: number): void {
    this.arrivalBase = seq * ARRIVALS_PER_CHUNK;
    this.arrivalCount = 0;
  }

  /**
   * What comes next starts at byte `offset` of the one file read (or before it: a reader that dropped an
   * over-long line counts short), for a reading in which every chunk says so: parts of one file read by
   * different threads (parallel/read-parallel.ts, splitFile). A line takes at least a byte, so a chunk's
   * arrivals stay below the offset of the chunk after it.
   */
  beginChunkAt(offset: number): void {
    this.arrivalBase = offset;
    this.arrivalCount = 0;
  }

  private arrival(): number {
    return this.arrivalBase + this.arrivalCount++;
  }

  private foldEntry(id: string, entry: Entry): void {
    const fold = this.folds.get(id);
    if (fold) {
      fold.add(entry, this.arrival());
      if (entry.traceIdKind === 'trace') this.correlationOnly.delete(id);
    } else {
      const f = new TraceFold(id, this.foldRows);
      f.add(entry, this.arrival());
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
      if (this.fold) {
        let arrivals = this.spanArrivals.get(span.traceId);
        if (arrivals === undefined) this.spanArrivals.set(span.traceId, (arrivals = []));
        arrivals.push(this.arrival());
      }
    }
    for (const e of result.entries) this.entry(e);
  }

  /**
   * Lines of `source` held here are `by` further down in it than they were numbered: a worker thread read
   * a part of the file that starts after lines it could not count (parallel/read-parallel.ts). Only for
   * a fold-mode collector, whose traces keep no entries.
   */
  shiftLines(source: string, by: number): void {
    for (const f of this.folds.values()) f.shiftLines(source, by);
    for (const list of this.spansByTrace.values()) {
      for (const s of list) {
        if (s.whereSource === source && s.whereLine !== undefined) s.whereLine += by;
        if (s.where !== undefined) s.where = shiftPlace(s.where, source, by);
      }
    }
  }

  /**
   * Takes the named traces out of a fold-mode collector, packed for another thread's collector to
   * absorb(). Ids this collector does not hold are passed over.
   */
  takeFolds(ids: Iterable<string>): FoldState {
    const w = new PackWriter();
    const folds: TraceFold[] = [];
    const records: FoldState['records'] = [];
    for (const id of ids) {
      const f = this.folds.get(id);
      if (f) folds.push(f);
      const spans = this.spansByTrace.get(id);
      if (spans) records.push({ traceId: id, arrivals: this.spanArrivals.get(id) ?? [], spans });
      this.forget(id);
    }
    w.num(folds.length);
    for (const f of folds) f.pack(w);
    return { folds: w.finish(), records };
  }

  /**
   * Fold in traces another fold-mode collector took out (takeFolds: another thread's part of the input,
   * read with the same chunk numbering). The result is what one collector reading all of it holds: folds
   * merged, span records interleaved by arrival.
   */
  absorb(state: FoldState): void {
    const r = new PackReader(state.folds);
    for (let k = r.int(); k > 0; k--) {
      const f = TraceFold.unpack(r, this.foldRows);
      const mine = this.folds.get(f.traceId);
      if (mine) mine.merge(f);
      else this.folds.set(f.traceId, f);
      this.correlationOnly.delete(f.traceId);
    }
    for (const { traceId, arrivals, spans } of state.records) {
      this.correlationOnly.delete(traceId);
      const mine = this.spansByTrace.get(traceId);
      if (mine === undefined) {
        this.spansByTrace.set(traceId, spans);
        this.spanArrivals.set(traceId, arrivals);
        continue;
      }
      const merged = interleave(mine, this.spanArrivals.get(traceId) ?? [], spans, arrivals);
      this.spansByTrace.set(traceId, merged.items);
      this.spanArrivals.set(traceId, merged.arrivals);
    }
    this.lastSpans = undefined;
  }

  /**
   * One trace's fold and span records packed as takeFolds() packs them, the trace still held: what a
   * followed command keeps of a completed trace (kept-traces.ts). The records are copies, so that lines
   * folded later into the trace held change nothing kept.
   */
  packTrace(id: string): FoldState {
    const w = new PackWriter(64, 16);
    const f = this.folds.get(id);
    w.num(f !== undefined ? 1 : 0);
    f?.pack(w);
    const spans = this.spansByTrace.get(id);
    return { folds: w.finish(), records: spans !== undefined ? [{ traceId: id, arrivals: [...(this.spanArrivals.get(id) ?? [])], spans: [...spans] }] : [] };
  }

  private forget(id: string): void {
    this.lastSpans = undefined;
    this.entriesByTrace.delete(id);
    this.folds.delete(id);
    this.spansByTrace.delete(id);
    this.spanArrivals.delete(id);
  }

  /** spansOf(traceId, events), and the trace's lines and records let go. */
  takeSpans(traceId: string, events: boolean): Span[] {
    const spans = this.spansOf(traceId, events);
    this.forget(traceId);
    return spans;
  }

  /** Whether any line or span record of this trace is held. */
  holds(id: string): boolean {
    return this.folds.has(id) || this.spansByTrace.has(id) || this.entriesByTrace.has(id);
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
    return buildTree(traceId, this.spansOf(traceId, options.events ?? true), options);
  }

  /** The spans tree() links: log spans rebuilt from entries (with an event per line when `events`), joined with the span records. */
  spansOf(traceId: string, events: boolean): Span[] {
    const entries = this.entriesByTrace.get(traceId) ?? [];
    const records = withoutRepeatedRecords(this.spansByTrace.get(traceId) ?? []);
    const fold = this.folds.get(traceId);
    return joinSpans(records, fold ? fold.spans() : entries.length > 0 ? spansFromEntries(entries, { events }) : []);
  }

  /**
   * plainBounds(this.spansOf(traceId, ...)) without making the spans, for a trace folded from log lines
   * alone (no span records to merge with); undefined for any other, or when the bounds are not certain.
   */
  foldBounds(traceId: string): { start: Micros; end: Micros } | undefined {
    const fold = this.folds.get(traceId);
    if (fold === undefined || (this.spansByTrace.get(traceId)?.length ?? 0) > 0) return undefined;
    return fold.bounds();
  }

  /**
   * Trees one at a time; each trace's raw material is released once its tree is built when `release`.
   * `except`: traces to leave alone (and keep), such as those whose other parts are still on another thread.
   */
  *trees(options: BuildTreeOptions & { events?: boolean } = {}, release = false, except?: ReadonlySet<string>): Generator<TraceTree> {
    for (const id of this.traceIds()) {
      if (except?.has(id)) continue;
      const t = this.tree(id, options);
      if (release) this.forget(id);
      yield t;
    }
  }

  /**
   * As trees(), the spans of each trace before they are linked: a caller may not need every tree.
   * `passOver`: offered first the bounds of each trace folded from log lines alone (foldBounds); a trace
   * it takes is not yielded, and its spans are never made. `useFold`: then offered the fold itself, when
   * every trace held is a fold of log lines; a trace it uses is not yielded either.
   */
  *traceSpans(
    events: boolean,
    release = false,
    except?: ReadonlySet<string>,
    passOver?: (traceId: string, start: Micros, end: Micros) => boolean,
    useFold?: (fold: TraceFold) => boolean,
  ): Generator<{ traceId: string; spans: Span[] }> {
    if (this.entriesByTrace.size === 0 && this.spansByTrace.size === 0) {
      yield* this.foldSpans(release, except, passOver, useFold);
      return;
    }
    for (const id of this.traceIds()) {
      if (except?.has(id)) continue;
      if (passOver !== undefined) {
        const bounds = this.foldBounds(id);
        if (bounds !== undefined && passOver(id, bounds.start, bounds.end)) {
          if (release) this.forget(id);
          continue;
        }
      }
      const spans = this.spansOf(id, events);
      if (release) this.forget(id);
      yield { traceId: id, spans };
    }
  }

  /**
   * traceSpans() when every trace is a fold of log lines (slowest, latency and services on logs): the
   * same traces in the same order, from the folds as they lie, without the set of all ids and the three
   * lookups per trace in the other maps (~30 ms of each thread's end on corpus a). Released all at once
   * at the end (all but `except`'s, a map of their own): deleting each trace from the map as it went
   * cost ~10–20 ms a thread.
   */
  private *foldSpans(
    release: boolean,
    except?: ReadonlySet<string>,
    passOver?: (traceId: string, start: Micros, end: Micros) => boolean,
    useFold?: (fold: TraceFold) => boolean,
  ): Generator<{ traceId: string; spans: Span[] }> {
    let last: string | undefined; // the last trace done, for a caller that stops early
    const kept = new Map<string, TraceFold>(); // except's, in the order they were first seen
    let done = false;
    try {
      for (const [id, fold] of this.folds) {
        last = id;
        if (except?.has(id)) {
          kept.set(id, fold);
          continue;
        }
        if (passOver !== undefined) {
          const bounds = fold.bounds();
          if (bounds !== undefined && passOver(id, bounds.start, bounds.end)) continue;
        }
        if (useFold?.(fold)) continue;
        yield { traceId: id, spans: fold.spans() };
      }
      done = true;
    } finally {
      if (release && done) {
        this.folds = kept; // the traces kept hold on to the rows they are in
        this.foldRows = new FoldRows();
      } else if (release && last !== undefined) {
        // Stopped early: forget the traces done (up to `last`), keep the rest.
        for (const id of [...this.folds.keys()]) {
          if (!except?.has(id)) this.folds.delete(id);
          if (id === last) break;
        }
      }
    }
  }
}

/** A trace's span records (repeats removed) joined with its log spans. */
function joinSpans(records: Span[], logSpans: Span[]): Span[] {
  // Span files alone (no log lines for this trace) need no merging: the records are the spans.
  return records.length === 0 ? logSpans : logSpans.length === 0 ? records : mergeSpans(records, logSpans);
}

/** The spans of the trace a packTrace() state holds, as spansOf() made them when it was packed (no events). */
export function spansOfPacked(state: FoldState): Span[] {
  const r = new PackReader(state.folds);
  const fold = r.int() > 0 ? TraceFold.unpack(r, new FoldRows()) : undefined;
  return joinSpans(withoutRepeatedRecords(state.records[0]?.spans.slice() ?? []), fold !== undefined ? fold.spans() : []);
}

/** Two lists, each in arrival order, as one in arrival order. */
function interleave<T>(a: T[], aAt: number[], b: T[], bAt: number[]): { items: T[]; arrivals: number[] } {
  const items: T[] = [];
  const arrivals: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && aAt[i]! < bAt[j]!)) {
      items.push(a[i]!);
      arrivals.push(aAt[i++]!);
    } else {
      items.push(b[j]!);
      arrivals.push(bAt[j++]!);
    }
  }
  return { items, arrivals };
}
