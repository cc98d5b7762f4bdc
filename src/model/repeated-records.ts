// A span record read twice (the same span file given twice, an exporter's retry, a collector that fans one
// batch out to two files) is one span, as jaeger's span-hash deduper (model/adjuster/span_hash_deduper.go)
// keeps one of the spans whose contents hash alike. Only exact copies go: records that share an id but
// differ (Zipkin's client and server halves, a buggy id generator) stay apart, and build-tree.ts settles
// their ids. Where a record was read (its file and line, its events' places) is not part of what it says.
//
// TraceSummary counts a span id once, so `group` and the commands that build trees agree on exact copies.
import type { Span } from './span.js';

const PLACE_KEYS = new Set(['where', 'whereSource', 'whereLine', 'source', 'line']);

/** What a record says, without where it was read: equal for exact copies. */
const contentOf = (s: Span): string => JSON.stringify(s, (k, v: unknown) => (PLACE_KEYS.has(k) ? undefined : v));

/** `records` without the later exact copies of a record; the same array when no span id repeats. */
export function withoutRepeatedRecords(records: Span[]): Span[] {
  if (records.length < 2) return records;
  const seen = new Set<string>();
  let repeated: Set<string> | undefined;
  for (const r of records) {
    if (seen.has(r.spanId)) (repeated ??= new Set()).add(r.spanId);
    else seen.add(r.spanId);
  }
  if (repeated === undefined) return records;
  const kept: Span[] = [];
  const contents = new Set<string>();
  for (const r of records) {
    if (!repeated.has(r.spanId)) {
      kept.push(r);
      continue;
    }
    const c = contentOf(r);
    if (contents.has(c)) continue;
    contents.add(c);
    kept.push(r);
  }
  return kept;
}
