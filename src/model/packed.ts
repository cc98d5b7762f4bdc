/**
 * Plain data for crossing a thread as a few flat arrays. Structured cloning of tens of thousands of small
 * objects is slow on the receiving side: a worker's 26,000 trace summaries (14 MB cloned) took 160–250 ms
 * to deserialize on the main thread, time in which nothing else runs. Written as numbers and a table of
 * distinct strings, the same state crosses as two typed arrays, whose buffers move without copying, and
 * one array of strings, each string once (a service name or a file name repeats on every summary).
 *
 * The reader reads values back in the order the writer wrote them: the format is the code that writes it.
 */

/** What crosses: `nums` and `refs` are transferable. */
export interface Packed {
  nums: Float64Array;
  /** Indices into `strings`, -1 for undefined. */
  refs: Int32Array;
  strings: string[];
}

export class PackWriter {
  private nums: Float64Array;
  private refs: Int32Array;
  private numCount = 0;
  private refCount = 0;
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** Room for this many numbers and strings to start with (more is made as needed). */
  constructor(nums = 1 << 12, refs = 1 << 12) {
    this.nums = new Float64Array(Math.max(1, nums));
    this.refs = new Int32Array(Math.max(1, refs));
  }

  /** A number; undefined is written as NaN (the values written here are never NaN themselves). */
  num(x: number | undefined): void {
    if (this.numCount === this.nums.length) this.nums = grow(this.nums, new Float64Array(this.nums.length * 2));
    this.nums[this.numCount++] = x === undefined ? NaN : x;
  }

  /**
   * A string, stored once however often it is written (names, files, operations repeat); `distinct`:
   * a value that rarely repeats (an id), stored without the lookup, which would cost more than it saves.
   */
  str(s: string | undefined, distinct = false): void {
    if (this.refCount === this.refs.length) this.refs = grow(this.refs, new Int32Array(this.refs.length * 2));
    let i = -1;
    if (s !== undefined) {
      i = distinct ? -1 : (this.index.get(s) ?? -1);
      if (i < 0) {
        i = this.strings.length;
        this.strings.push(s);
        if (!distinct) this.index.set(s, i);
      }
    }
    this.refs[this.refCount++] = i;
  }

  /** A count, then that many strings. */
  strs(values: Iterable<string>, count: number, distinct = false): void {
    this.num(count);
    for (const v of values) this.str(v, distinct);
  }

  finish(): Packed {
    // Not copied when full to the end (a writer sized to fit).
    const nums = this.numCount === this.nums.length ? this.nums : this.nums.slice(0, this.numCount);
    const refs = this.refCount === this.refs.length ? this.refs : this.refs.slice(0, this.refCount);
    return { nums, refs, strings: this.strings };
  }
}

/**
 * A number as V8 holds a small integer (untagged, a Smi) when it is one, else as it is. A number read
 * from a Float64Array is a heap number even when whole: stored into a field where objects made on this
 * thread hold a small integer (a count, a line number, an HTTP status), it changes the field's
 * representation in the hidden class they share; V8 deprecates that class, and every object of it is
 * migrated at its first use after, ~1 µs each. (Replayed spans did so to every span record the main
 * thread read: ~0.45 s of the million-span `tree`.) Whole numbers within ±2^30 (a small integer on
 * any build of V8), and not -0, which only a double holds.
 */
export function smallInteger(x: number): number {
  const i = x | 0;
  return i === x && i < 0x40000000 && i >= -0x40000000 && (i !== 0 || 1 / x > 0) ? i : x;
}

export class PackReader {
  private n = 0;
  private r = 0;

  constructor(private readonly packed: Packed) {}

  /** The number written, a small integer as one (smallInteger); undefined for NaN. */
  num(): number | undefined {
    const x = this.packed.nums[this.n++]!;
    return Number.isNaN(x) ? undefined : smallInteger(x);
  }

  /** A number written as a count or a flag: never undefined. */
  int(): number {
    return smallInteger(this.packed.nums[this.n++]!);
  }

  str(): string | undefined {
    const i = this.packed.refs[this.r++]!;
    return i < 0 ? undefined : this.packed.strings[i];
  }

  /** The strings written by strs(), in order, in an array of exactly their number. */
  strs(): string[] {
    const out = new Array<string>(this.int());
    for (let k = 0; k < out.length; k++) out[k] = this.str()!;
    return out;
  }

  get done(): boolean {
    return this.n >= this.packed.nums.length && this.r >= this.packed.refs.length;
  }
}

function grow<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
