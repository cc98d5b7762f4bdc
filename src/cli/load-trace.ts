import { TraceCollector } from '../model/collect-traces.js';
import { resolveTraceId } from '../model/resolve-trace-id.js';
import type { TraceTree } from '../model/tree.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import { clean } from '../render/sanitize.js';
import { withThousands } from '../render/format.js';
import { skippedLinesCaveat } from '../render/ingest-report.js';
import type { Io } from './io.js';
import { EXIT } from './io.js';
import type { CommonFlags } from './options.js';
import { readAll, report } from './read.js';
import { unpaddedId, withoutLeadingZeros } from '../entries/parse-ids.js';

export interface LoadedTrace {
  tree?: TraceTree;
  code: number;
  stats: IngestStats;
}

/**
 * Reads the inputs for ONE trace named by an id or a unique prefix. Only lines that hold the id (or may
 * hold it in another spelling) are decoded and parsed: the rest are counted as not examined (ingest's
 * byte search, process-chunk.ts).
 */
export async function loadTrace(
  query: string,
  inputs: readonly string[],
  flags: CommonFlags & { adjustSkew?: boolean },
  io: Io,
  keepFields = false,
): Promise<LoadedTrace> {
  const q = unpaddedId(query.trim().toLowerCase());
  const collector = new TraceCollector(query);
  const stats = await readAll(inputs, flags, io, { kind: 'traces', collector }, query, keepFields);
  const ids = collector.traceIds();
  report(stats, ids.length, inputs, flags, io);
  // The id as stored (128-bit, zero-padded), else as a 64-bit id is logged, else without leading zeros
  // as older Jaeger wrote it (`%x`): each spelling tried only when the one before matched nothing, so a
  // query that names one id exactly is never made ambiguous by the looser ones.
  const spellings = [(x: string) => x, unpaddedId, withoutLeadingZeros];
  const queries = [query, q, withoutLeadingZeros(q)];
  let res = resolveTraceId(query, ids);
  let spelling = 0;
  while (res.kind === 'none' && spelling < spellings.length - 1) {
    spelling++;
    res = resolveTraceId(queries[spelling]!, ids.map(spellings[spelling]!));
  }
  if (res.kind === 'none') {
    io.stderr.write(`tracectl: no trace id starts with '${clean(query)}' (${withThousands(stats.read)} ${stats.read === 1 ? 'line' : 'lines'} read)${skippedLinesCaveat(stats)}\n`);
    return { code: stats.failedSources.length > 0 ? EXIT.usage : EXIT.noResults, stats };
  }
  if (res.kind === 'ambiguous' && spelling > 0) {
    const spelled = spellings[spelling]!;
    res.candidates = res.candidates.map((c) => ids.find((x) => spelled(x) === c) ?? c);
  }
  if (res.kind === 'ambiguous') {
    const more = res.count > res.candidates.length ? `\n  … and ${res.count - res.candidates.length} more` : '';
    io.stderr.write(`tracectl: '${clean(query)}' matches ${res.count} traces; give more of the id:\n  ${res.candidates.map(clean).join('\n  ')}${more}\n`);
    return { code: EXIT.usage, stats };
  }
  const spelled = spellings[spelling]!;
  const id = ids.find((x) => spelled(x) === res.id)!;
  const tree = collector.tree(id, { adjustSkew: flags.adjustSkew ?? false });
  return { tree, code: stats.interrupted ? EXIT.interrupted : stats.failedSources.length > 0 ? EXIT.usage : EXIT.ok, stats };
}

/** Tree warnings (duplicates, cycles, skew, …) on stderr: counted by kind, the first few spelled out. */
export function reportTreeWarnings(tree: TraceTree, io: Io, quiet: boolean | undefined): void {
  if (quiet || tree.warnings.length === 0) return;
  const byKind = new Map<string, number>();
  for (const w of tree.warnings) byKind.set(w.kind, (byKind.get(w.kind) ?? 0) + 1);
  const lines = tree.warnings.slice(0, 5).map((w) => `tracectl: warning: ${clean(w.message)}`);
  if (tree.warnings.length > 5) lines.push(`tracectl: … ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')} in all`);
  io.stderr.write(lines.join('\n') + '\n');
}
