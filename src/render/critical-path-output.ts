// `tracectl critical-path` output: the sections of the path in time order, the time each span spends on
// it, and the trace's tree with each span's critical sections drawn solid on the time axis.
//
// JSON schema: ONE object on one line (the trace is the row); durations in µs, instants ISO 8601 UTC with µs:
//   traceId, start, startUs, durationUs (the whole trace), rootSpanId (null for an empty trace), roots (how
//   many; only the main root's tree is on the path: analyze/main-root.ts), pathUs (the root's length = sum of sections),
//   sections: [{index (1-based), spanId, key?, service, operation, from, fromUs, toUs, offsetUs (from the
//   trace start), lengthUs}] in time order,
//   perSpan: [{spanId, key?, service, operation, onPathUs}] largest first,
//   leftOut: {async, outsideParent} (spans under the root not considered), errors (only when it failed)
import { JsonPieces, stringifyJson } from './json-text.js';
import { isAsyncChild, type CriticalPath } from '../analyze/critical-path.js';
import { IndexedTree } from '../model/indexed-tree.js';
import { PARENT_INFERRED, type TraceTree } from '../model/tree.js';
import { barCells } from './bar.js';
import { displayWidth, padEndWidth } from './display-width.js';
import { formatDuration, formatOffset, formatTime, isoMicros, percent, spaces, truncate, maxWidth } from './format.js';
import type { Palette } from './palette.js';
import { redactText } from './redact.js';
import { clean } from './sanitize.js';
import { renderTable, type Column } from './table.js';
import { inferredNote, INFERRED_MARK } from './span-labels.js';

export interface CriticalPathTextOptions {
  /** Width for the tree's bars. */
  width: number;
  /** Width the tables must fit. */
  tableWidth: number;
  palette: Palette;
  /** Draw every span even in a large trace (by default a trace over ALL_SPANS_UP_TO spans shows the path). */
  all?: boolean;
  /** Secret text in operations (one taken from a log message) shown as [REDACTED]; on unless false. */
  redact?: boolean;
}

/** Up to this many spans the tree shows them all; past it, the spans on the path and their ancestors. */
export const ALL_SPANS_UP_TO = 2000;

const SECTION_COLUMNS: Column[] = [
  { header: '#', align: 'right' },
  { header: 'FROM', align: 'right' },
  { header: 'TO', align: 'right' },
  { header: 'LENGTH', align: 'right' },
  { header: 'SHARE', align: 'right' },
  { header: 'SERVICE', flex: true },
  { header: 'OPERATION', flex: true, minWidth: 10 },
  { header: 'SPAN', flex: true },
];

const PER_SPAN_COLUMNS: Column[] = [
  { header: 'ON PATH', align: 'right' },
  { header: 'SHARE', align: 'right' },
  { header: 'SERVICE', flex: true },
  { header: 'OPERATION', flex: true, minWidth: 10 },
  { header: 'SPAN', flex: true },
];

const MAX_INDENT = 24;

export function renderCriticalPathText(tree: TraceTree, cp: CriticalPath, o: CriticalPathTextOptions): string {
  const op = (operation: string): string => clean(redactText(operation, o.redact !== false));
  const p = o.palette;
  const nodes = new IndexedTree(tree);
  const r = cp.rootNode ?? nodes.roots().find((k) => nodes.span(k).spanId === cp.rootSpanId) ?? -1;
  const root = r >= 0 ? nodes.span(r) : undefined;
  const pathLength = root ? root.end - root.start : 0;
  const out: string[] = [
    `${p.bold(clean(tree.traceId))}  ${formatDuration(tree.end - tree.start)}  ${nodes.count} ${nodes.count === 1 ? 'span' : 'spans'}  ${formatTime(tree.start)}`,
  ];
  const note = inferredNote(tree);
  if (note !== undefined) out.push(p.dim(note));
  if (!root) return out.join('\n') + '\n' + p.dim('no spans: no critical path\n');
  out.push(
    `critical path of ${p.service(root.service, clean(root.service))} ${op(root.operation)}: ${formatDuration(pathLength)} in ${cp.sections.length} ${cp.sections.length === 1 ? 'section' : 'sections'} across ${cp.perSpan.length} ${cp.perSpan.length === 1 ? 'span' : 'spans'}`,
  );
  if (cp.chosen) {
    const whose = nodes.parent(r) >= 0 ? 'a span under a root' : `one of ${cp.roots} ${cp.roots === 1 ? 'root' : 'roots'}`;
    out.push(p.dim(`the path follows --root ${clean(nodes.key(r))} (${whose}); spans outside its subtree are not on it`));
  } else if (cp.roots > 1) out.push(p.warn(`the trace has ${cp.roots} roots (${rootCauses(tree)}); the path follows the earliest naming no parent, the others are not on it`));
  const left: string[] = [];
  if (cp.leftOut.async > 0) left.push(`${cp.leftOut.async} asynchronous (not waited for)`);
  if (cp.leftOut.outsideParent > 0) left.push(`${cp.leftOut.outsideParent} outside their parent's time`);
  if (left.length > 0) out.push(p.dim(`left out: ${left.join(', ')}`));
  out.push('');

  const sectionRows = cp.sections.map((s, i) => [
    String(i + 1),
    formatOffset(s.from - tree.start),
    formatOffset(s.to - tree.start),
    formatDuration(s.to - s.from),
    percent(s.to - s.from, pathLength),
    clean(s.service),
    op(s.operation),
    clean(s.key ?? s.spanId),
  ]);
  out.push(renderTable(SECTION_COLUMNS, sectionRows, o.tableWidth, p));
  const perSpanRows = cp.perSpan.map((t) => [formatDuration(t.micros), percent(t.micros, pathLength), clean(t.service), op(t.operation), clean(t.key ?? t.spanId)]);
  out.push(renderTable(PER_SPAN_COLUMNS, perSpanRows, o.tableWidth, p));
  out.push(renderPathTree(nodes, cp, o));
  return out.join('\n');
}

/**
 * The tree, a row per span in pre-order, with its bar on the trace's axis: solid where the span is on the
 * critical path, shaded where it runs but something else sets the pace.
 *
 *   web GET /checkout      100ms  ███████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░██████  40ms on path
 *   └─ pay Charge           60ms                 ██████░░░░░░░░░░░░░░░░░░░░░░██               15ms on path
 */
function renderPathTree(nodes: IndexedTree, cp: CriticalPath, o: CriticalPathTextOptions): string {
  const { tree } = nodes;
  const p = o.palette;
  const op = (operation: string): string => clean(redactText(operation, o.redact !== false));
  const sectionsBy = new Map<string, { from: number; to: number }[]>();
  for (const s of cp.sections) {
    const k = s.key ?? s.spanId;
    const list = sectionsBy.get(k);
    if (list) list.push(s);
    else sectionsBy.set(k, [s]);
  }
  const onPath = new Map(cp.perSpan.map((t) => [t.key ?? t.spanId, t.micros]));
  // A trace of a million spans would print a million rows around a path of a few dozen: past the limit,
  // draw the spans on the path and their ancestors only, and say how many were left out.
  const shown = !o.all && nodes.count > ALL_SPANS_UP_TO ? pathAndAncestors(nodes, cp, onPath) : Array.from({ length: nodes.count }, (_, k) => k);
  const prefixes = treePrefixes(nodes, shown).map((pre, i) => ((tree.layout.marks[shown[i]!]! & PARENT_INFERRED) !== 0 ? pre + INFERRED_MARK : pre));
  const labels = shown.map((k, i) => `${prefixes[i]!}${clean(nodes.span(k).service)} ${op(nodes.span(k).operation)}`);
  const leftWidth = Math.min(maxWidth(labels, 20), Math.max(20, Math.floor(o.width * 0.4)));
  const barWidth = Math.max(10, Math.min(60, o.width - leftWidth - 25));
  const lines: string[] = [];
  shown.forEach((k, i) => {
    const s = nodes.span(k);
    const plain = labels[i]!;
    const plainWidth = displayWidth(plain);
    const label = plainWidth <= leftWidth ? `${p.dim(prefixes[i]!)}${p.service(s.service, clean(s.service))} ${op(s.operation)}${spaces(leftWidth - plainWidth)}` : padEndWidth(truncate(plain, leftWidth), leftWidth);
    const cells: ('' | 'run' | 'crit')[] = Array<'' | 'run' | 'crit'>(barWidth).fill('');
    const [a, b] = barCells(s.start, s.end, tree.start, tree.end, barWidth);
    for (let c = a; c < b; c++) cells[c] = 'run';
    for (const sec of sectionsBy.get(nodes.key(k)) ?? []) {
      const [x, y] = barCells(sec.from, sec.to, tree.start, tree.end, barWidth);
      for (let c = x; c < y; c++) cells[c] = 'crit';
    }
    const bar = drawCells(cells, p);
    const marks: string[] = [];
    const micros = onPath.get(nodes.key(k));
    if (micros !== undefined) marks.push(p.critical(`${formatDuration(micros)} on path`));
    const up = nodes.parent(k);
    if (up >= 0 && isAsyncChild(k, up, tree)) marks.push(p.dim('async: not waited for'));
    if (s.error) marks.push(p.error('✗'));
    const row = `${label}  ${formatDuration(s.end - s.start).padStart(7)}  ${bar}`;
    lines.push((marks.length > 0 ? `${row}  ${marks.join('  ')}` : row).trimEnd());
  });
  if (shown.length < nodes.count) {
    lines.push(p.dim(`… ${nodes.count - shown.length} spans off the path not shown (--all shows every span)`));
  }
  lines.push(p.dim(`█ on the critical path  ░ running, not on it (axis: ${formatDuration(tree.end - tree.start)} from ${formatTime(tree.start)})`));
  return lines.join('\n') + '\n';
}

/**
 * The nodes on the path and every ancestor of one, in the tree's pre-order (by node index). The analysis
 * names the path's nodes; without them (a result built elsewhere) every node's key is looked up, which
 * in a large tree means reading every span.
 */
function pathAndAncestors(nodes: IndexedTree, cp: CriticalPath, onPath: ReadonlyMap<string, number>): number[] {
  const keep = new Set<number>();
  const add = (k: number): void => {
    for (let a = k; a >= 0 && !keep.has(a); a = nodes.parent(a)) keep.add(a);
  };
  if (cp.pathIndices !== undefined) for (const k of cp.pathIndices) add(k);
  else for (let k = 0; k < nodes.count; k++) if (onPath.has(nodes.key(k))) add(k);
  return [...keep].sort((a, b) => a - b);
}

/** Runs of equal cells drawn at once, so a coloured bar has one escape sequence per run. */
function drawCells(cells: readonly ('' | 'run' | 'crit')[], p: Palette): string {
  let out = '';
  let i = 0;
  while (i < cells.length) {
    let j = i + 1;
    while (j < cells.length && cells[j] === cells[i]) j++;
    const n = j - i;
    const c = cells[i];
    out += c === 'crit' ? p.critical('█'.repeat(n)) : c === 'run' ? p.dim('░'.repeat(n)) : ' '.repeat(n);
    i = j;
  }
  return out;
}

/**
 * Box-drawing prefixes per node, from the pre-order list of the nodes shown (no recursion: chains can be
 * very deep). A prefix depends on the node's ancestors only, and the list holds every ancestor of a node
 * it holds, so the nodes left out need none.
 */
function treePrefixes(nodes: IndexedTree, shown: readonly number[]): string[] {
  const childPrefix = new Map<number, string>();
  const depth = new Map<number, number>();
  return shown.map((k) => {
    const up = nodes.parent(k);
    if (up < 0) {
      childPrefix.set(k, '');
      depth.set(k, 0);
      return '';
    }
    const d = (depth.get(up) ?? 0) + 1;
    depth.set(k, d);
    const last = nodes.isLastChild(k);
    const base = childPrefix.get(up) ?? '';
    if (d > MAX_INDENT) {
      childPrefix.set(k, base);
      return `${base}[${d}] `;
    }
    childPrefix.set(k, base + (last ? '   ' : '│  '));
    return base + (last ? '└─ ' : '├─ ');
  });
}

/**
 * `critical-path --json`, one document in chunks of text: its sections and per-span list grow with the
 * trace (a chain of millions of spans), past the longest string V8 makes.
 */
export function* criticalPathJsonChunks(tree: TraceTree, cp: CriticalPath, redact = true): Generator<string> {
  const pathUs = cp.sections.reduce((a, s) => a + (s.to - s.from), 0);
  const out = new JsonPieces();
  out.open({ traceId: tree.traceId, start: isoMicros(tree.start), startUs: tree.start, durationUs: tree.end - tree.start, rootSpanId: cp.rootSpanId ?? null, roots: cp.roots, ...(tree.parentsInferred !== undefined ? { parentsInferred: tree.parentsInferred } : {}), pathUs });
  out.add(',"sections":[');
  for (let i = 0; i < cp.sections.length; i++) {
    const s = cp.sections[i]!;
    if (i > 0) out.add(',');
    out.add(stringifyJson({
      index: i + 1,
      spanId: s.spanId,
      ...(s.key !== undefined ? { key: s.key } : {}),
      service: s.service,
      operation: redactText(s.operation, redact),
      from: isoMicros(s.from),
      fromUs: s.from,
      toUs: s.to,
      offsetUs: s.from - tree.start,
      lengthUs: s.to - s.from,
    }));
    if (out.full) yield out.take();
  }
  out.add('],"perSpan":[');
  for (let i = 0; i < cp.perSpan.length; i++) {
    const t = cp.perSpan[i]!;
    if (i > 0) out.add(',');
    out.add(stringifyJson({ spanId: t.spanId, ...(t.key !== undefined ? { key: t.key } : {}), service: t.service, operation: redactText(t.operation, redact), onPathUs: t.micros }));
    if (out.full) yield out.take();
  }
  out.add(`],"leftOut":${stringifyJson(cp.leftOut)}`);
  if (cp.errors !== undefined) out.add(`,"errors":${stringifyJson(cp.errors)}`);
  out.add('}\n');
  yield out.take();
}

/** Why a trace has more than one root, from its tree's warnings: the input's parents are missing, or broken. */
function rootCauses(tree: TraceTree): string {
  const kinds = new Set(tree.warnings.map((w) => w.kind));
  const causes: string[] = [];
  if (kinds.has('missing-parent') || !(kinds.has('cycle') || kinds.has('self-parent'))) causes.push('missing parents');
  if (kinds.has('cycle')) causes.push('a parent cycle cut');
  if (kinds.has('self-parent')) causes.push('a span naming itself as its parent');
  return causes.join(', ');
}
