/**
 * The data of an HTML report (`tracectl report`): plain JSON the page draws from. Every string from the
 * logs is cleaned (control, bidi and invisible characters shown escaped, render/sanitize.ts) and redacted
 * (render/redact.ts) here, once; the page inserts it as text, never as markup.
 *
 * A report holds at most `limit` traces in detail, the first by the chosen order; the errors summary, the
 * latency tables and the service map cover every trace that matched. A trace past `maxSpans` spans keeps
 * its first `maxSpans` in tree order, and says so.
 */
import { criticalPath } from '../../analyze/critical-path.js';
import { errorPaths, summarizeErrors } from '../../analyze/error-paths.js';
import { LatencyAccumulator, type LatencyRow } from '../../analyze/latency.js';
import { ServiceMapAccumulator } from '../../analyze/service-map.js';
import { compareStrings, TopN } from '../../analyze/top-n.js';
import type { Micros } from '../../core/time.js';
import type { Span, SpanEvent } from '../../model/span.js';
import type { TraceTree } from '../../model/tree.js';
import { fieldsText, pickFields, splitStack } from '../fields-text.js';
import { plainPalette } from '../palette.js';
import { shortTraceIds } from '../short-ids.js';
import { spanMarkers } from '../span-labels.js';
import { redactObject, redactText } from '../redact.js';
import { clean } from '../sanitize.js';
import { gaveUpText } from '../errors-output.js';

export type ReportSort = 'duration' | 'start' | 'errors' | 'spans';

export interface ReportOptions {
  limit: number;
  sort: ReportSort;
  maxSpans: number;
  redact: boolean;
  /** What the report was made from and with, shown in its header (already clean). */
  title: string;
  filters: string;
}

/** A log line of a span: [offset from the trace's start in µs or null, level, message, stack, source, its other fields as text]. */
export type ReportLog = [number | null, string, string, string | null, string | null, string];

export interface ReportSpan {
  id: string;
  /** Index of the parent in the trace's span list, -1 for a root. */
  parent: number;
  depth: number;
  /** Index into ReportData.services. */
  service: number;
  operation: string;
  /** Offset from the trace's start, µs. */
  start: number;
  duration: number;
  error: boolean;
  errorMessage?: string;
  kind?: string;
  /** Marks as `tree` shows them: skew, async, inferred, missing parent, out of range, no start time. */
  marks: string[];
  attributes: [string, string][];
  logs: ReportLog[];
}

export interface ReportTrace {
  id: string;
  /** The id as the trace list shows it: short, and a prefix no other listed trace shares (short-ids.ts). */
  shortId: string;
  start: Micros;
  duration: number;
  spanCount: number;
  errors: number;
  services: number[];
  root: string;
  spans: ReportSpan[];
  /** Spans left out past maxSpans. */
  spansLeftOut: number;
  /** Critical path sections: [span index, from offset µs, to offset µs]. */
  critical: [number, number, number][];
  /** Error paths: span indices root first, origin last, and the origin's message. */
  errorPaths: { hops: number[]; message: string | null }[];
  warnings: string[];
}

export type ReportLatencyRow = Omit<LatencyRow, 'inferred'>;
type Row = ReportLatencyRow;

export interface ReportData {
  title: string;
  filters: string;
  sort: ReportSort;
  /** Traces that matched; `traces` holds the first `limit` of them by `sort`. */
  matched: number;
  leftOut: number;
  services: string[];
  traces: ReportTrace[];
  errors: { service: string; operation: string; message: string; example: string | null; count: number; traces: number; firstSeen: Micros; lastSeen: Micros; exampleTraceIds: string[] }[];
  latency: { service: Row[]; operation: Row[] };
  serviceMap: { services: { service: string; spans: number; errors: number; roots: number }[]; edges: { from: string; to: string; calls: number; errors: number; p50: number; p99: number }[] };
}

interface Candidate {
  tree: TraceTree;
  start: Micros;
  duration: Micros;
  errors: number;
  spans: number;
}

const ORDERS: Record<ReportSort, (a: Candidate, b: Candidate) => number> = {
  duration: (a, b) => b.duration - a.duration || a.start - b.start || compareStrings(a.tree.traceId, b.tree.traceId),
  start: (a, b) => a.start - b.start || compareStrings(a.tree.traceId, b.tree.traceId),
  errors: (a, b) => b.errors - a.errors || b.duration - a.duration || compareStrings(a.tree.traceId, b.tree.traceId),
  spans: (a, b) => b.spans - a.spans || b.duration - a.duration || compareStrings(a.tree.traceId, b.tree.traceId),
};

/** One pass over the matching traces: the detailed top `limit`, and the analyses over all of them. */
export function buildReportData(trees: Iterable<TraceTree>, o: ReportOptions): ReportData {
  const top = new TopN<Candidate>(o.limit, ORDERS[o.sort]);
  const byService = new LatencyAccumulator('service');
  const byOperation = new LatencyAccumulator('operation');
  const map = new ServiceMapAccumulator();
  let matched = 0;
  const visit = (tree: TraceTree): void => {
    matched++;
    byService.add(tree);
    byOperation.add(tree);
    map.add(tree);
    let errors = 0;
    for (const s of tree.spans) if (s.error) errors++;
    top.push({ tree, start: tree.start, duration: tree.end - tree.start, errors, spans: tree.spans.length });
  };
  const groups = summarizeErrors(passing(trees, visit));

  const services = new Map<string, number>();
  const serviceIndex = (name: string): number => {
    let k = services.get(name);
    if (k === undefined) {
      k = services.size;
      services.set(name, k);
    }
    return k;
  };
  const text = (s: string): string => clean(redactText(s, o.redact));
  const traces = top
    .toArray()
    .sort(ORDERS[o.sort])
    .map((c) => traceData(c, o, serviceIndex, text));
  const shown = shortTraceIds(traces.map((t) => t.id));
  for (const t of traces) t.shortId = shown.get(t.id) ?? t.id;
  const rows = (r: LatencyRow[]): Row[] => r.map(({ inferred: _inferred, ...row }) => ({ ...row, service: row.service === undefined ? undefined : clean(row.service), operation: row.operation === undefined ? undefined : text(row.operation) }) as Row);
  const serviceMap = map.finish();
  return {
    title: o.title,
    filters: o.filters,
    sort: o.sort,
    matched,
    leftOut: matched - traces.length,
    services: [...services.keys()].map(clean),
    traces,
    errors: groups.map((g) => ({
      service: clean(g.service),
      operation: text(g.operation),
      message: text(g.message),
      example: g.example === undefined ? null : text(g.example),
      count: g.count,
      traces: g.traces,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      exampleTraceIds: g.exampleTraceIds.map(clean),
    })),
    latency: { service: rows(byService.finish().rows), operation: rows(byOperation.finish().rows) },
    serviceMap: {
      services: serviceMap.services.map((s) => ({ ...s, service: clean(s.service) })),
      edges: serviceMap.edges.map((e) => ({ ...e, from: clean(e.from), to: clean(e.to) })),
    },
  };
}

/** The trees as they pass, each handed to `visit` first: one pass feeds several analyses. */
function* passing(trees: Iterable<TraceTree>, visit: (tree: TraceTree) => void): Generator<TraceTree> {
  for (const tree of trees) {
    visit(tree);
    yield tree;
  }
}

function traceData(c: Candidate, o: ReportOptions, serviceIndex: (name: string) => number, text: (s: string) => string): ReportTrace {
  const { tree } = c;
  const nodes = tree.nodes;
  const shown = Math.min(nodes.length, o.maxSpans);
  const spans: ReportSpan[] = [];
  for (let k = 0; k < shown; k++) {
    const node = nodes[k]!;
    const s = node.span;
    const svc = serviceIndex(s.service);
    // The markers `tree` writes after a row (render/span-labels.ts), but the error's: the page marks that itself.
    const marks = spanMarkers(s, node, plainPalette, o.redact).filter((m) => !m.startsWith('✗'));
    if (node.parentInferred) marks.unshift('≈ parent inferred from timing');
    const span: ReportSpan = {
      id: clean(node.key ?? s.spanId),
      parent: node.parent !== undefined && node.parent.index < shown ? node.parent.index : -1,
      depth: node.depth,
      service: svc,
      operation: text(s.operation),
      start: s.start - tree.start,
      duration: s.end - s.start,
      error: s.error,
      marks,
      attributes: attributesOf(s, o.redact),
      logs: s.events.map((e) => logOf(e, tree.start, o.redact, text)),
    };
    if (s.errorMessage !== undefined) span.errorMessage = text(s.errorMessage);
    if (s.kind !== undefined) span.kind = s.kind;
    spans.push(span);
  }
  const path = criticalPath(tree);
  const critical: [number, number, number][] = [];
  const byKey = new Map<string, number>();
  for (let k = 0; k < shown; k++) byKey.set(nodes[k]!.key ?? nodes[k]!.span.spanId, k);
  for (const section of path.sections) {
    const k = byKey.get(section.key ?? section.spanId);
    if (k !== undefined) critical.push([k, section.from - tree.start, section.to - tree.start]);
  }
  const paths = errorPaths(tree).map((p) => ({
    hops: p.hops.map((h) => byKey.get(h.key ?? h.spanId) ?? -1).filter((k) => k >= 0),
    message: p.origin.gaveUp !== undefined ? gaveUpText(p.origin.gaveUp, text) : p.origin.message === undefined ? null : text(p.origin.message),
  }));
  const root = nodes[0]?.span;
  return {
    id: clean(tree.traceId),
    shortId: clean(tree.traceId),
    start: tree.start,
    duration: tree.end - tree.start,
    spanCount: nodes.length,
    errors: c.errors,
    services: tree.services.map(serviceIndex),
    root: root === undefined ? '' : `${clean(root.service)} ${text(root.operation)}`,
    spans,
    spansLeftOut: nodes.length - shown,
    critical,
    errorPaths: paths,
    warnings: tree.warnings.slice(0, 20).map((w) => text(w.message)),
  };
}

/** A log line as the page shows it: its fields as `tree --logs` writes them, a stack held in a field drawn as a stack. */
function logOf(e: SpanEvent, traceStart: Micros, redact: boolean, text: (s: string) => string): ReportLog {
  const picked = e.attributes !== undefined ? pickFields(e.attributes, 'all', redact) : undefined;
  const { stack, rest } = e.stack === undefined ? splitStack(picked) : { stack: e.stack, rest: picked };
  return [e.time === undefined ? null : e.time - traceStart, e.level ?? '', text(e.message), stack === undefined ? null : text(stack), e.source === undefined ? null : clean(`${e.source}:${e.line ?? 0}`), clean(fieldsText(rest).trim())];
}

/** A span's attributes as [key, value] text pairs, redacted, nested values as JSON. */
function attributesOf(s: Span, redact: boolean): [string, string][] {
  const shown = redactObject(s.attributes, redact) as Record<string, unknown>;
  const out: [string, string][] = [];
  for (const key of Object.keys(shown)) {
    const v = shown[key];
    out.push([clean(key), clean(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)))]);
  }
  return out;
}
