import type { Micros } from '../core/time.js';
import type { TraceSummary } from '../model/trace-summary.js';
import { isEmptyFilter, MissTally, type MissState, type TraceFilter } from './filters.js';
import type { SummaryCollector } from '../model/collect-summaries.js';
import { PackReader, PackWriter, type Packed } from '../model/packed.js';

/** One row of `tracectl group`: the per-trace facts, as plain data. */
export interface GroupRow {
  traceId: string;
  /** 'correlation' when the id is a request/correlation id, not a trace id. */
  idKind: 'trace' | 'correlation';
  start: Micros | undefined;
  duration: Micros | undefined;
  entries: number;
  spans: number;
  /** Sorted; shared by rows with the same services, not to be written into. */
  services: readonly string[];
  errors: number;
  /** The root's operation, and the service it ran in (TraceSummary.rootOperation). */
  root: string | undefined;
  rootService: string | undefined;
}

export type GroupSort = 'start' | 'duration' | 'entries' | 'errors';

export function groupRow(s: TraceSummary, correlationOnly: boolean): GroupRow {
  const start = s.spanStart ?? s.firstTime;
  const duration = s.duration ?? (s.firstTime !== undefined && s.lastTime !== undefined ? s.lastTime - s.firstTime : undefined);
  return {
    traceId: s.traceId,
    idKind: correlationOnly ? 'correlation' : 'trace',
    start,
    duration,
    entries: s.entries,
    spans: s.spanCount,
    services: s.sortedServices(),
    errors: s.errors,
    root: s.rootOperation,
    rootService: s.rootService,
  };
}

/** The shared filters, read on a summary the same way `matchesFilter` reads them on a tree. */
export function rowMatches(row: GroupRow, f: TraceFilter): boolean {
  if (f.traceIds !== undefined && !f.traceIds.has(row.traceId)) return false;
  if (f.since !== undefined && !(row.start !== undefined && row.start >= f.since)) return false;
  if (f.until !== undefined && !(row.start !== undefined && row.start <= f.until)) return false;
  if (f.minDuration !== undefined && !((row.duration ?? 0) >= f.minDuration)) return false;
  if (f.service !== undefined && !row.services.includes(f.service)) return false;
  if (f.errorsOnly && row.errors === 0) return false;
  return true;
}

/**
 * Sorted rows: by start ascending (untimed last), or by duration/entries/errors descending; ties by
 * start then trace id, so the order is the same on every run and every split of the input.
 */
export function sortRows(rows: GroupRow[], by: GroupSort): GroupRow[] {
  return rows.sort(rowOrder(by));
}

/**
 * sortRows' order: a total order (trace ids are unique, NaN counts as no time), so that rows sorted in
 * parts on several threads and merged come out as if sorted together.
 */
export function rowOrder(by: GroupSort): (a: GroupRow, b: GroupRow) => number {
  const start = (r: GroupRow) => (r.start === undefined || Number.isNaN(r.start) ? Infinity : r.start);
  const tie = (a: GroupRow, b: GroupRow) => {
    const x = start(a);
    const y = start(b);
    return x < y ? -1 : x > y ? 1 : a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0;
  };
  const desc = (f: (r: GroupRow) => number) => (a: GroupRow, b: GroupRow) => f(b) - f(a) || tie(a, b);
  return by === 'duration' ? desc((r) => (r.duration === undefined || Number.isNaN(r.duration) ? -1 : r.duration)) : by === 'entries' ? desc((r) => r.entries) : by === 'errors' ? desc((r) => r.errors) : tie;
}

/** What `group` lists: which rows, in which order. Plain data, so a worker thread can be given it. */
export interface GroupSpec {
  filter: TraceFilter;
  sort: GroupSort;
}

/**
 * `group`'s rows, made where the summaries are: on one thread all at once; on several, each thread makes
 * the rows of the traces it alone holds, and the traces held in parts are merged first and made once
 * (read-parallel.ts). The lists are sorted where they are made and merged in rowOrder, which is total:
 * the result is the one sorting all rows together gives.
 */
export class GroupRows {
  /** Sorted, filtered. */
  rows: GroupRow[] = [];
  /** Traces seen, filtered out or not. */
  traces = 0;
  /** Every row made, against the filter: why none matched, when none did. */
  readonly misses: MissTally;
  private readonly tally: boolean;

  constructor(readonly spec: GroupSpec) {
    this.misses = new MissTally(spec.filter);
    this.tally = !isEmptyFilter(spec.filter);
  }

  /** The rows of a collector's traces (all but `except`), merged into those made so far. */
  add(collector: SummaryCollector, except?: ReadonlySet<string>): void {
    this.make(collector, except === undefined ? collector.summaries.values() : [...collector.summaries.values()].filter((s) => !except.has(s.traceId)));
  }

  /** The rows of the named traces of a collector (ids it does not hold are passed over), merged in. */
  addOnly(collector: SummaryCollector, ids: Iterable<string>): void {
    const held: TraceSummary[] = [];
    for (const id of ids) {
      const s = collector.summaries.get(id);
      if (s !== undefined) held.push(s);
    }
    this.make(collector, held);
  }

  private make(collector: SummaryCollector, summaries: Iterable<TraceSummary>): void {
    const made: GroupRow[] = [];
    for (const s of summaries) {
      this.traces++;
      const row = groupRow(s, collector.correlationOnly.has(s.traceId));
      if (this.tally) this.misses.note(row.start, row.start === undefined || row.duration === undefined ? undefined : row.start + row.duration, () => row.services, () => row.errors > 0);
      if (rowMatches(row, this.spec.filter)) made.push(row);
    }
    this.merge(sortRows(made, this.spec.sort));
  }

  /** Rows another thread made (pack), merged in, with its tally. */
  absorb(packed: Packed, traces: number, misses: MissState): void {
    this.traces += traces;
    this.misses.absorb(misses);
    this.merge(unpackRows(new PackReader(packed)));
  }

  pack(): Packed {
    // Sized to fit: grown by doubling, the arrays and their copies would be ~6 MB for 26,000 rows, made
    // at the end of reading, when memory peaks.
    let services = 0;
    for (const r of this.rows) services += r.services.length;
    const w = new PackWriter(1 + 7 * this.rows.length, 3 * this.rows.length + services);
    w.num(this.rows.length);
    for (const r of this.rows) {
      w.str(r.traceId, true);
      w.num(r.idKind === 'trace' ? 1 : 0);
      w.num(r.start);
      w.num(r.duration);
      w.num(r.entries);
      w.num(r.spans);
      w.strs(r.services, r.services.length);
      w.num(r.errors);
      w.str(r.root);
      w.str(r.rootService);
    }
    return w.finish();
  }

  private merge(sorted: GroupRow[]): void {
    if (this.rows.length === 0) {
      this.rows = sorted;
      return;
    }
    const a = this.rows;
    const cmp = rowOrder(this.spec.sort);
    const out = new Array<GroupRow>(a.length + sorted.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < sorted.length) out[k++] = cmp(a[i]!, sorted[j]!) <= 0 ? a[i++]! : sorted[j++]!;
    while (i < a.length) out[k++] = a[i++]!;
    while (j < sorted.length) out[k++] = sorted[j++]!;
    this.rows = out;
  }
}

function unpackRows(r: PackReader): GroupRow[] {
  const rows: GroupRow[] = [];
  // Rows with the same services share one array, as where they were made.
  const lists = new Map<string, readonly string[]>();
  const shared = (services: string[]): readonly string[] => {
    const key = services.join('\u0000');
    let list = lists.get(key);
    if (list === undefined) lists.set(key, (list = Object.freeze(services)));
    return list;
  };
  for (let n = r.int(); n > 0; n--) {
    rows.push({
      traceId: r.str()!,
      idKind: r.int() === 1 ? 'trace' : 'correlation',
      start: r.num(),
      duration: r.num(),
      entries: r.int(),
      spans: r.int(),
      services: shared(r.strs()),
      errors: r.int(),
      root: r.str(),
      rootService: r.str(),
    });
  }
  return rows;
}
