import type { Entry } from '../entries/entry.js';
import { EntryNormalizer, type NormalizeOptions } from '../entries/normalize-entry.js';
import { isSpanDocument, readSpanDocument, type FormatResult } from '../formats/read-span-document.js';
import { readCollectorText } from '../formats/collector-text.js';
import { EnvelopeReader } from '../input/envelopes.js';
import { openSource, SourceError, type SourceSpec } from '../input/open-source.js';
import { LineSplitter } from '../input/split-lines.js';
import { Chunker, type Chunk } from '../input/chunker.js';
import { idLineFilter, idMarkers, markersIn } from './id-filter.js';
import { IngestStats } from './ingest-stats.js';

export interface IngestSink {
  /** Every log entry, with or without a trace id. */
  entry(entry: Entry): void;
  /** What a span-format line or document held (spans, and entries such as OTLP logs). */
  spans(result: FormatResult): void;
}

export interface IngestOptions {
  maxLineBytes: number;
  /** Whole-document JSON files (pretty-printed Jaeger or OTLP exports) are held up to this size. */
  maxDocumentBytes?: number;
  strict?: boolean;
  normalize?: NormalizeOptions;
  /**
   * Only lines that may hold this trace id (or prefix) are parsed; the others are counted as not
   * examined (see id-filter.ts). A string, not a function, so worker threads can rebuild the filter.
   */
  idQuery?: string;
  /** Size of the chunks a source is cut into (default 1 MiB); small values make tests split small inputs. */
  chunkBytes?: number;
  /** Aborted on Ctrl-C or a closed stdout: reading stops, what was read is kept. */
  signal?: AbortSignal;
}

/** `--strict`: the first line that is not a JSON object ends the run. */
export class StrictError extends Error {}

/** Where the chunks of a line-oriented source go: processed here (the default) or handed to workers. */
export interface ChunkHandler {
  chunk(chunk: Chunk, source: string): void | Promise<void>;
}

/**
 * Reads every source in turn (a source that cannot be read is recorded in the stats and the others are
 * still read) and hands entries and span data to the sink, counting every line.
 *
 * A source is read as a multi-line JSON document when its first line says so (a pretty-printed Jaeger or
 * OTLP export); otherwise it is cut into chunks of whole lines, which `handler` may process elsewhere.
 */
export async function ingest(
  sources: readonly SourceSpec[],
  sink: IngestSink,
  options: IngestOptions,
  stats = new IngestStats(),
  handler?: ChunkHandler,
): Promise<IngestStats> {
  const normalizer = new EntryNormalizer(options.normalize);
  const local: ChunkHandler = { chunk: (c, source) => processChunk(c, source, sink, options, stats, normalizer) };
  for (const spec of sources) {
    if (options.signal?.aborted) break;
    const chunker = new Chunker(options.maxLineBytes, options.chunkBytes);
    let documentPath: { splitter: LineSplitter; processor: SourceProcessor } | undefined;
    let collectorText: Buffer[] | undefined; // the collector's debug-exporter text, read whole
    let decided = false;
    let markers: string[] | undefined;
    const to = handler ?? local;
    try {
      const bytes = await openSource(spec);
      for await (const buf of bytes) {
        if (!decided) {
          decided = true;
          if (options.idQuery !== undefined) markers = markersIn(buf);
          if (buf.subarray(0, 15).toString('latin1') === 'ResourceSpans #') collectorText = [];
          else if (opensDocument(buf)) {
            const processor = new SourceProcessor(spec.name, sink, options, stats, normalizer, true);
            documentPath = { processor, splitter: new LineSplitter(processor, options.maxLineBytes) };
          }
        }
        if (collectorText) collectorText.push(buf);
        else if (documentPath) documentPath.splitter.push(buf);
        else {
          for (const c of chunker.push(buf)) {
            if (markers) c.markers = markers;
            await to.chunk(c, spec.name);
          }
        }
        if (options.signal?.aborted) break;
      }
    } catch (err) {
      if (err instanceof StrictError) throw err;
      stats.failedSources.push(err instanceof SourceError ? err.message : `${spec.name}: ${(err as Error).message}`);
    }
    if (collectorText) {
      readCollectorDump(Buffer.concat(collectorText).toString('utf8'), spec.name, sink, stats);
    } else if (documentPath) {
      documentPath.splitter.end();
      documentPath.processor.end();
    } else {
      const last = chunker.end();
      if (last && markers) last.markers = markers;
      if (last) await to.chunk(last, spec.name);
      for (const o of chunker.overlong) {
        stats.read++;
        skipLine(stats, options, `line over ${options.maxLineBytes} bytes (${o.bytes} bytes)`, spec.name, o.line);
      }
    }
  }
  if (options.signal?.aborted) stats.interrupted = true;
  return stats;
}

/** One chunk of whole lines, processed here: what a worker thread does with the chunks it is handed. */
export function processChunk(chunk: Chunk, source: string, sink: IngestSink, options: IngestOptions, stats: IngestStats, normalizer: EntryNormalizer): void {
  const processor = new SourceProcessor(source, sink, options, stats, normalizer, false);
  const needles = options.idQuery !== undefined ? idNeedles(options.idQuery, chunk.markers) : undefined;
  if (needles) return processChunkSparse(chunk, needles, processor, options, stats);
  const splitter = new LineSplitter(processor, options.maxLineBytes, chunk.firstLine);
  splitter.push(chunk.bytes);
  splitter.end();
  processor.end();
}

/**
 * One trace out of many: search the chunk's bytes for the id (and for what may carry it in another
 * spelling, see id-filter.ts) and decode only the lines that hold a match; the others are counted as
 * read and not examined without ever becoming strings. Buffer.indexOf runs at memory speed, so a command
 * on one trace costs a fraction of parsing the file.
 */
function processChunkSparse(chunk: Chunk, needles: readonly Buffer[], processor: SourceProcessor, options: IngestOptions, stats: IngestStats): void {
  const b = chunk.bytes;
  const starts = new Set<number>();
  for (const needle of needles) {
    for (let at = b.indexOf(needle); at >= 0; at = b.indexOf(needle, at + 1)) {
      starts.add(b.lastIndexOf(0x0a, at) + 1);
      const nl = b.indexOf(0x0a, at);
      if (nl < 0) break;
      at = nl; // one hit per line is enough: go on from the end of this one
    }
  }
  const ordered = [...starts].sort((x, y) => x - y);
  let pos = 0;
  let line = chunk.firstLine;
  let examined = 0;
  let i = 0;
  while (i < ordered.length) {
    const start = ordered[i++]!;
    if (start < pos) continue;
    for (let nl = b.indexOf(0x0a, pos); nl >= 0 && nl < start; nl = b.indexOf(0x0a, nl + 1)) line++;
    let end = b.indexOf(0x0a, start);
    if (end < 0) end = b.length;
    const bytes = end - start;
    examined++;
    // A BOM opens only a source's first line; the splitter drops it, and so must this path.
    const from = start === 0 && chunk.firstLine === 1 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : start;
    if (bytes > options.maxLineBytes) processor.tooLong(line, bytes);
    else processor.line(stripCr(b.toString('utf8', from, end)), line);
    pos = end + 1;
    line++;
    // A partial piece (CRI "P", Docker without "\n"): the piece after it is examined too.
    if (processor.waitingForRest && pos < b.length && (i >= ordered.length || ordered[i] !== pos)) {
      ordered.splice(i, 0, pos);
    }
  }
  processor.end();
  stats.read += chunk.lines - examined;
  stats.notExamined += chunk.lines - examined;
}

function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/** The byte strings whose presence makes a line worth decoding for this id query (see id-filter.ts). */
function idNeedles(query: string, present: readonly string[] | undefined): Buffer[] | undefined {
  return idMarkers(query, present)?.map((m) => Buffer.from(m, 'utf8'));
}

/**
 * The OpenTelemetry collector's debug exporter prints spans as indented text ("ResourceSpans #0",
 * "Trace ID : …"); such a file is read whole. Its lines count as used; what the reader could not use it
 * says in warnings.
 */
function readCollectorDump(text: string, source: string, sink: IngestSink, stats: IngestStats): void {
  const lines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const result = readCollectorText(text, source);
  stats.read += lines;
  stats.used += lines;
  stats.spans += result.spans.length;
  for (const w of result.warnings) stats.warn(w);
  sink.spans(result);
}

/** Does a source's first non-blank line open a multi-line JSON document? Decided on its first bytes. */
function opensDocument(first: Buffer): boolean {
  let i = 0;
  // Skip a BOM and blank lines.
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) i = 3;
  while (i < first.length && (first[i] === 0x20 || first[i] === 0x09 || first[i] === 0x0a || first[i] === 0x0d)) i++;
  const c = first[i];
  if (c !== 0x7b && c !== 0x5b) return false;
  const nl = first.indexOf(0x0a, i);
  const line = first.toString('utf8', i, nl < 0 ? Math.min(first.length, i + (1 << 16)) : nl).replace(/\r$/, '');
  return looksLikeDocumentStart(line);
}

function skipLine(stats: IngestStats, options: IngestOptions, reason: string, source: string, line: number): void {
  if (options.strict) throw new StrictError(`${source}:${line}: ${reason} (--strict)`);
  stats.skip(reason, source, line);
}

const DEFAULT_MAX_DOCUMENT = 512 * 1024 * 1024;

/** Lines of one source (or of one chunk of it) → entries and spans. */
export class SourceProcessor {
  private readonly envelopes: EnvelopeReader;
  private sniffing: boolean; // until the first non-blank line has told us what kind of file this is
  private readonly lineFilter: ((text: string) => boolean) | undefined;
  private doc: { lines: string[]; firstLine: number; bytes: number } | undefined;
  private lastPartialLine = 0;

  constructor(
    private readonly source: string,
    private readonly sink: IngestSink,
    private readonly options: IngestOptions,
    private readonly stats: IngestStats,
    private readonly normalizer: EntryNormalizer,
    sniff: boolean,
  ) {
    this.envelopes = new EnvelopeReader(options.maxLineBytes);
    this.sniffing = sniff;
    this.lineFilter = options.idQuery !== undefined ? idLineFilter(options.idQuery) : undefined;
  }

  /** A partial piece is waiting for the rest of its line. */
  get waitingForRest(): boolean {
    return this.envelopes.pending;
  }

  line(text: string, lineNo: number): void {
    this.stats.read++;
    if (this.doc) return this.holdForDocument(text, lineNo);
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0)) return this.skip('blank line', lineNo);
    if (this.sniffing) {
      this.sniffing = false;
      if (looksLikeDocumentStart(text)) return this.holdForDocument(text, lineNo);
    }
    // The piece that completes a partial line is always examined: the id may be in either half.
    if (this.lineFilter && !this.envelopes.pending && !this.lineFilter(text)) {
      this.stats.notExamined++;
      return;
    }
    const u = this.envelopes.unwrap(text);
    if (u.kind === 'partial') {
      this.stats.joined++;
      this.lastPartialLine = lineNo;
      return;
    }
    if (u.kind === 'tooLong') return this.skip(`line over ${this.options.maxLineBytes} bytes (${u.bytes} bytes)`, lineNo);
    this.handlePayload(u.payload, lineNo, u.info);
  }

  tooLong(lineNo: number, bytes: number): void {
    this.stats.read++;
    this.skip(`line over ${this.options.maxLineBytes} bytes (${bytes} bytes)`, lineNo);
  }

  end(): void {
    const dropped = this.envelopes.flushDropped();
    if (dropped > 0) {
      // Over-long partial pieces with no final piece: one line, skipped as too long.
      this.stats.joined--;
      this.skip(`line over ${this.options.maxLineBytes} bytes (${dropped} bytes)`, this.lastPartialLine);
    }
    const rest = this.envelopes.flush();
    if (rest !== undefined) {
      // Partial pieces with no final piece: their text is still a line of its own.
      this.stats.joined--;
      this.handlePayload(rest, this.lastPartialLine, undefined);
    }
    if (this.doc) this.finishDocument();
  }

  private handlePayload(payload: string, lineNo: number, info: Entry['envelope']): void {
    const c = payload.charCodeAt(0);
    if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) return this.skip('not JSON', lineNo);
    let value: unknown;
    try {
      value = JSON.parse(payload);
    } catch {
      return this.skip('not JSON', lineNo);
    }
    this.handleValue(value, lineNo, info);
  }

  private handleValue(value: unknown, lineNo: number, info: Entry['envelope']): void {
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
    else this.stats.withoutTrace++;
    this.sink.entry(entry);
  }

  private deliver(result: FormatResult): void {
    this.stats.spans += result.spans.length;
    for (const w of result.warnings) this.stats.warn(w);
    this.sink.spans(result);
  }

  private skip(reason: string, lineNo: number): void {
    if (reason === 'blank line') this.stats.skip(reason, this.source, lineNo);
    else skipLine(this.stats, this.options, reason, this.source, lineNo);
  }

  private holdForDocument(text: string, lineNo: number): void {
    if (!this.doc) this.doc = { lines: [], firstLine: lineNo, bytes: 0 };
    this.doc.lines.push(text);
    this.doc.bytes += text.length + 1;
    // NDJSON whose first line is broken: a second line that is a whole object on its own says so early,
    // before a large file is held in memory.
    if (this.doc.lines.length === 2 && parsesAsObject(text)) return this.replayAsLines();
    if (this.doc.bytes > (this.options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT)) this.replayAsLines();
  }

  private finishDocument(): void {
    const doc = this.doc!;
    let value: unknown;
    try {
      value = JSON.parse(doc.lines.join('\n'));
    } catch {
      return this.replayAsLines();
    }
    this.doc = undefined;
    const result = readSpanDocument(value, { source: this.source, line: doc.firstLine });
    if (result) {
      this.stats.used += doc.lines.length;
      this.deliver(result);
      return;
    }
    if (Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      // A JSON array of log records (some tools export logs that way): one entry per element.
      this.stats.used += doc.lines.length;
      for (const v of value) {
        const entry = this.normalizer.normalize(v as Record<string, unknown>, this.source, doc.firstLine);
        if (entry.traceId === undefined) this.stats.warn(`${this.source}:${doc.firstLine}: a record in the array has no trace id`);
        this.sink.entry(entry);
      }
      return;
    }
    for (let i = 0; i < doc.lines.length; i++) this.skip('JSON document that is not span data', doc.firstLine + i);
  }

  /** Not a document after all (or too big to hold): every held line is read on its own. */
  private replayAsLines(): void {
    const doc = this.doc!;
    this.doc = undefined;
    this.stats.read -= doc.lines.length;
    doc.lines.forEach((text, i) => this.line(text, doc.firstLine + i));
  }
}

/** A first line that opens JSON but does not parse alone is the start of a multi-line document. */
export function looksLikeDocumentStart(text: string): boolean {
  const t = text.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return false;
  // "[pod/api-…/api] …" (kubectl --prefix) opens with '[' but is no JSON: held as a document, the
  // whole file would sit in memory until its end. JSON after '[' or '{' starts with one of these.
  const next = t.slice(1).trimStart().charCodeAt(0);
  if (!Number.isNaN(next) && !isJsonStart(next, t[0] === '{')) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
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
