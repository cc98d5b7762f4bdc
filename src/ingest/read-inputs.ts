import { EntryNormalizer } from '../entries/normalize-entry.js';
import { CollectorTextReader } from '../formats/collector-text.js';
import type { FormatResult } from '../formats/format-result.js';
import { openSource, SourceError, type SourceSpec } from '../input/open-source.js';
import { BlockPool } from '../input/block-pool.js';
import { LineSplitter, type LineHandler } from '../input/split-lines.js';
import { MAX_DOCUMENT_BYTES } from '../input/document-lines.js';
import { Chunker, countNewlines, type Chunk, type LeadIn, type OverlongLine } from '../input/chunker.js';
import { lastCleanCut, partialPieceBefore } from '../input/continuation.js';
import { isNextRotation } from '../input/list-directory.js';
import { markersIn } from './id-filter.js';
import { IngestStats } from './ingest-stats.js';
import { skipLine, StrictError, type IngestOptions, type IngestSink } from './ingest-options.js';
import { processChunk } from './process-chunk.js';
import { looksLikeDocumentStart, SourceProcessor } from './source-processor.js';

export { StrictError, type IngestOptions, type IngestSink } from './ingest-options.js';
export { processChunk } from './process-chunk.js';

/** Where the chunks of a line-oriented source go: processed here (the default) or handed to workers. */
export interface ChunkHandler {
  chunk(chunk: Chunk, source: string): void | Promise<void>;
  /**
   * The chunk size wanted from now on, asked before each read (IngestOptions.chunkBytes otherwise): a
   * handler may settle on a size only once the first chunks have shown what the input holds.
   */
  chunkBytes?(): number;
  /**
   * Where a file's read blocks come from. The handler gives a chunk's block back (Chunk.owned) once
   * nothing reads it any more; the default handler does so after processing each chunk.
   */
  blocks?: BlockPool;
  /**
   * A line-oriented source was read to its end (or its window's, or until interrupted): `lines` lines,
   * over-long ones counted, in its first `bytes` bytes.
   */
  sourceEnd?(source: string, lines: number, bytes: number): void;
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
  const normalizer = new EntryNormalizer(options.normalize, stats);
  const blocks = handler?.blocks ?? new BlockPool();
  const local: ChunkHandler = {
    chunk(c, source) {
      processChunk(c, source, sink, options, stats, normalizer);
      if (c.owned) blocks.give(c.bytes.buffer as ArrayBuffer);
    },
  };
  // The last lines of the source before, handed to this source's first chunk (Chunk.leadIn).
  let leadIn: LeadIn | undefined;
  for (let i = 0; i < sources.length; i++) {
    const spec = sources[i]!;
    if (options.signal?.aborted) break;
    const sized = handler?.chunkBytes?.bind(handler);
    const chunker = new Chunker(options.maxLineBytes, sized?.() ?? options.chunkBytes, 1, options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES);
    let documentPath: { splitter: LineSplitter; processor: SourceProcessor } | undefined;
    let collectorText: ReturnType<typeof collectorTextLines> | undefined; // the collector's debug-exporter text
    let decided = false;
    let markers: string[] | undefined;
    let pushed = 0; // bytes given to the chunker
    const to = handler ?? local;
    const send = async (c: Chunk): Promise<void> => {
      if (leadIn !== undefined) c.leadIn = leadIn;
      leadIn = undefined;
      await to.chunk(c, spec.name);
    };
    try {
      const bytes = await openSource(spec, sized ?? options.chunkBytes, blocks);
      for await (const buf of untilAborted(bytes, options.signal)) {
        if (!decided) {
          decided = true;
          if (options.idQuery !== undefined) markers = markersIn(buf);
          if (buf.subarray(0, 15).toString('latin1') === 'ResourceSpans #') collectorText = collectorTextLines(spec.name, sink, stats, options);
          else if (opensDocument(buf)) {
            const processor = new SourceProcessor(spec.name, sink, options, stats, normalizer, true);
            documentPath = { processor, splitter: new LineSplitter(processor, options.maxLineBytes, 1, options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES) };
          }
        }
        if (collectorText) collectorText.push(buf);
        else if (documentPath) documentPath.splitter.push(buf);
        else {
          if (sized) chunker.resize(sized());
          pushed += buf.length;
          for (const c of chunker.push(buf)) {
            if (markers) c.markers = markers;
            if (spec.progress) spec.progress.lines += c.lines;
            const wait = options.pace?.();
            if (wait !== undefined) await wait;
            await send(c);
          }
        }
        if (options.signal?.aborted) break;
      }
    } catch (err) {
      if (err instanceof StrictError) throw err;
      stats.failedSources.push(err instanceof SourceError ? err.message : `${spec.name}: ${(err as Error).message}`);
    }
    // The source before gave a lead-in that no chunk of this one took (empty, unreadable, a document).
    if (leadIn !== undefined) await to.chunk(leadInChunk(leadIn), leadIn.source);
    leadIn = undefined;
    if (collectorText) {
      collectorText.end();
    } else if (documentPath) {
      documentPath.splitter.end();
      documentPath.processor.end();
    } else {
      const last = chunker.end();
      if (last && markers) last.markers = markers;
      if (last && spec.progress) spec.progress.lines += last.lines;
      const next = sources[i + 1];
      const tail = last !== undefined && next !== undefined && !spec.stdin && !next.stdin && isNextRotation(spec.name, next.name) ? openTail(last) : undefined;
      if (last && tail?.head !== undefined) await send(tail.head);
      else if (last && tail === undefined) await send(last);
      if (tail !== undefined) leadIn = { ...tail.rest, source: spec.name };
      countOverlong(chunker.overlong, stats, options, spec.name);
      handler?.sourceEnd?.(spec.name, chunker.lines, pushed);
    }
  }
  if (leadIn !== undefined) await (handler ?? local).chunk(leadInChunk(leadIn), leadIn.source);
  if (!handler?.blocks) blocks.close(); // a handler's pool is the handler's to close
  if (options.signal?.aborted) stats.interrupted = true;
  return stats;
}

/**
 * A source's last chunk, when its last lines hold a partial piece still waiting for the rest of its line:
 * the lines before the last cut where none waits (`head`, none when there is no such cut), and the rest.
 */
function openTail(last: Chunk): { head?: Chunk; rest: Omit<LeadIn, 'source'> } | undefined {
  const b = last.bytes;
  if (!partialPieceBefore(b, b.length)) return undefined;
  const cut = Math.max(0, lastCleanCut(b, 0, b.lastIndexOf(0x0a, b.length - 2) + 1, b.length));
  const headLines = countNewlines(b.subarray(0, cut));
  // Copied: the head's block may go back to the pool (Chunk.owned) while the rest waits for the next source.
  const rest = { bytes: Buffer.from(b.subarray(cut)), firstLine: last.firstLine + headLines, lines: last.lines - headLines };
  if (cut === 0) return { rest };
  return { head: { ...last, bytes: b.subarray(0, cut), lines: headLines }, rest };
}

/** The lead-in of a source that gave no chunk, read as a chunk of its own source. */
function leadInChunk(lead: LeadIn): Chunk {
  return { bytes: lead.bytes, firstLine: lead.firstLine, lines: lead.lines };
}

/** Lines dropped for their length: read, and skipped with the reason. */
export function countOverlong(overlong: readonly OverlongLine[], stats: IngestStats, options: IngestOptions, source: string): void {
  for (const o of overlong) {
    stats.read++;
    skipLine(stats, options, `line over ${options.maxLineBytes} bytes (${o.bytes} bytes)`, source, o.line);
  }
}

/**
 * A source's chunks until it ends or the run is aborted. An abort (Ctrl-C) does not wait for the next
 * chunk: `kubectl logs -f | tracectl group` may sit on a silent pipe for minutes, and Ctrl-C must print
 * what was read at once.
 */
async function* untilAborted(bytes: AsyncIterable<Buffer>, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  if (!signal) {
    yield* bytes;
    return;
  }
  const it = bytes[Symbol.asyncIterator]();
  let pending = false; // a read left behind by an abort
  try {
    for (;;) {
      if (signal.aborted) return;
      const r = await nextOrAbort(it, signal);
      if (r === ABORTED) pending = true;
      if (r === ABORTED || r.done) return;
      yield r.value;
    }
  } finally {
    // End the source (its file) when stopped early, as a for-await would. Not waited for after an abort:
    // the read left behind may sit on a silent pipe, and Ctrl-C must not wait for it.
    const ended = it.return?.();
    if (pending) ended?.catch(() => undefined);
    else await ended;
  }
}

export const ABORTED = Symbol('aborted');

/**
 * The next chunk, or ABORTED when the signal fires first. Not Promise.race with one long-lived abort
 * promise: each race would leave a reaction on it holding that race's result, so every chunk read would
 * stay in memory (a 200 MB line peaked at 280 MB instead of 80 MB). The listener lives for one read. On
 * abort, data already buffered still wins if it arrives within the same turn.
 */
export function nextOrAbort<T>(it: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T> | typeof ABORTED> {
  return new Promise((resolve, reject) => {
    const onAbort = () => setImmediate(() => resolve(ABORTED));
    signal.addEventListener('abort', onAbort, { once: true });
    it.next().then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * The OpenTelemetry collector's debug exporter prints spans as indented text ("ResourceSpans #0",
 * "Trace ID : …"): read line by line under the line cap, handed on record by record. Its lines count as
 * used; what the reader could not use it says in warnings.
 */
function collectorTextLines(source: string, sink: IngestSink, stats: IngestStats, options: IngestOptions): { push(b: Buffer): void; end(): void } {
  const reader = new CollectorTextReader(source, (result: FormatResult) => {
    stats.spans += result.spans.length;
    for (const w of result.warnings) stats.warn(w);
    if (result.outOfRange) {
      stats.setAside('duration', result.outOfRange.duration);
      stats.setAside('time', result.outOfRange.time);
    }
    sink.spans(result);
  });
  const lines: LineHandler = {
    line(text, lineNo) {
      stats.read++;
      stats.used++;
      reader.line(text, lineNo);
    },
    tooLong(lineNo, bytes) {
      stats.read++;
      skipLine(stats, options, `line over ${options.maxLineBytes} bytes (${bytes} bytes)`, source, lineNo);
    },
  };
  const splitter = new LineSplitter(lines, options.maxLineBytes);
  return {
    push: (b) => splitter.push(b),
    end() {
      splitter.end();
      reader.end();
    },
  };
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

