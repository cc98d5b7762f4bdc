/**
 * `tree <id>` and friends read one trace: ingest searches each chunk's bytes for these markers
 * (process-chunk.ts) and parses only the lines holding one; the others are counted as not examined. Besides
 * the id, lines that may carry it in another spelling are kept: span documents (Tempo's base64 ids),
 * Datadog's decimal ids, and partial pieces of a longer line (the id may be in the piece after). Hex ids
 * are searched for without leading zeros: that finds a 64-bit id without its 128-bit padding, and an id
 * older Jaeger wrote as Go's `%x` does (31 digits, `df84e36b…` for `0df84e36b…`), whichever spelling
 * the query has; the collector then matches the spellings (collect-traces.ts).
 */
import { withoutLeadingZeros } from '../entries/parse-ids.js';

/**
 * What a line must contain to be worth parsing for this query: the id in lower and upper case, or a marker
 * of a spelling that hides it. Undefined when the query is too short to filter on.
 */
export function idMarkers(query: string, present: readonly string[] = OTHER_SPELLINGS): string[] | undefined {
  const q = withoutLeadingZeros(query.trim().toLowerCase());
  if (q.length < 4) return undefined;
  const out = [q, ...present];
  if (q.toUpperCase() !== q) out.push(q.toUpperCase());
  return out;
}

/** Markers of lines that may carry an id in another spelling, or whose id may be in the next piece. */
export const OTHER_SPELLINGS: readonly string[] = ['resourceSpans', 'resourceLogs', '"batches"', 'dd.trace_id', '"dd":', ' stdout P ', ' stderr P ', '{"log":'];

/**
 * Which of those markers a source's first bytes hold. A source keeps its kind (a Docker json-file log
 * stays one; a file without Datadog ids does not grow them), so searching every chunk only for the id and
 * the markers seen at its start saves a full pass over the bytes per marker.
 */
export function markersIn(first: Buffer): string[] {
  return OTHER_SPELLINGS.filter((m) => first.includes(m));
}
