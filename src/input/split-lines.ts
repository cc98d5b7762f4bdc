import { StringDecoder } from 'node:string_decoder';
import { OPENER_BYTES, textOpensSpanDocument } from './document-lines.js';

/** What the splitter hands on: a line's text (no CR/LF, no BOM) and its 1-based number. */
export interface LineHandler {
  line(text: string, lineNo: number): void;
  /** A line over the cap: its bytes were dropped as they came, never held in memory. */
  tooLong(lineNo: number, bytes: number): void;
}

/**
 * Splits a byte stream into lines, keeping line numbers. Decoding is streaming UTF-8 (a character split
 * across chunks is kept whole; invalid bytes become U+FFFD, as Node decodes them), CRLF and a leading
 * BOM are removed, and a final line without a newline still counts.
 *
 * Why not split2 (what ndjson uses): it cannot give line numbers, and its maxLength throws the stream
 * into an error instead of skipping one line and going on. See docs/DECISIONS.md, D5.
 *
 * Length cap: a line longer than `maxLineBytes` is reported and its bytes are dropped while it streams in,
 * so memory stays bounded by the cap, not by the line. Lengths are counted in UTF-16 units, and
 * converted to bytes only when a line is near the cap (a char is 1..3 bytes per UTF-16 unit). A line that
 * opens a span document (document-lines.ts) has `maxDocumentBytes` as its cap; while it streams in, it is
 * held up to that many UTF-16 units (as a multi-line document is), its bytes counted once it ends.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private lineNo = 0;
  private skippingBytes = -1; // ≥ 0 while dropping the rest of an over-long line
  private carryCap = 0; // the carried line's cap, once its start has said which (0: not yet)
  private atStart = true;

  /** `firstLine`: the number of the first line pushed (a chunk cut from the middle of a source). */
  constructor(
    private readonly handler: LineHandler,
    private readonly maxLineBytes: number,
    firstLine = 1,
    private readonly maxDocumentBytes = maxLineBytes,
  ) {
    this.lineNo = firstLine - 1;
    this.atStart = firstLine === 1; // a BOM can only open a source
  }

  get linesSeen(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let text = this.decoder.write(chunk);
    if (this.atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.atStart = false;
    }
    this.consume(text);
  }

  end(): void {
    const rest = this.decoder.end();
    if (rest) this.consume(rest);
    if (this.skippingBytes >= 0) {
      this.handler.tooLong(++this.lineNo, this.skippingBytes);
      this.skippingBytes = -1;
    } else if (this.carry.length > 0) {
      this.emit(this.carry);
      this.carry = '';
    }
  }

  private consume(text: string): void {
    let from = 0;
    let nl = text.indexOf('\n');
    if (this.skippingBytes >= 0) {
      if (nl < 0) {
        // The decoded text, not the chunk: the chunk's length counts the bytes of a character split
        // across chunks twice (once here, once in the next chunk's text).
        this.skippingBytes += Buffer.byteLength(text);
        return;
      }
      // The line's own bytes, as emit() counts them: no LF, no CR of a CRLF.
      const end = nl > 0 && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.skippingBytes += Buffer.byteLength(text.slice(0, end));
      this.handler.tooLong(++this.lineNo, this.skippingBytes);
      this.skippingBytes = -1;
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    if (nl >= 0 && this.carry.length > 0) {
      const whole = this.carry + text.slice(from, nl);
      this.carry = '';
      this.emit(whole);
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    while (nl >= 0) {
      this.emit(text.slice(from, nl));
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    if (from < text.length) {
      if (this.carry.length === 0) this.carryCap = 0;
      this.carry = this.carry.length > 0 ? this.carry + text.slice(from) : text.slice(from);
      if (this.carryOverCap()) {
        this.skippingBytes = Buffer.byteLength(this.carry);
        this.carry = '';
      }
    }
  }

  private emit(raw: string): void {
    const text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    this.lineNo++;
    if (overCap(text, this.capOf(text))) this.handler.tooLong(this.lineNo, Buffer.byteLength(text));
    else this.handler.line(text, this.lineNo);
  }

  private capOf(line: string): number {
    return this.maxDocumentBytes > this.maxLineBytes && textOpensSpanDocument(line) ? this.maxDocumentBytes : this.maxLineBytes;
  }

  /**
   * The line still streaming in is over its cap. A span document's is measured in UTF-16 units here:
   * its bytes, counted at every block, would read a line of hundreds of MB again and again.
   */
  private carryOverCap(): boolean {
    // Decided once the carried line is long enough to tell: reading its first characters again at every
    // block would flatten the growing string each time.
    if (this.carryCap === 0 && this.carry.length >= OPENER_BYTES + 1) this.carryCap = this.capOf(this.carry);
    const cap = this.carryCap || this.maxLineBytes;
    return cap === this.maxLineBytes ? overCap(this.carry, cap) : this.carry.length > cap;
  }
}

/** Is this line's text over the cap in UTF-8 bytes? Cheap by its length first. */
export function overCap(s: string, maxLineBytes: number): boolean {
  if (s.length * 3 <= maxLineBytes) return false;
  if (s.length > maxLineBytes) return true;
  return Buffer.byteLength(s) > maxLineBytes;
}
