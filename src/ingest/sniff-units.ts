import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { constants, gunzipSync } from 'node:zlib';
import { CONVENTIONS, NESTED_SCOPES } from '../entries/conventions.js';
import { parseUnitName, unitInName, type DecidedUnit, type DurationUnit, type UnitTable } from '../entries/duration-unit.js';
import { entryTime } from '../model/spans-from-entries.js';
import { openSource, type SourceSpec } from '../input/open-source.js';
import { IngestStats } from './ingest-stats.js';
import type { IngestOptions, IngestSink } from './ingest-options.js';
import { ABORTED, ingest, nextOrAbort, processChunk } from './read-inputs.js';
import { EntryNormalizer, type NormalizeNotes } from '../entries/normalize-entry.js';
import { UnitEvidence } from './unit-evidence.js';

/**
 * Duration units decided from the head of the input, before it is read (unit-evidence.ts has the rule):
 * each source's first HEAD_LINES lines (at most HEAD_BYTES, and SNIFF_BUDGET over all sources) are read
 * as the real reading reads them — same envelopes, services, ids and times — into the evidence, which
 * then fixes one unit per (service, field) for every line, on every thread. A (service, field) first seen
 * after the head keeps the field conventions.
 *
 * Costs nothing to speak of where no field can be decided: a source whose first PEEK_BYTES name none of
 * the decidable duration fields (`duration`, `latency`, … but not `duration_ms`) is not sniffed. A file is
 * read again from its start by the real reading (its head is in the page cache by then); standard input
 * cannot be, so its head — the first chunk and what is buffered behind it, no waiting for more — is held
 * and handed on first: nothing is lost or read twice. A FIFO is not sniffed.
 */
export const HEAD_LINES = 20_000;
export const HEAD_BYTES = 1 << 20;
export const PEEK_BYTES = 128 << 10;
export const SNIFF_BUDGET = 32 << 20;
/**
 * The head is read in slices of this many lines, and no further once every (service, field) seen has
 * SETTLED_SPANS spans of evidence and the last slice showed none new: enough to decide, and a log of few
 * fields costs a few thousand lines.
 */
export const SLICE_LINES = 2_000;
export const SETTLED_SPANS = 100;
/** Compressed bytes of a held gzip stdin head decoded for the sniff (gzip packs logs ~10:1). */
const GZIP_HEAD_BYTES = 1 << 20;

export interface Sniffed {
  /** The sources to read: as given, but standard input replaced by one that hands on its held head first. */
  sources: SourceSpec[];
  units: UnitTable;
}

/**
 * `firstChunk` (--follow): standard input's first chunk only, whatever it holds.
 */
export async function sniffUnits(sources: readonly SourceSpec[], options: IngestOptions, firstChunk = false): Promise<Sniffed> {
  const needles = decidableKeys(options);
  const evidence = new UnitEvidence();
  const sliced = { bytes: 0 };
  const out: SourceSpec[] = [];
  const heads: SourceSpec[] = [];
  let budget = SNIFF_BUDGET;
  for (const spec of sources) {
    if (budget <= 0 || options.signal?.aborted) {
      out.push(spec);
      continue;
    }
    let head: Buffer | undefined;
    if (spec.stdin) {
      const held = await holdHead(spec.stdin, firstChunk, options.signal);
      // The generator itself: Readable.from would pull a chunk ahead, which a Ctrl-C then leaves unread.
      out.push({ ...spec, stdin: held.replay() });
      head = decoded(held.bytes);
    } else {
      out.push(spec);
      head = await fileHead(spec.name, needles);
    }
    // A file's head was peeked at as it was read; a short one (under PEEK_BYTES) is looked at here.
    if (head === undefined || ((spec.stdin !== undefined || head.length < PEEK_BYTES) && !mentions(head.subarray(0, PEEK_BYTES), needles))) continue;
    head = linesUpTo(head.subarray(0, budget), HEAD_LINES);
    budget -= head.length;
    // The generator itself, not Readable.from of it: a stream pulls ahead, and each slice must be asked
    // for only once the one before has been read into the evidence (the reading takes any async iterable).
    heads.push({ name: spec.name, stdin: slices(head, evidence, sliced) });
  }
  if (heads.length > 0) await readHeads(heads, options, evidence, sliced);
  return { sources: out, units: withoutConventional(evidence.decide(), options) };
}

/**
 * A head in slices of SLICE_LINES lines, until the evidence is settled and the slice before brought no
 * new (service, field): one that first shows up late is still given a slice to gather evidence in.
 */
async function* slices(head: Buffer, evidence: UnitEvidence, sliced: { bytes: number }): AsyncGenerator<Buffer> {
  let fields = -1;
  for (let at = 0; at < head.length; ) {
    if (at > 0 && evidence.fields === fields && evidence.settled(SETTLED_SPANS)) return;
    fields = evidence.fields;
    const slice = linesUpTo(head.subarray(at), SLICE_LINES);
    at += slice.length;
    sliced.bytes = slice.length; // the chunk size for it: the slice is read whole before the next is asked for
    yield slice;
  }
}

/** The heads' lines through the real reading (one normalizer for all), into the evidence. */
async function readHeads(heads: SourceSpec[], options: IngestOptions, evidence: UnitEvidence, sliced: { bytes: number }): Promise<void> {
  // The durations of lines whose entries are still to come, by line, all of one source: a line's duration
  // is read before its entry is handed on (the first line of a source, for one, waits for the source's
  // kind to be decided).
  const pending = new Map<number, { service: string; field: string; value: number; prior: DurationUnit }>();
  let pendingSource = '';
  const stats = new IngestStats();
  const notes = stats as IngestStats & NormalizeNotes;
  notes.durationRead = (source, line, service, field, value, prior) => {
    if (source !== pendingSource) {
      pending.clear(); // what a source left (a line held at its end) is not the next one's
      pendingSource = source;
    }
    pending.set(line, { service, field, value, prior });
  };
  const sink: IngestSink = {
    entry(e) {
      const p = e.source === pendingSource ? pending.get(e.line) : undefined;
      if (p !== undefined) pending.delete(e.line);
      const t = entryTime(e);
      if (e.traceId === undefined || t === undefined) return;
      const span = e.spanId ?? e.service ?? 'unknown';
      evidence.line(e.traceId, span, t);
      if (p !== undefined) evidence.duration(e.traceId, span, p.service, p.field, t, p.value, p.prior);
    },
    spans() {},
  };
  const sniffOptions: IngestOptions = {
    maxLineBytes: options.maxLineBytes,
    normalize: { ...options.normalize, keepFields: false, durationUnits: undefined },
  };
  if (options.maxDocumentBytes !== undefined) sniffOptions.maxDocumentBytes = options.maxDocumentBytes;
  if (options.scanFields !== undefined) sniffOptions.scanFields = options.scanFields;
  const normalizer = new EntryNormalizer(sniffOptions.normalize, notes);
  await ingest(heads, sink, sniffOptions, notes, {
    chunk: (c, source) => processChunk(c, source, sink, sniffOptions, notes, normalizer),
    chunkBytes: () => Math.max(1, sliced.bytes),
  });
}

/** The last key of every duration path the timestamps may decide, as JSON (`"latency"`) and logfmt (`latency=`) write it. */
function decidableKeys(options: IngestOptions): Buffer[] {
  const paths = CONVENTIONS.filter((r) => r.role === 'duration' && !unitInName(r.path)).map((r) => r.path);
  for (const r of options.normalize?.fieldOverrides ?? []) if (r.role === 'duration' && r.how === 'plain' && !unitInName(r.path)) paths.push(r.path);
  const keys = new Set(paths.map((p) => p.slice(p.lastIndexOf('.') + 1)));
  return [...keys].flatMap((k) => [Buffer.from(`"${k}"`), Buffer.from(`${k}=`)]);
}

function mentions(bytes: Buffer, needles: readonly Buffer[]): boolean {
  return needles.some((n) => bytes.includes(n));
}

/** Up to the end of the n-th line, or of the last whole line (all of it when no line ends). */
function linesUpTo(head: Buffer, lines: number): Buffer {
  let pos = 0;
  for (let n = 0; n < lines; n++) {
    const nl = head.indexOf(0x0a, pos);
    if (nl < 0) return head.subarray(0, pos > 0 ? pos : head.length);
    pos = nl + 1;
  }
  return head.subarray(0, pos);
}

/**
 * A regular file's first bytes as the reading will see them (gunzipped): PEEK_BYTES first, and up to
 * HEAD_BYTES only when they name a decidable field. Undefined when they name none, and for what is not a
 * regular file or cannot be read (the reading reports it).
 */
async function fileHead(name: string, needles: readonly Buffer[]): Promise<Buffer | undefined> {
  try {
    if (!(await stat(name)).isFile()) return undefined;
    let size = PEEK_BYTES;
    const bytes = await openSource({ name }, () => size);
    // One buffer, filled by TypedArray.set (a memory copy; the blocks go back to the reader's pool):
    // Buffer.from and Buffer.concat of the blocks cost ~0.3 s for 4 MiB.
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    let have = 0;
    let peeked = false;
    for await (const b of bytes) {
      const n = Math.min(b.length, HEAD_BYTES - have);
      head.set(n === b.length ? b : b.subarray(0, n), have);
      have += n;
      if (have >= HEAD_BYTES) break;
      if (have >= PEEK_BYTES && !peeked) {
        peeked = true;
        if (!mentions(head.subarray(0, PEEK_BYTES), needles)) return undefined;
      }
      size = 1 << 20;
    }
    return head.subarray(0, have);
  } catch {
    return undefined;
  }
}

interface Held {
  bytes: Buffer;
  replay(): AsyncGenerator<Buffer>;
}

/**
 * Standard input's first chunk and what has come after it already (up to HEAD_BYTES), held, and a
 * stream that hands them on and then the rest. An abort (Ctrl-C) stops the wait for the first chunk;
 * the reading then reads nothing more either, and nothing was held.
 */
async function holdHead(stdin: Readable | AsyncIterable<Buffer>, firstChunk: boolean, signal: AbortSignal | undefined): Promise<Held> {
  const it = (stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let have = 0;
  let done = false;
  let failed: { err: unknown } | undefined; // handed on to the reading, which reports it
  while (have < HEAD_BYTES) {
    let r: IteratorResult<Buffer | string> | typeof ABORTED;
    try {
      r = signal ? await nextOrAbort(it, signal) : await it.next();
    } catch (err) {
      failed = { err };
      break;
    }
    if (r === ABORTED) break;
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    held.push(b);
    have += b.length;
    // No wait for more than has come: a live pipe (`kubectl logs -f | …`) must be read, shown in the
    // progress line and stopped by Ctrl-C as it comes, not held until HEAD_BYTES arrive.
    if (firstChunk || !(stdin instanceof Readable) || stdin.readableLength === 0) break;
  }
  return {
    bytes: Buffer.concat(held),
    async *replay() {
      yield* held;
      if (failed) throw failed.err;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      }
    },
  };
}

/** A held head as the reading will see it: gunzipped (as far as the held bytes go) when it is gzip. */
function decoded(raw: Buffer): Buffer | undefined {
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw.subarray(0, GZIP_HEAD_BYTES), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/**
 * A decided unit that the field's conventional unit already gives (pino-http's `responseTime` in ms,
 * Traefik's `Duration` in ns) changes no duration: it is left out, so that those lines pay no lookup and the
 * report repeats nothing the field's name already says. Not for a field the user named with --field.
 */
function withoutConventional(table: Map<string, DecidedUnit>, options: IngestOptions): Map<string, DecidedUnit> {
  const named = new Set((options.normalize?.fieldOverrides ?? []).filter((r) => r.role === 'duration').map((r) => r.path));
  for (const [key, d] of table) {
    const field = key.slice(key.lastIndexOf('\u0000') + 1);
    if (!named.has(field) && conventionalUnit(field) === d.unit) table.delete(key);
  }
  return table;
}

/** The unit the duration conventions give `path` (at the top level or in a nested scope), if they name one. */
function conventionalUnit(path: string): DurationUnit | undefined {
  for (const rule of CONVENTIONS) {
    if (rule.role !== 'duration' || (rule.path !== path && !NESTED_SCOPES.some((scope) => scope + rule.path === path))) continue;
    return parseUnitName(rule.how);
  }
  return undefined;
}
