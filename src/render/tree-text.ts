import { IndexedTree } from '../model/indexed-tree.js';
import type { ServiceOperation } from '../model/operation-numbers.js';
import { ERROR, INFERRED, PARENT_INFERRED, type NodeMarks, type TraceTree } from '../model/tree.js';
import { barCells } from './bar.js';
import { ByteChunks, encode } from './byte-chunks.js';
import { displayWidth, fitLine, padEndWidth } from './display-width.js';
import { formatDuration, formatOffset, formatTime, truncate } from './format.js';
import type { Palette } from './palette.js';
import { clean } from './sanitize.js';
import { redactText } from './redact.js';
import { fieldsText, pickFields, splitStack, type FieldPick } from './fields-text.js';
import { INFERRED_MARK, inferredNote, spanMarkers } from './span-labels.js';

export interface TreeTextOptions {
  width: number;
  palette: Palette;
  logs?: boolean;
  /** Which of a log line's fields follow its message (default all), redacted unless `redact` is false. */
  fields?: FieldPick;
  depth?: number; // show spans down to this depth (0 = roots only)
  expand?: boolean; // show every sibling instead of collapsing long runs
  /** Rows must fit this many columns: the markers after a row are cut to what is left (none: not cut). */
  limit?: number;
  /** Secret keys' values and secret text in messages, fields, errors and stacks shown as [REDACTED] (render/redact.ts); on unless false. */
  redact?: boolean;
}

/** Indentation stops growing here; deeper spans say their depth instead (a chain can be 1,000,000 deep). */
const MAX_INDENT = 24;
/** A run of more than this many similar siblings (same service and operation, no error, no children) collapses. */
const COLLAPSE_RUN = 6;

/**
 *   4bf92f35…  480ms  3 spans  2 services  2024-05-01T10:00:01.000Z
 *   web GET /checkout             480ms     +0µs  ████████████████████  ✗ request failed
 *   └─ api POST /charge           460ms    +10ms   ███████████████████  ✗ card declined
 *      └─ payments authorizing    420ms    +40ms    █████████████████   ✗ do_not_honor
 *
 * A span whose parent was inferred from timing stands behind `≈ ` (its lines named no parent), and a
 * line under the header says how many did.
 */
export function renderTreeText(tree: TraceTree, o: TreeTextOptions): string {
  return Buffer.concat([...treeTextChunks(tree, o)]).toString('utf8');
}

/**
 * The same text as UTF-8, in chunks of about a megabyte, so a tree of a million spans is written as it
 * is drawn instead of first becoming one string of a hundred million characters; written as bytes
 * (byte-chunks.ts): the prefixes, labels and bars a large tree repeats are encoded once. The rows are
 * walked twice (RowWalk), once for the width of the left column and once to draw them, so no row
 * outlives its line. The tree is read by node index (IndexedTree): no SpanNode object is made, and a row
 * reads its label and flags from the layout, by node index (TreeLayout.operation and .marks), not from
 * its span. The rows come in tree order, which jumps about the input: reading a million span objects in
 * that order would miss the cache on nearly every one, so the facts are gathered by node index
 * beforehand, in the pass where buildTree reads each span anyway.
 */
export function* treeTextChunks(tree: TraceTree, o: TreeTextOptions): Generator<Uint8Array> {
  const redact = o.redact !== false;
  const p = o.palette;
  const total = tree.end - tree.start;
  const services = tree.services.length;
  const out = new ByteChunks();
  const nodes = new IndexedTree(tree);
  out.text(`${p.bold(clean(tree.traceId))}  ${formatDuration(total)}  ${nodes.count} ${nodes.count === 1 ? 'span' : 'spans'}  ${services} ${services === 1 ? 'service' : 'services'}  ${formatTime(tree.start)}\n`);
  const note = inferredNote(tree);
  if (note !== undefined) out.text(p.dim(note) + '\n');
  const labels = new CleanLabels(p, tree.operations, redact);
  const { start, end, spanIndex, operation, marks: spanMarks } = tree.layout;
  const leftWidth = leftColumnWidth(nodes, o, labels);
  // The row: left column, duration (7), offset (9), three gaps of two, the bar; under a width limit, a
  // quarter of it is kept for the markers after the bar when any row has some.
  const limited = o.limit !== undefined && o.limit !== Infinity;
  const reserve = limited && anyMarkers(tree) ? Math.floor(o.limit! / 4) : 0;
  const barWidth = Math.max(10, Math.min(60, o.width - leftWidth - 22 - reserve));
  const bars = new BarCache(tree.start, tree.end, barWidth, p);
  const markerRoom = (o.limit ?? Infinity) - (leftWidth + 22 + barWidth) - 2;
  const walk = new RowWalk(nodes, o);
  // Deep in a large tree the prefix alone overfills the column, and the cut label is the start of what
  // all siblings share (their parent's child prefix): cut it once per prefix, not per row.
  let cutFor: ListPrefixes | undefined;
  let cut: Uint8Array = EMPTY;
  while (walk.next()) {
    if (out.full) yield out.take();
    if (walk.sample >= 0) {
      out.text(p.dim(padEndWidth(truncate(walk.prefix + collapsedText(walk, nodes, labels), leftWidth), leftWidth)));
      out.byte(NEWLINE);
      continue;
    }
    const node = walk.node;
    const i = spanIndex[node]!;
    const label = labels.of(operation[node]!);
    const guessed = (spanMarks[node]! & PARENT_INFERRED) !== 0;
    const leftLength = walk.prefix.length + (guessed ? INFERRED_MARK.length : 0) + label.length;
    if (leftLength <= leftWidth) {
      out.bytes(walk.styledPrefix());
      if (guessed) out.bytes(inferredMark(p));
      out.bytes(label.styled);
      out.spaces(leftWidth - leftLength);
    } else if (walk.list.base.length >= leftWidth - 1 && leftWidth > 1) {
      if (walk.list !== cutFor) {
        cutFor = walk.list;
        cut = encode(walk.list.base.slice(0, leftWidth - 1) + '…');
      }
      out.bytes(cut);
    } else out.text(padEndWidth(truncate(walk.prefix + (guessed ? INFERRED_MARK : '') + label.plain, leftWidth), leftWidth));
    out.spaces(2);
    const from = start[node]!;
    const to = end[node]!;
    out.padStart(formatDuration(to - from), 7);
    out.spaces(2);
    out.padStart(offsetText(from - tree.start), 9);
    out.spaces(2);
    const flags = spanMarks[node]! & (ERROR | INFERRED);
    out.bytes(bars.get(from, to, (flags & ERROR) !== 0));
    const marks = nodes.marks(node);
    let markers = flags !== 0 || hasMarkers(marks) ? spanMarkers(tree.spans[i]!, marks, p, redact) : undefined;
    if (walk.hidden > 0) (markers ??= []).push(p.dim(`(+${walk.hidden} below --depth)`));
    if (markers !== undefined && markers.length > 0 && markerRoom >= 2) out.text(`  ${fitLine(markers.join('  '), markerRoom)}`);
    out.byte(NEWLINE);
    if (o.logs) {
      // Under a span with children shown, the branch line runs on past its log lines to them.
      const logPrefix = walk.childPrefix + (nodes.descendants(node) > 0 && walk.hidden === 0 ? '│ ' : '  ');
      for (const ev of tree.spans[i]!.events) {
        const at = ev.time !== undefined ? offsetText(ev.time - tree.start) : '?';
        const level = (ev.level ?? '').toUpperCase().padEnd(5);
        const picked = ev.attributes !== undefined ? pickFields(ev.attributes, o.fields ?? 'all', redact) : undefined;
        // A stack trace kept in a field (logback's stack_trace, pino's err.stack) is drawn as a text line's is.
        const { stack, rest } = ev.stack === undefined ? splitStack(picked) : { stack: ev.stack, rest: picked };
        const extra = fieldsText(rest);
        out.text(`${p.dim(logPrefix + ' ·')} ${p.dim(at.padStart(9))} ${p.level(ev.level, level)} ${clean(redactText(ev.message, redact))}${extra !== '' ? p.dim(extra) : ''}\n`);
        if (stack !== undefined) writeStack(out, redactText(stack, redact), logPrefix, p);
      }
    }
  }
  if (out.length > 0) yield out.take();
}

const NEWLINE = 0x0a;

let markMade: { p: Palette; bytes: Uint8Array } | undefined;
/** INFERRED_MARK dimmed, as UTF-8, made once per palette. */
function inferredMark(p: Palette): Uint8Array {
  if (markMade?.p !== p) markMade = { p, bytes: encode(p.dim(INFERRED_MARK)) };
  return markMade.bytes;
}
/** Stack lines drawn under a log line; --json carries them all. */
const STACK_LINES_SHOWN = 12;

function writeStack(out: { text(s: string): void }, stack: string, prefix: string, p: Palette): void {
  const lines = stack.split('\n');
  const shown = lines.length > STACK_LINES_SHOWN + 1 ? STACK_LINES_SHOWN : lines.length;
  const pad = `${prefix}   ${' '.repeat(16)}`;
  for (let i = 0; i < shown; i++) out.text(`${p.dim(pad)}${p.dim(clean(lines[i]!.replace(/^\t/, '    ')))}\n`);
  if (shown < lines.length) out.text(`${p.dim(pad)}${p.dim(`… ${lines.length - shown} more lines (--json has them)`)}\n`);
}
const EMPTY = new Uint8Array(0);

/**
 * The left column: as wide as the longest label (prefix, service, operation), at least 20, at most 45%
 * of the width. Measured only until one reaches the cap.
 */
function leftColumnWidth(nodes: IndexedTree, o: TreeTextOptions, labels: CleanLabels): number {
  const cap = Math.max(20, Math.floor(o.width * 0.45));
  let widest = 20;
  const walk = new RowWalk(nodes, o);
  // The label lengths the rows use, not worked out again from the spans: one source for both.
  const { operation, marks } = nodes.tree.layout;
  while (widest < cap && walk.next()) {
    const length = walk.sample < 0
      ? walk.prefix.length + labels.of(operation[walk.node]!).length + ((marks[walk.node]! & PARENT_INFERRED) !== 0 ? INFERRED_MARK.length : 0)
      : walk.prefix.length + displayWidth(collapsedText(walk, nodes, labels));
    if (length > widest) widest = length;
  }
  return Math.min(widest, cap);
}

/** Whether any row of the tree may have markers: an error or inferred span, an async child, or a warning (missing parents, skew). */
function anyMarkers(tree: TraceTree): boolean {
  if (tree.warnings.length > 0) return true;
  for (const m of tree.marks.values()) if (m.asyncEndsAfter !== undefined) return true;
  const marks = tree.layout.marks;
  for (let k = 0; k < marks.length; k++) if ((marks[k]! & (ERROR | INFERRED)) !== 0) return true;
  return false;
}

/** Whether spanMarkers has anything to say about a node's marks (its span's part: ERROR and INFERRED in the layout's marks). */
function hasMarkers(m: NodeMarks | undefined): boolean {
  return m !== undefined && (m.missingParent !== undefined || m.cutParent !== undefined || m.skew !== undefined || m.asyncEndsAfter !== undefined || (m.shift !== undefined && m.shift !== 0) || m.outOfRange === true || m.noStartTime === true);
}

/** A span's "service operation" cleaned, with the service coloured, and its width. */
interface Label {
  plain: string;
  /** With the service coloured, as UTF-8. */
  styled: Uint8Array;
  /** Display width (the tree's prefixes are box-drawing characters, one column each: their .length). */
  length: number;
}

/**
 * The label of each (service, operation) pair of the tree (TraceTree.operations), made once when first
 * asked for, and clean() of each distinct service and operation once (an operation taken from a log
 * message may hold a secret: redacted as messages are): a large trace repeats a few of
 * them a million times.
 */
class CleanLabels {
  private readonly cleaned = new Map<string, string>();
  private readonly made: (Label | undefined)[];

  constructor(
    private readonly p: Palette,
    private readonly operations: readonly ServiceOperation[],
    private readonly redact: boolean,
  ) {
    this.made = new Array<Label | undefined>(operations.length).fill(undefined);
  }

  /** The label of pair k (TreeLayout.operation). */
  of(k: number): Label {
    let l = this.made[k];
    if (l === undefined) {
      const { service, operation } = this.operations[k]!;
      const svc = this.clean(service);
      const op = this.clean(redactText(operation, this.redact));
      l = { plain: `${svc} ${op}`, styled: encode(`${this.p.service(service, svc)} ${op}`), length: displayWidth(svc) + 1 + displayWidth(op) };
      this.made[k] = l;
    }
    return l;
  }

  clean(s: string): string {
    let c = this.cleaned.get(s);
    if (c === undefined) {
      c = clean(s);
      this.cleaned.set(s, c);
    }
    return c;
  }
}

/** A bar drawn (and encoded) once per (first cell, last cell, error): there are at most width² of them. */
class BarCache {
  private readonly drawn: (Uint8Array | undefined)[];

  constructor(
    private readonly traceStart: number,
    private readonly traceEnd: number,
    private readonly width: number,
    private readonly p: Palette,
  ) {
    this.drawn = new Array<Uint8Array | undefined>((width + 1) * (width + 1) * 2);
  }

  get(start: number, end: number, error: boolean): Uint8Array {
    const [from, to] = barCells(start, end, this.traceStart, this.traceEnd, this.width);
    const k = ((from * (this.width + 1) + to) << 1) | (error ? 1 : 0);
    let bar = this.drawn[k];
    if (bar === undefined) {
      const cells = ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(this.width - to);
      bar = encode(error ? this.p.error(cells) : this.p.accent(cells));
      this.drawn[k] = bar;
    }
    return bar;
  }
}

/** "+12ms" from the trace's start; a span flagged out of range may start before it: "-54y…", not "+-…". */
function offsetText(us: number): string {
  return us < 0 ? `-${formatDuration(-us)}` : formatOffset(us);
}

function collapsedText(r: { count: number; sample: number; total: number }, nodes: IndexedTree, labels: CleanLabels): string {
  const label = labels.of(nodes.tree.layout.operation[r.sample]!);
  return `… ${r.count} more ${label.plain} (${formatDuration(r.total)} in all; --expand shows them)`;
}

/** A row of a sibling list: a node (by index), or a collapsed run standing for `count` of them. */
type Visible = { node: number } | { count: number; sample: number; total: number };

/**
 * A prefix the rows of a sibling list stand behind (their parent's child prefix), made once however many
 * lists share it, with the prefixes of its lists by depth. A large tree has hundreds of thousands of
 * sibling lists but few distinct prefixes; making and encoding them per list cost more than the rows.
 */
class Base {
  private readonly more: [Base | undefined, Base | undefined] = [undefined, undefined];
  private readonly byDepth: (ListPrefixes | undefined)[] = [];

  constructor(readonly text: string) {}

  /** The prefixes of a list at `depth` behind this base. */
  list(depth: number): ListPrefixes {
    let l = this.byDepth[depth];
    if (l === undefined) {
      const b = this.text;
      const indent = depth > 0 && depth <= MAX_INDENT; // roots stand at the margin, without a branch
      const runPrefix: [string, string] = indent ? [b + '├─ ', b + '└─ '] : [b, b];
      const rowPrefix: [string, string] = depth > MAX_INDENT ? [`${b}[${depth}] `, `${b}[${depth}] `] : runPrefix;
      const child: [Base, Base] = indent ? [this.extend(0, '│  '), this.extend(1, '   ')] : [this, this];
      l = { base: b, runPrefix, rowPrefix, child, styled: [undefined, undefined] };
      this.byDepth[depth] = l;
    }
    return l;
  }

  private extend(last: 0 | 1, piece: string): Base {
    return (this.more[last] ??= new Base(this.text + piece));
  }
}

/** What the rows of a sibling list stand behind; each pair: when the row is not / is the last of its list. */
interface ListPrefixes {
  /** The parent's child prefix. */
  base: string;
  /** A collapsed run's prefix, and a span row's (deep in the tree it also says the depth). */
  runPrefix: [string, string];
  rowPrefix: [string, string];
  /** The base of the row's children. */
  child: [Base, Base];
  /** rowPrefix dimmed and encoded, made when first asked for (dimming is a chalk call when colour is on). */
  styled: [Uint8Array | undefined, Uint8Array | undefined];
}

/** One list of siblings being walked: the children (or their collapsed form) of one node, or the roots. */
interface Siblings {
  /** The next node to show, and where the list ends (siblings follow one another by subtree size). */
  next: number;
  stop: number;
  /** Set when a long run was collapsed: the rows shown instead, and the next of them. */
  visible: Visible[] | undefined;
  at: number;
  depth: number;
  prefixes: ListPrefixes;
}

/**
 * The rows in pre-order with their tree prefixes, one at a time (iteratively: a chain may be a million
 * deep); long runs of similar leaf siblings are collapsed. After next() returns true the current row is
 * in the fields: a span (`node`, `prefix`, `childPrefix`, `hidden`; `sample` -1) or a collapsed run
 * (`sample`, `count`, `total`, `prefix`); `list` holds the prefixes of its list. Nodes are indices into
 * the IndexedTree.
 */
class RowWalk {
  node = -1;
  sample = -1;
  prefix = '';
  hidden = 0;
  /** The prefixes of the current row's list. */
  list!: ListPrefixes;
  count = 0;
  total = 0;
  private readonly stack: Siblings[] = [];
  /** 1 when the current row is the last of its list, else 0: the index into the list's prefixes. */
  private lastIndex: 0 | 1 = 0;
  private readonly size: Int32Array;

  constructor(
    private readonly nodes: IndexedTree,
    private readonly o: TreeTextOptions,
  ) {
    this.size = nodes.tree.layout.size;
    this.push(0, nodes.count, new Base(''), 0);
  }

  /** The prefix the current span row's log lines and children continue from. */
  get childPrefix(): string {
    return this.list.child[this.lastIndex].text;
  }

  next(): boolean {
    const f = this.stack[this.stack.length - 1];
    if (f === undefined) return false;
    let node: number;
    let last: boolean;
    this.list = f.prefixes;
    if (f.visible !== undefined) {
      const v = f.visible[f.at++]!;
      last = f.at === f.visible.length;
      if (last) this.stack.pop(); // done with this list before descending: a long chain keeps the stack short
      if (!('node' in v)) {
        this.node = -1;
        this.sample = v.sample;
        this.count = v.count;
        this.total = v.total;
        this.prefix = f.prefixes.runPrefix[last ? 1 : 0];
        return true;
      }
      node = v.node;
    } else {
      node = f.next;
      f.next = node + this.size[node]!;
      last = f.next >= f.stop;
      if (last) this.stack.pop();
    }
    this.node = node;
    this.sample = -1;
    this.lastIndex = last ? 1 : 0;
    this.prefix = f.prefixes.rowPrefix[this.lastIndex];
    const cut = this.o.depth !== undefined && f.depth >= this.o.depth;
    const below = this.size[node]! - 1;
    this.hidden = cut ? below : 0;
    if (!cut && below > 0) this.push(node + 1, node + 1 + below, f.prefixes.child[this.lastIndex], f.depth + 1);
    return true;
  }

  /** The current span row's prefix, dimmed, as UTF-8. */
  styledPrefix(): Uint8Array {
    const styled = this.list.styled;
    return (styled[this.lastIndex] ??= encode(this.o.palette.dim(this.prefix)));
  }

  /** The list of nodes from `first` (siblings by subtree size) below `stop`. */
  private push(first: number, stop: number, base: Base, depth: number): void {
    if (first >= stop) return;
    let visible: Visible[] | undefined;
    if (!this.o.expand) {
      // Only a list longer than a run that collapses is looked at (made into an array) for runs.
      let count = 0;
      for (let c = first; c < stop && count <= COLLAPSE_RUN; c += this.size[c]!) count++;
      if (count > COLLAPSE_RUN) {
        const children: number[] = [];
        for (let c = first; c < stop; c += this.size[c]!) children.push(c);
        visible = collapseRuns(children, this.nodes);
      }
    }
    this.stack.push({ next: first, stop, visible, at: 0, depth, prefixes: base.list(depth) });
  }
}

/**
 * Keep the first two and the last of a long run of similar leaf siblings; one line stands for the rest.
 * Undefined when there is no run to collapse (most lists), so nothing is copied.
 */
function collapseRuns(children: readonly number[], nodes: IndexedTree): Visible[] | undefined {
  if (children.length <= COLLAPSE_RUN) return undefined;
  let any = false;
  for (let i = 0, j = 1; j <= children.length; j++) {
    if (j < children.length && similar(children[i]!, children[j]!, nodes)) continue;
    if (j - i > COLLAPSE_RUN) {
      any = true;
      break;
    }
    i = j;
  }
  if (!any) return undefined;
  const { start, end } = nodes.tree.layout;
  const out: Visible[] = [];
  let i = 0;
  while (i < children.length) {
    let j = i + 1;
    while (j < children.length && similar(children[i]!, children[j]!, nodes)) j++;
    const run = j - i;
    if (run > COLLAPSE_RUN) {
      out.push({ node: children[i]! }, { node: children[i + 1]! });
      let total = 0;
      for (let k = i + 2; k < j - 1; k++) {
        const c = children[k]!;
        total += end[c]! - start[c]!;
      }
      out.push({ count: run - 3, sample: children[i]!, total });
      out.push({ node: children[j - 1]! });
    } else {
      for (let k = i; k < j; k++) out.push({ node: children[k]! });
    }
    i = j;
  }
  return out;
}

/** Two leaves, neither an error nor missing its parent, of one service and operation. By the layout: no span is read. */
function similar(a: number, b: number, nodes: IndexedTree): boolean {
  if (nodes.descendants(a) > 0 || nodes.descendants(b) > 0) return false;
  const { marks, operation } = nodes.tree.layout;
  return ((marks[a]! | marks[b]!) & ERROR) === 0 && operation[a] === operation[b] && nodes.marks(a)?.missingParent === undefined && nodes.marks(b)?.missingParent === undefined && nodes.marks(a)?.cutParent === undefined && nodes.marks(b)?.cutParent === undefined;
}
