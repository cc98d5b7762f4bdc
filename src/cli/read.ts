import type { IngestStats } from '../ingest/ingest-stats.js';
import type { IngestOptions } from '../ingest/ingest-options.js';
import type { JobSpec } from '../parallel/job.js';
import { readInto } from '../parallel/read-parallel.js';
import { withDecidedUnits } from './decided-units.js';
import { renderIngestReport } from '../render/ingest-report.js';
import type { TraceFilter } from '../analyze/filters.js';
import type { Io } from './io.js';
import { showProgress } from './progress.js';
import { ingestOptionsFrom, sourcesFrom, timeArg, type CommonFlags } from './options.js';

/**
 * Read every input for `job` (whose collector it fills; worker threads make their own of the same kind)
 * on --threads threads. `idQuery`: parse only lines that may hold this trace id. Report with `report()`.
 */
export async function readAll(inputs: readonly string[], flags: CommonFlags, io: Io, job: JobSpec, idQuery?: string, keepFields = false, pace?: IngestOptions['pace']): Promise<IngestStats> {
  const options = ingestOptionsFrom(flags, io);
  if (pace !== undefined) options.pace = pace;
  const sources = await withDecidedUnits(sourcesFrom(inputs, io), options);
  // Only commands that show log lines keep their other fields: it takes JSON.parse, not the field scanner.
  if (keepFields) options.normalize = { ...options.normalize, keepFields: true };
  // TRACECTL_PARSE_ALL: every line through JSON.parse, even for one trace and for plain log lines (the
  // reference the byte search and the field scanner are held to, in tests).
  if (io.env.TRACECTL_PARSE_ALL) options.scanFields = false;
  else if (idQuery !== undefined) options.idQuery = idQuery;
  // Knobs for tests of the threaded path on small inputs (DEVELOPERS.md); not flags, not for users.
  const chunkBytes = Number(io.env.TRACECTL_CHUNK_BYTES);
  if (chunkBytes > 0) options.chunkBytes = chunkBytes;
  const after = io.env.TRACECTL_THREADS_AFTER_BYTES;
  if (io.env.TRACECTL_HOLD_FOR_TAKE_OVER) options.holdForTakeOver = true;
  const holdMax = io.env.TRACECTL_HOLD_MAX_BYTES;
  const hideProgress = showProgress(io, sources, flags.quiet ?? false);
  let stats: IngestStats;
  try {
    stats = await readInto(sources, job, options, {
      // As many threads as cores (the default): once the workers run, each core runs one of ours.
      threads: flags.threads ?? io.threads,
      cores: io.threads,
      ...(after !== undefined ? { startAfterBytes: Number(after) } : {}),
      ...(holdMax !== undefined ? { holdToTheEndMaxBytes: Number(holdMax) } : {}),
      ...(io.threadObserver ? { observer: io.threadObserver } : {}),
    });
  } finally {
    hideProgress();
  }
  stats.sources = sources.length;
  return stats;
}

export function report(stats: IngestStats, traces: number, inputs: readonly string[], flags: CommonFlags, io: Io): void {
  if (!flags.quiet || stats.failedSources.length > 0 || stats.interrupted) {
    const text = renderIngestReport(stats, traces, stats.sources ?? Math.max(1, inputs.length));
    io.stderr.write(flags.quiet ? text.split('\n').filter((l) => !l.includes('lines read') && !/^tracectl:\s{3}/.test(l)).join('\n') : text);
  }
}

export function filterFrom(flags: CommonFlags, io: Io): TraceFilter {
  const f: TraceFilter = {};
  if (flags.service !== undefined) f.service = flags.service;
  if (flags.errors) f.errorsOnly = true;
  const since = timeArg(flags.since, io.now(), '--since');
  const until = timeArg(flags.until, io.now(), '--until');
  if (since !== undefined) f.since = since;
  if (until !== undefined) f.until = until;
  if (flags.minDuration !== undefined) f.minDuration = flags.minDuration;
  return f;
}

/** Exit code after reading: 2 when a source failed, else 0 with results or 1 without. */
export function exitCode(stats: IngestStats, hadResults: boolean): number {
  if (stats.interrupted) return 130;
  if (stats.failedSources.length > 0) return 2;
  return hadResults ? 0 : 1;
}
