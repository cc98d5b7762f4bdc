// How far the reads of one file have gone, and where they are to stop — shared between the thread that
// reads the file's first part and a worker thread that may take over the end of that part.
//
// One plain file read on threads is cut into a part per thread (parallel/read-parallel.ts, splitFile).
// However the cut is placed, the threads' speeds differ from run to run on a shared machine (±100–200 ms
// on 250 MB here), and whichever ends first waits for the other. So a worker that ends its own part takes
// the end of the main thread's (parallel/steal-range.ts): it lowers `until` to a line start past what the
// main thread's reads have asked for, and reads [new until, old until) itself. The main thread's next
// read then stops at the new `until`, as at the end of the file.
//
// The numbers change on two threads, and each must see the other's last change: they are read and
// written only under a lock (a compare-and-exchange on a shared word). What is done under it is a few
// comparisons, so a thread that finds it taken just tries again.
const LOCK = 0;
const ASKED = 0;
const UNTIL = 1;
const LAST = 2;

export class ReadWindow {
  /** [lock]: 0 free, 1 taken. */
  private readonly lock: Int32Array;
  /** [asked, until, last] in bytes: what the reads issued so far may reach, where they are to stop, the last read's size. */
  private readonly at: Float64Array;

  /** A new window (all of the file), or, given another window's `buffer` (from another thread), that window. */
  constructor(buffer?: SharedArrayBuffer) {
    const memory = buffer ?? new SharedArrayBuffer(32);
    this.lock = new Int32Array(memory, 0, 1);
    this.at = new Float64Array(memory, 8, 3);
    if (buffer === undefined) this.at[UNTIL] = Infinity;
  }

  /** What another thread needs to make the same window (postMessage shares it, not copies it). */
  get buffer(): SharedArrayBuffer {
    return this.lock.buffer as SharedArrayBuffer;
  }

  private locked<T>(f: () => T): T {
    while (Atomics.compareExchange(this.lock, LOCK, 0, 1) !== 0);
    try {
      return f();
    } finally {
      Atomics.store(this.lock, LOCK, 0);
    }
  }

  /** Bytes the reads issued so far may reach (a read ahead may still be under way). */
  get asked(): number {
    return this.locked(() => this.at[ASKED]!);
  }

  /** Where the reads stop. */
  get until(): number {
    return this.locked(() => this.at[UNTIL]!);
  }

  /** Both at one instant, and the size of the last read (0 before the first). */
  snapshot(): { asked: number; until: number; last: number } {
    return this.locked(() => ({ asked: this.at[ASKED]!, until: this.at[UNTIL]!, last: this.at[LAST]! }));
  }

  /**
   * The size of the next read, at most `bytes`, and counted as asked: what is left before `until`
   * (0 once there). The reader calls this before each read.
   */
  take(bytes: number): number {
    return this.locked(() => {
      const n = Math.max(0, Math.min(bytes, this.at[UNTIL]! - this.at[ASKED]!));
      this.at[ASKED] = this.at[ASKED]! + n;
      if (n > 0) this.at[LAST] = n;
      return n;
    });
  }

  /**
   * Make the reads stop at `to` (the start of a line), if they have not asked for bytes past it and
   * `until` is still `from` (no one moved it since it was read); true when it did.
   */
  stopAt(to: number, from: number = this.until): boolean {
    return this.locked(() => {
      if (this.at[UNTIL] !== from || to < this.at[ASKED]! || to > from) return false;
      this.at[UNTIL] = to;
      return true;
    });
  }
}
