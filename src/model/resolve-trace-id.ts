// A trace id typed by a person: the whole id, or its first few characters, as git accepts short commit
// hashes. Correlation ids are not hex, so matching is on plain strings, case-insensitive.

export type TraceIdResolution =
  | { kind: 'found'; id: string }
  /** `candidates`: the first MAX_CANDIDATES matches in sorted order; `count`: how many matched in all. */
  | { kind: 'ambiguous'; candidates: string[]; count: number }
  | { kind: 'none' };

export const MAX_CANDIDATES = 10;

/**
 * Rules, in order:
 * 1. an id equal to the query (surrounding blanks ignored) wins;
 * 2. else an id equal to it ignoring case, if exactly one;
 * 3. else the ids starting with it ignoring case: one is found, several are ambiguous.
 * An empty query matches nothing rather than everything.
 */
export function resolveTraceId(query: string, ids: Iterable<string>): TraceIdResolution {
  const q = query.trim();
  if (q === '') return { kind: 'none' };
  const lower = q.toLowerCase();
  const sameIgnoringCase: string[] = [];
  const prefixed = new Set<string>(); // ids may repeat in the input
  for (const id of ids) {
    if (id === q) return { kind: 'found', id };
    const l = id.toLowerCase();
    if (!l.startsWith(lower)) continue;
    prefixed.add(id);
    if (l === lower && !sameIgnoringCase.includes(id)) sameIgnoringCase.push(id);
  }
  if (sameIgnoringCase.length === 1) return { kind: 'found', id: sameIgnoringCase[0] as string };
  if (prefixed.size === 1) return { kind: 'found', id: [...prefixed][0] as string };
  if (prefixed.size === 0) return { kind: 'none' };
  const sorted = [...prefixed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'ambiguous', candidates: sorted.slice(0, MAX_CANDIDATES), count: sorted.length };
}
