// A bounded "best N" keeper: a binary heap of at most N items whose top is the worst item kept, so each new
// item costs O(log N) and memory stays O(N) however many traces stream past. `slowest` uses it so that
// "the 10 slowest of 5 million spans" never sorts 5 million spans.
//
// Ranking is given by `compare(a, b) < 0` meaning a ranks AHEAD of b (sorts earlier in the result). Items
// that compare equal are ranked by arrival, earlier first, so the output is deterministic for a given input
// order even with a partial comparator.

interface Entry<T> {
  item: T;
  seq: number;
}

export class TopN<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  constructor(
    readonly limit: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Offer an item; returns whether it is (for now) among the best N. */
  push(item: T): boolean {
    const entry = { item, seq: this.seq++ };
    if (!(this.limit > 0)) return false;
    if (this.heap.length < this.limit) {
      this.heap.push(entry);
      this.siftUp(this.heap.length - 1);
      return true;
    }
    const worst = this.heap[0]!;
    if (this.rank(entry, worst) >= 0) return false; // not better than the worst kept
    this.heap[0] = entry;
    this.siftDown(0);
    return true;
  }

  /** Would an item be kept? Lets callers skip building an expensive record for a loser. */
  wouldAccept(item: T): boolean {
    if (!(this.limit > 0)) return false;
    if (this.heap.length < this.limit) return true;
    return this.rank({ item, seq: this.seq }, this.heap[0]!) < 0;
  }

  /** The worst item kept once N are kept (the next one must beat it), else undefined. */
  worstKept(): T | undefined {
    return this.limit > 0 && this.heap.length >= this.limit ? this.heap[0]!.item : undefined;
  }

  /**
   * Takes out the kept items `which` picks (a trace whose update replaces it). What it pushed out while
   * kept is gone: a caller that puts back the same item ranked at least as high keeps the best N exact.
   */
  remove(which: (item: T) => boolean): void {
    const kept = this.heap.filter((e) => !which(e.item));
    if (kept.length === this.heap.length) return;
    this.heap.length = 0;
    for (const e of kept) {
      this.heap.push(e);
      this.siftUp(this.heap.length - 1);
    }
  }

  /** The kept items, best first. Does not disturb the heap, so streaming can go on afterwards. */
  toArray(): T[] {
    return [...this.heap].sort((a, b) => this.rank(a, b)).map((e) => e.item);
  }

  // Total order: the caller's ranking, then arrival.
  private rank(a: Entry<T>, b: Entry<T>): number {
    const c = this.compare(a.item, b.item);
    if (c !== 0) return c;
    return a.seq - b.seq;
  }

  // The heap is ordered worst-first: a parent ranks at or behind its children.
  private behind(i: number, j: number): boolean {
    return this.rank(this.heap[i]!, this.heap[j]!) > 0;
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = t;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.behind(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < n && this.behind(l, w)) w = l;
      if (r < n && this.behind(r, w)) w = r;
      if (w === i) return;
      this.swap(i, w);
      i = w;
    }
  }
}

/**
 * Numbers in the given direction (1 ascending, -1 descending), undefined and NaN after every number, two
 * of those equal: a comparator built of these stays a total order when a time is missing or NaN, so a
 * ranking does not depend on the order its items came in (nor on threads).
 */
export function knownFirst(a: number | undefined, b: number | undefined, dir: 1 | -1): number {
  const ka = a !== undefined && !Number.isNaN(a);
  const kb = b !== undefined && !Number.isNaN(b);
  if (ka && kb) return dir * (a - b);
  return ka === kb ? 0 : ka ? -1 : 1;
}

/** Compare strings by code unit, not locale, so rankings do not depend on the machine's settings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
