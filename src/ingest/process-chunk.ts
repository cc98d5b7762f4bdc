import type { EntryNormalizer } from '../entries/normalize-entry.js';
import type { Chunk, LeadIn } from '../input/chunker.js';
import type { EnvelopeReader } from '../input/envelopes.js';
import { capFor } from '../input/document-lines.js';
import { overCap } from '../input/split-lines.js';
import { idMarkers } from './id-filter.js';
import type { IngestStats } from './ingest-stats.js';
import type { IngestOptions, IngestSink } from './ingest-options.js';
import { SourceProcessor } from './source-processor.js';

/** One chunk of whole lines, processed here: what a worker thread does with the chunks it is handed. */
export function processChunk(chunk: Chunk, source: string, sink: IngestSink, options: IngestOptions, stats: IngestStats, normalizer: EntryNormalizer): void {
  let carried: EnvelopeReader | undefined;
  if (chunk.leadIn !== undefined) {
    // The previous rotation's last lines, whose partial pieces this file's first lines may finish.
    const lead = new SourceProcessor(chunk.leadIn.source, sink, options, stats, normalizer, false);
    processChunkLines(chunk.leadIn, lead, options, true);
    carried = lead.envelopeReader;
    carried.nextFile();
  }
  const processor = new SourceProcessor(source, sink, options, stats, normalizer, false, carried);
  const needles = options.idQuery !== undefined ? idNeedles(options.idQuery, chunk.markers) : undefined;
  if (needles) return processChunkSparse(chunk, needles, processor, options, stats);
  processChunkLines(chunk, processor, options);
}

/**
 * Every line of the chunk, cut at LF on the bytes: the processor reads most lines without decoding them
 * (SourceProcessor.lineBytes). The lines are the ones LineSplitter would give — same numbers, CR and BOM
 * removed, a last line without LF — and lines long enough to be near the cap take LineSplitter's own
 * test, which counts the decoded text.
 */
function processChunkLines(chunk: Chunk | LeadIn, processor: SourceProcessor, options: IngestOptions, continued = false): void {
  const b = chunk.bytes;
  const n = b.length;
  const nearCap = options.maxLineBytes / 3; // up to here even 3 bytes a UTF-16 unit cannot pass the cap
  let line = chunk.firstLine;
  let pos = line === 1 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (pos < n) {
    let nl = b.indexOf(0x0a, pos);
    if (nl < 0) nl = n;
    const end = nl > pos && b[nl - 1] === 0x0d ? nl - 1 : nl;
    if (end - pos <= nearCap) processor.lineBytes(b, pos, end, line);
    else {
      // A line that opens a span document has the document cap (document-lines.ts); the chunker let
      // it through whole.
      const text = b.toString('utf8', pos, end);
      if (overCap(text, capFor(options, b, pos, end))) processor.tooLong(line, Buffer.byteLength(text));
      else processor.line(text, line);
    }
    line++;
    pos = nl + 1;
  }
  processor.end(continued);
}

/**
 * One trace out of many: search the chunk's bytes for the id (and for what may carry it in another
 * spelling, see id-filter.ts) and decode only the lines that hold a match; the others are counted as
 * read and not examined without ever becoming strings. Buffer.indexOf runs at memory speed, so a command
 * on one trace costs a fraction of parsing the file.
 */
function processChunkSparse(chunk: Chunk, needles: readonly Buffer[], processor: SourceProcessor, options: IngestOptions, stats: IngestStats): void {
  const b = chunk.bytes;
  // The starts of the lines that hold a needle. One needle finds them in order, each once (the search
  // goes on from the end of each line found); several are merged through a set and sorted.
  const found: number[] = [];
  for (const needle of needles) {
    for (let at = b.indexOf(needle); at >= 0; at = b.indexOf(needle, at + 1)) {
      found.push(b.lastIndexOf(0x0a, at) + 1);
      const nl = b.indexOf(0x0a, at);
      if (nl < 0) break;
      at = nl; // one hit per line is enough: go on from the end of this one
    }
  }
  const ordered = needles.length === 1 ? found : [...new Set(found)].sort((x, y) => x - y);
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
    if (bytes > capFor(options, b, from, end)) processor.tooLong(line, bytes);
    else processor.line(stripCr(b.toString('utf8', from, end)), line);
    pos = end + 1;
    line++;
    // A partial piece (CRI "P", Docker without "\n"), or a text line that a stack trace may continue: the
    // line after it is examined too.
    if ((processor.waitingForRest || processor.holdsLine) && pos < b.length && (i >= ordered.length || ordered[i] !== pos)) {
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

