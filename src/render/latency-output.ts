// `tracectl latency` output: where the time went, per group (service; service + operation; attribute value).
//
// JSON schema, one object per group per line (stable; durations in µs, percentages 0..100 rounded to 0.01):
//   by ('service'|'operation'|'attribute'), attribute (the attribute name, --by ATTR only),
//   traceId (--trace only), service (by service/operation), operation (by operation), value (by attribute:
//   the value as a string, "(none)" for spans without it; "[REDACTED]" for a secret-looking attribute unless
//   --no-redact), count, inferred (how many of count are placeholder spans), errors, errorPct, totalUs,
//   selfUs, selfPct (share of the self time of every span in the report), minUs, p50Us, p90Us, p95Us, p99Us,
//   maxUs. Percentiles are nearest-rank: the ceil(q/100 * count)-th smallest duration, an observed value.
import { stringifyJson } from './json-text.js';
import type { LatencyBy, LatencyReport, LatencyRow } from '../analyze/latency.js';
import { formatDuration } from './format.js';
import type { Palette } from './palette.js';
import { redactObject, redactText } from './redact.js';
import { clean } from './sanitize.js';
import { renderTable, type Column } from './table.js';

export interface LatencyRenderOptions {
  width: number;
  palette: Palette;
  redact: boolean;
  /** Set for `--trace`: the one trace the report covers. */
  traceId?: string;
  /** Set for `--trace` when parents were inferred from timing: the line that says so (span-labels.ts inferredNote). */
  parentsInferred?: string;
}

const NUMBER_COLUMNS: Column[] = [
  { header: 'COUNT', align: 'right' },
  { header: 'ERRORS', align: 'right' },
  { header: 'ERR%', align: 'right' },
  { header: 'TOTAL', align: 'right' },
  { header: 'SELF', align: 'right' },
  { header: 'SELF%', align: 'right' },
  { header: 'MIN', align: 'right' },
  { header: 'P50', align: 'right' },
  { header: 'P90', align: 'right' },
  { header: 'P95', align: 'right' },
  { header: 'P99', align: 'right' },
  { header: 'MAX', align: 'right' },
];

/** A 0..100 share as format.ts `percent` prints one: whole numbers from 10%, one decimal below. */
export function pct(p: number): string {
  if (!Number.isFinite(p)) return '-';
  return p >= 10 || p === 0 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
}

/** The printable group value of an attribute row, redacted when the attribute's name looks secret. */
function attributeValue(by: LatencyBy, row: LatencyRow, redact: boolean): string {
  if (typeof by !== 'object' || row.value === undefined) return row.value ?? '';
  const shown = (redactObject({ [by.attr]: row.value }, redact) as Record<string, unknown>)[by.attr];
  return typeof shown === 'string' ? shown : String(shown);
}

export function renderLatencyTable(report: LatencyReport, o: LatencyRenderOptions): string {
  const p = o.palette;
  const by = report.by;
  const keyColumns: Column[] =
    by === 'service'
      ? [{ header: 'SERVICE', flex: true }]
      : by === 'operation'
        ? [{ header: 'SERVICE', flex: true }, { header: 'OPERATION', flex: true, minWidth: 12 }]
        : [{ header: clean(by.attr).toUpperCase(), flex: true, minWidth: 12 }];
  const cells = report.rows.map((r) => {
    const mark = r.inferred > 0 ? ' ~' : '';
    const keys = by === 'service' ? [clean(r.service ?? '') + mark] : by === 'operation' ? [clean(r.service ?? ''), clean(redactText(r.operation ?? '', o.redact)) + mark] : [clean(attributeValue(by, r, o.redact)) + mark];
    return [
      ...keys,
      String(r.count),
      String(r.errors),
      pct(r.errorPct),
      formatDuration(r.total),
      formatDuration(r.self),
      pct(r.selfPct),
      formatDuration(r.min),
      formatDuration(r.p50),
      formatDuration(r.p90),
      formatDuration(r.p95),
      formatDuration(r.p99),
      formatDuration(r.max),
    ];
  });
  let text = renderTable([...keyColumns, ...NUMBER_COLUMNS], cells, o.width, p);
  if (p.enabled) {
    const lines = text.split('\n');
    report.rows.forEach((r, i) => {
      if (r.errors > 0 && lines[i + 1] !== undefined) lines[i + 1] = p.error(lines[i + 1]!);
    });
    text = lines.join('\n');
  }
  const t = report.totals;
  const scope = o.traceId !== undefined ? `trace ${clean(o.traceId)}` : `${t.traces} ${t.traces === 1 ? 'trace' : 'traces'}`;
  const notes = [
    `${t.spans} ${t.spans === 1 ? 'span' : 'spans'} in ${scope}, ${t.errors} with errors; self time ${formatDuration(t.self)} in all (TOTAL counts nested spans of a group twice, SELF does not)`,
    'percentiles are nearest-rank: the ⌈q·n/100⌉-th smallest duration, always an observed value',
  ];
  if (t.inferred > 0) notes.push(`~ ${t.inferred} of the spans are inferred (log lines without a span id): their durations are first to last line`);
  const head = o.parentsInferred !== undefined ? p.dim(o.parentsInferred) + '\n' : '';
  return head + text + p.dim(notes.join('\n') + '\n');
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function latencyRowJson(report: LatencyReport, r: LatencyRow, o: { redact: boolean; traceId?: string }): string {
  const by = report.by;
  const head: Record<string, unknown> =
    by === 'service' ? { by, service: r.service } : by === 'operation' ? { by, service: r.service, operation: r.operation === undefined ? undefined : redactText(r.operation, o.redact) } : { by: 'attribute', attribute: by.attr, value: attributeValue(by, r, o.redact) };
  if (o.traceId !== undefined) head.traceId = o.traceId;
  return stringifyJson({
    ...head,
    count: r.count,
    inferred: r.inferred,
    errors: r.errors,
    errorPct: round2(r.errorPct),
    totalUs: r.total,
    selfUs: r.self,
    selfPct: round2(r.selfPct),
    minUs: r.min,
    p50Us: r.p50,
    p90Us: r.p90,
    p95Us: r.p95,
    p99Us: r.p99,
    maxUs: r.max,
  });
}
