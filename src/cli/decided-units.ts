import type { IngestOptions } from '../ingest/ingest-options.js';
import { sniffUnits } from '../ingest/sniff-units.js';
import type { SourceSpec } from '../input/open-source.js';

/**
 * Decides duration units from the head of `sources` (ingest/sniff-units.ts) into `options.normalize`, for
 * every thread to read with; returns the sources to read (standard input's held head handed on first).
 * `firstChunk` (--follow): standard input's first chunk only.
 */
export async function withDecidedUnits(sources: SourceSpec[], options: IngestOptions, firstChunk = false): Promise<SourceSpec[]> {
  const sniffed = await sniffUnits(sources, options, firstChunk);
  if (sniffed.units.size > 0) options.normalize = { ...options.normalize, durationUnits: sniffed.units };
  return sniffed.sources;
}
