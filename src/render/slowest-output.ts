// `tracectl slowest` output: a table per grain (trace, span, operation), or one JSON object per row.
//
// JSON schema, one object per line (stable; times in µs, instants as ISO 8601 UTC with µs):
//   --by trace      rank, traceId, start, startUs, durationUs, spans, errors, services (sorted names),
//                   rootService, rootOperation (null for an empty trace)
//   --by span       rank, traceId, spanId, key (only when the trace repeats the span id), service, operation,
//                   start, startUs, durationUs, error, inferred, path: [{spanId, service, operation}] from the
//                   root down to and including the span
//   --by operation  rank, service, operation, count, errors, p50Us, p99Us, maxUs (nearest-rank percentiles)
import { stringifyJson } from './json-text.js';
import type { SlowOperation, SlowSpan, SlowTraceRow } from '../analyze/slowest.js';
import { formatDuration, formatTime, isoMicros } from './format.js';
import type { Palette } from './palette.js';
import { redactText } from './redact.js';
import { clean } from './sanitize.js';
import { renderTable, type Column } from './table.js';

const TRACE_COLUMNS: Column[] = [
  { header: '#', align: 'right' },
  { header: 'TRACE', cutTo: 8 },
  { header: 'START' },
  { header: 'DURATION', align: 'right' },
  { header: 'SPANS', align: 'right' },
  { header: 'ERRORS', align: 'right' },
  { header: 'SERVICES', flex: true, minWidth: 10 },
  { header: 'ROOT', flex: true, minWidth: 10 },
];

export function renderSlowTraces(rows: readonly SlowTraceRow[], width: number, p: Palette, redact = true): string {
  const cells = rows.map((r, i) => [
    String(i + 1),
    clean(r.traceId),
    formatTime(r.start),
    formatDuration(r.duration),
    String(r.spanCount),
    String(r.errorCount),
    r.services.map(clean).join(','),
    r.rootService === undefined ? '' : `${clean(r.rootService)} ${clean(redactText(r.rootOperation ?? '', redact))}`,
  ]);
  return redRows(renderTable(TRACE_COLUMNS, cells, width, p), rows.map((r) => r.errorCount > 0), p);
}

const SPAN_COLUMNS: Column[] = [
  { header: '#', align: 'right' },
  { header: 'DURATION', align: 'right' },
  { header: 'SERVICE', flex: true },
  { header: 'OPERATION', flex: true, minWidth: 10 },
  { header: 'ERROR' },
  { header: 'TRACE', cutTo: 8 },
  { header: 'SPAN', flex: true },
  { header: 'PATH FROM THE ROOT', flex: true, minWidth: 20 },
];

/** Path hops are joined with ' > '; the span itself is the last hop, so the path ends in it. */
export function renderSlowSpans(rows: readonly SlowSpan[], width: number, p: Palette, redact = true): string {
  const cells = rows.map((r, i) => [
    String(i + 1),
    formatDuration(r.duration),
    clean(r.service),
    clean(redactText(r.operation, redact)) + (r.inferred ? ' ~' : ''),
    r.error ? 'error' : '',
    clean(r.traceId),
    clean(r.key ?? r.spanId),
    pathText(r.path, redact),
  ]);
  let out = redRows(renderTable(SPAN_COLUMNS, cells, width, p), rows.map((r) => r.error), p);
  if (rows.some((r) => r.inferred)) out += p.dim('~ an inferred span (log lines without a span id): its duration is first to last line\n');
  return out;
}

/** A very deep span (a chain can be thousands of hops) keeps the root end and the span end of its path. */
const MAX_HOPS = 8;

function pathText(path: SlowSpan['path'], redact: boolean): string {
  const names = (hops: SlowSpan['path']): string[] => hops.map((h) => `${clean(h.service)} ${clean(redactText(h.operation, redact))}`);
  if (path.length <= MAX_HOPS) return names(path).join(' > ');
  return [...names(path.slice(0, 2)), `… ${path.length - 6} more`, ...names(path.slice(-4))].join(' > ');
}

const OPERATION_COLUMNS: Column[] = [
  { header: '#', align: 'right' },
  { header: 'SERVICE', flex: true },
  { header: 'OPERATION', flex: true, minWidth: 10 },
  { header: 'COUNT', align: 'right' },
  { header: 'ERRORS', align: 'right' },
  { header: 'P50', align: 'right' },
  { header: 'P99', align: 'right' },
  { header: 'MAX', align: 'right' },
];

export function renderSlowOperations(rows: readonly SlowOperation[], width: number, p: Palette, redact = true): string {
  const cells = rows.map((r, i) => [
    String(i + 1),
    clean(r.service),
    clean(redactText(r.operation, redact)),
    String(r.count),
    String(r.errors),
    formatDuration(r.p50),
    formatDuration(r.p99),
    formatDuration(r.max),
  ]);
  return renderTable(OPERATION_COLUMNS, cells, width, p) + p.dim('ranked by p99; percentiles are nearest-rank (always an observed duration)\n');
}

/** Rows with errors in red; the header line stays as it is. */
export function redRows(text: string, errors: readonly boolean[], p: Palette): string {
  if (!p.enabled) return text;
  const lines = text.split('\n');
  errors.forEach((e, i) => {
    if (e && lines[i + 1] !== undefined) lines[i + 1] = p.error(lines[i + 1]!);
  });
  return lines.join('\n');
}

export function slowTraceJson(r: SlowTraceRow, rank: number, redact = true): string {
  return stringifyJson({
    rank,
    traceId: r.traceId,
    start: isoMicros(r.start),
    startUs: r.start,
    durationUs: r.duration,
    spans: r.spanCount,
    errors: r.errorCount,
    services: r.services,
    rootService: r.rootService ?? null,
    rootOperation: r.rootOperation === undefined ? null : redactText(r.rootOperation, redact),
  });
}

export function slowSpanJson(r: SlowSpan, rank: number, redact = true): string {
  return stringifyJson({
    rank,
    traceId: r.traceId,
    spanId: r.spanId,
    ...(r.key !== undefined ? { key: r.key } : {}),
    service: r.service,
    operation: redactText(r.operation, redact),
    start: isoMicros(r.start),
    startUs: r.start,
    durationUs: r.duration,
    error: r.error,
    inferred: r.inferred,
    path: r.path.map((h) => ({ spanId: h.spanId, service: h.service, operation: redactText(h.operation, redact) })),
  });
}

export function slowOperationJson(r: SlowOperation, rank: number, redact = true): string {
  return stringifyJson({ rank, service: r.service, operation: redactText(r.operation, redact), count: r.count, errors: r.errors, p50Us: r.p50, p99Us: r.p99, maxUs: r.max });
}
