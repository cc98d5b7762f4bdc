// The trace ids completion remembers as finished (D76), kept in typed arrays: each id as a 64-bit hash
// with a 32-bit value, the newest `kept` of them, oldest forgotten first — a Map<string, number> with
// insertion order and a size bound, in 40–80 bytes an id off the heap instead of the id's string and a
// Map entry on it (~100 bytes, which the collector walks). Three of these are alive at once when threads complete a file (the completion's and each
// thread's closed set), which is what grew a completing command's memory on inputs past 100,000 traces.
//
// Two ids with the same 64-bit hash (core/string-hash.ts) are one id here: a trace would be taken for finished with odds of
// about kept / 2^64 per new trace (~5e-15 at 100,000), and then its lines counted late.
//
//   table   open addressing, linear probing, at most half full; a removal shifts its run back (no tombstones)
//   order   a ring of (hash, stamp) in insertion order; an entry re-set or removed leaves a stale ring
//           slot (its stamp no longer matches), dropped when the oldest is evicted or the ring is compacted
//
// Both grow by doubling as ids come, so a short input holds a few KB.

import { stringHash64 } from '../core/string-hash.js';

const FIRST_SLOTS = 256;

export class FinishedIds {
  /** Entries in the table (live ids). */
  size = 0;
  private mask = FIRST_SLOTS - 1;
  private hi = new Uint32Array(FIRST_SLOTS);
  private lo = new Uint32Array(FIRST_SLOTS);
  /** The entry's stamp; 0: an empty slot. */
  private stamp = new Uint32Array(FIRST_SLOTS);
  private value = new Int32Array(FIRST_SLOTS);
  private nextStamp = 1;
  // The ring: entries in the order they were set; `ringHead` the oldest, `ringCount` slots in use.
  private ringHi = new Uint32Array(FIRST_SLOTS);
  private ringLo = new Uint32Array(FIRST_SLOTS);
  private ringStamp = new Uint32Array(FIRST_SLOTS);
  private ringHead = 0;
  private ringCount = 0;
  private h1 = 0;
  private h2 = 0;
  private readonly halves = new Uint32Array(2);

  constructor(private readonly kept: number) {
    if (!(kept >= 1)) throw new Error('FinishedIds keeps at least one id');
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  /** The value set with `id`, or undefined. */
  get(id: string): number | undefined {
    const at = this.find(id);
    return at < 0 ? undefined : this.value[at];
  }

  /** Sets `id` (as the newest, whether it was there or not); past `kept` ids the oldest is forgotten. */
  set(id: string, value: number): void {
    let at = this.find(id);
    if (at < 0) {
      // find() left the id's hash in h1, h2; eviction and growth leave them as they are.
      if (this.size === this.kept) this.evictOldest();
      if (2 * (this.size + 1) > this.mask + 1) this.growTable();
      at = this.h2 & this.mask;
      while (this.stamp[at] !== 0) at = (at + 1) & this.mask;
      this.hi[at] = this.h1;
      this.lo[at] = this.h2;
      this.size++;
    }
    const s = this.takeStamp();
    this.stamp[at] = s;
    this.value[at] = value;
    this.pushRing(this.hi[at]!, this.lo[at]!, s);
  }

  delete(id: string): boolean {
    const at = this.find(id);
    if (at < 0) return false;
    this.removeAt(at);
    return true;
  }

  /** The slot of `id`, or −1; leaves its hash in h1, h2. */
  private find(id: string): number {
    this.hash(id);
    const { h1, h2, mask } = this;
    for (let at = h2 & mask; this.stamp[at] !== 0; at = (at + 1) & mask) {
      if (this.lo[at] === h2 && this.hi[at] === h1) return at;
    }
    return -1;
  }

  private hash(id: string): void {
    stringHash64(id, this.halves);
    this.h1 = this.halves[0]!;
    this.h2 = this.halves[1]!;
  }

  private takeStamp(): number {
    const s = this.nextStamp;
    this.nextStamp = s === 0xffffffff ? 1 : s + 1;
    return s;
  }

  /** Empties slot `at`, shifting back the entries after it whose probe run passes through it. */
  private removeAt(at: number): void {
    const { mask } = this;
    let hole = at;
    for (let j = (at + 1) & mask; this.stamp[j] !== 0; j = (j + 1) & mask) {
      const home = this.lo[j]! & mask;
      // The entry at j may move into the hole when its home is not in (hole, j] (cyclically).
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.hi[hole] = this.hi[j]!;
        this.lo[hole] = this.lo[j]!;
        this.stamp[hole] = this.stamp[j]!;
        this.value[hole] = this.value[j]!;
        hole = j;
      }
    }
    this.stamp[hole] = 0;
    this.size--;
  }

  /** Forgets the oldest id still set (stale ring slots before it are dropped). */
  private evictOldest(): void {
    while (this.ringCount > 0) {
      const r = this.ringHead;
      this.ringHead = (r + 1) & (this.ringStamp.length - 1);
      this.ringCount--;
      const at = this.slotOf(this.ringHi[r]!, this.ringLo[r]!);
      if (at >= 0 && this.stamp[at] === this.ringStamp[r]) {
        this.removeAt(at);
        return;
      }
    }
  }

  private slotOf(h1: number, h2: number): number {
    const { mask } = this;
    for (let at = h2 & mask; this.stamp[at] !== 0; at = (at + 1) & mask) {
      if (this.lo[at] === h2 && this.hi[at] === h1) return at;
    }
    return -1;
  }

  private pushRing(h1: number, h2: number, s: number): void {
    let cap = this.ringStamp.length;
    if (this.ringCount === cap) {
      // At most `kept` slots are live: a full ring of kept × 1.25 or more is a quarter stale at least, so
      // compacting it costs a few moves a push.
      if (cap < this.kept + (this.kept >> 2) + 1) this.resizeRing(2 * cap);
      else this.compactRing();
      cap = this.ringStamp.length;
    }
    const r = (this.ringHead + this.ringCount) & (cap - 1);
    this.ringHi[r] = h1;
    this.ringLo[r] = h2;
    this.ringStamp[r] = s;
    this.ringCount++;
  }

  /** The ring's live slots, oldest first, into a ring of `cap` slots. */
  private resizeRing(cap: number, liveOnly = false): void {
    const hi = new Uint32Array(cap);
    const lo = new Uint32Array(cap);
    const st = new Uint32Array(cap);
    const old = this.ringStamp.length - 1;
    let n = 0;
    for (let k = 0; k < this.ringCount; k++) {
      const r = (this.ringHead + k) & old;
      if (liveOnly) {
        const at = this.slotOf(this.ringHi[r]!, this.ringLo[r]!);
        if (at < 0 || this.stamp[at] !== this.ringStamp[r]) continue;
      }
      hi[n] = this.ringHi[r]!;
      lo[n] = this.ringLo[r]!;
      st[n] = this.ringStamp[r]!;
      n++;
    }
    this.ringHi = hi;
    this.ringLo = lo;
    this.ringStamp = st;
    this.ringHead = 0;
    this.ringCount = n;
  }

  private compactRing(): void {
    this.resizeRing(this.ringStamp.length, true);
  }

  private growTable(): void {
    const { hi, lo, stamp, value } = this;
    const slots = 2 * (this.mask + 1);
    this.mask = slots - 1;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.stamp = new Uint32Array(slots);
    this.value = new Int32Array(slots);
    for (let k = 0; k < stamp.length; k++) {
      if (stamp[k] === 0) continue;
      let at = lo[k]! & this.mask;
      while (this.stamp[at] !== 0) at = (at + 1) & this.mask;
      this.hi[at] = hi[k]!;
      this.lo[at] = lo[k]!;
      this.stamp[at] = stamp[k]!;
      this.value[at] = value[k]!;
    }
  }
}
