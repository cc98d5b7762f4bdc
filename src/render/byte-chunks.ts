/**
 * Output text written straight into UTF-8 bytes, in chunks. A renderer of a million rows that builds
 * strings pays three times for each character: once to concatenate, once when the string (a rope of
 * thousands of pieces, two-byte once it holds a '│' or '█') is flattened, and once to encode it for
 * the stream — ~0.5 s of 1.5 s for a million-span tree. Here the pieces that repeat (prefixes, labels,
 * bars) are encoded once and copied, and only the few changing texts are encoded, into the chunk.
 */
export class ByteChunks {
  private buf: Buffer & Utf8Writer;
  private at = 0;

  /** `size`: a chunk's capacity; a chunk is handed on once less than `reserve` bytes are left. */
  constructor(
    private readonly size = 1 << 20,
    private readonly reserve = 64 << 10,
  ) {
    this.buf = Buffer.allocUnsafe(size) as Buffer & Utf8Writer;
  }

  /** Text of any kind (a long one grows the chunk). */
  text(s: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair: 4 for 2 units).
    this.room(s.length * 3);
    if (s.length > SHORT) {
      this.at += this.buf.utf8Write(s, this.at);
      return;
    }
    // Short texts (a duration, an offset) by hand: a call into Node's encoder costs more than the text.
    const buf = this.buf;
    let o = this.at;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) buf[o++] = c;
      else if (c < 0x800) {
        buf[o++] = 0xc0 | (c >> 6);
        buf[o++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[o++] = 0xe0 | (c >> 12);
        buf[o++] = 0x80 | ((c >> 6) & 0x3f);
        buf[o++] = 0x80 | (c & 0x3f);
      } else {
        // A surrogate (paired or lone): Node's encoder, from here on, decides what it becomes.
        this.at = o + buf.utf8Write(s.slice(i), o);
        return;
      }
    }
    this.at = o;
  }

  /** `s` after spaces that make it `width` long (String.prototype.padStart's rule: by UTF-16 length). */
  padStart(s: string, width: number): void {
    this.spaces(width - s.length);
    this.text(s);
  }

  /** Bytes encoded earlier (see encode). */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    if (b.length <= 16) {
      // A few bytes are copied faster by hand than through TypedArray.prototype.set's checks.
      const buf = this.buf;
      let o = this.at;
      for (let i = 0; i < b.length; i++) buf[o++] = b[i]!;
      this.at = o;
    } else {
      this.buf.set(b, this.at);
      this.at += b.length;
    }
  }

  /** n spaces (none for n <= 0). */
  spaces(n: number): void {
    if (n <= 0) return;
    this.room(n);
    const buf = this.buf;
    let o = this.at;
    for (const end = o + n; o < end; o++) buf[o] = 0x20; // Buffer.fill's checks cost more than a few spaces
    this.at = o;
  }

  /** One ASCII character, by its code. */
  byte(code: number): void {
    this.room(1);
    this.buf[this.at++] = code;
  }

  /** Whether the chunk is full enough to hand on. */
  get full(): boolean {
    return this.at > this.size - this.reserve;
  }

  get length(): number {
    return this.at;
  }

  /** The bytes written since the last take; writing goes on into a new chunk. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(this.size) as Buffer & Utf8Writer;
    this.at = 0;
    return out;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n)) as Buffer & Utf8Writer;
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
}

/** Texts up to this long are encoded by hand. */
const SHORT = 24;

/** Node's own Buffer encoder, without write()'s argument handling (several calls a row add up). */
interface Utf8Writer {
  utf8Write(s: string, offset: number): number;
}

/** A text's UTF-8 bytes, to be copied by ByteChunks.bytes wherever it repeats. */
export function encode(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}
