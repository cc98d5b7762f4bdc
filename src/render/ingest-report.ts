import { withThousands } from './format.js';
import { clean } from './sanitize.js';

/** What the report reads of a run's account; ingest's IngestStats is one (renderers know no ingest code). */
export interface IngestAccount {
  read: number;
  used: number;
  withoutTrace: number;
  joined: number;
  stack: number;
  notExamined: number;
  /** Of `used`: lines of a trace already complete, left out of the results. */
  late?: number;
  /** --follow: the late lines were shown as updates of their traces, not left out. */
  lateShown?: boolean;
  readonly skippedTotal: number;
  spans: number;
  skipped: ReadonlyMap<string, { count: number; examples: readonly string[] }>;
  inferredUnits: ReadonlyMap<string, { service: string; field: string; unit: string; logger: string; count: number; spans?: number }>;
  idLikeKeys: ReadonlyMap<string, number>;
  unreadDurations?: ReadonlyMap<string, { service: string; field: string; count: number; example: string }>;
  zoneShifts?: ReadonlyMap<string, { service: string; minutes: number; count: number }>;
  outOfRange: { duration: number; time: number };
  warnings: readonly string[];
  warningCount: number;
  failedSources: readonly string[];
  interrupted: boolean;
}

const UNIT_WORDS: Record<string, string> = { ns: 'nanoseconds', us: 'microseconds', ms: 'milliseconds', s: 'seconds' };

/**
 * The stderr account of a run: every line read is either used, without a trace id, joined, not examined
 * or skipped (with where), so nothing is lost silently.
 *
 *   tracectl: 1,234 lines read: 1,100 used, 80 without a trace id, 54 skipped; 42 traces
 *   tracectl:   50 not JSON: app.log:3, app.log:9, app.log:12, …
 */
export function renderIngestReport(stats: IngestAccount, traces: number, sources: number): string {
  const n = withThousands;
  const parts = [`${n(stats.used)} used`, `${n(stats.withoutTrace)} without a trace id`];
  if (stats.joined > 0) parts.push(`${n(stats.joined)} partial lines joined`);
  if (stats.stack > 0) parts.push(`${n(stats.stack)} stack-trace lines joined to their log line`);
  if (stats.notExamined > 0) parts.push(`${n(stats.notExamined)} not examined (cannot hold the id)`);
  parts.push(`${n(stats.skippedTotal)} skipped`);
  const lines = [
    `tracectl: ${n(stats.read)} ${stats.read === 1 ? 'line' : 'lines'} read from ${n(sources)} ${sources === 1 ? 'source' : 'sources'}: ${parts.join(', ')}; ${n(traces)} ${traces === 1 ? 'trace' : 'traces'}${stats.spans > 0 ? ` (${n(stats.spans)} span records)` : ''}`,
  ];
  // Most frequent first; ties by reason, so the report reads the same however many threads read the input.
  const reasons = [...stats.skipped.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [reason, r] of reasons) {
    const more = r.count > r.examples.length ? ', …' : '';
    lines.push(`tracectl:   ${n(r.count)} ${reason}: ${r.examples.map(clean).join(', ')}${more}`);
  }
  const units = [...stats.inferredUnits.values()].sort(byServiceField);
  for (const u of units) {
    if (u.spans !== undefined) {
      lines.push(`tracectl: note: ${clean(u.service)} ${clean(u.field)} read as ${u.unit} (from ${n(u.spans)} ${u.spans === 1 ? 'span' : 'spans'}, by their traces' timestamps; --field duration=${clean(u.field)}:UNIT says otherwise)`);
      continue;
    }
    lines.push(`tracectl: note: ${clean(u.service)} ${clean(u.field)} read as ${u.unit} (${n(u.count)} ${u.count === 1 ? 'line' : 'lines'}: ${u.logger} writes ${UNIT_WORDS[u.unit] ?? u.unit}; --field duration=${clean(u.field)}:ms says otherwise)`);
  }
  const unread = [...(stats.unreadDurations?.values() ?? [])].sort(byServiceField);
  for (const u of unread) {
    lines.push(`tracectl: note: ${clean(u.service)} ${clean(u.field)} not read as a duration in ${n(u.count)} ${u.count === 1 ? 'line' : 'lines'} (${clean(u.example)}): a number, or text with its unit (250ms, 1.5s, 00:00:01.5)`);
  }
  const zones = [...(stats.zoneShifts?.values() ?? [])].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.minutes - b.minutes));
  for (const z of zones) {
    lines.push(`tracectl: note: ${clean(z.service)} times read as ${zoneName(z.minutes)} (no offset in the line; the container runtime's time used: ${n(z.count)} ${z.count === 1 ? 'line' : 'lines'})`);
  }
  for (const [key, count] of idLikeHints(stats)) {
    lines.push(`tracectl: hint: ${n(count)} lines without a trace id have ${clean(key)}: --field traceId=${clean(key)} groups them by it`);
  }
  const { duration, time } = stats.outOfRange;
  if (duration > 0) lines.push(`tracectl: warning: ${n(duration)} ${duration === 1 ? 'duration' : 'durations'} out of range (over 10^13 µs, ~115 days, either way) read as absent`);
  if (time > 0) lines.push(`tracectl: warning: ${n(time)} ${time === 1 ? 'time' : 'times'} out of range (not whole µs within ±2^53, about 1685–2255) read as absent`);
  const late = stats.late ?? 0;
  if (late > 0) {
    const was = `${n(late)} late ${late === 1 ? 'line' : 'lines'} (of used): ${late === 1 ? 'its trace was' : 'their traces were'} complete already (--idle, --trace-timeout)`;
    lines.push(`tracectl: ${was}, ${stats.lateShown ? 'shown as updates of them (+)' : 'left out of the results; --trace-timeout none reads every trace whole'}`);
  }
  for (const w of stats.warnings) lines.push(`tracectl: warning: ${clean(w)}`);
  if (stats.warningCount > stats.warnings.length) lines.push(`tracectl: … and ${n(stats.warningCount - stats.warnings.length)} more warnings`);
  for (const f of stats.failedSources) lines.push(`tracectl: ${clean(f)}`);
  if (stats.interrupted) lines.push('tracectl: interrupted: the results above cover only what was read');
  return lines.join('\n') + '\n';
}

/** By service, then field: the report reads the same however many threads read the input. */
function byServiceField(a: { service: string; field: string }, b: { service: string; field: string }): number {
  return a.service < b.service ? -1 : a.service > b.service ? 1 : a.field < b.field ? -1 : a.field > b.field ? 1 : 0;
}

const OVER_CAP = /^line over (\d+) bytes/;

/**
 * A verdict of nothing found rests on the lines read: where lines were skipped for their size (they may
 * hold what was asked: an error, a trace), it says so, with where they are. '' when none were.
 *
 *   "; 1 line was skipped (over 1 MiB, big.log:2) and may hold one"
 */
export function skippedLinesCaveat(stats: Pick<IngestAccount, 'skipped'>): string {
  let count = 0;
  let cap = 0;
  const places: string[] = [];
  for (const [reason, r] of stats.skipped) {
    const m = OVER_CAP.exec(reason);
    if (m === null) continue;
    count += r.count;
    cap = Number(m[1]);
    places.push(...r.examples);
  }
  if (count === 0) return '';
  const shown = places.slice(0, 3).map(clean).join(', ') + (count > 3 ? ', …' : '');
  return `; ${withThousands(count)} ${count === 1 ? 'line was' : 'lines were'} skipped (over ${binaryBytes(cap)}, ${shown}) and may hold one`;
}

/** "1 MiB", "64 KiB", "1000 bytes": a size given in bytes, in the unit it is a whole number of. */
export function binaryBytes(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${withThousands(n / size)} ${unit}`;
  }
  return `${withThousands(n)} bytes`;
}

/** "UTC−5", "UTC+5:30": the zone `minutes` behind UTC. */
export function zoneName(minutes: number): string {
  const a = Math.abs(minutes);
  const hm = `${Math.floor(a / 60)}${a % 60 === 0 ? '' : `:${String(a % 60).padStart(2, '0')}`}`;
  return `UTC${minutes > 0 ? '\u2212' : '+'}${hm}`;
}

/** The id-like keys shared by enough lines without a trace id to be worth a hint: at least 5 and a tenth of them. */
function idLikeHints(stats: IngestAccount): [string, number][] {
  const least = Math.max(5, stats.withoutTrace / 10);
  return [...stats.idLikeKeys.entries()]
    .filter(([, count]) => count >= least)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 2);
}
