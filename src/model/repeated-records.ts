// Span records that share an id (one rule for every command, as jaeger's query service and UI show them):
//   - a record read again (the same span file given twice, an exporter's retry, a collector that fans one
//     batch out to two files) is one span, as jaeger's span-hash deduper
//     (model/adjuster/span_hash_deduper.go) keeps one of the spans that hash alike. A record counts as read
//     again when it says the same operation at the same times: its recordKey is equal (where it was read,
//     its attributes and its events are not part of it; the first read is kept);
//   - the CLIENT and SERVER halves of one RPC (Zipkin's shared id) are two spans, the server under the
//     client, as jaeger's zipkin_span_id_uniquify makes them (build-tree.ts, settleDuplicates);
//   - any other records of one id that differ (a span re-sent with a later end, a buggy id generator)
//     are each a span: the first keeps the id, the others are shown as `<id>#<n>` with a warning, as
//     jaeger-ui's transformTraceData renames them `<id>_<n>`.
// So a trace has as many spans as distinct span ids (log lines, placeholders and records) plus, for each
// id, its distinct record keys but one. TraceSummary counts them so while streaming, by a hash of each
// record's key (recordDigest), so `group` and the commands that build trees agree.
import { stringHash64 } from '../core/string-hash.js';
import type { Span } from './span.js';

/** What a record says about its operation; equal for a record read again. */
export function recordKey(s: Span): string {
  return `${s.spanId}\u0001${s.start}\u0001${s.startNanos ?? ''}\u0001${s.end}\u0001${s.service}\u0001${s.operation}\u0001${s.parentSpanId ?? ''}\u0001${s.kind ?? ''}\u0001${s.error ? 1 : 0}\u0001${s.errorMessage ?? ''}`;
}

const HALVES = new Uint32Array(2);

/**
 * The record's span id, ':' and a 53-bit hash of its recordKey in base 36: what TraceSummary keeps per
 * record (~28 characters) instead of the key. Two different keys of one id share a digest with a
 * chance of about 2^-53.
 */
export function recordDigest(s: Span): string {
  stringHash64(recordKey(s), HALVES);
  const h1 = HALVES[0]!;
  const h2 = HALVES[1]!;
  return `${s.spanId}:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

/** Of digests (recordDigest, distinct), how many name an id another one names too: the spans beyond one per id. */
export function extraRecords(digests: Iterable<string>): number {
  let n = 0;
  const ids = new Set<string>();
  for (const d of digests) {
    n++;
    ids.add(d.slice(0, d.lastIndexOf(':')));
  }
  return n - ids.size;
}

/** `records` without the later copies of a record (equal recordKey); the same array when no span id repeats. */
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
  const keys = new Set<string>();
  for (const r of records) {
    if (!repeated.has(r.spanId)) {
      kept.push(r);
      continue;
    }
    const k = recordKey(r);
    if (keys.has(k)) continue;
    keys.add(k);
    kept.push(r);
  }
  return kept;
}
