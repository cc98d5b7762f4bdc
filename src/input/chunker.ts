import { isPartialPiece, lastCleanCut, nextCleanCut, partialPieceBefore } from './continuation.js';
import { MAX_DOCUMENT_BYTES, OPENER_BYTES, opensSpanDocument } from './document-lines.js';
import { ownsItsMemory } from './open-source.js';

/**
 * Cuts a source's bytes into chunks of whole lines (about `target` bytes each) that can be processed
 * independently, each knowing the number of its first line, so diagnostics keep their places when chunks
 * go to other threads.
 *
 * Three things never straddle a cut: a line (cuts are at newlines), a partial piece of a longer line
 * (a CRI "P" line or a Docker json-file piece without "\n"): the cut moves back before such a piece, so
 * the piece and the rest of its line stay together; and a log line with the stack trace under it: the
 * cut moves back before a line that cannot continue another (continuation.ts), or when the whole chunk is
 * one stack, forward to the first such line within two chunks. Memory stays bounded: a line longer than
 * the cap is dropped as it streams in and reported, as the line splitter does; a line that opens a span
 * document (document-lines.ts) has the document cap instead.
 */
export interface Chunk {
  bytes: Buffer;
  firstLine: number;
  lines: number;
  /** Set by the reader: which markers of other id spellings the source showed (see ingest/id-filter.ts). */
  markers?: string[];
  /**
   * Nothing else will read the memory under `bytes` (its ArrayBuffer): a file's block taken whole, which
   * may move to a worker thread without a copy, leaving `bytes` empty here.
   */
  owned?: boolean;
  /**
   * The last lines of the file before, when this chunk opens its next rotation and those lines end with
   * a partial piece waiting for its line's rest (ingest/read-inputs.ts): read first, with their own places.
   */
  leadIn?: LeadIn;
}

/** Lines of one source read just before a chunk of another (Chunk.leadIn). */
export interface LeadIn {
  source: string;
  bytes: Buffer;
  firstLine: number;
  lines: number;
}

export interface OverlongLine {
  line: number;
  bytes: number;
}

const NL = 0x0a;

export class Chunker {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private nextLine: number;
  private dropping = -1; // ≥ 0 while dropping an over-long line: the bytes dropped so far
  /**
   * `pending` is one line without its end yet, at least a chunk long: bytes without a newline are only
   * added to it (cutting would copy the whole line again at every block: a 100 MB line, read 1 MiB at a
   * time, would be copied a hundred times).
   */
  private longLine = false;
  readonly overlong: OverlongLine[] = [];

  /**
   * `firstLine`: the number of the first line (a part of a file read on its own may start elsewhere).
   * `maxDocumentBytes`: the cap of a line that opens a span document.
   */
  constructor(
    private readonly maxLineBytes: number,
    private target = 1 << 20,
    private readonly firstLine = 1,
    private readonly maxDocumentBytes = MAX_DOCUMENT_BYTES,
  ) {
    this.nextLine = firstLine;
  }

  /** The lines cut so far, over-long ones counted. */
  get lines(): number {
    return this.nextLine - this.firstLine;
  }

  /** Chunks of about `target` bytes from now on (the reader decides only after the first chunks). */
  resize(target: number): void {
    this.target = target;
  }

  /** Feed bytes; returns the chunks that are complete. */
  push(buf: Buffer): Chunk[] {
    const out: Chunk[] = [];
    let from = 0;
    if (this.dropping >= 0) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.dropping += buf.length;
        return out;
      }
      this.finishDrop(this.dropping + nl);
      from = nl + 1;
    }
    if (from === 0 && this.pendingBytes === 0 && this.isWholeBlock(buf)) {
      // A block of whole lines of about a chunk's size, as readLineBlocks (open-source.ts) gives a
      // file's bytes: a chunk as it is. Cutting it with the next block would copy both into one buffer.
      const lines = countNewlines(buf);
      out.push({ bytes: buf, firstLine: this.nextLine, lines, ...(ownsItsMemory(buf) ? { owned: true } : {}) });
      this.nextLine += lines;
      return out;
    }
    if (from < buf.length) {
      this.pending.push(from === 0 ? buf : buf.subarray(from));
      this.pendingBytes += buf.length - from;
    }
    if (this.pendingBytes >= this.target && !(this.longLine && buf.indexOf(NL, from) < 0)) this.cut(out);
    this.guardOverlong();
    return out;
  }

  /**
   * Ends at a newline, not within PARTIAL_REACH lines after a partial piece (continuation.ts), and is at most two chunks long and at least half of
   * one — or any size when it is a file's block (readLineBlocks), whose size the reader chose: the block
   * read ahead when the chunk size changes (resize) would otherwise put every later block out of step,
   * or be cut into views that cannot go back to the pool when the size shrinks at once (a worker taking
   * over the end of a split file's part does that: group's peak RSS was +15–20 MB, 13 blocks made, not 2).
   */
  private isWholeBlock(buf: Buffer): boolean {
    const n = buf.length;
    if (buf[n - 1] !== NL) return false;
    if ((n > this.target * 2 || n < this.target / 2) && !ownsItsMemory(buf)) return false;
    return !partialPieceBefore(buf, n);
  }

  /** The rest, at the end of the source (its last line may have no newline). */
  end(): Chunk | undefined {
    if (this.dropping >= 0) {
      this.finishDrop(this.dropping);
      return undefined;
    }
    if (this.pendingBytes === 0) return undefined;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    // A source that is nothing but a BOM has no line (the line splitter agrees).
    const onlyBom = this.nextLine === 1 && bytes.length === 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const lines = onlyBom ? 0 : countNewlines(bytes) + (bytes[bytes.length - 1] === NL ? 0 : 1);
    const chunk = { bytes, firstLine: this.nextLine, lines };
    this.nextLine += lines;
    return chunk;
  }

  /**
   * Chunks of about `target` bytes of whole lines from the front of `pending`; what is left is less than
   * a chunk, or a line (or run of partial pieces) still waiting for its end.
   */
  private cut(out: Chunk[]): void {
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let pos = 0;
    while (all.length - pos >= this.target) {
      // The last newline within the target, else (one line longer than the target) the next one.
      let end = all.lastIndexOf(NL, pos + this.target - 1) + 1;
      if (end <= pos) end = all.indexOf(NL, pos + this.target) + 1;
      if (end <= pos) break;
      // Move the cut back before partial pieces whose line is not finished before it, so each long
      // line's pieces stay in one chunk, with the other stream's lines between them.
      while (end > pos && partialPieceBefore(all.subarray(pos), end - pos)) end = Math.max(pos, all.lastIndexOf(NL, end - 2) + 1);
      if (end <= pos) break;
      // Before a line that cannot continue a stack: the last in the chunk, else (the chunk is one log
      // line's stack) the first after it within two chunks, waited for while the bytes are not there.
      const back = lastCleanCut(all, pos, end, all.length);
      if (back > pos) end = back;
      else {
        const bound = pos + 2 * this.target;
        const ahead = nextCleanCut(all, end, Math.min(all.length, bound));
        if (ahead > 0) end = ahead;
        else if (all.length < bound) break;
      }
      const bytes = all.subarray(pos, end);
      const lines = countNewlines(bytes);
      out.push({ bytes, firstLine: this.nextLine, lines });
      this.nextLine += lines;
      pos = end;
    }
    const rest = all.subarray(pos);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    this.longLine = rest.length >= this.target && rest.indexOf(NL) < 0;
  }

  /**
   * An incomplete line over the cap (plus one chunk of slack for partial pieces) is dropped; one that
   * opens a span document, over the document cap.
   */
  private guardOverlong(): void {
    if (this.pendingBytes <= this.maxLineBytes + this.target) return;
    if (this.pendingBytes <= this.maxDocumentBytes + this.target && this.pendingOpensDocument()) return;
    if (this.longLine) {
      this.drop();
      return;
    }
    const all = Buffer.concat(this.pending, this.pendingBytes);
    const lastNl = all.lastIndexOf(NL);
    if (lastNl >= 0) {
      // Whole lines are in there (a run of partial pieces): let them go as a chunk of their own next time.
      return;
    }
    this.drop();
  }

  /** Drop the pending line: its bytes so far, and the rest as it comes. */
  private drop(): void {
    this.dropping = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.longLine = false;
  }

  /** Does `pending`, one line, open a span document? Its first bytes decide (and a BOM at a source's start). */
  private pendingOpensDocument(): boolean {
    const head = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending.slice(0, OPENER_BYTES + 3), Math.min(this.pendingBytes, OPENER_BYTES + 3));
    return opensSpanDocument(head, 0, Math.min(head.length, OPENER_BYTES + 3));
  }

  private finishDrop(bytes: number): void {
    this.overlong.push({ line: this.nextLine, bytes });
    this.nextLine++;
    this.dropping = -1;
  }
}

export function countNewlines(b: Buffer): number {
  let n = 0;
  let i = b.indexOf(NL);
  while (i >= 0) {
    n++;
    i = b.indexOf(NL, i + 1);
  }
  return n;
}

/** Is the line [from, to) a CRI 'P' piece or a Docker json-file piece without its "\n"? (continuation.ts) */
export { isPartialPiece };
