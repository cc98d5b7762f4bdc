/**
 * A set of strings that is an exact-size array while small and a Set past `limit`: per-trace summaries
 * hold a few span ids and services each, for tens of thousands of traces. An array grown by push keeps
 * room for 17 elements (~150 bytes) and a Set of five ~250; an array of exactly n is 16 + 8n bytes. The
 * Set past the limit keeps a hostile trace of a million distinct values linear.
 *
 * Summaries cross threads packed (packed.ts), so nothing here needs to survive structured cloning.
 */
export interface SmallSet {
  list: string[];
  set: Set<string> | undefined;
}

const LIMIT = 8;

export const newSmallSet = (): SmallSet => ({ list: EMPTY, set: undefined });

/** Shared by every empty set: a new array is made on the first add, never written into this one. */
const EMPTY: string[] = [];

export function addTo(s: SmallSet, value: string): void {
  if (s.set !== undefined) s.set.add(value);
  else if (!s.list.includes(value)) {
    if (s.list.length === LIMIT) {
      s.set = new Set(s.list).add(value);
      s.list = EMPTY;
    } else {
      s.list = withOneMore(s.list, value);
    }
  }
}

/**
 * `list` and `value`, in an array of exactly that length (push would leave room for 16 more). A literal:
 * Array.prototype.concat, which must look for spreadable arguments, took 70 ns a call on `group`'s path.
 */
function withOneMore(l: string[], v: string): string[] {
  switch (l.length) {
    case 0: return [v];
    case 1: return [l[0]!, v];
    case 2: return [l[0]!, l[1]!, v];
    case 3: return [l[0]!, l[1]!, l[2]!, v];
    case 4: return [l[0]!, l[1]!, l[2]!, l[3]!, v];
    case 5: return [l[0]!, l[1]!, l[2]!, l[3]!, l[4]!, v];
    case 6: return [l[0]!, l[1]!, l[2]!, l[3]!, l[4]!, l[5]!, v];
    case 7: return [l[0]!, l[1]!, l[2]!, l[3]!, l[4]!, l[5]!, l[6]!, v];
    default: return [...l, v];
  }
}

/** A set of `values`, which must be distinct (another set's values): the array is taken, not copied. */
export const smallSetOf = (values: string[]): SmallSet =>
  values.length === 0 ? newSmallSet() : values.length > LIMIT ? { list: EMPTY, set: new Set(values) } : { list: values, set: undefined };

export const sizeOf = (s: SmallSet): number => s.set?.size ?? s.list.length;

export const valuesOf = (s: SmallSet): Iterable<string> => s.set ?? s.list;
