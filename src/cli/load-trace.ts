import { TraceCollector } from '../model/collect-traces.js';
import { resolveTraceId } from '../model/resolve-trace-id.js';
import type { TraceTree } from '../model/tree.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import { clean } from '../render/sanitize.js';
import type { Io } from './io.js';
import { EXIT } from './io.js';
import type { CommonFlags } from './options.js';
import { readAll, report } from './read.js';

export interface LoadedTrace {
  tree?: TraceTree;
  code: number;
  stats: IngestStats;
}

const PAD64 = '0000000000000000';

/** 64-bit ids are stored padded to 128 bits; people type them as they saw them, unpadded. */
const unpadded = (id: string): string => (id.length === 32 && id.startsWith(PAD64) ? id.slice(16) : id);

/**
 * Reads the inputs for ONE trace named by an id or a unique prefix. Lines that cannot hold the id are
 * counted but not parsed (a substring check is far cheaper than JSON.parse), except lines that may carry
 * it in another spelling: span documents (base64 ids in Tempo), Datadog decimal ids, and partial pieces
 * of a longer line.
 */
export async function loadTrace(query: string, inputs: readonly string[], flags: CommonFlags & { adjustSkew?: boolean }, io: Io): Promise<LoadedTrace> {
  const q = unpadded(query.trim().toLowerCase());
  const upper = q.toUpperCase();
  const lineFilter = (text: string): boolean =>
    text.includes(q) ||
    text.includes(upper) ||
    text.includes('resourceSpans') ||
    text.includes('resourceLogs') ||
    text.includes('"batches"') ||
    text.includes('dd.trace_id') ||
    text.includes('"dd":') ||
    isPartialPiece(text);
  const collector = new TraceCollector((id) => {
    const l = id.toLowerCase();
    return l.startsWith(q) || unpadded(l).startsWith(q);
  });
  const stats = await readAll(inputs, flags, io, collector, q.length >= 4 ? lineFilter : undefined);
  const ids = collector.traceIds();
  report(stats, ids.length, inputs, flags, io);
  let res = resolveTraceId(query, ids);
  if (res.kind === 'none') res = resolveTraceId(q, ids.map(unpadded));
  if (res.kind === 'none') {
    io.stderr.write(`tracectl: no trace id starts with '${clean(query)}' (${stats.read.toLocaleString('en-US')} lines read)\n`);
    return { code: stats.failedSources.length > 0 ? EXIT.usage : EXIT.noResults, stats };
  }
  if (res.kind === 'ambiguous') {
    const more = res.count > res.candidates.length ? `\n  … and ${res.count - res.candidates.length} more` : '';
    io.stderr.write(`tracectl: '${clean(query)}' matches ${res.count} traces; give more of the id:\n  ${res.candidates.map(clean).join('\n  ')}${more}\n`);
    return { code: EXIT.usage, stats };
  }
  const id = ids.find((x) => x === res.id) ?? ids.find((x) => unpadded(x) === res.id)!;
  const tree = collector.tree(id, { adjustSkew: flags.adjustSkew ?? false });
  return { tree, code: stats.interrupted ? EXIT.interrupted : stats.failedSources.length > 0 ? EXIT.usage : EXIT.ok, stats };
}

/** CRI 'P' lines and Docker pieces without their newline: the id may be in the piece that follows. */
function isPartialPiece(text: string): boolean {
  const p = text.indexOf(' P ');
  if (p > 0 && p < 48 && (text.startsWith('stdout', p - 6) || text.startsWith('stderr', p - 6))) return true;
  return text.startsWith('{"log":') && !text.includes('\\n","');
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
