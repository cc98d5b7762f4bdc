/**
 * Folds another part's keyed accumulators into this part's map: a key only they have is taken as it is,
 * a key both have is combined by `add(mine, theirs)`. For analyses merged across threads
 * (trace-analysis.ts), whose accumulators are counts, sums and lists of durations.
 */
export function mergeByKey<V>(mine: Map<string, V>, theirs: Iterable<readonly [string, V]>, add: (mine: V, theirs: V) => void): void {
  for (const [key, value] of theirs) {
    const known = mine.get(key);
    if (known === undefined) mine.set(key, value);
    else add(known, value);
  }
}

/** Appends `from` to `to` (a push per item: spreading a large array into push() can overflow the stack). */
export function appendAll(to: number[], from: readonly number[]): void {
  for (const d of from) to.push(d);
}

/**
 * One occurrence of `value` taken out of `list` (order is not kept: the values are ranked when read),
 * looked for from the end, where the values of a recent trace lie; false when there is none.
 */
export function removeValue(list: number[], value: number): boolean {
  const at = list.lastIndexOf(value);
  if (at < 0) return false;
  list[at] = list[list.length - 1]!;
  list.pop();
  return true;
}
