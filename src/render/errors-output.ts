// `tracectl errors` output: per failing trace, the path from the root down to its error origin
// (analyze/error-paths.ts says which span that is), with the ancestors that failed with it marked and the
// trace's other failing spans listed; or, with --summary, origins grouped across traces by service +
// operation + normalized message.
//
// JSON schema (stable; durations in µs, instants as ISO 8601 UTC with µs):
//   errors, one object per failing trace per line:
//     traceId, traceStart, traceStartUs, traceDurationUs, origins (1: a trace has one origin), index (1),
//     origin: {spanId, key?, service, operation, start, startUs, durationUs, errorAt, errorAtUs, message (or null),
//       gaveUp? {service, operation, message, ranOnUs}: the failing caller that gave up on it while it ran},
//     hops: [{spanId, key?, service, operation, start, startUs, offsetUs, durationUs, error}] root first,
//     failedAncestors: [span ids (key where the id repeats)] of ancestors that are errors too, nearest first,
//     alsoFailed: [{spanId, key?, service, operation, errorAt, errorAtUs, message}] failing spans off the path
//   errors --summary, one object per group per line:
//     service, operation, message (normalized: ids and numbers as <uuid> <hex> <n>; "(no message)"),
//     example (a real message of the group, or null), count (origins), traces (distinct traces),
//     firstSeen, firstSeenUs, lastSeen, lastSeenUs (the origins' error times), exampleTraceIds (up to 3, earliest first)
import { shortTraceIds } from './short-ids.js';
import { stringifyJson } from './json-text.js';
import { fitLines } from './display-width.js';
import { errorPaths, type ErrorGroup, type ErrorHop, type ErrorPath, type FailedSpan, type GaveUp } from '../analyze/error-paths.js';
import type { TraceTree } from '../model/tree.js';
import type { Micros } from '../core/time.js';
import { padEndWidth } from './display-width.js';
import { formatDuration, formatOffset, formatTime, isoMicros, truncate, maxWidth } from './format.js';
import type { Palette } from './palette.js';
import { redactText } from './redact.js';
import { clean } from './sanitize.js';
import { renderTable, type Column } from './table.js';

/** One failing trace and its error path (errorPaths: one at most). */
export interface TraceErrors {
  traceId: string;
  start: Micros;
  duration: Micros;
  spans: number;
  errorSpans: number;
  paths: ErrorPath[];
}

/** Paths deeper than this show their first and last hops; the origin's end is what matters. */
const MAX_HOPS = 12;
const MAX_INDENT = 12;

/**
 *   aaaa…0001  2024-05-01T10:00:00.000Z  100ms  4 of 5 spans failed
 *
 *     ✗ db INSERT: deadlock on row 8812
 *       web GET /checkout     100ms      +0µs  ✗ failed with it
 *       └─ pay Charge          60ms     +30ms  ✗ failed with it
 *          └─ db INSERT        45ms     +40ms  ✗ origin
 *     also failed: audit write +52ms: disk full
 */
export function renderTraceErrors(t: TraceErrors, width: number, p: Palette, redact = true): string {
  const safe = (text: string): string => clean(redactText(text, redact));
  const out: string[] = [
    `${p.bold(clean(t.traceId))}  ${formatTime(t.start)}  ${formatDuration(t.duration)}  ${t.errorSpans} of ${t.spans} ${t.spans === 1 ? 'span' : 'spans'} failed`,
  ];
  for (const path of t.paths) {
    out.push('');
    const o = path.origin;
    const message =
      o.gaveUp !== undefined
        ? p.error(gaveUpText(o.gaveUp, safe))
        : o.message !== undefined
          ? p.error(safe(o.message))
          : p.dim('(no message)');
    out.push(`  ${p.error('✗')} ${p.service(o.service, clean(o.service))} ${safe(o.operation)}: ${message}`);
    const failed = new Set(path.failedAncestors);
    const shown = visibleHops(path.hops);
    const labels = shown.map((h, i) => (h === undefined ? `${indent(i)}…` : `${indent(i)}${clean(h.service)} ${safe(h.operation)}`));
    const leftWidth = Math.min(maxWidth(labels, 20), Math.max(20, Math.floor(width * 0.45)));
    shown.forEach((h, i) => {
      const label = padEndWidth(truncate(labels[i]!, leftWidth), leftWidth);
      if (h === undefined) {
        out.push(p.dim(`    ${label}  ${path.hops.length - MAX_HOPS} more hops`));
        return;
      }
      const isOrigin = i === shown.length - 1;
      const marker = isOrigin ? p.error('✗ origin') : failed.has(h.key ?? h.spanId) ? p.error('✗ failed with it') : '';
      const line = `    ${label}  ${formatDuration(h.duration).padStart(7)}  ${formatOffset(h.start - t.start).padStart(9)}`;
      out.push(marker === '' ? line : `${line}  ${marker}`);
    });
    for (const f of path.alsoFailed) out.push(p.dim(`  also failed: ${alsoFailedText(f, t.start, safe)}`));
  }
  return out.join('\n') + '\n';
}

function alsoFailedText(f: FailedSpan, traceStart: Micros, shown: (text: string) => string): string {
  const message = f.message !== undefined ? `: ${shown(f.message)}` : '';
  return `${clean(f.service)} ${shown(f.operation)} ${formatOffset(f.errorAt - traceStart)}${message}`;
}

function indent(i: number): string {
  if (i === 0) return '';
  return '   '.repeat(Math.min(i - 1, MAX_INDENT)) + '└─ ';
}

/** The hops to print; `undefined` stands for the elided middle of a very deep path. */
function visibleHops(hops: readonly ErrorHop[]): (ErrorHop | undefined)[] {
  if (hops.length <= MAX_HOPS) return [...hops];
  return [...hops.slice(0, 4), undefined, ...hops.slice(hops.length - (MAX_HOPS - 4))];
}

/**
 * An origin its caller gave up on failed by being slow: whose failure it caused, and how long it ran on
 * (`safe` cleans and redacts log text).
 */
export function gaveUpText(g: GaveUp, safe: (text: string) => string): string {
  return `still running ${formatDuration(g.ranOnUs)} after ${clean(g.service)} ${safe(g.operation)} failed${g.message !== undefined ? ` (${safe(g.message)})` : ''}`;
}

function gaveUpJson(g: GaveUp, shown: (text: string) => string): Record<string, unknown> {
  return { service: g.service, operation: shown(g.operation), message: g.message === undefined ? null : shown(g.message), ranOnUs: g.ranOnUs };
}

/** `errors --json` of one trace: a line per error origin, written one by one (a trace may have thousands). */
export function traceErrorsJson(t: TraceErrors, redact = true): string[] {
  const shown = (text: string): string => redactText(text, redact);
  return t.paths
    .map((path, i) =>
      stringifyJson({
        traceId: t.traceId,
        traceStart: isoMicros(t.start),
        traceStartUs: t.start,
        traceDurationUs: t.duration,
        origins: t.paths.length,
        index: i + 1,
        origin: {
          spanId: path.origin.spanId,
          ...(path.origin.key !== undefined ? { key: path.origin.key } : {}),
          service: path.origin.service,
          operation: shown(path.origin.operation),
          start: isoMicros(path.origin.start),
          startUs: path.origin.start,
          durationUs: path.origin.duration,
          errorAt: isoMicros(path.origin.errorAt),
          errorAtUs: path.origin.errorAt,
          message: path.origin.message === undefined ? null : shown(path.origin.message),
          ...(path.origin.gaveUp !== undefined ? { gaveUp: gaveUpJson(path.origin.gaveUp, shown) } : {}),
        },
        hops: path.hops.map((h) => ({
          spanId: h.spanId,
          ...(h.key !== undefined ? { key: h.key } : {}),
          service: h.service,
          operation: shown(h.operation),
          start: isoMicros(h.start),
          startUs: h.start,
          offsetUs: h.start - t.start,
          durationUs: h.duration,
          error: h.error,
        })),
        failedAncestors: path.failedAncestors,
        alsoFailed: path.alsoFailed.map((f) => ({
          spanId: f.spanId,
          ...(f.key !== undefined ? { key: f.key } : {}),
          service: f.service,
          operation: shown(f.operation),
          errorAt: isoMicros(f.errorAt),
          errorAtUs: f.errorAt,
          message: f.message === undefined ? null : shown(f.message),
        })),
      }) + '\n',
    );
}

// The message is what people read, so it goes last and gets the room that is left; the JSON has every
// example id and the last-seen time.
const SUMMARY_COLUMNS: Column[] = [
  { header: 'COUNT', align: 'right' },
  { header: 'TRACES', align: 'right' },
  { header: 'SERVICE', flex: true },
  { header: 'OPERATION', flex: true, minWidth: 10 },
  { header: 'FIRST SEEN' },
  { header: 'EXAMPLE' },
  { header: 'MESSAGE', flex: true, minWidth: 20 },
];

export function renderErrorSummary(groups: readonly ErrorGroup[], width: number, p: Palette, redact = true): string {
  const shown = shortTraceIds(groups.flatMap((g) => (g.exampleTraceIds[0] === undefined ? [] : [g.exampleTraceIds[0]])));
  const cells = groups.map((g) => [
    String(g.count),
    String(g.traces),
    clean(g.service),
    clean(redactText(g.operation, redact)),
    formatTime(g.firstSeen),
    g.exampleTraceIds[0] === undefined ? '' : clean(shown.get(g.exampleTraceIds[0])!),
    clean(redactText(g.message, redact)),
  ]);
  return (
    renderTable(SUMMARY_COLUMNS, cells, width, p) +
    p.dim('origin: deepest failing span or a call it gave up on, else first error; FIRST SEEN at error lines; ids <uuid> <hex> <n>\n')
  );
}

/** The summary as `errors --summary` prints it: JSON lines, or the table fitted to `width` ('' for no group). */
export function errorSummaryOutput(groups: readonly ErrorGroup[], json: boolean, width: number, p: Palette, redact = true): string {
  if (json) return groups.map((g) => errorGroupJson(g, redact) + '\n').join('');
  return groups.length > 0 ? fitLines(renderErrorSummary(groups, width, p, redact), width) : '';
}

export function errorGroupJson(g: ErrorGroup, redact = true): string {
  return stringifyJson({
    service: g.service,
    operation: redactText(g.operation, redact),
    message: redactText(g.message, redact),
    example: g.example === undefined ? null : redactText(g.example, redact),
    count: g.count,
    traces: g.traces,
    firstSeen: isoMicros(g.firstSeen),
    firstSeenUs: g.firstSeen,
    lastSeen: isoMicros(g.lastSeen),
    lastSeenUs: g.lastSeen,
    exampleTraceIds: g.exampleTraceIds,
  });
}

/** A failing trace's error paths and counts; undefined for a trace without errors. */
export function traceErrorsOf(tree: TraceTree): TraceErrors | undefined {
  const paths = errorPaths(tree);
  if (paths.length === 0) return undefined;
  let errorSpans = 0;
  for (const n of tree.nodes) if (n.span.error) errorSpans++;
  return { traceId: tree.traceId, start: tree.start, duration: tree.end - tree.start, spans: tree.nodes.length, errorSpans, paths };
}
