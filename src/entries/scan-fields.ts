/**
 * Reads a JSON object line straight from its bytes and keeps only the top-level fields someone asked for,
 * instead of decoding the line to a string and building every value with JSON.parse.
 *
 * Why: on a typical 300-byte log line the normalizer reads 6–8 fields, yet JSON.parse builds all of them
 * (nested `tags`, ids nobody groups by, …) after the whole line has been decoded from UTF-8. Those two
 * steps were half of `group`'s time. Here the bytes are walked once: every value is validated as JSON
 * requires, and only the wanted ones become JS values (strings straight from the bytes, so they hold no
 * reference to a big chunk string).
 *
 * Exactness is the contract: for a line it accepts, the result has, for every wanted key present, the
 * value JSON.parse would give that key. Whatever is outside the plain subset it understands — a key with
 * an escape, a wanted key twice (JSON.parse keeps the last), nesting deeper than MAX_DEPTH, anything not
 * valid JSON — makes it return undefined, and the caller parses the line the ordinary way, which decides.
 * So the scanner may be strict, never lenient. test/entries/scan-fields.test.ts holds it to JSON.parse.
 */

import { sameSecondBytes, type Instant } from '../core/parse-time.js';

const MAX_DEPTH = 64;
const CACHE_SLOTS = 1 << 14;
/** Keys nobody wants that the scanner learns (to guess them, see scan), and the longest it learns. */
const MAX_UNWANTED_KEYS = 256;
const MAX_UNWANTED_KEY_BYTES = 64;
/** Cached strings up to this long are compared by their bytes (see cacheBytes); longer ones, by their text. */
const CACHED_BYTES = 64;
/** Shapes numbered at most: a log has a handful; a hostile one must not grow the table without end. */
export const MAX_SHAPES = 256;

/** A key the scanner knows: one it was asked for, or one met in a line that nobody wants. */
interface KnownKey {
  name: string;
  bytes: Uint8Array;
  wanted: boolean;
  /** What the caller attached to the key (the normalizer: its trie node), handed back with it. */
  tag: unknown;
  /** The scan() that last met this key: a second meeting in one line is a duplicate key. */
  seenIn: number;
  /** Its place among the known keys, for shapes. */
  id: number;
  /** The key that came after this one the last time it was met (undefined: the line ended). */
  next: KnownKey | undefined;
}

/** Node's own Buffer slicers, without toString's argument handling (several calls a line add up). */
interface Slicers {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/**
 * One scanner per pipeline. scan() records, for the line it read, each wanted key present: `names[k]`
 * for k < count, and where its value lies. Values become JS values only when asked for (value(k)): a
 * line has ~10 wanted fields, a normalizer reads ~6 of them, and making a string from bytes costs about
 * as much as JSON.parse spends on a whole small field. Valid until the next scan().
 */
export class FieldScanner {
  readonly names: string[] = [];
  /** The tag given with each wanted key found, in the same order as names. */
  readonly tags: unknown[] = [];
  count = 0;
  private scans = 0;
  /** The line's top-level members, wanted or not, as written (an unwanted key given twice counts twice). */
  keys = 0;
  /**
   * The line's shape, 0 ≤ shape < MAX_SHAPES, or -1: which wanted keys it holds in which order, and
   * the kind of each value (a string, empty or not, a number, true, false, null). Lines with the same
   * shape get the same number, so what follows from the shape alone — which field wins each role,
   * whether the line could be span data — can be worked out once per shape. -1 for a line with a wanted
   * object or array (whose insides can matter), and for lines of shapes past the first MAX_SHAPES.
   */
  shape = -1;
  /**
   * For a line whose shape is -1 only for a wanted object or array: the shape its top level has with each
   * such value taken as opaque (numbered among the shapes), what its keys alone decide by (source-processor:
   * could it be span data), and, with the shapes of the objects' insides, the key of a plan
   * (FieldLookup.nestedShapeKey). -1 otherwise.
   */
  shellShape = -1;
  /** This line's shape as it is read: key and class a wanted field, and a hash of them. */
  private readonly codes = new Int32Array(256);
  private shapeHash = 0;
  /** The shapes met so far: by hash, open addressing (slot → 1 + shape), and each one's codes. */
  private readonly shapeSlots = new Int32Array(MAX_SHAPES * 4);
  private readonly shapeCodes: Int32Array[] = [];
  private readonly kinds = new Uint8Array(256);
  private readonly froms = new Int32Array(256);
  private readonly tos = new Int32Array(256);
  private readonly values: unknown[] = [];
  private buf: Buffer = Buffer.alloc(0);
  /** Wanted keys by hash, open addressing: slot → 1 + index in `keyList`, 0 for empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly keyList: KnownKey[] = [];
  /** Unwanted keys known so far (at most MAX_UNWANTED_KEYS: a hostile log cannot grow the table). */
  private unwanted = 0;
  /** The first key of the last line read, the guess for the next line's first key. */
  private firstKey: KnownKey | undefined;
  private readonly stack = new Uint8Array(MAX_DEPTH);
  /**
   * Strings made before, by a hash of their bytes: a trace id comes back on every line of its trace, a
   * service name or level on most lines. A hit costs a compare instead of a new string (and later its
   * garbage collection); the strings kept are shared, which also saves memory downstream.
   */
  private readonly cache: (string | undefined)[];
  /**
   * The bytes of each cached string of up to CACHED_BYTES (and its length, -1 for none), side by side:
   * a hit is then a compare of bytes with bytes, four at a time, that never touches the string itself
   * (a load from anywhere in the heap for every value read).
   */
  private readonly cacheBytes: Uint8Array;
  private readonly cacheView: DataView;
  private readonly cacheLength: Int32Array;
  private readonly cacheMask: number;
  /** `buf` as a DataView, made when the line comes from another buffer than the last one. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  // Set by skipString for the string it just passed.
  private escaped = false;
  private nonAscii = false;

  /**
   * `keys`: the top-level keys whose values the caller reads, each with a tag of the caller's that
   * comes back with it (see tags). Keys must be plain ASCII; a key given twice keeps its first tag.
   * `cacheSlots` (a power of two): strings cached (see cache); a scanner of a few nested keys needs few.
   */
  constructor(keys: Iterable<readonly [string, unknown]>, cacheSlots = CACHE_SLOTS) {
    this.cache = new Array<string | undefined>(cacheSlots).fill(undefined);
    this.cacheBytes = new Uint8Array(cacheSlots * CACHED_BYTES);
    this.cacheView = new DataView(this.cacheBytes.buffer);
    this.cacheLength = new Int32Array(cacheSlots).fill(-1);
    this.cacheMask = cacheSlots - 1;
    const list = [...keys];
    let size = 64;
    while (size < (list.length + MAX_UNWANTED_KEYS) * 2) size *= 2; // at most half full: probes stay short
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    const names = new Set<string>();
    for (const [name, tag] of list) {
      if (names.has(name)) continue;
      names.add(name);
      const bytes = Buffer.from(name, 'latin1');
      let h = 0;
      for (const c of bytes) h = (Math.imul(h, 31) + c) | 0;
      this.addKey(h, name, bytes, true, tag);
    }
  }

  private addKey(h: number, name: string, bytes: Uint8Array, wanted: boolean, tag: unknown): KnownKey {
    let slot = h & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    const key: KnownKey = { name, bytes, wanted, tag, seenIn: 0, id: this.keyList.length, next: undefined };
    this.keyList.push(key);
    this.slots[slot] = this.keyList.length;
    return key;
  }

  /**
   * Reads the line b[start, end) (no newline; a final CR already cut off) into names/values/count/keys.
   * False when the line is not a JSON object of the plain kind: the caller then parses it in full.
   */
  scan(b: Buffer, start: number, end: number): boolean {
    this.count = 0;
    this.keys = 0;
    if (b !== this.buf) {
      this.buf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const scan = ++this.scans;
    this.shapeHash = 0;
    let nested = false;
    if (start >= end || b[start] !== 0x7b /* { */) return false;
    let i = ws(b, start + 1, end);
    if (i < end && b[i] === 0x7d /* } */) return this.endShape(false) && ws(b, i + 1, end) === end;
    // Each key is first guessed: the one that followed the key before it last time (lines of one logger
    // repeat their keys in order). A guess is taken only if the line has exactly its bytes, then a quote.
    let prev: KnownKey | undefined;
    for (;;) {
      if (i >= end || b[i] !== 0x22 /* " */) return false;
      let key = prev === undefined ? this.firstKey : prev.next;
      let j: number;
      if (key !== undefined && (j = i + 1 + key.bytes.length) < end && b[j] === 0x22 && sameAt(b, i + 1, key.bytes)) {
        // the guess was right
      } else {
        // The key: plain characters only (an escaped key is rare and would need decoding to compare).
        let h = 0;
        j = i + 1;
        for (;;) {
          if (j >= end) return false;
          const c = b[j]!;
          if (c === 0x22) break;
          if (c === 0x5c /* \ */ || c < 0x20) return false;
          h = (Math.imul(h, 31) + c) | 0;
          j++;
        }
        key = this.knownKey(b, i + 1, j, h);
        if (prev === undefined) this.firstKey = key;
        else prev.next = key;
      }
      if (key !== undefined) prev = key;
      const wanted = key?.wanted === true ? key : undefined;
      i = ws(b, j + 1, end);
      if (i >= end || b[i] !== 0x3a /* : */) return false;
      i = ws(b, i + 1, end);
      const from = i;
      const c = i < end ? b[i]! : -1;
      let kind: number;
      if (c === 0x22) {
        i = this.skipString(b, i, end);
        kind = this.escaped ? STRING_ESCAPED : this.nonAscii ? STRING_UTF8 : STRING;
      } else if (c === 0x7b || c === 0x5b /* { [ */) {
        i = this.skipNested(b, i, end);
        kind = NESTED;
      } else if (c === 0x74 /* t */) {
        i = literal(b, i, end, TRUE);
        kind = K_TRUE;
      } else if (c === 0x66 /* f */) {
        i = literal(b, i, end, FALSE);
        kind = K_FALSE;
      } else if (c === 0x6e /* n */) {
        i = literal(b, i, end, NULL);
        kind = K_NULL;
      } else {
        i = skipNumber(b, i, end);
        kind = NUMBER;
      }
      if (i < 0) return false;
      this.keys++;
      if (wanted !== undefined) {
        // JSON.parse keeps the last of two equal keys; rare enough to leave to it.
        if (wanted.seenIn === scan) return false;
        wanted.seenIn = scan;
        const k = this.count++;
        if (k === this.kinds.length) return false; // more wanted keys than fit (cannot be: no duplicates)
        this.names[k] = wanted.name;
        this.tags[k] = wanted.tag;
        this.kinds[k] = kind;
        this.froms[k] = from;
        this.tos[k] = i;
        this.values[k] = UNREAD;
        if (kind === NESTED) nested = true;
        const cls = kind === STRING || kind === STRING_UTF8 || kind === STRING_ESCAPED ? (i - from > 2 ? STRING : EMPTY_STRING) : kind;
        const code = (wanted.id << 4) | cls;
        this.codes[k] = code;
        this.shapeHash = (Math.imul(this.shapeHash, 31) + code) | 0;
      }
      i = ws(b, i, end);
      if (i >= end) return false;
      const d = b[i];
      if (d === 0x2c /* , */) {
        i = ws(b, i + 1, end);
        continue;
      }
      if (d === 0x7d /* } */) return this.endShape(nested) && ws(b, i + 1, end) === end;
      return false;
    }
  }

  /** Sets `shape` (or, with a wanted object or array, `shellShape`) for the line read to its last member. Always true. */
  private endShape(nested: boolean): boolean {
    this.shape = -1;
    this.shellShape = -1;
    const n = this.count;
    const mask = this.shapeSlots.length - 1;
    let shape = -1;
    for (let slot = this.shapeHash & mask; ; slot = (slot + 1) & mask) {
      const at = this.shapeSlots[slot]!;
      if (at === 0) {
        if (this.shapeCodes.length === MAX_SHAPES) return true;
        this.shapeCodes.push(this.codes.slice(0, n));
        this.shapeSlots[slot] = this.shapeCodes.length;
        shape = this.shapeCodes.length - 1;
        break;
      }
      const codes = this.shapeCodes[at - 1]!;
      if (codes.length !== n) continue;
      let x = 0;
      while (x < n && codes[x] === this.codes[x]) x++;
      if (x === n) {
        shape = at - 1;
        break;
      }
    }
    // A wanted object's class in the codes is NESTED whatever it holds: such a shape is a shell only.
    if (nested) this.shellShape = shape;
    else this.shape = shape;
    return true;
  }

  /** Is the k-th wanted value an object or array? */
  isNested(k: number): boolean {
    return this.kinds[k] === NESTED;
  }

  /** Is this wanted key in the line just scanned? */
  has(name: string): boolean {
    for (let k = 0; k < this.count; k++) if (this.names[k] === name) return true;
    return false;
  }

  /** The value of the k-th wanted field found: what JSON.parse gives for it. */
  value(k: number): unknown {
    let v = this.values[k];
    if (v === UNREAD) v = this.values[k] = this.valueOf(this.buf, this.froms[k]!, this.tos[k]!, this.kinds[k]!);
    return v;
  }

  /**
   * A value that answers typeof and emptiness as the k-th value does, without making it: '' or 'x' for
   * a string, 0 for a number; the value itself otherwise. For tests that look no further (the
   * normalizer's acceptor), so only the values that win are made.
   */
  standIn(k: number): unknown {
    const kind = this.kinds[k];
    if (kind === STRING || kind === STRING_ESCAPED || kind === STRING_UTF8) return this.tos[k]! - this.froms[k]! > 2 ? 'x' : '';
    if (kind === NUMBER) return 0;
    return this.value(k);
  }

  /**
   * Where the k-th value lies in the line's buffer (`lineBuffer`) when it is an object, from its '{' to
   * past its '}'; -1 when it is not an object. For reading the keys inside it with a scanner of its own.
   */
  objectStart(k: number): number {
    return this.kinds[k] === NESTED && this.buf[this.froms[k]!] === 0x7b /* { */ ? this.froms[k]! : -1;
  }

  /** The end of the k-th value (see objectStart). */
  valueEnd(k: number): number {
    return this.tos[k]!;
  }

  /** The buffer of the line just scanned. */
  get lineBuffer(): Buffer {
    return this.buf;
  }

  /** parseIsoTime's same-second hot path (parse-time.ts) on the k-th value, if a plain string: true when its answer is in `out`. */
  sameSecondTime(k: number, out: Instant): boolean {
    return this.kinds[k] === STRING && sameSecondBytes(this.buf, this.froms[k]! + 1, this.tos[k]! - 1, out);
  }

  /** The wanted fields of the line just scanned, as an object (what JSON.parse would give, cut to them). */
  toObject(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let k = 0; k < this.count; k++) {
      const name = this.names[k]!;
      // An own property, as JSON.parse makes it, even for "__proto__" (an assignment would set the prototype).
      if (name === '__proto__') Object.defineProperty(o, name, { value: this.value(k), enumerable: true, writable: true, configurable: true });
      else o[name] = this.value(k);
    }
    return o;
  }

  /** The key b[from, to) (hash h), known from now on if nobody wants it and there is room; or undefined. */
  private knownKey(b: Uint8Array, from: number, to: number, h: number): KnownKey | undefined {
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]!;
      if (at === 0) {
        if (this.unwanted === MAX_UNWANTED_KEYS || to - from > MAX_UNWANTED_KEY_BYTES) return undefined;
        this.unwanted++;
        const bytes = Uint8Array.prototype.slice.call(b, from, to);
        return this.addKey(h, Buffer.from(bytes).toString('latin1'), bytes, false, undefined);
      }
      const k = this.keyList[at - 1]!;
      const kb = k.bytes;
      if (kb.length !== to - from) continue;
      let same = true;
      for (let x = 0; x < kb.length; x++) {
        if (kb[x] !== b[from + x]) {
          same = false;
          break;
        }
      }
      if (same) return k;
    }
  }

  /** The JS value of b[from, to), which skip* has just validated as a value of `kind`. */
  private valueOf(b: Buffer, from: number, to: number, kind: number): unknown {
    const slicer = b as unknown as Slicers;
    switch (kind) {
      case STRING:
        return this.asciiString(b, from + 1, to - 1);
      case STRING_UTF8:
        return slicer.utf8Slice(from + 1, to - 1);
      case STRING_ESCAPED:
        return JSON.parse(slicer.utf8Slice(from, to));
      case NUMBER:
        return numberAt(b, from, to);
      case K_TRUE:
        return true;
      case K_FALSE:
        return false;
      case K_NULL:
        return null;
      default:
        return JSON.parse(slicer.utf8Slice(from, to));
    }
  }

  private asciiString(b: Buffer, from: number, to: number): string {
    const n = to - from;
    if (n === 0) return '';
    // A hash of the length and the first and last four bytes: ids differ there, and so do most texts.
    let h = n;
    const a = Math.min(to, from + 4);
    for (let x = from; x < a; x++) h = (Math.imul(h, 31) + b[x]!) | 0;
    for (let x = Math.max(a, to - 4); x < to; x++) h = (Math.imul(h, 31) + b[x]!) | 0;
    const slot = h & this.cacheMask;
    if (n <= CACHED_BYTES) {
      const at = slot * CACHED_BYTES;
      if (this.cacheLength[slot] === n && this.sameBytes(from, at, n)) return this.cache[slot]!;
      const s = (b as unknown as Slicers).latin1Slice(from, to);
      this.cache[slot] = s;
      this.cacheLength[slot] = n;
      const bytes = this.cacheBytes;
      for (let x = 0; x < n; x++) bytes[at + x] = b[from + x]!;
      return s;
    }
    const cached = this.cache[slot];
    if (cached !== undefined && cached.length === n) {
      let x = 0;
      while (x < n && cached.charCodeAt(x) === b[from + x]) x++;
      if (x === n) return cached;
    }
    const s = (b as unknown as Slicers).latin1Slice(from, to);
    this.cache[slot] = s;
    this.cacheLength[slot] = -1;
    return s;
  }

  /** Are the n bytes of the line at `from` those cached at `at`? */
  private sameBytes(from: number, at: number, n: number): boolean {
    const line = this.view;
    const cached = this.cacheView;
    let x = 0;
    for (; x + 4 <= n; x += 4) if (line.getInt32(from + x) !== cached.getInt32(at + x)) return false;
    for (; x < n; x++) if (this.buf[from + x] !== this.cacheBytes[at + x]) return false;
    return true;
  }

  /** Past the string opening at b[i] (a quote), or -1 when it is not a valid JSON string. */
  private skipString(b: Uint8Array, i: number, end: number): number {
    let escaped = false;
    let nonAscii = false;
    let j = i + 1;
    if (b === this.buf) {
      // Four bytes at a time while none of them is special — a quote, a backslash, a control character
      // or a byte past ASCII — tested with word arithmetic (each test may say "special" of a plain word
      // too, never the other way round); the byte loop below then takes the rest of the string. Most
      // strings of a log line are printable ASCII: ~a third of scan()'s time was this loop, a byte at a time.
      const view = this.view;
      for (; j + 4 <= end; j += 4) {
        const x = view.getInt32(j, true);
        const quote = x ^ 0x22222222;
        const slash = x ^ 0x5c5c5c5c;
        const special = ((x - 0x20202020) | x | ((quote - 0x01010101) & ~quote) | ((slash - 0x01010101) & ~slash)) & 0x80808080;
        if (special !== 0) break;
      }
    }
    for (; j < end; j++) {
      // Most bytes of a string are printable ASCII: one table load tells, before any other test.
      if (PLAIN_IN_STRING[b[j]!] === 1) continue;
      const c = b[j]!;
      if (c === 0x22) {
        this.escaped = escaped;
        this.nonAscii = nonAscii;
        return j + 1;
      }
      if (c < 0x20) return -1; // control characters must be escaped in JSON
      if (c === 0x5c) {
        escaped = true;
        const e = j + 1 < end ? b[j + 1]! : -1;
        if (e === 0x75 /* u */) {
          if (j + 5 >= end) return -1;
          for (let x = j + 2; x <= j + 5; x++) if (!isHex(b[x]!)) return -1;
          j += 5;
        } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          j++; // \" \\ \/ \b \f \n \r \t
        } else {
          return -1;
        }
      } else if (c >= 0x80) {
        nonAscii = true;
      }
    }
    return -1;
  }

  /** Past the object or array opening at b[i], validated to the end, or -1 (invalid, or too deep). */
  private skipNested(b: Uint8Array, i: number, end: number): number {
    const stack = this.stack;
    let depth = 0;
    // Each turn reads one value at i, then closes every container that ends after it.
    for (;;) {
      const c = i < end ? b[i]! : -1;
      if (c === 0x7b || c === 0x5b) {
        if (depth === MAX_DEPTH) return -1;
        stack[depth++] = c;
        i = ws(b, i + 1, end);
        const close = c === 0x7b ? 0x7d : 0x5d;
        if (i < end && b[i] === close) {
          // An empty container: it is the value just read.
          depth--;
          i++;
        } else if (c === 0x7b) {
          i = this.objectKey(b, i, end);
          if (i < 0) return -1;
          continue;
        } else {
          continue; // the array's first value
        }
      } else if (c === 0x22) {
        i = this.skipString(b, i, end);
      } else if (c === 0x74) {
        i = literal(b, i, end, TRUE);
      } else if (c === 0x66) {
        i = literal(b, i, end, FALSE);
      } else if (c === 0x6e) {
        i = literal(b, i, end, NULL);
      } else {
        i = skipNumber(b, i, end);
      }
      if (i < 0) return -1;
      // After a value: a comma (next member), or the close of the container it is in.
      for (;;) {
        if (depth === 0) return i;
        i = ws(b, i, end);
        if (i >= end) return -1;
        const top = stack[depth - 1];
        const d = b[i];
        if (d === 0x2c) {
          i = ws(b, i + 1, end);
          if (top === 0x7b) {
            i = this.objectKey(b, i, end);
            if (i < 0) return -1;
          }
          break;
        }
        if ((top === 0x7b && d === 0x7d) || (top === 0x5b && d === 0x5d)) {
          depth--;
          i++;
          continue;
        }
        return -1;
      }
    }
  }

  /** Past `"key" :` and the blanks after it, at b[i]; or -1. */
  private objectKey(b: Uint8Array, i: number, end: number): number {
    if (i >= end || b[i] !== 0x22) return -1;
    i = this.skipString(b, i, end);
    if (i < 0) return -1;
    i = ws(b, i, end);
    if (i >= end || b[i] !== 0x3a) return -1;
    return ws(b, i + 1, end);
  }
}

const STRING = 0; // plain ASCII, no escapes
const NUMBER = 1;
const NESTED = 2;
const K_TRUE = 3;
const K_FALSE = 4;
const K_NULL = 5;
const STRING_UTF8 = 6; // no escapes, some bytes past ASCII
const STRING_ESCAPED = 7;
const EMPTY_STRING = 8; // a shape's class only: any string kind, empty
const UNREAD = Symbol('unread');

/** 1 for the bytes a JSON string may hold as they are and that need no note: printable ASCII but " and \. */
const PLAIN_IN_STRING = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN_IN_STRING[c] = c === 0x22 || c === 0x5c ? 0 : 1;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17];

/**
 * The value of a JSON number b[from, to) (already validated), as Number() reads its text. Without
 * making the text when its digits, without the point, make an integer m below 2^53 and there is no
 * exponent: m is then exact (as is every step that built it), so is 10^k for k ≤ 22, and m / 10^k (k
 * fraction digits) is one correctly rounded division of two exact doubles — the double nearest the
 * decimal, which is what Number() gives (Clinger's fast path). Epoch milliseconds with a fraction
 * (1714557600000.001, 16 digits) are read this way.
 */
export function numberAt(b: Uint8Array, from: number, to: number): number {
  let x = from;
  const neg = b[x] === 0x2d;
  if (neg) x++;
  if (to - x <= 18) {
    let m = 0;
    let digits = 0;
    let point = -1;
    for (; x < to; x++) {
      const c = b[x]!;
      if (c === 0x2e) point = digits;
      else if (c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
      } else break; // an exponent
    }
    if (x === to && digits <= 17 && m < 9007199254740992) {
      const v = point < 0 ? m : m / POW10[digits - point]!;
      return neg ? -v : v;
    }
  }
  return Number((b as unknown as Slicers).latin1Slice(from, to));
}

/** Past JSON's blanks (space, tab, CR; a line has no LF) from i, never beyond end. */
function ws(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
    i++;
  }
  return i;
}

/** Does b hold `word` at i? (The caller has checked that it fits.) */
function sameAt(b: Uint8Array, i: number, word: Uint8Array): boolean {
  for (let x = 0; x < word.length; x++) if (b[i + x] !== word[x]) return false;
  return true;
}

function literal(b: Uint8Array, i: number, end: number, word: Uint8Array): number {
  if (i + word.length > end) return -1;
  for (let x = 0; x < word.length; x++) if (b[i + x] !== word[x]) return -1;
  return i + word.length;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Past a number in JSON's grammar at b[i] (-? (0 | [1-9]digits) (.digits)? ([eE][+-]?digits)?), or -1. */
function skipNumber(b: Uint8Array, i: number, end: number): number {
  if (i < end && b[i] === 0x2d /* - */) i++;
  if (i >= end) return -1;
  const first = b[i]!;
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) {
    i++;
    while (i < end && isDigit(b[i]!)) i++;
  } else return -1;
  if (i < end && b[i] === 0x2e /* . */) {
    const s = ++i;
    while (i < end && isDigit(b[i]!)) i++;
    if (i === s) return -1;
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45) /* e E */) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    const s = i;
    while (i < end && isDigit(b[i]!)) i++;
    if (i === s) return -1;
  }
  return i;
}
