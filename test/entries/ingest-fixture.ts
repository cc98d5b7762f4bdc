import type { Entry } from '../../src/entries/entry.js';
import type { FormatResult } from '../../src/formats/read-span-document.js';
import { IngestStats } from '../../src/ingest/ingest-stats.js';
import { ingest, type IngestOptions } from '../../src/ingest/read-inputs.js';
import type { SourceSpec } from '../../src/input/open-source.js';

export const T0 = 1714557600000000; // 2024-05-01T10:00:00Z in µs, the fixtures' base time

export interface Ingested {
  entries: Entry[];
  byLine: Map<number, Entry>;
  spans: FormatResult[];
  stats: IngestStats;
}

/** Read sources through the real ingest() and collect what reaches the sink. */
export async function readSources(sources: SourceSpec[], options: Partial<IngestOptions> = {}): Promise<Ingested> {
  const entries: Entry[] = [];
  const spans: FormatResult[] = [];
  const stats = await ingest(sources, { entry: (e) => entries.push(e), spans: (r) => spans.push(r) }, { maxLineBytes: 1 << 20, ...options }, new IngestStats());
  return { entries, byLine: new Map(entries.map((e) => [e.line, e])), spans, stats };
}

export const readFixture = (path: string, options: Partial<IngestOptions> = {}): Promise<Ingested> => readSources([{ name: path }], options);

export type Projected = Partial<Omit<Entry, 'record' | 'source' | 'line'>>;

/** The named fields of an entry, absent ones left out, so `toEqual` checks values and absences alike. */
export function project(e: Entry | undefined, keys: readonly (keyof Projected)[]): Projected {
  const out: Record<string, unknown> = {};
  if (e === undefined) return { message: '<no entry>' };
  for (const k of keys) if (e[k] !== undefined) out[k] = e[k];
  return out as Projected;
}
