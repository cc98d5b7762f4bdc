import type { SpanNode, TraceTree } from '../model/tree.js';
import { drawBar } from './bar.js';
import { formatDuration, formatOffset, formatTime, truncate, maxLength } from './format.js';
import type { Palette } from './palette.js';
import { clean } from './sanitize.js';
import { spanMarkers, spanTitle } from './span-labels.js';

export interface TreeTextOptions {
  width: number;
  palette: Palette;
  logs?: boolean;
  depth?: number; // show spans down to this depth (0 = roots only)
  expand?: boolean; // show every sibling instead of collapsing long runs
}

/** Indentation stops growing here; deeper spans say their depth instead (a chain can be 1,000,000 deep). */
const MAX_INDENT = 24;
/** A run of more than this many similar siblings (same service and operation, no error, no children) collapses. */
const COLLAPSE_RUN = 6;

type Row =
  | { kind: 'span'; node: SpanNode; prefix: string; childPrefix: string; hidden: number }
  | { kind: 'collapsed'; prefix: string; count: number; sample: SpanNode; total: number };

/**
 *   4bf92f35…  480ms  3 spans  2 services  2024-05-01T10:00:01.000Z
 *   web GET /checkout             480ms     +0µs  ████████████████████  ✗ request failed
 *   └─ api POST /charge           460ms    +10ms   ███████████████████  ✗ card declined
 *      └─ payments authorizing    420ms    +40ms    █████████████████   ✗ do_not_honor
 */
export function renderTreeText(tree: TraceTree, o: TreeTextOptions): string {
  return [...treeTextChunks(tree, o)].join('');
}

/** Lines per chunk handed on by treeTextChunks. */
const CHUNK_LINES = 2000;

/**
 * The same text in chunks of a few thousand lines, so a tree of a million spans is written as it is
 * drawn instead of first becoming one string of a hundred million characters.
 */
export function* treeTextChunks(tree: TraceTree, o: TreeTextOptions): Generator<string> {
  const p = o.palette;
  const rows = layoutRows(tree, o);
  const total = tree.end - tree.start;
  const services = new Set(tree.nodes.map((n) => n.span.service));
  const out: string[] = [
    `${p.bold(clean(tree.traceId))}  ${formatDuration(total)}  ${tree.nodes.length} ${tree.nodes.length === 1 ? 'span' : 'spans'}  ${services.size} ${services.size === 1 ? 'service' : 'services'}  ${formatTime(tree.start)}`,
  ];
  const lefts = rows.map((r) => (r.kind === 'span' ? r.prefix + spanTitle(r.node, p).plain : r.prefix + collapsedText(r)));
  const leftWidth = Math.min(maxLength(lefts, 20), Math.max(20, Math.floor(o.width * 0.45)));
  const barWidth = Math.max(10, Math.min(60, o.width - leftWidth - 20));
  for (let i = 0; i < rows.length; i++) {
    if (out.length >= CHUNK_LINES) {
      yield out.join('\n') + '\n';
      out.length = 0;
    }
    const row = rows[i]!;
    const plainLeft = lefts[i]!;
    const fits = plainLeft.length <= leftWidth;
    const left = truncate(plainLeft, leftWidth).padEnd(leftWidth);
    if (row.kind === 'collapsed') {
      out.push(p.dim(left));
      continue;
    }
    const s = row.node.span;
    const styledLeft = fits ? p.dim(row.prefix) + spanTitle(row.node, p).styled + ' '.repeat(leftWidth - plainLeft.length) : left;
    const bar = drawBar(s.start, s.end, tree.start, tree.end, barWidth);
    const markers = spanMarkers(row.node, p);
    if (row.hidden > 0) markers.push(p.dim(`(+${row.hidden} below --depth)`));
    const line = `${styledLeft}  ${formatDuration(s.end - s.start).padStart(7)}  ${offsetText(s.start - tree.start).padStart(9)}  ${s.error ? p.error(bar) : p.accent(bar)}`;
    out.push(markers.length > 0 ? `${line}  ${markers.join('  ')}` : line);
    if (o.logs) {
      // Under a span with children shown, the branch line runs on past its log lines to them.
      const logPrefix = row.childPrefix + (row.node.children.length > 0 && row.hidden === 0 ? '│ ' : '  ');
      for (const ev of s.events) {
        const at = ev.time !== undefined ? offsetText(ev.time - tree.start) : '?';
        const level = (ev.level ?? '').toUpperCase().padEnd(5);
        out.push(`${p.dim(logPrefix + ' ·')} ${p.dim(at.padStart(9))} ${p.level(ev.level, level)} ${clean(ev.message)}`);
      }
    }
  }
  if (out.length > 0) yield out.join('\n') + '\n';
}

/** "+12ms" from the trace's start; a span flagged out of range may start before it: "-54y…", not "+-…". */
function offsetText(us: number): string {
  return us < 0 ? `-${formatDuration(-us)}` : formatOffset(us);
}

function collapsedText(r: Extract<Row, { kind: 'collapsed' }>): string {
  return `… ${r.count} more ${clean(r.sample.span.service)} ${clean(r.sample.span.operation)} (${formatDuration(r.total)} in all; --expand shows them)`;
}

/** Pre-order rows with their tree prefixes, iteratively; collapses long runs of similar leaf siblings. */
function layoutRows(tree: TraceTree, o: TreeTextOptions): Row[] {
  const rows: Row[] = [];
  type Item = { node: SpanNode; prefix: string; childPrefix: string } | { collapsed: Extract<Row, { kind: 'collapsed' }> };
  const stack: Item[] = [];
  const pushChildren = (children: readonly SpanNode[], basePrefix: string, depth: number) => {
    const indent = depth > 0 && depth <= MAX_INDENT; // roots stand at the margin, without a branch
    const items: Item[] = [];
    const visible = o.expand ? children.map((c) => ({ node: c })) : collapseRuns(children);
    visible.forEach((v, i) => {
      const last = i === visible.length - 1;
      const branch = indent ? (last ? '└─ ' : '├─ ') : '';
      const cont = indent ? (last ? '   ' : '│  ') : '';
      const deep = depth > MAX_INDENT ? `[${depth}] ` : '';
      if ('node' in v) items.push({ node: v.node, prefix: basePrefix + branch + deep, childPrefix: basePrefix + cont });
      else items.push({ collapsed: { kind: 'collapsed', prefix: basePrefix + branch, count: v.count, sample: v.sample, total: v.total } });
    });
    for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!);
  };
  pushChildren(tree.roots, '', 0);
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('collapsed' in item) {
      rows.push(item.collapsed);
      continue;
    }
    const { node } = item;
    const cut = o.depth !== undefined && node.depth >= o.depth;
    rows.push({ kind: 'span', node, prefix: item.prefix, childPrefix: item.childPrefix, hidden: cut ? countDescendants(node) : 0 });
    if (!cut) pushChildren(node.children, item.childPrefix, node.depth + 1);
  }
  return rows;
}

type Visible = { node: SpanNode } | { count: number; sample: SpanNode; total: number };

/** Keep the first two and the last of a long run of similar leaf siblings; one line stands for the rest. */
function collapseRuns(children: readonly SpanNode[]): Visible[] {
  const out: Visible[] = [];
  let i = 0;
  while (i < children.length) {
    let j = i + 1;
    while (j < children.length && similar(children[i]!, children[j]!)) j++;
    const run = j - i;
    if (run > COLLAPSE_RUN) {
      out.push({ node: children[i]! }, { node: children[i + 1]! });
      let total = 0;
      for (let k = i + 2; k < j - 1; k++) total += children[k]!.span.end - children[k]!.span.start;
      out.push({ count: run - 3, sample: children[i]!, total });
      out.push({ node: children[j - 1]! });
    } else {
      for (let k = i; k < j; k++) out.push({ node: children[k]! });
    }
    i = j;
  }
  return out;
}

function similar(a: SpanNode, b: SpanNode): boolean {
  return (
    a.children.length === 0 && b.children.length === 0 && !a.span.error && !b.span.error &&
    a.span.service === b.span.service && a.span.operation === b.span.operation && a.missingParent === undefined && b.missingParent === undefined
  );
}

function countDescendants(node: SpanNode): number {
  let n = 0;
  const stack = [...node.children];
  while (stack.length > 0) {
    const c = stack.pop()!;
    n++;
    for (const k of c.children) stack.push(k);
  }
  return n;
}
