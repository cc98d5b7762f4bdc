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
// Asynchronous subtrees do not hold their parent up and are left out: a span whose parent link is
// FOLLOWS_FROM, and a 'consumer' span under a 'producer' span.
//
// Several roots: we follow the longest root (see main-root.ts) and report how many roots there were;
// Jaeger instead concatenates the paths of every root, which interleaves unrelated timelines.
import type { SpanNode, TraceTree } from '../model/tree.js';
import type { Micros } from '../model/time.js';
import { mainRoot } from './main-root.js';

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
}

function isAsyncChild(child: SpanNode, parent: SpanNode): boolean {
  return child.span.parentIsFollowsFrom === true || (child.span.kind === 'consumer' && parent.span.kind === 'producer');
}

export function criticalPath(tree: TraceTree): CriticalPath {
  const result: CriticalPath = { roots: tree.roots.length, sections: [], perSpan: [], leftOut: { async: 0, outsideParent: 0 } };
  try {
    const root = mainRoot(tree);
    if (!root) return result;
    result.rootSpanId = root.span.spanId;
    compute(root, result);
  } catch (e) {
    result.sections = [];
    result.perSpan = [];
    result.errors = [e instanceof Error ? e.message : String(e)];
  }
  return result;
}

function compute(root: SpanNode, result: CriticalPath): void {
  // 1. Index the kept spans with clipped times (explicit stack, pre-order).
  const nodes: SpanNode[] = [root];
  const start: number[] = [root.span.start];
  const end: number[] = [root.span.end];
  const parent: number[] = [-1];
  const kids: number[][] = [[]];
  const seen = new Set<SpanNode>([root]); // the model promises a forest; a cycle must still not hang us
  const stack: number[] = [0];
  const leftOutStack: SpanNode[] = [];
  while (stack.length > 0) {
    const pi = stack.pop()!;
    const p = nodes[pi]!;
    const ps = start[pi]!;
    const pe = end[pi]!;
    for (const c of p.children) {
      if (seen.has(c)) continue;
      seen.add(c);
      const cs = c.span.start;
      const ce = c.span.end;
      if (isAsyncChild(c, p)) {
        result.leftOut.async += 1 + countBelow(c, seen, leftOutStack);
        continue;
      }
      if (cs >= pe && cs >= ps) {
        result.leftOut.outsideParent += 1 + countBelow(c, seen, leftOutStack);
        continue;
      }
      if (cs < ps && ce <= ps) {
        result.leftOut.outsideParent += 1 + countBelow(c, seen, leftOutStack);
        continue;
      }
      const ci = nodes.length;
      nodes.push(c);
      start.push(Math.max(cs, ps));
      end.push(Math.min(ce, pe));
      parent.push(pi);
      kids.push([]);
      kids[pi]!.push(ci);
      stack.push(ci);
    }
  }

  // 2. Children by end time, latest first; ties keep start order (children were pushed in start order).
  for (const list of kids) {
    if (list.length > 1) list.sort((a, b) => end[b]! - end[a]! || a - b);
  }

  // 3. The walk. Returning times to a span only decrease, so a cursor per span moves forward through its
  //    end-sorted children and the whole walk is linear after the sorts.
  const cursor = new Int32Array(nodes.length);
  const reversed: CriticalSection[] = [];
  const push = (i: number, from: number, to: number): void => {
    if (from === to) return; // Jaeger drops empty sections too
    const n = nodes[i]!;
    const sec: CriticalSection = { spanId: n.span.spanId, service: n.span.service, operation: n.span.operation, from, to };
    if (n.key !== undefined) sec.key = n.key;
    reversed.push(sec);
  };
  let cur = 0;
  let ret: number | undefined; // start of the child we just came back from; undefined on a first visit
  for (;;) {
    const list = kids[cur]!;
    let k = cursor[cur]!;
    if (ret !== undefined) while (k < list.length && end[list[k]!]! >= ret) k++;
    const to = ret ?? end[cur]!;
    if (k < list.length) {
      const lfc = list[k]!;
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
  for (const s of result.sections) {
    const id = s.key ?? s.spanId;
    const t = totals.get(id);
    if (t) t.micros += s.to - s.from;
    else {
      const total: CriticalSpanTotal = { spanId: s.spanId, service: s.service, operation: s.operation, micros: s.to - s.from };
      if (s.key !== undefined) total.key = s.key;
      totals.set(id, total);
    }
  }
  result.perSpan = [...totals.values()].sort((a, b) => b.micros - a.micros);
}

/** Number of descendants of a left-out span (marking them seen), iteratively. */
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
