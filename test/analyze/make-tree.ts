// A compact way to write a TraceTree by hand in tests, independent of src/model's buildTree (which is
// written separately): `tree(node('A', 0, 100, { service: 'api' }, [node('B', 10, 60)]))`.
// Building is iterative so the 100,000-deep fixtures do not overflow the stack.
import type { Span, SpanEvent, SpanKind } from '../../src/model/span.js';
import { OperationNumbers } from '../../src/model/operation-numbers.js';
import { marksOf, type NodeMarks, type SpanNode, type TraceTree, type TreeLayout } from '../../src/model/tree.js';
import type { Micros } from '../../src/core/time.js';

export interface NodeOptions {
  service?: string;
  operation?: string; // defaults to the id
  error?: boolean;
  errorMessage?: string;
  kind?: SpanKind;
  inferred?: boolean;
  parentIsFollowsFrom?: boolean;
  attributes?: Record<string, unknown>;
  events?: SpanEvent[];
  /** SpanNode.key, as the model sets it on the second and later spans sharing an id. */
  key?: string;
  /** On a root: the parent id its span names, not in the trace (SpanNode.missingParent). */
  missingParent?: string;
  /** SpanNode.asyncEndsAfter, as the model sets it on a child that starts inside its parent and ends after it. */
  asyncEndsAfter?: Micros;
}

export interface NodeDesc {
  id: string;
  start: Micros;
  end: Micros;
  opts: NodeOptions;
  children: NodeDesc[];
}

export function node(id: string, start: Micros, end: Micros, opts: NodeOptions = {}, children: NodeDesc[] = []): NodeDesc {
  return { id, start, end, opts, children };
}

function makeSpan(traceId: string, d: NodeDesc, parentId: string | undefined): Span {
  const o = d.opts;
  const span: Span = {
    traceId,
    spanId: d.id,
    service: o.service ?? 'svc',
    operation: o.operation ?? d.id,
    start: d.start,
    end: d.end,
    error: o.error ?? false,
    attributes: o.attributes ?? {},
    events: o.events ?? [],
    origin: 'record',
  };
  if (parentId !== undefined) span.parentSpanId = parentId;
  else if (o.missingParent !== undefined) span.parentSpanId = o.missingParent;
  if (o.parentIsFollowsFrom !== undefined) span.parentIsFollowsFrom = o.parentIsFollowsFrom;
  if (o.kind !== undefined) span.kind = o.kind;
  if (o.errorMessage !== undefined) span.errorMessage = o.errorMessage;
  if (o.inferred !== undefined) span.inferred = o.inferred;
  return span;
}

/** Build a TraceTree from root descriptions; children are sorted by start time as the model promises. */
export function tree(...roots: NodeDesc[]): TraceTree {
  return treeWithId('t1', ...roots);
}

export function treeWithId(traceId: string, ...roots: NodeDesc[]): TraceTree {
  const byStart = (a: NodeDesc, b: NodeDesc): number => a.start - b.start;
  const sortedRoots = [...roots].sort(byStart);
  const rootNodes: SpanNode[] = [];
  const nodes: SpanNode[] = [];
  // Stack of (description, parent node); pushed in reverse so pops come out in pre-order.
  const stack: { d: NodeDesc; parent: SpanNode | undefined }[] = [];
  for (let i = sortedRoots.length - 1; i >= 0; i--) stack.push({ d: sortedRoots[i]!, parent: undefined });
  let start = Infinity;
  let end = -Infinity;
  while (stack.length > 0) {
    const { d, parent } = stack.pop()!;
    const n: SpanNode = {
      span: makeSpan(traceId, d, parent?.span.spanId),
      index: nodes.length,
      parent,
      children: [],
      depth: parent ? parent.depth + 1 : 0,
    };
    if (d.opts.key !== undefined) n.key = d.opts.key;
    if (d.opts.asyncEndsAfter !== undefined) n.asyncEndsAfter = d.opts.asyncEndsAfter;
    if (parent === undefined && d.opts.missingParent !== undefined) n.missingParent = d.opts.missingParent;
    nodes.push(n);
    if (parent) parent.children.push(n);
    else rootNodes.push(n);
    start = Math.min(start, d.start);
    end = Math.max(end, d.end);
    const kids = [...d.children].sort(byStart);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ d: kids[i]!, parent: n });
  }
  const operations = new OperationNumbers();
  const layout = layoutOf(nodes, operations);
  return { traceId, roots: rootNodes, nodes, start, end, warnings: [], services: [...new Set(nodes.map((n) => n.span.service))], operations: operations.list, spans: nodes.map((n) => n.span), marks: marksByIndex(nodes), layout };
}

/** TraceTree.marks for nodes in index order (their spans are the tree's spans in that order). */
export function marksByIndex(nodes: readonly SpanNode[]): Map<number, NodeMarks> {
  const marks = new Map<number, NodeMarks>();
  nodes.forEach((n, i) => {
    const m: NodeMarks = {};
    if (n.key !== undefined) m.key = n.key;
    if (n.missingParent !== undefined) m.missingParent = n.missingParent;
    if (n.skew !== undefined) m.skew = n.skew;
    if (n.asyncEndsAfter !== undefined) m.asyncEndsAfter = n.asyncEndsAfter;
    if (n.shift !== undefined) m.shift = n.shift;
    if (n.outOfRange) m.outOfRange = true;
    if (Object.keys(m).length > 0) marks.set(i, m);
  });
  return marks;
}

/** TraceTree.layout for nodes in index order, read from their spans; the pairs numbered in `operations` (TraceTree.operations: its list). */
export function layoutOf(nodes: readonly SpanNode[], operations = new OperationNumbers()): TreeLayout {
  const n = nodes.length;
  const layout: TreeLayout = { start: new Float64Array(n), end: new Float64Array(n), marks: new Uint8Array(n), operation: new Int32Array(n), parent: new Int32Array(n), size: new Int32Array(n), spanIndex: new Int32Array(n) };
  nodes.forEach((node, i) => {
    layout.start[i] = node.span.start;
    layout.end[i] = node.span.end;
    layout.marks[i] = marksOf(node.span);
    layout.operation[i] = operations.number(node.span.service, node.span.operation);
    layout.parent[i] = node.parent ? node.parent.index : -1;
    layout.spanIndex[i] = i; // the tree's spans are its nodes' spans, in node order
  });
  // Subtree sizes from the child lists (not the parent links, so a test that breaks those for one path
  // keeps the sizes of the real tree); children come after their parent in pre-order.
  for (let i = n - 1; i >= 0; i--) {
    let size = 1;
    for (const c of nodes[i]!.children) size += layout.size[c.index]!;
    layout.size[i] = size;
  }
  return layout;
}

/** A chain root -> c1 -> c2 ... of `depth` spans, each child 1µs inside its parent on both sides. */
export function chain(depth: number, opts: NodeOptions = {}): NodeDesc {
  const root = node('s0', 0, 2 * depth + 10, { ...opts });
  let cur = root;
  for (let i = 1; i < depth; i++) {
    const next = node(`s${i}`, i, 2 * depth + 10 - i, { ...opts });
    cur.children.push(next);
    cur = next;
  }
  return root;
}
