// Trace ids as a table shows them: short, and still each a prefix `tracectl tree` takes for that trace alone.

/** Datadog's 128-bit id: upper 32 bits the epoch seconds it was made at (2020–2050 here), then 32 zero bits. */
function isDatadog128(id: string): boolean {
  if (id.slice(8, 16) !== '00000000') return false;
  const seconds = parseInt(id.slice(0, 8), 16);
  return seconds >= 0x5e0be100 && seconds < 0x98000000;
}

/**
 * The ids to show for `ids`, each a prefix `tracectl tree` takes: a 64-bit id padded to 128 bits is the
 * 64-bit id; other 128-bit ids show 16 hex digits, lengthened as git lengthens a short hash until no two
 * shown share it, and whole when their upper half ends in 32 zero bits (Datadog's 128-bit ids: epoch
 * seconds then zeros, the same 16 digits for every trace of a second).
 */
export function shortTraceIds(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const sorted = [...new Set(ids)].sort();
  const common = (a: string | undefined, b: string): number => {
    if (a === undefined) return 0;
    let k = 0;
    while (k < a.length && a[k] === b[k]) k++;
    return k;
  };
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i]!;
    if (id.length !== 32) out.set(id, id);
    else if (id.startsWith('0000000000000000')) out.set(id, id.slice(16));
    else if (isDatadog128(id)) out.set(id, id);
    else out.set(id, id.slice(0, Math.max(16, common(sorted[i - 1], id) + 1, common(sorted[i + 1], id) + 1)));
  }
  return out;
}
