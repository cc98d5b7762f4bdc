import type { Micros } from '../model/time.js';
import type { TraceSummary } from '../model/trace-summary.js';
import type { TraceFilter } from './filters.js';

/** One row of `tracectl group`: the per-trace facts, as plain data. */
export interface GroupRow {
  traceId: string;
  /** 'correlation' when the id is a request/correlation id, not a trace id. */
  idKind: 'trace' | 'correlation';
  start: Micros | undefined;
  duration: Micros | undefined;
  entries: number;
  spans: number;
  services: string[];
  errors: number;
  root: string | undefined;
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
    services: [...s.services()].sort(),
    errors: s.errors,
    root: s.rootOperation,
  };
}

/** The shared filters, read on a summary the same way `matchesFilter` reads them on a tree. */
export function rowMatches(row: GroupRow, f: TraceFilter): boolean {
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
  const start = (r: GroupRow) => r.start ?? Infinity;
  const tie = (a: GroupRow, b: GroupRow) => start(a) - start(b) || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0);
  const desc = (f: (r: GroupRow) => number) => (a: GroupRow, b: GroupRow) => f(b) - f(a) || tie(a, b);
  const cmp =
    by === 'duration' ? desc((r) => r.duration ?? -1) : by === 'entries' ? desc((r) => r.entries) : by === 'errors' ? desc((r) => r.errors) : tie;
  return rows.sort(cmp);
}
