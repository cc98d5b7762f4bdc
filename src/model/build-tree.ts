// Spans of one trace -> a forest, in named passes over one build state (BuildState), after jaeger-ui's
// transform-trace-data.ts, in this order:
//   readSpans               times, marks and ids into flat arrays; ends before starts clamped
//   indexIds                span id -> the index its children hang under
//   settleDuplicates        each id names one span (Zipkin's shared RPC ids, other repeats renamed)
//   linkParents             named parents
//   inferParentsFromTiming  parents of log spans that name none
//   cutCycles               every parent chain ends at a root
//   placeUnstarted          spans without a start time placed at their parent's
//   sortChildren            child lists and roots in start order
//   adjustSkew              (--adjust-skew) children on other hosts shifted into their parents
//   markSkewAndAsync        skewed, async and far-off spans found
//   layOut, finish          the pre-order layout, the marks, the trace's extent
// Each pass's header states what holds after it. Bad input (duplicates, orphans, self-parents, cycles,
// skew) gets a defined outcome and a warning, never an exception. Every walk is a loop over an explicit
// stack: a trace may hold 1,000,000 spans in one chain.
import { whereOf, type Span } from './span.js';
import { ChildLists } from './child-lists.js';
import { OperationNumbers, type ServiceOperation } from './operation-numbers.js';
import { HEX_PARENT, NO_PARENT, SpanIdArrays, SpanIdIndex } from './span-id-index.js';
import { inferParents } from './infer-parents.js';
import { UNTIMED_ATTRIBUTE } from './spans-from-entries.js';
import { marksOf, NO_CHILDREN, PARENT_INFERRED, PARENT_INFERRED_ATTRIBUTE, type NodeMarks, type SpanNode, type TraceTree, type TreeLayout, type TreeWarning } from './tree.js';
import type { Micros } from '../core/time.js';
import { asyncOf, detectSkew, hostOf, shiftSpan, skewDelta } from './clock-skew.js';
import { farOffSpans, MAX_SPREAD } from './plausible-times.js';
import { ranksBefore, rootClass } from './root-rule.js';

export interface BuildTreeOptions {
  /** Shift children on other hosts back inside their parents, as jaeger's clock-skew adjuster does. */
  adjustSkew?: boolean;
}

/** Listing of a cycle in a warning, cut short: a cycle may be a million spans long. */
const CYCLE_LISTED = 5;

/**
 * The tree of one trace's spans. The tree keeps `input` as its span list (TraceTree.spans, unless a span
 * had to be corrected or moved): neither the array nor its spans may change afterwards.
 */
export function buildTree(traceId: string, input: Span[], options: BuildTreeOptions = {}): TraceTree {
  const b = new BuildState(input, options.adjustSkew === true);
  readSpans(b);
  indexIds(b);
  settleDuplicates(b);
  linkParents(b);
  inferParentsFromTiming(b);
  b.kids = new ChildLists(b.parent);
  cutCycles(b);
  placeUnstarted(b);
  sortChildren(b);
  if (b.shifted) adjustSkew(b);
  markSkewAndAsync(b);
  layOut(b);
  return finish(b, traceId);
}

/**
 * What the passes share: the spans' times, marks and ids as flat arrays by input index, and what each
 * pass finds. Spans are handled by their index in the input, so duplicates stay apart. The maps and
 * lists start undefined and are made only when needed: most traces have no duplicate, missing parent or
 * skew, and a trace of a few spans spent a tenth of its tree's time making empty maps.
 */
class BuildState {
  readonly n: number;
  readonly warnings: TreeWarning[] = [];
  /** The input, or a copy of it once a span had to be corrected (negative duration) or placed (no start). */
  spans: Span[];
  /** The spans as placed in the tree: `spans`, or under --adjust-skew a copy that takes the shifted spans. */
  cur: Span[];
  /** Times as placed, kept in step with `cur`: sorting and the trace's extent read these. */
  readonly start: Float64Array;
  readonly startNanos: Float64Array;
  readonly end: Float64Array;
  /**
   * Start order; ties: longer first (so an enclosing span precedes what it encloses), then id, then input
   * position — a total order, so the output never depends on the sort algorithm.
   */
  readonly cmp: (a: number, b: number) => number;
  readonly marks: Uint8Array;
  readonly operationOf: Int32Array;
  readonly operations = new OperationNumbers();
  readonly ids: SpanIdArrays;
  /** 1 for spans of log lines that name no parent: their parents are inferred from timing. */
  orphans: Uint8Array | undefined = undefined;
  /** A span id -> the index its children hang under (span-id-index.ts). */
  readonly attachTo: SpanIdIndex;
  /** Span ids seen more than once -> their indices, in input order. */
  groups: Map<string, number[]> | undefined = undefined;
  /** Node keys of renamed duplicates (`<id>#<n>`). */
  keys: Map<number, string> | undefined = undefined;
  /** Server halves of a shared Zipkin id -> their client half. */
  forcedParent: Map<number, number> | undefined = undefined;
  /** Each span's parent index, -1 for a root. */
  readonly parent: Int32Array;
  /** Spans whose named parent is not in the trace -> that id. */
  missing: Map<number, string> | undefined = undefined;
  /** Spans whose named parent was cut to break a cycle (or is themselves) -> that parent's id. */
  cut: Map<number, string> | undefined = undefined;
  inferredCount = 0;
  ambiguous = 0;
  /** TraceTree.namesParents. */
  namesParents = false;
  /** Child lists of `parent`, made once parents are linked and inferred. */
  kids: ChildLists | undefined = undefined;
  /** Spans placed at their parent's start for lack of a start time. */
  unstarted: number[] | undefined = undefined;
  /** Parentless spans in start order. */
  readonly roots: number[] = [];
  /** --adjust-skew. */
  readonly shifted: boolean;
  /** Each span's --adjust-skew shift (0: none). */
  readonly delta: Float64Array;
  skews: Map<number, NonNullable<SpanNode['skew']>> | undefined = undefined;
  asyncs: Map<number, Micros> | undefined = undefined;
  /** Far-off spans (plausible-times.ts), found on the times as placed. */
  far: number[] = [];
  layout: TreeLayout | undefined = undefined;

  constructor(
    readonly input: Span[],
    shifted: boolean,
  ) {
    const n = input.length;
    this.n = n;
    this.spans = input;
    this.cur = input;
    const start = (this.start = new Float64Array(n));
    const startNanos = (this.startNanos = new Float64Array(n));
    const end = (this.end = new Float64Array(n));
    this.cmp = (a, b) => {
      const d = start[a]! - start[b]! || startNanos[a]! - startNanos[b]! || end[b]! - end[a]!;
      if (d) return d;
      const x = this.at(a).spanId;
      const y = this.at(b).spanId;
      return (x < y ? -1 : x > y ? 1 : 0) || a - b;
    };
    this.marks = new Uint8Array(n);
    this.operationOf = new Int32Array(n);
    this.ids = new SpanIdArrays(n);
    this.attachTo = new SpanIdIndex(n);
    this.parent = new Int32Array(n).fill(-1);
    this.shifted = shifted;
    this.delta = new Float64Array(n);
  }

  /** Span i as recorded; its id, host and kind are those of span i as placed. */
  orig(i: number): Span {
    return this.spans[i] as Span; // indices come from 0..n-1 only
  }

  /** Span i as placed. */
  at(i: number): Span {
    return this.cur[i] as Span;
  }

  /** Replaces span i as recorded and as placed, copying the input first: the caller's array never changes. */
  replace(i: number, s: Span): void {
    if (this.spans === this.input) {
      this.spans = this.input.slice();
      if (this.cur === this.input) this.cur = this.spans;
    }
    this.spans[i] = s;
    this.cur[i] = s;
  }

  /** The child lists; only after they are made (buildTree). */
  children(): ChildLists {
    return this.kids as ChildLists;
  }
}

/**
 * Reads all that the passes, and the tree's readers, need of each span into flat arrays: the times, the
 * marks, the (service, operation) pair's number, and the span and parent ids as numbers
 * (span-id-index.ts). A large trace's spans lie scattered over the heap, and each pass that read them
 * again would miss the cache on every span (docs/DECISIONS.md, D28).
 * Invariant after: end >= start for every span. Readers clamp already; a span built elsewhere may not
 * have been, and a negative length would turn bars, self time and percentiles upside down.
 */
function readSpans(b: BuildState): void {
  const { n, start, startNanos, end, marks, operationOf, operations, ids } = b;
  for (let i = 0; i < n; i++) {
    let s = b.orig(i);
    if (s.end < s.start) {
      const fixed = { ...s, end: s.start };
      b.replace(i, fixed);
      b.warnings.push({ kind: 'negative-duration', spanId: s.spanId, message: `span ${s.spanId} ends ${s.start - s.end} µs before it starts; shown with duration 0` });
      s = fixed;
    }
    start[i] = s.start;
    startNanos[i] = s.startNanos ?? 0;
    end[i] = s.end;
    marks[i] = marksOf(s);
    operationOf[i] = operations.number(s.service, s.operation);
    ids.read(i, s.spanId, s.parentSpanId);
    if (s.origin === 'log' && (s.parentSpanId === undefined || s.parentSpanId === '') && s.attributes[UNTIMED_ATTRIBUTE] !== true) (b.orphans ??= new Uint8Array(n))[i] = 1;
  }
  // Shifted copies replace entries under --adjust-skew, in a copy made only for it.
  if (b.shifted) b.cur = b.spans.slice();
}

/**
 * Every span id to the first index that has it (attachTo); ids seen again are grouped, in input order,
 * for settleDuplicates.
 */
function indexIds(b: BuildState): void {
  const { n, ids, attachTo } = b;
  for (let i = 0; i < n; i++) {
    const first = ids.spanIsHex(i) ? attachTo.setIfAbsentHex(ids.spanHi[i]!, ids.spanLo[i]!, i) : attachTo.setIfAbsent(b.orig(i).spanId, i);
    if (first === undefined) continue;
    const id = b.orig(i).spanId;
    b.groups ??= new Map();
    const g = b.groups.get(id);
    if (g) g.push(i);
    else b.groups.set(id, [first, i]);
  }
}

/**
 * Invariant after: each id names one span (attachTo), and every other span of that id has a key of its
 * own. Zipkin clients reuse one id for both halves of an RPC; like jaeger's zipkin_span_id_uniquify, the
 * server half becomes the client half's child and adopts the id's children (the server did the work they
 * describe). Any other repeat is kept apart: the first in input order keeps the id and its children, the
 * others get a key `<id>#<n>` and a warning. Input order, not start order, as jaeger-ui's
 * transformTraceData renames the later copies (`<id>_<n>`): a copy with a bad clock (a 1970 name-only
 * record) must not take the children from the span that did the work.
 */
function settleDuplicates(b: BuildState): void {
  for (const [id, g] of b.groups ?? []) {
    const named = (b.keys ??= new Map());
    const forced = (b.forcedParent ??= new Map());
    const [x, y] = g.map((i) => b.orig(i).kind);
    const client = x === 'client' ? g[0] : y === 'client' ? g[1] : undefined;
    const server = x === 'server' ? g[0] : y === 'server' ? g[1] : undefined;
    if (g.length === 2 && client !== undefined && server !== undefined) {
      forced.set(server, client);
      b.attachTo.set(id, server);
      named.set(server, `${id}#2`);
      continue;
    }
    b.attachTo.set(id, g[0] as number);
    g.forEach((i, k) => {
      if (k === 0) return;
      named.set(i, `${id}#${k + 1}`);
      const s = b.orig(i);
      b.warnings.push({ kind: 'duplicate-span-id', spanId: id, message: `span id ${id} appears ${g.length} times; copy ${k + 1} (${whereOf(s) ?? s.operation}) kept as ${id}#${k + 1}` });
    });
  }
}

/**
 * Invariant after: `parent[i]` is the span span i names as its parent, or -1 when it names none, names
 * itself or names one not in the trace (warned, and kept in `missing`).
 */
function linkParents(b: BuildState): void {
  const { n, ids, attachTo, parent, forcedParent } = b;
  const hexParents = attachTo.getAllHex(ids.parentHi, ids.parentLo, n); // read only where the parent is hex
  for (let i = 0; i < n; i++) {
    const forced = forcedParent?.get(i);
    if (forced !== undefined) {
      parent[i] = forced;
      continue;
    }
    const named = ids.parent(i);
    if (named === NO_PARENT) continue;
    if (named === HEX_PARENT && ids.spanIsHex(i) && !ids.namesItself(i)) {
      // The common case, from the arrays alone.
      const p = hexParents[i]!;
      if (p !== -1) {
        parent[i] = p;
        if (b.orig(p).inferred !== true && b.orig(i).inferred !== true) b.namesParents = true;
        continue;
      }
    }
    const s = b.orig(i);
    if (s.parentSpanId === undefined || s.parentSpanId === '') continue;
    else if (s.parentSpanId === s.spanId) {
      b.warnings.push({ kind: 'self-parent', spanId: s.spanId, message: `span ${s.spanId} names itself as its parent; shown as a root` });
      (b.cut ??= new Map()).set(i, s.spanId);
    } else {
      const p = attachTo.get(s.parentSpanId);
      if (p !== undefined) {
        parent[i] = p;
        // A placeholder's parent is set by assembleSpans, and so is the proxy's as a parent: no word of the input.
        if (b.orig(p).inferred !== true && s.inferred !== true) b.namesParents = true;
      } else {
        (b.missing ??= new Map()).set(i, s.parentSpanId);
        b.warnings.push({ kind: 'missing-parent', spanId: s.spanId, message: `parent ${s.parentSpanId} of span ${s.spanId} is not in the trace; shown as a root` });
      }
    }
  }
  keepExportedInferences(b);
}

/**
 * A file tracectl exported says which parents it had inferred from timing (`tracectl.parent_inferred`):
 * read back, those links are marked and counted again, so the tree says what the original said.
 */
function keepExportedInferences(b: BuildState): void {
  const { n, parent, marks } = b;
  for (let i = 0; i < n; i++) {
    if (parent[i]! < 0) continue;
    const s = b.orig(i);
    if (s.origin === 'log') continue;
    const v = s.attributes[PARENT_INFERRED_ATTRIBUTE];
    if (v !== true && v !== 'true') continue;
    marks[i]! |= PARENT_INFERRED;
    b.inferredCount++;
  }
}

/**
 * Parents inferred from timing for log spans that name none (infer-parents.ts), marked PARENT_INFERRED.
 * A parent is any span of the trace but a placeholder of loose lines (a bag of lines, not an operation),
 * an untimed span or a far-off one; named parents are kept, no inferred link closes a loop, and the root
 * that stands for the trace keeps none (keepMainRoot).
 */
function inferParentsFromTiming(b: BuildState): void {
  const { n, orphans, start, end, startNanos, parent, marks } = b;
  if (orphans === undefined) return;
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = b.orig(i);
    candidate[i] = s.inferred === true || (s.origin === 'log' && s.attributes[UNTIMED_ATTRIBUTE] === true) ? 0 : 1;
  }
  const far = new Uint8Array(n);
  for (const i of farOffSpans(start, end)) {
    far[i] = 1;
    candidate[i] = orphans[i] = 0;
  }
  keepMainRoot(b, far);
  const found = inferParents({ start, end, startNanos, id: (i) => b.orig(i).spanId, parent, child: orphans, candidate });
  for (let i = 0; i < n; i++) {
    const p = found.parent[i]!;
    if (p < 0) continue;
    parent[i] = p;
    marks[i]! |= PARENT_INFERRED;
  }
  b.inferredCount += found.count;
  b.ambiguous = found.ambiguous;
}

/**
 * A log span naming no parent that the trace's rule picks as its root (root-rule.ts, class 0: the trace's
 * spans name parents it holds, so naming none is a root's word) gets no parent from timing: `group` picks
 * it while streaming, where no inference can be made, and every command must name the same root.
 * Inference only takes roots away, so it stays the rule's pick in the tree. Where logs carry no parent ids
 * at all (class 2) the inference stands: the earliest such span is the one no other encloses, but for
 * one that starts within the slack (infer-parents.ts) of a longer one, which `group` cannot see (D109).
 */
function keepMainRoot(b: BuildState, far: Uint8Array): void {
  const { n, parent, orphans } = b;
  let best = -1;
  let bestClass = 0;
  for (let i = 0; i < n; i++) {
    if (parent[i] !== -1) continue;
    const s = b.orig(i);
    const c = rootClass(s, s.inferred === true, far[i] === 1, b.namesParents);
    if (best === -1 || ranksBefore(s, c, b.orig(best), bestClass)) {
      best = i;
      bestClass = c;
    }
  }
  if (best !== -1 && bestClass === 0) orphans![best] = 0;
}

/**
 * Invariant after: following parents from any span ends at a root (the links form a forest).
 * Everything not reachable from a parentless span hangs off a parent cycle (each span has at most one
 * parent, so every such component holds exactly one cycle). Follow parents until a span repeats, then
 * cut the cycle above its first member in start order, which becomes a root.
 *
 *     a -> b -> c -> a     (-> : "has parent")     cut at the earliest, say b:   b <- a <- c    (b root)
 */
function cutCycles(b: BuildState): void {
  const { n, parent } = b;
  const kids = b.children();
  const reached = reachedFromRoots(parent);
  const stack: number[] = [];
  const reach = (from: number): void => {
    stack.push(from);
    for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
      reached[v] = 1;
      for (let k = 0, c = kids.count(v); k < c; k++) stack.push(kids.at(v, k));
    }
  };
  const walkMark = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (reached[i]) continue;
    let v = i;
    while (walkMark[v] === 0) {
      walkMark[v] = i + 1;
      v = parent[v] as number; // unreached spans always have a parent
    }
    if (walkMark[v] !== i + 1 || reached[v]) continue; // not reachable in theory; stay safe
    const members = [v];
    for (let w = parent[v] as number; w !== v; w = parent[w] as number) members.push(w);
    const cut = members.reduce((best, m) => (b.cmp(m, best) < 0 ? m : best));
    kids.remove(parent[cut] as number, cut);
    (b.cut ??= new Map()).set(cut, b.orig(parent[cut] as number).spanId);
    parent[cut] = -1;
    const listed = members.slice(0, CYCLE_LISTED).map((m) => b.orig(m).spanId);
    const more = members.length > CYCLE_LISTED ? ` (+${members.length - CYCLE_LISTED} more)` : '';
    b.warnings.push({ kind: 'cycle', spanId: b.orig(cut).spanId, message: `parent cycle of ${members.length} span(s): ${listed.join(', ')}${more}; cut above ${b.orig(cut).spanId}, shown as a root` });
    reach(cut);
  }
}

/**
 * Spans without a start time (0: Jaeger JSON of Zipkin data without a timestamp) are placed at their
 * parent's start, top-down, keeping their duration, and flagged: at 1970 they would stretch self times
 * and the waterfall. Jaeger's UI leaves them out altogether (transformTraceData keeps only spans with a
 * truthy startTime); here every span stays in the tree. Only under a parent placed far from the epoch: a
 * trace that is all near 1970 (test data) has nothing to repair.
 */
function placeUnstarted(b: BuildState): void {
  const { n, start, startNanos, end, parent } = b;
  let waiting: Uint8Array | undefined;
  for (let i = 0; i < n; i++) if (start[i] === 0 && startNanos[i] === 0 && parent[i] !== -1) (waiting ??= new Uint8Array(n))[i] = 1;
  if (waiting === undefined) return;
  const top: number[] = [];
  for (let i = 0; i < n; i++) if (parent[i] === -1) top.push(i);
  const placed: number[] = (b.unstarted = []);
  for (const i of b.children().preorder(top)) {
    if (!waiting[i]) continue;
    const from = start[parent[i]!]!;
    if (from <= MAX_SPREAD) continue;
    const s = b.orig(i);
    const placedSpan: Span = { ...s, start: from, end: from + (end[i]! - start[i]!) };
    b.replace(i, placedSpan);
    start[i] = placedSpan.start;
    end[i] = placedSpan.end;
    placed.push(i);
    b.warnings.push({ kind: 'no-start-time', spanId: s.spanId, message: `span ${s.spanId} (${whereOf(s) ?? s.operation}) has no start time; placed at its parent's start` });
  }
}

/** Invariant after: every child list and `roots` are in start order (cmp). */
function sortChildren(b: BuildState): void {
  const { n, parent, roots, cmp } = b;
  const kids = b.children();
  for (let i = 0; i < n; i++) {
    if (parent[i] === -1) roots.push(i);
    kids.sort(i, cmp);
  }
  roots.sort(cmp);
}

/**
 * Jaeger's skew adjustment, top-down so each child is compared with its parent's adjusted times. A child
 * on another host gets its own delta (skewDelta); a child on the parent's host inherits the parent's
 * delta, since the same clock stamped both. One warning per computed delta. Invariant after: `cur`,
 * `start` and `end` hold the shifted times, `delta` each shift, and child lists are in start order again.
 */
function adjustSkew(b: BuildState): void {
  const { n, parent, delta, start, end } = b;
  const kids = b.children();
  const cause = new Int32Array(n).fill(-1); // the span whose computed delta this one carries
  const carried = new Map<number, number>(); // cause -> same-host descendants moved with it
  const resort = new Set<number>();
  for (const i of kids.preorder(b.roots)) {
    const p = parent[i] as number;
    if (p === -1) continue;
    let d: Micros;
    if (hostOf(b.orig(i)) !== hostOf(b.orig(p))) {
      d = skewDelta(b.orig(i), b.at(p));
      if (d !== 0) {
        cause[i] = i;
        carried.set(i, 0);
      }
    } else {
      d = delta[p] as number;
      const c = cause[p] as number;
      cause[i] = c;
      if (c !== -1) carried.set(c, (carried.get(c) ?? 0) + 1);
    }
    if (d === 0) continue;
    delta[i] = d;
    const shifted = shiftSpan(b.orig(i), d);
    b.cur[i] = shifted;
    start[i] = shifted.start;
    end[i] = shifted.end;
    resort.add(p);
  }
  for (const [i, moved] of carried) {
    const s = b.orig(i);
    const d = delta[i] as number;
    const withKids = moved > 0 ? ` with ${moved} same-host descendant(s)` : '';
    b.warnings.push({ kind: 'skew-adjusted', spanId: s.spanId, message: `span ${s.spanId} (${hostOf(s)}) shifted by ${d > 0 ? '+' : ''}${d} µs${withKids} to fit its parent on ${hostOf(b.orig(parent[i] as number))}` });
  }
  for (const p of resort) kids.sort(p, b.cmp);
}

/**
 * Children outside their parents, measured on the times as recorded: an async child (asyncs) or clock
 * skew (skews). Looked for in input order, on the flat times where nothing was shifted: a child inside
 * its parent has neither, whatever the hosts. Also the far-off spans (far), on the times as placed.
 */
/** Where a child lies outside its parent, in words: "starts 5 µs before and ends 3 µs after", "starts 8000 µs after the end of". */
function skewWords(child: Span, parent: Span, skew: { startsBefore: Micros; endsAfter: Micros }): string {
  if (child.start > parent.end) return `starts ${child.start - parent.end} µs after the end of`;
  if (skew.startsBefore > 0 && skew.endsAfter > 0) return `starts ${skew.startsBefore} µs before and ends ${skew.endsAfter} µs after`;
  return skew.startsBefore > 0 ? `starts ${skew.startsBefore} µs before` : `ends ${skew.endsAfter} µs after`;
}

function markSkewAndAsync(b: BuildState): void {
  const { n, parent, start, end, delta, shifted } = b;
  b.far = farOffSpans(start, end);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p === -1 || (!shifted && start[i]! >= start[p]! && end[i]! <= end[p]!)) continue;
    const late = delta[i] === 0 ? asyncOf(b.orig(i), b.orig(p)) : undefined;
    if (late !== undefined) {
      (b.asyncs ??= new Map()).set(i, late);
      continue;
    }
    const skew = detectSkew(b.orig(i), b.orig(p));
    if (skew) (b.skews ??= new Map()).set(i, skew);
  }
}

/**
 * The layout (tree.ts): one walk in pre-order places every span, its node index and parent, in typed
 * arrays only; the SpanNode objects are made from these when first asked for (materialize, below) —
 * latency and critical-path never ask (on a million spans: ~0.2 s and ~80 MB of peak memory less).
 * Invariant after: every span reached from a root has one node; a parent's node index is lower than its
 * children's; size[k] counts node k's subtree. Clock-skew warnings come in pre-order.
 */
function layOut(b: BuildState): void {
  const { n, parent, roots, skews, start, end, marks, operationOf } = b;
  const kids = b.children();
  let made = 0;
  let layout: TreeLayout = { start: new Float64Array(n), end: new Float64Array(n), marks: new Uint8Array(n), operation: new Int32Array(n), parent: new Int32Array(n), size: new Int32Array(n), spanIndex: new Int32Array(n) };
  // The walk's stack: span index and its parent's node index (-1: a root). Every span is in one child
  // list at most, so in a forest (cycles cut) it never holds more than all of them.
  const stackSpan = new Int32Array(n);
  const stackParent = new Int32Array(n);
  let top = 0;
  const nodeOf = new Int32Array(n).fill(-1); // each span's node index
  for (let r = roots.length - 1; r >= 0; r--) {
    stackSpan[top] = roots[r]!;
    stackParent[top] = -1;
    top++;
  }
  while (top > 0) {
    top--;
    const i = stackSpan[top]!;
    const index = made++;
    nodeOf[i] = index;
    layout.parent[index] = stackParent[top]!;
    layout.spanIndex[index] = i;
    const skew = skews?.get(i);
    if (skew !== undefined) {
      const s = b.orig(i);
      const ps = b.orig(parent[i]!);
      b.warnings.push({ kind: 'clock-skew', spanId: s.spanId, message: `span ${s.spanId} (${hostOf(s)}) ${skewWords(s, ps, skew)} its parent ${ps.spanId} (${hostOf(ps)})` });
    }
    for (let k = kids.count(i) - 1; k >= 0; k--) {
      stackSpan[top] = kids.at(i, k);
      stackParent[top] = index;
      top++;
    }
  }
  // The times go to the layout after the walk, in input order, each to its node's place: read in tree
  // order (during the walk), each read would miss the cache and hold the walk up; a write that misses
  // does not.
  for (let i = 0; i < n; i++) {
    const k = nodeOf[i]!;
    if (k < 0) continue;
    layout.start[k] = start[i]!;
    layout.end[k] = end[i]!;
    layout.marks[k] = marks[i]!;
    layout.operation[k] = operationOf[i]!;
  }
  // Every span is reached once (cycles are cut); never leave holes if not.
  if (made < n) layout = { start: layout.start.subarray(0, made), end: layout.end.subarray(0, made), marks: layout.marks.subarray(0, made), operation: layout.operation.subarray(0, made), parent: layout.parent.subarray(0, made), size: layout.size.subarray(0, made), spanIndex: layout.spanIndex.subarray(0, made) };
  // Subtree sizes, children before parents (a parent's index is lower).
  const size = layout.size;
  size.fill(1);
  for (let k = made - 1; k > 0; k--) {
    const p = layout.parent[k]!;
    if (p >= 0) size[p]! += size[k]!;
  }
  b.layout = layout;
}

/**
 * The tree: the marks only some nodes carry (by span index; most traces have none and share one empty
 * map), the far-off spans' warnings, and the trace's extent over the spans whose times are plausible
 * (plausible-times.ts) — far-off ones are left out of it, unless nothing else is left.
 */
function finish(b: BuildState, traceId: string): TraceTree {
  const { n, keys, missing, cut, skews, asyncs, shifted, delta, far, unstarted, start, end } = b;
  let marked = NO_MARKS;
  if (keys || missing || cut || skews || asyncs || shifted || far.length > 0 || (unstarted && unstarted.length > 0)) {
    const some = (marked = new Map<number, NodeMarks>());
    const at = (i: number): NodeMarks => {
      let m = some.get(i);
      if (m === undefined) some.set(i, (m = {}));
      return m;
    };
    for (const [i, key] of keys ?? []) at(i).key = key;
    for (const [i, parent] of missing ?? []) at(i).missingParent = parent;
    for (const [i, parent] of cut ?? []) at(i).cutParent = parent;
    for (const [i, skew] of skews ?? []) at(i).skew = skew;
    for (const [i, late] of asyncs ?? []) at(i).asyncEndsAfter = late;
    if (shifted) for (let i = 0; i < n; i++) if (delta[i] !== 0) at(i).shift = delta[i];
    for (const i of far) at(i).outOfRange = true;
    for (const i of unstarted ?? []) at(i).noStartTime = true;
  }
  for (const i of far) {
    const s = b.at(i);
    b.warnings.push({ kind: 'time-out-of-range', spanId: s.spanId, message: `span ${s.spanId} (${whereOf(s) ?? s.operation}) lies far outside the rest of the trace (${isoOrRaw(s.start)} .. ${isoOrRaw(s.end)}); left out of the trace's start and end` });
  }
  let excluded: Uint8Array | undefined;
  if (far.length > 0 && far.length < n) {
    excluded = new Uint8Array(n);
    for (const i of far) excluded[i] = 1;
  }
  let first = n > 0 ? Infinity : 0;
  let last = n > 0 ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    if (excluded?.[i]) continue;
    if (start[i]! < first) first = start[i]!;
    if (end[i]! > last) last = end[i]!;
  }
  const tree = new BuiltTree(traceId, first, last, b.warnings, b.operations.services(), b.operations.list, b.cur, marked, b.layout as TreeLayout);
  if (b.inferredCount > 0) tree.parentsInferred = { count: b.inferredCount, ambiguous: b.ambiguous };
  tree.namesParents = b.namesParents;
  return tree;
}

/** The marks of a tree without any. */
const NO_MARKS: ReadonlyMap<number, NodeMarks> = new Map();

/**
 * buildTree's result: `roots` and `nodes` are made from the layout at the first read of either
 * (materialize). A class, so that a trace of a few spans costs one small object, not closures.
 */
class BuiltTree implements TraceTree {
  private made: { roots: SpanNode[]; nodes: SpanNode[] } | undefined;
  parentsInferred: TraceTree['parentsInferred'] = undefined;
  namesParents = false;

  constructor(
    readonly traceId: string,
    readonly start: Micros,
    readonly end: Micros,
    readonly warnings: TreeWarning[],
    readonly services: readonly string[],
    readonly operations: readonly ServiceOperation[],
    readonly spans: readonly Span[],
    readonly marks: ReadonlyMap<number, NodeMarks>,
    readonly layout: TreeLayout,
  ) {}

  get roots(): SpanNode[] {
    return (this.made ??= materialize(this)).roots;
  }

  get nodes(): SpanNode[] {
    return (this.made ??= materialize(this)).nodes;
  }
}

/**
 * The nodes of a layout, in its pre-order. The list is made at its final length (a list of a million
 * grown by push is copied on the way, in the old generation, and sets off full markings), child lists
 * too (one grown by push reserves 17 slots for one child), and a leaf shares one frozen empty list.
 * Every node gets the five common fields, in one order: one object shape for nearly all nodes, so the
 * walks over them stay monomorphic; the rare marks only where they apply (five more fields on every
 * node would be 40 MB on a million spans, all of it copied by the young-generation collector).
 */
function materialize(tree: Pick<TraceTree, 'spans' | 'marks' | 'layout'>): { roots: SpanNode[]; nodes: SpanNode[] } {
  const { spans, marks, layout } = tree;
  const { parent, spanIndex } = layout;
  const n = spanIndex.length;
  const childCount = new Int32Array(n);
  for (let k = 0; k < n; k++) if (parent[k]! >= 0) childCount[parent[k]!]!++;
  const filled = new Int32Array(n);
  const nodes = new Array<SpanNode>(n);
  const roots: SpanNode[] = [];
  for (let index = 0; index < n; index++) {
    const i = spanIndex[index]!;
    const p = parent[index]!;
    const up = p >= 0 ? nodes[p] : undefined;
    const c = childCount[index]!;
    const node: SpanNode = { span: spans[i]!, index, parent: up, children: c > 0 ? new Array<SpanNode>(c) : NO_CHILDREN, depth: up ? up.depth + 1 : 0 };
    const m = marks.size > 0 ? marks.get(i) : undefined;
    if (m !== undefined) {
      if (m.key !== undefined) node.key = m.key;
      if (m.missingParent !== undefined) node.missingParent = m.missingParent;
      if (m.cutParent !== undefined) node.cutParent = m.cutParent;
      if (m.skew !== undefined) node.skew = m.skew;
      if (m.asyncEndsAfter !== undefined) node.asyncEndsAfter = m.asyncEndsAfter;
      if (m.shift !== undefined) node.shift = m.shift;
      if (m.outOfRange) node.outOfRange = true;
      if (m.noStartTime) node.noStartTime = true;
    }
    if ((layout.marks[index]! & PARENT_INFERRED) !== 0) node.parentInferred = true;
    if (up) up.children[filled[p]!++] = node;
    else roots.push(node);
    nodes[index] = node;
  }
  return { roots, nodes };
}

/**
 * The start and end buildTree(traceId, spans) without skew adjustment will give the trace, when they are
 * certain without building it: every time a number, and the whole trace within MAX_SPREAD end to end, so
 * that no span is far off (plausible-times.ts). Ends before starts count as their starts, as in pass 0.
 * Undefined otherwise (and for no spans): build the tree. Lets an analysis pass over a trace that cannot
 * change its result without building the tree (trace-analysis.ts).
 */
export function plainBounds(spans: readonly Span[]): { start: Micros; end: Micros } | undefined {
  const b = new PlainBounds();
  for (let i = 0; i < spans.length; i++) b.add(spans[i]!.start, spans[i]!.end);
  return b.bounds();
}

/**
 * plainBounds, a span at a time: for those who hold a span's times without a Span (a trace folded from
 * its log lines, span-fold.ts).
 */
export class PlainBounds {
  private first = Infinity;
  private last = -Infinity;
  private unknown = false;

  add(start: Micros, end: Micros): void {
    if (end < start) end = start;
    if (Number.isNaN(start) || Number.isNaN(end)) this.unknown = true;
    if (start < this.first) this.first = start;
    if (end > this.last) this.last = end;
  }

  bounds(): { start: Micros; end: Micros } | undefined {
    if (this.unknown || this.first === Infinity) return undefined;
    return this.last - this.first <= MAX_SPREAD ? { start: this.first, end: this.last } : undefined;
  }
}

function isoOrRaw(us: Micros): string {
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? `${us} µs` : d.toISOString();
}

/**
 * Which spans hang (through their parents) under a parentless span: 1 for those, 0 for those under a
 * parent cycle. Each walk up stops at the first span already settled, so every span is walked once.
 */
function reachedFromRoots(parentIdx: Int32Array): Uint8Array {
  const n = parentIdx.length;
  const state = new Uint8Array(n); // 0 unknown, 1 on the current walk, 2 reaches a root, 3 does not
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    let v = i;
    while (v !== -1 && state[v] === 0) {
      state[v] = 1;
      v = parentIdx[v]!;
    }
    const outcome = v === -1 || state[v] === 2 ? 2 : 3; // 1: this walk closed a cycle
    for (let w = i; w !== -1 && state[w] === 1; w = parentIdx[w]!) state[w] = outcome;
  }
  for (let i = 0; i < n; i++) state[i] = state[i] === 2 ? 1 : 0;
  return state;
}
