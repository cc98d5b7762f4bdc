/**
 * A set of short strings (a trace's span ids) held as one string: SEP + a + SEP + b + SEP, in arrival
 * order; a Set once it grows past LIMIT_CHARS or a value holds SEP itself.
 *
 * `group` keeps a summary per trace, and a summary's span ids were its largest part: five 16-character
 * ids as an array of five strings cost ~230 bytes (a 32-byte string each, the array and its elements,
 * a wrapper object), joined ~100. Membership is a substring search on a string of a hundred characters:
 * a little dearer than comparing five short strings (with the shared service lists, `group` on one thread
 * took ~5% longer; on two, within noise). Past LIMIT_CHARS (a trace of thousands of spans) the
 * search would grow with the set, so it becomes a Set: a hostile million-span trace stays linear.
 *
 * Values are plain data: a string or a Set, both of which survive structured cloning.
 */
export type JoinedSet = string | Set<string>;

const SEP = '\u0000';
const LIMIT_CHARS = 2048;

export const EMPTY_JOINED: JoinedSet = '';

/** `set` with `value` added (a string set is replaced, a Set added to in place). */
export function joinedAdd(set: JoinedSet, value: string): JoinedSet {
  if (typeof set !== 'string') return set.add(value);
  if (set === '') return value.includes(SEP) ? new Set([value]) : SEP + value + SEP;
  // A value holding SEP first: the search could find it spelled by its neighbours ('a', 'b' hold "a\0b").
  if (value.includes(SEP)) return new Set(joinedValues(set)).add(value);
  if (holds(set, value)) return set;
  if (set.length + value.length > LIMIT_CHARS) return new Set(joinedValues(set)).add(value);
  // Made flat (join writes one new string) rather than as `set + value + SEP`, a tree of strings that
  // every later search would have to walk or flatten (holds() took ~55 ms of a 250 MB group, ~30 flat).
  return [set + value, ''].join(SEP);
}

/**
 * `set` with every value of `values` added, in their order: what joinedAdd one at a time gives, made with
 * one new string instead of one per value (merging the summaries of traces read in parts on two threads).
 */
export function joinedAddAll(set: JoinedSet, values: JoinedSet): JoinedSet {
  if (typeof set === 'string' && typeof values === 'string') {
    if (values === '') return set;
    // A joined string is a set built by these rules: added to an empty set, it is itself.
    if (set === '') return values;
    let added = '';
    for (const v of values.slice(1, -1).split(SEP)) if (!holds(set, v)) added += v + SEP;
    if (added === '') return set;
    if (set.length + added.length - 1 <= LIMIT_CHARS) return [set, added].join('');
  }
  for (const v of joinedValues(values)) set = joinedAdd(set, v);
  return set;
}

/**
 * Is `value` one of the set's values? Without making SEP + value + SEP to search for: this runs once per
 * log line. The last value first: a span's lines come together.
 */
function holds(set: string, value: string): boolean {
  const n = value.length;
  if (n === 0) return set.includes(SEP + SEP); // (indexOf('') finds a place everywhere, the end included)
  const last = set.length - 1 - n;
  if (last >= 1 && set.charCodeAt(last - 1) === 0 && set.startsWith(value, last)) return true;
  for (let i = set.indexOf(value, 1); i >= 0; i = set.indexOf(value, i + 1)) {
    if (set.charCodeAt(i - 1) === 0 && set.charCodeAt(i + n) === 0) return true;
  }
  return false;
}

/** Is `value` one of the set's values? */
export function joinedHas(set: JoinedSet, value: string): boolean {
  if (typeof set !== 'string') return set.has(value);
  return set !== '' && !value.includes(SEP) && holds(set, value);
}

/** `set` without `value` (a string set is replaced, a Set changed in place). */
export function joinedDelete(set: JoinedSet, value: string): JoinedSet {
  if (typeof set !== 'string') {
    set.delete(value);
    return set;
  }
  return joinedHas(set, value) ? joinedOf(joinedValues(set).filter((v) => v !== value)) : set;
}

export function joinedValues(set: JoinedSet): string[] {
  if (typeof set !== 'string') return [...set];
  return set === '' ? [] : set.slice(1, -1).split(SEP);
}

export function joinedSize(set: JoinedSet): number {
  if (typeof set !== 'string') return set.size;
  let n = -1;
  for (let i = set.indexOf(SEP); i >= 0; i = set.indexOf(SEP, i + 1)) n++;
  return Math.max(0, n);
}

/** A set of `values` (distinct or not). */
export function joinedOf(values: Iterable<string>): JoinedSet {
  let set: JoinedSet = EMPTY_JOINED;
  for (const v of values) set = joinedAdd(set, v);
  return set;
}
