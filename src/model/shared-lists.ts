/**
 * Small sets of strings that repeat from trace to trace (a trace's services: the same three or four in
 * most traces), held as arrays shared by every trace with the same values in the same arrival order.
 *
 * Adding a value to a shared list gives another shared list, found through the list it grew from:
 * `next.get(list).get(value)`. A summary then holds a pointer where it held its own array (~90 bytes a
 * trace). Past LIMIT values a list becomes a Set of its own (a hostile trace with a thousand services),
 * and past MAX_LISTS distinct lists new ones are made per trace, unshared, so the table stays bounded.
 *
 * Shared lists are frozen: nothing may write into one.
 */
export type SharedList = readonly string[] | Set<string>;

const LIMIT = 8;
const MAX_LISTS = 10_000;

export const EMPTY_LIST: SharedList = Object.freeze([]) as readonly string[];

const next = new Map<readonly string[], Map<string, readonly string[]>>();
let lists = 0;

/** `list` with `value` added: the same list when it holds it already. */
export function listAdd(list: SharedList, value: string): SharedList {
  if (!Array.isArray(list)) return (list as Set<string>).add(value);
  const l = list as readonly string[];
  // A loop the compiler inlines, not includes(): this runs once per log line.
  for (let i = l.length - 1; i >= 0; i--) if (l[i] === value) return l;
  if (l.length === LIMIT) return new Set(l).add(value);
  let byValue = next.get(l);
  const known = byValue?.get(value);
  if (known !== undefined) return known;
  const grown = Object.freeze([...l, value]);
  if (lists >= MAX_LISTS) return grown;
  if (byValue === undefined) next.set(l, (byValue = new Map()));
  byValue.set(value, grown);
  lists++;
  return grown;
}

/**
 * The list's values sorted (in sort()'s order), shared like the list: group's rows list a trace's services
 * sorted, and a copy per row would be ~50 bytes a row more at the end of reading, when memory peaks.
 */
export function sortedValues(list: SharedList): readonly string[] {
  if (!Array.isArray(list)) return [...list].sort();
  const l = list as readonly string[];
  let sorted = sortedOf.get(l);
  if (sorted === undefined) {
    sorted = Object.freeze([...l].sort());
    if (sortedOf.size < MAX_LISTS) sortedOf.set(l, sorted);
  }
  return sorted;
}

const sortedOf = new Map<readonly string[], readonly string[]>();

export function listValues(list: SharedList): Iterable<string> {
  return list;
}

export function listHas(list: SharedList, value: string): boolean {
  return Array.isArray(list) ? (list as readonly string[]).includes(value) : (list as Set<string>).has(value);
}

export function listSize(list: SharedList): number {
  return Array.isArray(list) ? list.length : (list as Set<string>).size;
}

/** A list of `values` (distinct or not), shared where it can be. */
export function listOf(values: Iterable<string>): SharedList {
  let list = EMPTY_LIST;
  for (const v of values) list = listAdd(list, v);
  return list;
}
