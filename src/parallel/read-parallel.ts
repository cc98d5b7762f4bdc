import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { IngestStats } from '../ingest/ingest-stats.js';
import { ingest, type IngestOptions } from '../ingest/read-inputs.js';
import type { IngestSink } from '../ingest/ingest-options.js';
import { utf16Encoding, type SourceSpec } from '../input/open-source.js';
import { analysisFinisher, foldParts, rowsFinisher, summaryParts, type TraceFinisher } from './finish-traces.js';
import type { JobSpec } from './job.js';
import { CompletingCollector } from '../model/completing-collector.js';
import type { ThreadObserver } from './observer.js';
import { planThreads, type InputFacts, type ThreadLimits } from './plan-threads.js';
import { readSpans, readSummaries } from './read-threaded.js';

export { tailChunkBytes } from './plan-threads.js';

/** How many threads may read, and who watches (tests count; the process applies the plan's heap settings). */
export interface ReadSettings extends ThreadLimits {
  observer?: ThreadObserver;
  /** Tests (TRACECTL_HOLD_MAX_BYTES): HOLD_TO_THE_END_MAX_BYTES for this read. */
  holdToTheEndMaxBytes?: number;
}

/**
 * The largest input an analysis whose collector may hold its traces to the end (the default
 * --trace-timeout, D102) holds: ~0.9 byte of memory a byte of input on corpus a, so 512 MiB stays well
 * inside a 2 GB heap. Larger inputs complete their traces while reading, in bounded memory.
 */
export const HOLD_TO_THE_END_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Reads the sources for `job`, on as many threads as the plan gives (plan-threads.ts): on this thread
 * alone (readAlone: the reference), or shared with workers by the job's threaded reader (read-threaded.ts).
 * Both give the same answer, byte for byte; `job`'s rows or analysis are complete on return.
 */
export async function readInto(sources: readonly SourceSpec[], job: JobSpec, options: IngestOptions, settings: ReadSettings): Promise<IngestStats> {
  const facts = sources.map(inputFacts);
  const completing = job.kind === 'analysis' && job.collector instanceof CompletingCollector ? job.collector : undefined;
  // Holding every trace to the end keeps about the input's size in memory: past the bound, the traces
  // complete while reading, at the cost of reading the file in order (docs/DECISIONS.md, D115).
  if (completing?.mayHoldToTheEnd && facts.reduce((n, f) => n + f.bytes, 0) > (settings.holdToTheEndMaxBytes ?? HOLD_TO_THE_END_MAX_BYTES)) {
    completing.mayHoldToTheEnd = false;
  }
  const completes = completing !== undefined && !completing.mayHoldToTheEnd;
  const plan = planThreads(facts, { kind: job.kind, strict: options.strict === true, ...(completes ? { completes } : {}), ...(completing ? { lettingGo: true } : {}) }, settings);
  settings.observer?.planned?.(plan);
  const reading = readingOf(job);
  if (plan.reader === 'alone') return readAlone(sources, reading.collector, reading.end, plan.chunkBytes !== undefined ? { ...options, chunkBytes: options.chunkBytes ?? plan.chunkBytes } : options);
  if (plan.reader === 'summaries' && reading.kind === 'summaries') return readSummaries(sources, reading, options, plan, settings.observer);
  if (plan.reader === 'spans' && reading.kind !== 'summaries') return readSpans(sources, reading.collector, reading.kind === 'analysis' ? reading : undefined, options, plan, settings.observer);
  throw new Error(`no ${plan.reader} reader for a ${job.kind} job`);
}

/** One thread: every chunk processed here, then the job's traces finished (rows made, analysis run). */
async function readAlone(sources: readonly SourceSpec[], collector: IngestSink, end: TraceFinisher | undefined, options: IngestOptions): Promise<IngestStats> {
  const stats = await ingest(sources, collector, options, new IngestStats());
  end?.finish();
  return stats;
}

/** A job's collector, and for a job whose traces are finished where whole, their parts and what finishes them. */
function readingOf(job: JobSpec) {
  switch (job.kind) {
    case 'summaries':
      return { kind: job.kind, collector: job.collector, parts: summaryParts(job.collector), end: rowsFinisher(job.rows, job.collector) };
    case 'analysis':
      return { kind: job.kind, collector: job.collector, parts: foldParts(job.collector), end: analysisFinisher(job.analyzer, job.collector) };
    case 'traces':
      return { kind: job.kind, collector: job.collector, end: undefined };
  }
}

/**
 * What is known of a source before reading: a regular file's size (stdin and what cannot be stat'ed
 * count 0), and whether that is all it holds — not for a pipe, what cannot be read, gzip (its size on
 * disk says little of what it holds) or UTF-16 (decoded as it is read: a part read from the middle of the
 * file would not be).
 */
function inputFacts(s: SourceSpec): InputFacts {
  if (s.stdin) return { bytes: 0, sizeKnown: false };
  try {
    const st = statSync(s.name);
    if (!st.isFile()) return { bytes: 0, sizeKnown: false };
    return { bytes: st.size, sizeKnown: !isEncoded(s.name) };
  } catch {
    return { bytes: 0, sizeKnown: false }; // the reader reports it
  }
}

/** Is the file gzip, or UTF-16 (open-source.ts reads both through a decoder)? */
function isEncoded(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n >= 2 && ((head[0] === 0x1f && head[1] === 0x8b) || utf16Encoding(head.subarray(0, n)) !== undefined);
  } finally {
    closeSync(fd);
  }
}
