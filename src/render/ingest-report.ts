import type { IngestStats } from '../ingest/ingest-stats.js';
import { withThousands } from './format.js';
import { clean } from './sanitize.js';

/**
 * The stderr account of a run: every line read is either used, without a trace id, joined, not examined
 * or skipped (with where), so nothing is lost silently.
 *
 *   tracectl: 1,234 lines read: 1,100 used, 80 without a trace id, 54 skipped; 42 traces
 *   tracectl:   50 not JSON: app.log:3, app.log:9, app.log:12, …
 */
export function renderIngestReport(stats: IngestStats, traces: number, sources: number): string {
  const n = withThousands;
  const parts = [`${n(stats.used)} used`, `${n(stats.withoutTrace)} without a trace id`];
  if (stats.joined > 0) parts.push(`${n(stats.joined)} partial lines joined`);
  if (stats.notExamined > 0) parts.push(`${n(stats.notExamined)} not examined (cannot hold the id)`);
  parts.push(`${n(stats.skippedTotal)} skipped`);
  const lines = [
    `tracectl: ${n(stats.read)} lines read from ${n(sources)} ${sources === 1 ? 'source' : 'sources'}: ${parts.join(', ')}; ${n(traces)} ${traces === 1 ? 'trace' : 'traces'}${stats.spans > 0 ? ` (${n(stats.spans)} span records)` : ''}`,
  ];
  // Most frequent first; ties by reason, so the report reads the same however many threads read the input.
  const reasons = [...stats.skipped.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [reason, r] of reasons) {
    const more = r.count > r.examples.length ? ', …' : '';
    lines.push(`tracectl:   ${n(r.count)} ${reason}: ${r.examples.map(clean).join(', ')}${more}`);
  }
  for (const w of stats.warnings) lines.push(`tracectl: warning: ${clean(w)}`);
  if (stats.warningCount > stats.warnings.length) lines.push(`tracectl: … and ${n(stats.warningCount - stats.warnings.length)} more warnings`);
  for (const f of stats.failedSources) lines.push(`tracectl: ${clean(f)}`);
  if (stats.interrupted) lines.push('tracectl: interrupted: the results above cover only what was read');
  return lines.join('\n') + '\n';
}
