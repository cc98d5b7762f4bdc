// Span id -> span index for one trace, as buildTree needs it: a million inserts and a million lookups
// per large trace. A Map<string, number> spends most of that time hashing fresh strings and chasing
// pointers through a table of a million entries; ids as the readers leave them are 16 lowercase hex
// digits, i.e. two 32-bit numbers, so those go into an open-addressing table of plain integers:
//
//   slot k:  [ high 32 bits | low 32 bits | value + 1 (0 = empty) | - ]     (one Int32Array, 4 per slot)
//
// Any other id (non-hex, another length, upper case) goes to a Map, so the answers are those of a Map
// keyed by the exact string: "00ab…" and "00AB…" stay two ids, as they are two strings.

const HEX_LEN = 16;

/** Hex digit value of a char code, or -1 (lower case only: upper-case ids are other strings). */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

export class SpanIdIndex {
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly others = new Map<string, number>();
  /** The halves of the id last parsed by hexKey(). */
  private hi = 0;
  private lo = 0;

  /** For about `expected` distinct ids (more still work, only slower). */
  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.table = new Int32Array(cap * 4);
    this.mask = cap - 1;
  }

  get(id: string): number | undefined {
    if (!this.hexKey(id)) return this.others.get(id);
    const k = this.find();
    const v = this.table[k * 4 + 2]!;
    return v === 0 ? undefined : v - 1;
  }

  set(id: string, value: number): void {
    if (!this.hexKey(id)) {
      this.others.set(id, value);
      return;
    }
    this.put(this.find(), value);
  }

  /** The value already held for id; when there is none, `value` is stored and undefined returned. */
  setIfAbsent(id: string, value: number): number | undefined {
    if (!this.hexKey(id)) {
      const known = this.others.get(id);
      if (known === undefined) this.others.set(id, value);
      return known;
    }
    const k = this.find();
    const v = this.table[k * 4 + 2]!;
    if (v !== 0) return v - 1;
    this.put(k, value);
    return undefined;
  }

  /** The slot holding the id last parsed, or the empty slot where it belongs. */
  private find(): number {
    const t = this.table;
    // Ids are usually random, but some producers count (…0001, …0002): mix both halves.
    const h = Math.imul(this.hi ^ Math.imul(this.lo, 0x9e3779b1), 0x85ebca6b);
    let k = (h ^ (h >>> 15)) & this.mask;
    while (t[k * 4 + 2] !== 0 && (t[k * 4] !== this.hi || t[k * 4 + 1] !== this.lo)) k = (k + 1) & this.mask;
    return k;
  }

  private put(k: number, value: number): void {
    this.table[k * 4] = this.hi;
    this.table[k * 4 + 1] = this.lo;
    this.table[k * 4 + 2] = value + 1;
  }

  /** Parse a 16-digit lowercase hex id into hi/lo; false for any other string. */
  private hexKey(id: string): boolean {
    if (id.length !== HEX_LEN) return false;
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < 8; i++) {
      const d = hexDigit(id.charCodeAt(i));
      if (d < 0) return false;
      hi = (hi << 4) | d;
    }
    for (let i = 8; i < 16; i++) {
      const d = hexDigit(id.charCodeAt(i));
      if (d < 0) return false;
      lo = (lo << 4) | d;
    }
    this.hi = hi;
    this.lo = lo;
    return true;
  }
}
