import type { Entry } from '../entries/entry.js';
import type { EntryNormalizer } from '../entries/normalize-entry.js';
import { FieldScanner, MAX_SHAPES } from '../entries/scan-fields.js';
import { idLikeFields } from '../entries/id-like-fields.js';
import { parseLogfmt } from '../entries/parse-logfmt.js';
import { parseTextLine } from '../entries/parse-text-line.js';
import { parseZapConsole } from '../entries/parse-zap-console.js';
import { continuesStack, MAX_STACK_CHARS, MAX_STACK_LINES } from '../entries/stack-lines.js';
import { isSpanDocument, readSpanDocument, SPAN_DOCUMENT_KEYS, SPAN_DOCUMENT_NEEDS, type FormatResult } from '../formats/read-span-document.js';
import { MAX_DOCUMENT_BYTES } from '../input/document-lines.js';
import { BINARY_REASON, looksBinary } from '../input/binary-lines.js';
import { opensLogLine, STACK_REACH } from '../input/continuation.js';
import { EnvelopeReader, stackKey, type PendingLine } from '../input/envelopes.js';
import { podFromPath } from '../input/pod-from-path.js';
import type { IngestStats } from './ingest-stats.js';
import { skipLine, type IngestOptions, type IngestSink } from './ingest-options.js';

const SCAN_MISSES = 16;
const SCAN_REST = 1024;

/** Lines of one source (or of one chunk of it) → entries and spans. */
export class SourceProcessor {
  private readonly envelopes: EnvelopeReader;
  private readonly scanner: FieldScanner | undefined;
  /** Lines in a row the scanner gave up on, and lines left to give JSON.parse straight away. */
  private scanMisses = 0;
  private scanRest = 0;
  /** 1 for the scanner's shapes whose keys alone showed they are no span data (maybeSpanDocument). */
  private readonly plainShapes = new Uint8Array(MAX_SHAPES);
  private readonly idLikeKey = (key: string): void => this.stats.idLikeKey(key);
  private sniffing: boolean; // until the first non-blank line has told us what kind of file this is
  private doc: HeldDocument | undefined;
  /**
   * Text and logfmt entries held until a line says whether a stack trace follows them, one per stack key
   * (the pod and container a prefix names, '' for none: envelopes.ts): a stack line joins the last line
   * of its own key, as lines of several pods interleave. An entry is delivered, with the continuation
   * lines joined to it (counted as stack-trace lines), when the next line of its key is not one, or
   * STACK_REACH lines after its last. In the order of their last lines: the first is the next to expire.
   */
  private readonly held = new Map<string, Held>();
  /** At most the last line of the first held entry: expire() looks at them only once it may be due. */
  private oldest = Infinity;
  /** The key of the last entry in `held` (a run of one pod's stack lines leaves the order as it is). */
  private tail: string | undefined;
  /** The stack key of the line being read. */
  private key = '';

  constructor(
    private readonly source: string,
    private readonly sink: IngestSink,
    private readonly options: IngestOptions,
    private readonly stats: IngestStats,
    private readonly normalizer: EntryNormalizer,
    sniff: boolean,
    /** The joining state of the file before this one, when this one is its next rotation (process-chunk.ts). */
    envelopes?: EnvelopeReader,
  ) {
    this.envelopes = envelopes ?? new EnvelopeReader(options.maxLineBytes, podFromPath(source));
    this.sniffing = sniff;
    this.scanner = options.scanFields === false || options.normalize?.keepFields === true ? undefined : scannerFor(normalizer);
  }

  /**
   * A line given as bytes b[start, end) (no LF, no final CR, no BOM). The common case — a bare JSON log
   * object with a trace id — is read from the bytes by the field scanner; every other line is decoded
   * and goes through line(), which gives the same result the long way (the scanner's contract).
   */
  lineBytes(b: Buffer, start: number, end: number, lineNo: number): void {
    const s = this.scanner;
    if (s !== undefined && this.doc === undefined && !this.sniffing && !this.envelopes.pending && !isDockerLine(b, start, end)) {
      if (this.held.size > 0) this.expire(lineNo);
      this.key = '';
      if (this.scanned(s, b, start, end, lineNo, undefined)) {
        this.stats.read++;
        return;
      }
    }
    this.line(b.toString('utf8', start, end), lineNo, s !== undefined ? b : undefined, start, end);
  }

  /**
   * The field scanner's reading of the JSON object at b[from, end), handed on as an entry; false when it
   * is no plain log line with a trace id, and JSON.parse must decide. After SCAN_MISSES such lines in a
   * row the next SCAN_REST go straight to JSON.parse: a file of span records (or of lines the scanner
   * leaves alone) would otherwise be read twice a line.
   */
  private scanned(s: FieldScanner, b: Buffer, from: number, end: number, lineNo: number, info: Entry['envelope']): boolean {
    if (b[from] !== 0x7b /* { */) return false;
    if (this.scanRest > 0) {
      this.scanRest--;
      return false;
    }
    if (s.scan(b, from, end) && !this.maybeSpanDocument(s)) {
      const entry = this.normalizer.normalizeFields(s, this.source, lineNo, info, this.sink.borrowsEntries === true);
      if (entry !== undefined) {
        if (this.held.size > 0) this.release(this.key);
        this.scanMisses = 0;
        this.stats.used++;
        this.sink.entry(entry);
        return true;
      }
    }
    if (++this.scanMisses >= SCAN_MISSES) {
      this.scanMisses = 0;
      this.scanRest = SCAN_REST;
    }
    return false;
  }

  /**
   * Could the line the scanner just read be span data? Exact when false (see SPAN_DOCUMENT_KEYS). When
   * its keys alone say no, they do for every line of its shape.
   */
  private maybeSpanDocument(s: FieldScanner): boolean {
    if (s.keys < 2) return true; // classify's Elastic APM test counts keys, which a partial record cannot
    // The keys alone decide: a line with wanted objects has them in its shell's shape.
    const shape = s.shape >= 0 ? s.shape : s.shellShape;
    if (shape >= 0 && this.plainShapes[shape] === 1) return false;
    for (let k = 0; k < s.count; k++) {
      if (SPAN_DOCUMENT_NEEDS.has(s.names[k]!)) return isSpanDocument(s.toObject());
    }
    if (shape >= 0) this.plainShapes[shape] = 1;
    return false;
  }

  /** A partial piece is waiting for the rest of its line. */
  get waitingForRest(): boolean {
    return this.envelopes.pending;
  }

  /** The joining state, for the next rotation of this file (process-chunk.ts). */
  get envelopeReader(): EnvelopeReader {
    return this.envelopes;
  }

  /**
   * One line's text. `b[start, end)`, when given, are its bytes: a payload behind an envelope prefix
   * (kubectl, timestamps, stern, CRI) is then read by the field scanner from there.
   */
  line(text: string, lineNo: number, b?: Buffer, start = 0, end = 0): void {
    this.stats.read++;
    if (this.doc) return this.holdForDocument(text, lineNo);
    if (this.envelopes.pending) this.unfinished(this.envelopes.takeUnfinished(lineNo));
    if (text.charCodeAt(0) === 0) {
      // logrotate's copytruncate leaves the writer at its old offset: the file opens with a hole of NUL
      // bytes (what the rotated file holds) and the writer's next line after it. The hole ends every stack.
      let k = 1;
      while (text.charCodeAt(k) === 0) k++;
      for (const key of [...this.held.keys()]) this.release(key);
      if (k === text.length) return this.skip('NUL bytes only (a hole left by copytruncate)', lineNo);
      text = text.slice(k);
      start += k;
    }
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0)) return this.skip('blank line', lineNo);
    if (this.sniffing) {
      this.sniffing = false;
      const first = sniffFirstLine(text);
      if (first === DOCUMENT_START) return this.holdForDocument(text, lineNo);
      // A span document on one line (a Jaeger /api/traces answer) was parsed to tell: not twice.
      if (first !== undefined && (Array.isArray(first) || isSpanDocument(first))) return this.handleValue(first, lineNo, undefined);
    }
    if (this.held.size > 0) this.expire(lineNo);
    const u = this.envelopes.unwrap(text, lineNo);
    this.key = u.kind === 'payload' ? stackKey(u.info) : '';
    if (u.kind === 'partial') {
      this.stats.joined++;
      return;
    }
    if (u.kind === 'tooLong') return this.skip(`line over ${this.options.maxLineBytes} bytes (${u.bytes} bytes)`, lineNo);
    // The payload's bytes start u.at bytes in when the prefix before it is ASCII (a char a byte).
    if (b !== undefined && u.at > 0 && isAscii(b, start, start + u.at) && this.scanned(this.scanner!, b, start + u.at, end, lineNo, u.info)) return;
    this.handlePayload(u.payload, lineNo, u.info);
  }

  tooLong(lineNo: number, bytes: number): void {
    this.stats.read++;
    // Its prefix is not read: it ends every stack (continuation.ts judges it by its text, a finer test).
    for (const key of [...this.held.keys()]) this.release(key);
    this.skip(`line over ${this.options.maxLineBytes} bytes (${bytes} bytes)`, lineNo);
  }

  /**
   * The source's last line was read. `continued`: the next rotation of this file is read next with this
   * processor's joining state, and its lines may finish the unfinished ones.
   */
  end(continued = false): void {
    if (!continued) this.unfinished(this.envelopes.takeUnfinished());
    for (const key of [...this.held.keys()]) this.release(key);
    if (this.doc) this.finishDocument();
  }

  /**
   * Partial pieces whose line got no final piece (the source ended, or PARTIAL_REACH lines passed): their
   * text is still a line of its own, counted at its last piece; pieces over the cap, a line skipped.
   */
  private unfinished(lines: readonly PendingLine[]): void {
    for (const p of lines) {
      this.stats.joined--;
      this.key = '';
      if (p.dropped > 0) this.skip(`line over ${this.options.maxLineBytes} bytes (${p.dropped} bytes)`, p.line);
      else this.handlePayload(p.text, p.line, undefined);
    }
  }

  private handlePayload(payload: string, lineNo: number, info: Entry['envelope']): void {
    const c = payload.charCodeAt(0);
    if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) return this.textLine(payload, lineNo, info);
    let value: unknown;
    try {
      value = JSON.parse(payload);
    } catch {
      return this.skip('not JSON', lineNo);
    }
    this.handleValue(value, lineNo, info);
  }

  /** `text`: the line a logfmt record was read from (binary data read as logfmt is skipped as binary). */
  private handleValue(value: unknown, lineNo: number, info: Entry['envelope'], holdable = false, text?: string): void {
    if (this.held.size > 0) this.release(this.key);
    if (Array.isArray(value) || isSpanDocument(value)) {
      const result = readSpanDocument(value, { source: this.source, line: lineNo });
      if (result) {
        this.stats.used++;
        this.deliver(result);
        return;
      }
      if (Array.isArray(value)) return this.skip('JSON array that is not span data', lineNo);
    }
    if (value === null || typeof value !== 'object') return this.skip('not a JSON object', lineNo);
    const entry = this.normalizer.normalize(value as Record<string, unknown>, this.source, lineNo, info);
    if (entry.traceId !== undefined) this.stats.used++;
    else if (text !== undefined && looksBinary(text)) return this.skip(BINARY_REASON, lineNo);
    else {
      this.stats.withoutTrace++;
      idLikeFields(value as Record<string, unknown>, this.idLikeKey);
    }
    if (holdable) this.hold(entry, lineNo);
    else this.sink.entry(entry);
  }

  /**
   * A line that is not JSON: a logfmt record or zap's console line with its JSON fields, read by the same
   * role table; else plain text with a trace
   * id where the common layouts put one (parse-text-line.ts); else skipped as not JSON.
   */
  private textLine(payload: string, lineNo: number, info: Entry['envelope']): void {
    const held = this.held.size > 0 ? this.held.get(this.key) : undefined;
    if (held !== undefined && continuesStack(payload, held.lines)) {
      this.stats.stack++;
      if (held.lines.length < MAX_STACK_LINES && held.chars + payload.length <= MAX_STACK_CHARS) {
        held.lines.push(payload);
        held.chars += payload.length + 1;
      } else held.dropped++;
      held.last = lineNo;
      if (this.key !== this.tail) {
        this.held.delete(this.key);
        this.held.set(this.key, held);
        this.tail = this.key;
      }
      return;
    }
    // Binary data is looked for only in a line no layout read with a trace id: the others cost nothing.
    const logfmt = parseLogfmt(payload);
    if (logfmt !== undefined) return this.handleValue(logfmt, lineNo, info, true, payload);
    const zap = parseZapConsole(payload);
    if (zap !== undefined) return this.handleValue(zap, lineNo, info, true);
    if (held !== undefined) this.release(this.key);
    const text = parseTextLine(payload);
    if (text === undefined) return this.skip(looksBinary(payload) ? BINARY_REASON : 'not JSON', lineNo);
    const entry = this.normalizer.normalize(text, this.source, lineNo, info);
    if (entry.traceId !== undefined) this.stats.used++;
    else if (looksBinary(payload)) return this.skip(BINARY_REASON, lineNo);
    else if (opensLogLine(payload)) this.stats.withoutTrace++;
    else return this.skip('not JSON', lineNo); // ids that did not parse, in text that is no log line
    this.hold(entry, lineNo);
  }

  private hold(entry: Entry, lineNo: number): void {
    this.held.set(this.key, { entry, lines: [], chars: 0, dropped: 0, last: lineNo });
    this.tail = this.key;
    if (lineNo < this.oldest) this.oldest = lineNo;
  }

  /** The entry held for `key`, if any, to the sink, with the stack joined to it. */
  private release(key: string): void {
    const held = this.held.get(key);
    if (held === undefined) return;
    this.held.delete(key);
    if (key === this.tail) this.tail = undefined;
    const { entry, lines, dropped } = held;
    if (lines.length > 0) entry.stack = lines.join('\n') + (dropped > 0 ? `\n… ${dropped} more lines` : '');
    this.sink.entry(entry);
  }

  /** The held entries whose last line is STACK_REACH lines or more before line `lineNo`, to the sink. */
  private expire(lineNo: number): void {
    if (lineNo - this.oldest < STACK_REACH) return;
    this.oldest = Infinity;
    for (const [key, held] of this.held) {
      if (lineNo - held.last < STACK_REACH) {
        this.oldest = held.last;
        return;
      }
      this.release(key);
    }
  }

  /** A held line is waiting for the lines that may continue it (the one-trace search reads the next line too). */
  get holdsLine(): boolean {
    return this.held.size > 0;
  }

  private deliver(result: FormatResult): void {
    if (this.held.size > 0) this.release(this.key);
    this.stats.spans += result.spans.length;
    for (const w of result.warnings) this.stats.warn(w);
    if (result.outOfRange) {
      this.stats.setAside('duration', result.outOfRange.duration);
      this.stats.setAside('time', result.outOfRange.time);
    }
    this.sink.spans(result);
  }

  private skip(reason: string, lineNo: number): void {
    // A line skipped for what it is ends a held line's stack, as any line that does not continue it:
    // the lines after it are its own (and a source cut before it reads them so: input/continuation.ts).
    if (reason !== 'blank line' && this.held.size > 0) this.release(this.key);
    if (reason === 'blank line') this.stats.skip(reason, this.source, lineNo);
    else skipLine(this.stats, this.options, reason, this.source, lineNo);
  }

  private holdForDocument(text: string, lineNo: number): void {
    if (!this.doc) this.doc = new HeldDocument(lineNo);
    const doc = this.doc;
    doc.add(text);
    // NDJSON whose first line is broken: a second line that is a whole object on its own says so early,
    // before a large file is held in memory.
    // A Jaeger trace object on a line of its own is a document's element (tracectl's export of one trace).
    if (doc.lines === 2 && !text.startsWith('{"traceID":') && parsesAsObject(text)) return this.replayAsLines();
    if (doc.bytes > (this.options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES)) this.replayAsLines();
  }

  private finishDocument(): void {
    const doc = this.doc!;
    let value: unknown;
    try {
      value = JSON.parse(doc.text());
    } catch {
      // Not JSON, or longer than a string can be: the lines are read one by one.
      return this.replayAsLines();
    }
    this.doc = undefined;
    const result = readSpanDocument(value, { source: this.source, line: doc.firstLine });
    if (result) {
      this.stats.used += doc.lines;
      this.deliver(result);
      return;
    }
    if (Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      // A JSON array of log records (some tools export logs that way): one entry per element.
      this.stats.used += doc.lines;
      for (const v of value) {
        const entry = this.normalizer.normalize(v as Record<string, unknown>, this.source, doc.firstLine);
        if (entry.traceId === undefined) this.stats.warn(`${this.source}:${doc.firstLine}: a record in the array has no trace id`);
        this.sink.entry(entry);
      }
      return;
    }
    for (let i = 0; i < doc.lines; i++) this.skip('JSON document that is not span data', doc.firstLine + i);
  }

  /** Not a document after all (or too big to hold): every held line is read on its own. */
  private replayAsLines(): void {
    const doc = this.doc!;
    this.doc = undefined;
    this.stats.read -= doc.lines;
    let lineNo = doc.firstLine;
    doc.eachLine((text) => this.line(text, lineNo++));
  }
}

interface Held {
  entry: Entry;
  lines: string[];
  chars: number;
  dropped: number;
  /** The number of its last line, its own or a stack line. */
  last: number;
}

/**
 * The lines of a source that may be one multi-line JSON document, held as text joined in pieces of a
 * bounded length: memory follows the bytes held, not the number of lines (120M blank lines held one
 * array slot each exceed what an array can grow to, and V8 aborts the process).
 */
class HeldDocument {
  /** Lines held, and their length with a separator each (UTF-16 units, as the splitter caps a document). */
  lines = 0;
  bytes = 0;
  private readonly pieces: string[] = [];
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(readonly firstLine: number) {}

  add(text: string): void {
    this.lines++;
    this.bytes += text.length + 1;
    this.pending.push(text);
    this.pendingChars += text.length + 1;
    if (this.pending.length >= PIECE_LINES || this.pendingChars >= PIECE_CHARS) this.seal();
  }

  /** The lines joined by LF; throws a RangeError past the longest string the engine makes. */
  text(): string {
    this.seal();
    return this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('\n');
  }

  /** Each held line in order. A piece is the LF-joined text of at least one line, and no line holds an LF. */
  eachLine(f: (text: string) => void): void {
    this.seal();
    for (const piece of this.pieces) {
      let from = 0;
      for (let nl = piece.indexOf('\n'); nl >= 0; nl = piece.indexOf('\n', from)) {
        f(piece.slice(from, nl));
        from = nl + 1;
      }
      f(piece.slice(from));
    }
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    this.pieces.push(this.pending.join('\n'));
    this.pending = [];
    this.pendingChars = 0;
  }
}

const PIECE_LINES = 4096;
const PIECE_CHARS = 1 << 20;

/** One scanner per normalizer: it wants the keys the normalizer and span-format detection read. */
const scanners = new WeakMap<EntryNormalizer, FieldScanner>();
function scannerFor(normalizer: EntryNormalizer): FieldScanner {
  let s = scanners.get(normalizer);
  if (s === undefined) {
    s = new FieldScanner([...normalizer.keysRead(), ...SPAN_DOCUMENT_KEYS.map((k): [string, unknown] => [k, undefined])]);
    scanners.set(normalizer, s);
  }
  return s;
}

function isAscii(b: Buffer, from: number, to: number): boolean {
  for (let x = from; x < to; x++) if (b[x]! >= 0x80) return false;
  return true;
}

const DOCKER_START = Buffer.from('{"log":');
/** A Docker json-file line (envelopes.ts unwraps it): its JSON is the envelope, not the log record. */
function isDockerLine(b: Buffer, start: number, end: number): boolean {
  if (end - start < DOCKER_START.length) return false;
  for (let x = 0; x < DOCKER_START.length; x++) if (b[start + x] !== DOCKER_START[x]) return false;
  return true;
}

/** A first line that opens JSON but does not parse alone is the start of a multi-line document. */
export function looksLikeDocumentStart(text: string): boolean {
  return sniffFirstLine(text) === DOCUMENT_START;
}

const DOCUMENT_START = Symbol('document start');

/**
 * What a source's first line is: the start of a multi-line document (DOCUMENT_START), the value it
 * parses to when it opens JSON and is whole, or undefined (no JSON).
 */
function sniffFirstLine(text: string): unknown {
  const t = text.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return undefined;
  // "[pod/api-…/api] …" (kubectl --prefix) opens with '[' but is no JSON: held as a document, the
  // whole file would sit in memory until its end. JSON after '[' or '{' starts with one of these.
  const next = t.slice(1).trimStart().charCodeAt(0);
  if (!Number.isNaN(next) && !isJsonStart(next, t[0] === '{')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return DOCUMENT_START;
  }
}


/** Can this char code come right after '{' (a key or '}') or '[' (any value or ']') in JSON? */
function isJsonStart(c: number, inObject: boolean): boolean {
  if (c === 0x22 /* " */) return true;
  if (inObject) return c === 0x7d /* } */;
  return (
    c === 0x7b || c === 0x5b || c === 0x5d /* { [ ] */ || c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39) ||
    c === 0x74 || c === 0x66 || c === 0x6e /* true false null */
  );
}

function parsesAsObject(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object';
  } catch {
    return false;
  }
}

