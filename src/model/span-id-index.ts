// Span id -> span index for one trace, as buildTree needs it: a million inserts and a million lookups
// per large trace. A Map<string, number> spends most of that time hashing fresh strings and chasing
// pointers through a table of a million entries; ids as the readers leave them are 16 lowercase hex
// digits, i.e. two 32-bit numbers, so those go into an open-addressing table of plain integers:
//
//   keys[2k], keys[2k+1]: the id's high and low 32 bits     vals[k]: value + 1 (0 = empty)
//
// (Keys and values in two arrays: a probe reads vals[k] first and touches the keys only on a hit, and
// both arrays together are 12 bytes a slot instead of 16.)
//
// Any other id (non-hex, another length, upper case) goes to a Map, so the answers are those of a Map
// keyed by the exact string: "00ab…" and "00AB…" stay two ids, as they are two strings.

const HEX_LEN = 16;

/** Hex digit value by char code below 128, or -1 (lower case only: upper-case ids are other strings). */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[0x30 + c] = c;
for (let c = 0; c < 6; c++) HEX_DIGIT[0x61 + c] = 10 + c;

function hexDigit(c: number): number {
  return c < 128 ? HEX_DIGIT[c]! : -1;
}

export class SpanIdIndex {
  private readonly keys: Int32Array;
  private readonly vals: Int32Array;
  private readonly mask: number;
  private readonly others = new Map<string, number>();
  /** The halves of the id last parsed by hexKey(). */
  private hi = 0;
  private lo = 0;

  /** For about `expected` distinct ids (more still work, only slower). */
  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Int32Array(cap * 2);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get(id: string): number | undefined {
    if (!this.hexKey(id)) return this.others.get(id);
    const v = this.vals[this.find()]!;
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
    const v = this.vals[k]!;
    if (v !== 0) return v - 1;
    this.put(k, value);
    return undefined;
  }

  /**
   * get() of n hex ids given as halves, -1 for none. In two loops: first where each id's probe starts,
   * then the probes. A probe misses the cache (the table of a million ids is 24 MB), and a probe that
   * has to go on past its first slot makes the processor throw away the work it began beyond it; with
   * the slots known ahead, the table's lines are already on their way.
   */
  getAllHex(hi: Int32Array, lo: Int32Array, n: number): Int32Array {
    const { keys, vals, mask } = this;
    const found = new Int32Array(n);
    for (let i = 0; i < n; i++) found[i] = slotOf(hi[i]!, lo[i]!, mask);
    for (let i = 0; i < n; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      let k = found[i]!;
      while (vals[k] !== 0 && (keys[2 * k] !== h || keys[2 * k + 1] !== l)) k = (k + 1) & mask;
      found[i] = vals[k]! - 1;
    }
    return found;
  }

  /** setIfAbsent() of a hex id given as its halves (SpanIdArrays). */
  setIfAbsentHex(hi: number, lo: number, value: number): number | undefined {
    this.hi = hi;
    this.lo = lo;
    const k = this.find();
    const v = this.vals[k]!;
    if (v !== 0) return v - 1;
    this.put(k, value);
    return undefined;
  }

  /** The slot holding the id last parsed, or the empty slot where it belongs. */
  private find(): number {
    const { keys, vals, mask, hi, lo } = this;
    let k = slotOf(hi, lo, mask);
    while (vals[k] !== 0 && (keys[2 * k] !== hi || keys[2 * k + 1] !== lo)) k = (k + 1) & mask;
    return k;
  }

  private put(k: number, value: number): void {
    this.keys[2 * k] = this.hi;
    this.keys[2 * k + 1] = this.lo;
    this.vals[k] = value + 1;
  }

  /** Parse a 16-digit lowercase hex id into hi/lo; false for any other string. */
  private hexKey(id: string): boolean {
    if (!parseHex(id)) return false;
    this.hi = parsedHi;
    this.lo = parsedLo;
    return true;
  }
}

/** Where the probe for id hi:lo starts. Ids are usually random, but some producers count (…0001, …0002): mix both halves. */
function slotOf(hi: number, lo: number, mask: number): number {
  const h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) & mask;
}

/** The halves of the id parseHex() last accepted. */
let parsedHi = 0;
let parsedLo = 0;

/** Parse a 16-digit lowercase hex id into parsedHi/parsedLo; false for any other string. */
function parseHex(id: string): boolean {
  if (id.length !== HEX_LEN) return false;
  // Without a branch per digit: a bad digit (-1) sets the sign bit of `bad`, checked once at the end.
  let hi = 0;
  let lo = 0;
  let bad = 0;
  for (let i = 0; i < 8; i++) {
    const d = hexDigit(id.charCodeAt(i));
    bad |= d;
    hi = (hi << 4) | (d & 15);
  }
  for (let i = 8; i < 16; i++) {
    const d = hexDigit(id.charCodeAt(i));
    bad |= d;
    lo = (lo << 4) | (d & 15);
  }
  if (bad < 0) return false;
  parsedHi = hi;
  parsedLo = lo;
  return true;
}

/** SpanIdArrays.parent(): the span names no parent (none, or ''). */
export const NO_PARENT = 0;
/** SpanIdArrays.parent(): the parent's id is hex, in parentHi/parentLo. */
export const HEX_PARENT = 1;
/** SpanIdArrays.parent(): the parent's id is another string (read it from the span). */
export const OTHER_PARENT = 2;

/**
 * The span and parent ids of a trace's spans by index, hex ones as numbers: read once from the span
 * objects (buildTree reads everything it needs of a span in one pass), so that linking parents reads
 * no span object again for the common, hex ids.
 */
export class SpanIdArrays {
  readonly spanHi: Int32Array;
  readonly spanLo: Int32Array;
  readonly parentHi: Int32Array;
  readonly parentLo: Int32Array;
  /** Bit 0: the span id is hex; bits 1–2: NO_PARENT, HEX_PARENT or OTHER_PARENT. */
  private readonly kind: Uint8Array;

  constructor(n: number) {
    this.spanHi = new Int32Array(n);
    this.spanLo = new Int32Array(n);
    this.parentHi = new Int32Array(n);
    this.parentLo = new Int32Array(n);
    this.kind = new Uint8Array(n);
  }

  read(i: number, spanId: string, parentSpanId: string | undefined): void {
    let kind = 0;
    if (parseHex(spanId)) {
      this.spanHi[i] = parsedHi;
      this.spanLo[i] = parsedLo;
      kind = 1;
    }
    if (parentSpanId !== undefined && parentSpanId !== '') {
      if (parseHex(parentSpanId)) {
        this.parentHi[i] = parsedHi;
        this.parentLo[i] = parsedLo;
        kind |= HEX_PARENT << 1;
      } else kind |= OTHER_PARENT << 1;
    }
    this.kind[i] = kind;
  }

  spanIsHex(i: number): boolean {
    return (this.kind[i]! & 1) !== 0;
  }

  parent(i: number): number {
    return this.kind[i]! >> 1;
  }

  /** Both ids hex and the same. */
  namesItself(i: number): boolean {
    return this.kind[i] === (1 | (HEX_PARENT << 1)) && this.spanHi[i] === this.parentHi[i] && this.spanLo[i] === this.parentLo[i];
  }
}
