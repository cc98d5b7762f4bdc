import type { Entry } from '../entries/entry.js';
import type { NormalizeOptions } from '../entries/normalize-entry.js';
import type { FormatResult } from '../formats/read-span-document.js';
import type { IngestStats } from './ingest-stats.js';

export interface IngestSink {
  /** Every log entry, with or without a trace id. */
  entry(entry: Entry): void;
  /**
   * True when entry() reads what it needs and keeps no reference to the entry (group's summaries): the
   * entries read by the field scanner are then one object filled anew for every line, not a new one each.
   */
  readonly borrowsEntries?: boolean;
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
  /**
   * Read plain JSON log lines with the field scanner (entries/scan-fields.ts) instead of JSON.parse;
   * default true. Off only to check that both give the same answers.
   */
  scanFields?: boolean;
  /** Size of the chunks a source is cut into (default 1 MiB); small values make tests split small inputs. */
  chunkBytes?: number;
  /**
   * Tests only: when one file is split into parts for threads, this thread waits after the split until
   * the first worker has read its part and taken over all it will of this thread's (steal-range.ts), so
   * that the take-over happens, and the same way every run.
   */
  holdForTakeOver?: boolean;
  /** Aborted on Ctrl-C or a closed stdout: reading stops, what was read is kept. */
  signal?: AbortSignal;
  /**
   * Asked before each chunk of a line-oriented source is processed; reading waits for the promise it
   * returns (export --to: until what completed traces are held has gone to the senders).
   */
  pace?: () => Promise<void> | undefined;
}

/** `--strict`: the first line that is not a JSON object ends the run. */
export class StrictError extends Error {}

/** Count a skipped line, or under --strict end the run with its place. */
export function skipLine(stats: IngestStats, options: IngestOptions, reason: string, source: string, line: number): void {
  if (options.strict) throw new StrictError(`${source}:${line}: ${reason} (--strict)`);
  stats.skip(reason, source, line);
}

