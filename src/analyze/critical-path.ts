// Critical path: the chain of work that determined when the trace finished, following jaeger-ui's
// CriticalPath (computeCriticalPath, findLastFinishingChildSpan, sanitizeOverFlowingChildren) and its
// blocking filter, but as a loop instead of recursion so 100,000-span and 100,000-deep traces are fine.
//
// Walk backwards from the root's end. At a span, step into its "last finishing child" (LFC): on the first
// visit the child that ends last; on a return from a child that started at t, the child that ends last
// among those ending STRICTLY before t (Jaeger's `childEndTime < returningChildStartTime`). The stretch
// from that child's end up to the current point belongs to the span. A span with no such child owns the
// rest down to its own start, and the walk returns to its parent at that start.
//
//   C |1===================================================101|
//   D          |20=====40|
//   E                        |50===60|
//   path: C 1-20, D 20-40, C 40-50, E 50-60, C 60-101
//
//   X |1===================================================101|
//   A       |10================50|
//   C            |20=================60|
//   path: X 1-20, C 20-60, X 60-101   (A ends after C starts, so it is never "strictly before" 20)
//
// Consequences of the strict "<", kept to agree with Jaeger: touching siblings D[20,40] E[40,60] give
// C .. 40, E 40-60, ..., i.e. D (ending exactly where E starts) is NOT on the path; its time is the parent's.
// Ties in end time go to the child that comes first in start order (Jaeger keeps the first maximum).
// Not copied: Jaeger treats a returning time of 0 as "first visit" (a falsy check), which would loop on
// epoch-0 data; we compare against undefined.
//
// Before the walk, children are clipped to their (already clipped) parent, in pre-order like Jaeger:
//   starts inside, ends after    -> end cut to the parent's end
//   starts before, ends inside   -> start moved to the parent's start
//   starts before, ends after    -> both
//   starts at/after parent end, or ends at/before parent start -> dropped with its whole subtree
// Asynchronous subtrees do not hold their parent up and are left out, as jaeger-ui's getChildOfSpans
// leaves out FOLLOWS_FROM children: a span whose parent link is FOLLOWS_FROM, a 'consumer' span under a
// 'producer' span, and any span the tree marks async (`↷ async`, SpanNode.asyncEndsAfter: it starts
// inside its parent and ends after it, fire-and-forget work). The tree and the path read one rule, so a
// span shown as async is never clipped onto the path. Clipping stays for what the tree does not call
// async (a child starting before its parent on another host: skew).
//
// Several roots: we follow the root that stands for the trace (main-root.ts: jaeger-ui's trace name,
// the earliest span naming no parent) and report how many roots there were; Jaeger's UI concatenates
// the paths of every root (criticalPathForTrace loops over trace.rootSpans), which interleaves unrelated
// timelines; its versions before that followed the one span without references (findRootSpanId). Another root, or any span, can be chosen (`root`, the command's --root):
// the path is then the one under that span, clipped to it.
//
// Ties: children that end at the same time after clipping are taken in the tree's child order, i.e. by
// start, then the longer first, then the lower span id (build-tree.ts); Jaeger takes the first in its
// input order. Both are valid paths of equal length; only which span is named differs.
import { CONSUMER, FOLLOWS_FROM, PRODUCER, type SpanNode, type TraceTree, type TreeLayout } from '../model/tree.js';
import type { Micros } from '../core/time.js';
import { mainRoot, mainRootOf } from './main-root.js';

export interface CriticalSection {
  spanId: string;
  /** SpanNode.key, when another span of the trace has the same id; totals are kept per key. */
  key?: string;
  service: string;
  operation: string;
  from: Micros;
  to: Micros;
}

export interface CriticalSpanTotal {
  spanId: string;
  key?: string;
  service: string;
  operation: string;
  micros: Micros;
}

export interface CriticalPath {
  /** The root the path was computed for (absent for an empty trace). */
  rootSpanId?: string;
  /** Its node index (TraceTree.nodes), so renderers need not find it by id; not part of any JSON. */
  rootNode?: number;
  /** The root was chosen by the caller (CriticalPathOptions.root), not the main root (main-root.ts). */
  chosen?: boolean;
  /** How many roots the trace had; only `rootSpanId`'s tree is on the path. */
  roots: number;
  /** In time order; consecutive sections touch, and together they cover the root's interval. */
  sections: CriticalSection[];
  /** Time on the path per span, largest first (ties: earliest on the path first). */
  perSpan: CriticalSpanTotal[];
  /** Spans under the root left out before the walk: asynchronous subtrees, and spans outside their parent. */
  leftOut: { async: number; outsideParent: number };
  /** Only when something unexpected happened; the function never throws. */
  errors?: string[];
  /**
   * The node index of each perSpan entry, in first-appearance order (absent when there is none), so a
   * renderer finds the path in a large tree without matching every span's id; not part of any JSON.
   */
  pathIndices?: number[];
}

/**
 * Is the child (a node index) asynchronous to its parent, so that it does not hold the parent up? By
 * their layout marks, or the tree's async mark on the child (build-tree.ts, clock-skew.ts asyncOf).
 */
export function isAsyncChild(child: number, parent: number, tree: Pick<TraceTree, 'layout' | 'marks'>): boolean {
  const marks = tree.layout.marks;
  const c = marks[child]!;
  if ((c & FOLLOWS_FROM) !== 0 || ((c & CONSUMER) !== 0 && (marks[parent]! & PRODUCER) !== 0)) return true;
  return tree.marks.size > 0 && tree.marks.get(tree.layout.spanIndex[child]!)?.asyncEndsAfter !== undefined;
}

export interface CriticalPathOptions {
  /** The node (index in TraceTree.nodes) whose path to compute, instead of the main root's (main-root.ts). */
  root?: number;
}

export function criticalPath(tree: TraceTree, options: CriticalPathOptions = {}): CriticalPath {
  const result: CriticalPath = { roots: 0, sections: [], perSpan: [], leftOut: { async: 0, outsideParent: 0 } };
  try {
    // Roots from the layout when it is a pre-order with parents first (every tree buildTree makes): no
    // SpanNode is made. Any other tree is read from its nodes.
    const main = isPreorder(tree.layout) ? mainRootOf(tree) : undefined;
    result.roots = main?.roots ?? tree.roots.length;
    const chosen = options.root;
    if (chosen !== undefined && !(chosen >= 0 && chosen < tree.layout.spanIndex.length)) throw new Error(`no node ${chosen} in the trace`);
    const root = chosen ?? (main ? main.index : (mainRoot(tree)?.index ?? -1));
    if (root < 0) return result;
    result.rootSpanId = tree.spans[tree.layout.spanIndex[root]!]!.spanId;
    result.rootNode = root;
    if (chosen !== undefined) result.chosen = true;
    compute(root, result, tree, main !== undefined);
  } catch (e) {
    result.sections = [];
    result.perSpan = [];
    result.errors = [e instanceof Error ? e.message : String(e)];
  }
  return result;
}

/** Does every node's parent come before it (or is it a root)? Then the layout alone describes the forest. */
function isPreorder(layout: TreeLayout): boolean {
  const up = layout.parent;
  for (let k = 0; k < up.length; k++) {
    const p = up[k]!;
    if (p !== -1 && !(p >= 0 && p < k)) return false;
  }
  return true;
}

/**
 * The spans under the root that the walk considers, with clipped times, indexed in tree order. A span's
 * kept children are children[first[i] .. first[i] + count[i]), in start order; sorted by end time,
 * `byEnd` lists them latest first.
 */
interface Kept {
  /** How many spans were kept, and each one's node by its place in TraceTree.nodes (SpanNode.index). */
  length: number;
  node: Int32Array;
  start: Float64Array;
  end: Float64Array;
  parent: Int32Array;
  first: Int32Array;
  count: Int32Array;
  /** Kept indices, each span's kept children together (see first). */
  children: Int32Array;
}

function compute(root: number, result: CriticalPath, tree: TraceTree, preorder: boolean): void {
  // 1. Index the kept spans with clipped times: from the layout's parent links in one pass over the
  //    root's nodes (every tree buildTree makes), or, for any other tree, by walking its child lists
  //    with a set of the spans seen, so a malformed tree with a cycle cannot hang us.
  const { layout, spans, marks } = tree;
  const kept = (preorder ? keepInTreeOrder(root, result, tree) : undefined) ?? keep(tree.nodes[root]!, result, tree);
  const { start, end, parent, first, count } = kept;
  const m = kept.length;

  // 2. Children by end time, latest first; ties keep start order (kept indices follow start order
  //    among siblings).
  const byEnd = kept.children;
  const later = (a: number, b: number): number => end[b]! - end[a]! || a - b;
  for (let i = 0; i < m; i++) {
    const c = count[i]!;
    if (c < 2) continue;
    const a = first[i]!;
    let sorted = true;
    for (let k = a + 1; k < a + c; k++) {
      if (later(byEnd[k - 1]!, byEnd[k]!) > 0) {
        sorted = false;
        break;
      }
    }
    if (!sorted) byEnd.subarray(a, a + c).sort(later);
  }

  // 3. The walk. Returning times to a span only decrease, so a cursor per span moves forward through its
  //    end-sorted children and the whole walk is linear after the sorts.
  const cursor = new Int32Array(m);
  const reversed: CriticalSection[] = [];
  const reversedNodes: number[] = [];
  const push = (i: number, from: number, to: number): void => {
    if (from === to) return; // Jaeger drops empty sections too
    const k = kept.node[i]!;
    const at = layout.spanIndex[k]!;
    const span = spans[at]!;
    const sec: CriticalSection = { spanId: span.spanId, service: span.service, operation: span.operation, from, to };
    const key = marks.get(at)?.key;
    if (key !== undefined) sec.key = key;
    reversed.push(sec);
    reversedNodes.push(k);
  };
  let cur = 0;
  let ret: number | undefined; // start of the child we just came back from; undefined on a first visit
  for (;;) {
    const a = first[cur]!;
    const c = count[cur]!;
    let k = cursor[cur]!;
    if (ret !== undefined) while (k < c && end[byEnd[a + k]!]! >= ret) k++;
    const to = ret ?? end[cur]!;
    if (k < c) {
      const lfc = byEnd[a + k]!;
      cursor[cur] = k + 1; // once returned from, a child ends at/after the returning time: never again
      push(cur, end[lfc]!, to);
      cur = lfc;
      ret = undefined;
    } else {
      cursor[cur] = k;
      push(cur, start[cur]!, to);
      const p = parent[cur]!;
      if (p < 0) break;
      ret = start[cur]!;
      cur = p;
    }
  }
  result.sections = reversed.reverse();

  // 4. Totals per span, in first-appearance order, then largest first (stable sort keeps ties in time order).
  const totals = new Map<string, CriticalSpanTotal>();
  const pathIndices: number[] = [];
  for (let k = 0; k < result.sections.length; k++) {
    const s = result.sections[k]!;
    const id = s.key ?? s.spanId;
    const t = totals.get(id);
    if (t) t.micros += s.to - s.from;
    else {
      const total: CriticalSpanTotal = { spanId: s.spanId, service: s.service, operation: s.operation, micros: s.to - s.from };
      if (s.key !== undefined) total.key = s.key;
      totals.set(id, total);
      pathIndices.push(reversedNodes[reversedNodes.length - 1 - k]!);
    }
  }
  result.perSpan = [...totals.values()].sort((a, b) => b.micros - a.micros);
  if (pathIndices.length > 0) result.pathIndices = pathIndices;
}

/**
 * Step 1 of compute for any tree: the kept spans in pre-order-like visiting order (explicit stack), each
 * span's kept children indexed together, with a set of the spans seen so that no child list (a cycle in
 * a malformed tree) leads to a span twice. Trees from buildTree take keepInTreeOrder instead.
 */
function keep(root: SpanNode, result: CriticalPath, tree: TraceTree): Kept {
  const { nodes: all, layout } = tree;
  let cap = Math.max(16, all.length);
  let start = new Float64Array(cap);
  let end = new Float64Array(cap);
  let parent = new Int32Array(cap);
  let first = new Int32Array(cap);
  let count = new Int32Array(cap);
  // Times and marks come from the layout, read by node index: not from a million span objects.
  const { start: spanStart, end: spanEnd } = layout;
  // Nodes by index, not in an array of a million references: that array grew in the old generation
  // and, on a million spans, set off a full marking the program then had to finish (~0.4 s).
  let node = new Int32Array(cap);
  let length = 1;
  node[0] = root.index;
  start[0] = spanStart[root.index]!;
  end[0] = spanEnd[root.index]!;
  parent[0] = -1;
  const seen = new Set<SpanNode>([root]);
  const leftOut = { async: 0, outsideParent: 0 };
  const stack: number[] = [0];
  const below: SpanNode[] = [];
  while (stack.length > 0) {
    const pi = stack.pop()!;
    const p = all[node[pi]!]!;
    const ps = start[pi]!;
    const pe = end[pi]!;
    first[pi] = length;
    for (const c of p.children) {
      if (seen.has(c)) continue;
      seen.add(c);
      const cs = spanStart[c.index]!;
      const ce = spanEnd[c.index]!;
      if (isAsyncChild(c.index, p.index, tree)) {
        leftOut.async += 1 + countBelow(c, seen, below);
        continue;
      }
      if ((cs >= pe && cs >= ps) || (cs < ps && ce <= ps)) {
        leftOut.outsideParent += 1 + countBelow(c, seen, below);
        continue;
      }
      const ci = length++;
      if (ci === cap) {
        cap *= 2;
        node = grown(node, cap);
        start = grown(start, cap);
        end = grown(end, cap);
        parent = grown(parent, cap);
        first = grown(first, cap);
        count = grown(count, cap);
      }
      node[ci] = c.index;
      start[ci] = Math.max(cs, ps);
      end[ci] = Math.min(ce, pe);
      parent[ci] = pi;
      count[pi]!++;
      stack.push(ci);
    }
  }
  result.leftOut.async += leftOut.async;
  result.leftOut.outsideParent += leftOut.outsideParent;
  const children = new Int32Array(length);
  for (let i = 0; i < length; i++) children[i] = i; // each span's kept children were indexed together
  return { length, node, start, end, parent, first, count, children };
}

/** Why a span is not kept (keepInTreeOrder); 0: kept. */
const ASYNC = 1;
const OUTSIDE = 2;

/**
 * keep() for a tree whose nodes are in pre-order with their parents in the layout (as buildTree makes
 * them): one pass over the root's nodes, reading only typed arrays, since a million-span trace's nodes
 * are scattered over the heap and walking them misses the cache on nearly every node. A node's parent
 * comes before it, so its fate (kept with clipped times, or left out and why) is known when the node is
 * reached; a left-out span's descendants are left out with it, for the same
 * reason, as keep() counts them. Undefined when the layout is not such a pre-order: then keep() decides.
 */
function keepInTreeOrder(r: number, result: CriticalPath, tree: TraceTree): Kept | undefined {
  const { start: spanStart, end: spanEnd, parent: up } = tree.layout;
  const n = up.length;
  if (!(r >= 0 && r < n) || up[r] !== -1) return undefined;
  let stop = r + 1;
  while (stop < n && up[stop] !== -1) stop++; // the root's subtree: up to the next root
  const size = stop - r;
  const keptAt = new Int32Array(size); // by place in the subtree: its kept index, or -1
  const why = new Uint8Array(size);
  const node = new Int32Array(size);
  const start = new Float64Array(size);
  const end = new Float64Array(size);
  const parent = new Int32Array(size);
  const count = new Int32Array(size);
  node[0] = r;
  start[0] = spanStart[r]!;
  end[0] = spanEnd[r]!;
  parent[0] = -1;
  let m = 1;
  let async = 0;
  let outside = 0;
  for (let i = r + 1; i < stop; i++) {
    const p = up[i]!;
    if (!(p >= r && p < i)) return undefined; // not a pre-order with parents first
    const o = i - r;
    const po = p - r;
    let reason = why[po]!; // a left-out parent's reason, or 0
    if (reason === 0) {
      const pk = keptAt[po]!;
      const ps = start[pk]!;
      const pe = end[pk]!;
      const cs = spanStart[i]!;
      const ce = spanEnd[i]!;
      if (isAsyncChild(i, p, tree)) reason = ASYNC;
      else if ((cs >= pe && cs >= ps) || (cs < ps && ce <= ps)) reason = OUTSIDE;
      else {
        const ci = m++;
        keptAt[o] = ci;
        node[ci] = i;
        start[ci] = Math.max(cs, ps);
        end[ci] = Math.min(ce, pe);
        parent[ci] = pk;
        count[pk]!++;
        continue;
      }
    }
    why[o] = reason;
    keptAt[o] = -1;
    if (reason === ASYNC) async++;
    else outside++;
  }
  // Each kept span's kept children together, in tree order (which is start order among siblings).
  const first = new Int32Array(m);
  for (let k = 1, at = count[0]!; k < m; k++) {
    first[k] = at;
    at += count[k]!;
  }
  const filled = new Int32Array(m);
  const children = new Int32Array(Math.max(0, m - 1));
  for (let ci = 1; ci < m; ci++) {
    const pk = parent[ci]!;
    children[first[pk]! + filled[pk]!++] = ci;
  }
  result.leftOut.async += async;
  result.leftOut.outsideParent += outside;
  return { length: m, node, start, end, parent, first, count, children };
}

function grown<T extends Float64Array | Int32Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/** Number of descendants of a left-out span not seen before, iteratively, marking them seen. */
function countBelow(n: SpanNode, seen: Set<SpanNode>, stack: SpanNode[]): number {
  let count = 0;
  stack.length = 0;
  stack.push(n);
  while (stack.length > 0) {
    const x = stack.pop()!;
    for (const c of x.children) {
      if (seen.has(c)) continue;
      seen.add(c);
      count++;
      stack.push(c);
    }
  }
  return count;
}
