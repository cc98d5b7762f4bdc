import type { Span } from './span.js';
import type { ServiceOperation } from './operation-numbers.js';
import type { Micros } from '../core/time.js';

/**
 * One span in a rebuilt tree. `children` are sorted by start time. buildTree gives every leaf the same
 * frozen empty list (NO_CHILDREN): read children, never push into a built tree's lists.
 */
export interface SpanNode {
  span: Span;
  /** The node's place in TraceTree.nodes, and in the arrays of TraceTree.layout. */
  index: number;
  parent: SpanNode | undefined;
  children: SpanNode[];
  depth: number; // 0 for roots
  /** Set on a root whose span named a parent that is not in the trace. */
  missingParent?: string;
  /**
   * Set on a root whose span named a parent the trace holds, cut to break a parent cycle: that parent's
   * id (its own, for a span naming itself). The input's structure is broken there, not just incomplete.
   */
  cutParent?: string;
  /** Set when the parent was inferred from timing (infer-parents.ts): the span's lines named none. */
  parentInferred?: true;
  /**
   * Set when the span starts inside its parent and ends this long after it (a consumer, a FOLLOWS_FROM
   * child, fire-and-forget work): asynchronous, not a clock problem (clock-skew.ts asyncOf).
   */
  asyncEndsAfter?: Micros;
  /** Set when the span starts before its parent, or lies wholly outside it, on another service/host. */
  skew?: { startsBefore: Micros; endsAfter: Micros };
  /** Set by --adjust-skew: how far the span (and its same-host descendants) was shifted. */
  shift?: Micros;
  /**
   * Set when another span of the trace has the same span id and this one is not the first (in start
   * order): `<spanId>#<n>`, n >= 2, unique within the tree. Use it instead of spanId as a map key.
   */
  key?: string;
  /**
   * Set when the span's times lie far outside the rest of the trace (a zero timestamp, a wrong unit): it
   * is kept in the tree, but the trace's start and end leave it out (see plausible-times.ts).
   */
  outOfRange?: true;
  /** Set when the span had no start time (0) and was placed at its parent's start (build-tree.ts). */
  noStartTime?: true;
}

export type TreeWarningKind =
  | 'duplicate-span-id'
  | 'cycle'
  | 'self-parent'
  | 'missing-parent'
  | 'clock-skew'
  | 'skew-adjusted'
  | 'negative-duration'
  | 'time-out-of-range'
  | 'no-start-time';

/** What only some nodes carry, without the node (TraceTree.marks). */
export type NodeMarks = Pick<SpanNode, 'key' | 'missingParent' | 'cutParent' | 'skew' | 'asyncEndsAfter' | 'shift' | 'outOfRange' | 'noStartTime'>;

export interface TreeWarning {
  kind: TreeWarningKind;
  spanId: string;
  message: string;
}

/**
 * Flat copies of what walks over every span read, by node index (SpanNode.index). A walk in tree order
 * over a million spans would otherwise visit a million span objects scattered over the heap, a cache miss
 * each; these arrays are read in a few lines of cache. Must agree with the spans.
 */
export interface TreeLayout {
  /** The span's start and end as placed in the tree (after any --adjust-skew shift). */
  start: Float64Array;
  end: Float64Array;
  /** FOLLOWS_FROM, CONSUMER, PRODUCER, ERROR, INFERRED and PARENT_INFERRED bits of the span. */
  marks: Uint8Array;
  /** The span's service and operation, as its place in TraceTree.operations. */
  operation: Int32Array;
  /** The parent's node index, -1 for a root (nodes are in pre-order: a parent's index is lower). */
  parent: Int32Array;
  /**
   * How many nodes the node's subtree holds, itself included. Nodes being in pre-order, a node k's
   * children are k + 1 and then each next sibling c + size[c], below k + size[k].
   */
  size: Int32Array;
  /** The node's span, as its place in TraceTree.spans. */
  spanIndex: Int32Array;
}

/**
 * TreeLayout.marks: the parent link is FOLLOWS_FROM; the span's kind is consumer; or producer; the span
 * is an error; it was inferred (Span.inferred).
 */
export const FOLLOWS_FROM = 1;
export const CONSUMER = 2;
export const PRODUCER = 4;
export const ERROR = 8;
export const INFERRED = 16;
/** The span's parent was inferred from timing (set by buildTree, not by marksOf). */
export const PARENT_INFERRED = 32;
/** The attribute an exported span carries when its parent was inferred from timing (read back by buildTree). */
export const PARENT_INFERRED_ATTRIBUTE = 'tracectl.parent_inferred';

/** The marks of a span (TreeLayout.marks). */
export function marksOf(s: Span): number {
  return (s.parentIsFollowsFrom === true ? FOLLOWS_FROM : 0) | (s.kind === 'consumer' ? CONSUMER : s.kind === 'producer' ? PRODUCER : 0) | (s.error ? ERROR : 0) | (s.inferred === true ? INFERRED : 0);
}

/** A trace with its spans linked into a forest. Every span appears exactly once among the nodes. */
export interface TraceTree {
  traceId: string;
  /**
   * roots and nodes: buildTree's trees make these objects on first access, from the layout; what needs
   * only times and spans reads `layout`, `spans` and `marks` (a million SpanNode objects took ~0.2 s to
   * make and ~80 MB of peak memory).
   */
  roots: SpanNode[]; // sorted by start time
  nodes: SpanNode[]; // every node, in depth-first pre-order (roots in start order, children in start order)
  /** The spans as placed in the tree (shifted copies under --adjust-skew), in input order: node k's is spans[layout.spanIndex[k]]. */
  spans: readonly Span[];
  /**
   * The marks a node may carry (SpanNode's key, missingParent, cutParent, skew, shift, outOfRange) by place in
   * `spans`, for the spans that carry any (most traces: none).
   */
  marks: ReadonlyMap<number, NodeMarks>;
  start: Micros; // earliest span start, over the spans not flagged outOfRange (all of them if every one is)
  end: Micros; // latest span end, likewise
  warnings: TreeWarning[];
  /** The distinct services, in input order (counted where the spans are read in the order they lie in memory). */
  services: readonly string[];
  /** The distinct (service, operation) pairs, in input order: TreeLayout.operation's numbers. */
  operations: readonly ServiceOperation[];
  layout: TreeLayout;
  /**
   * How many spans got their parent from timing (infer-parents.ts), and how many of those had
   * overlapping enclosing spans to choose between; absent when none did.
   */
  parentsInferred?: { count: number; ambiguous: number };
  /**
   * Whether a span names a parent the trace holds (not a placeholder, not set by a rule): the input
   * carries parent ids, so a log span naming none is a root by its word (model/root-rule.ts).
   */
  namesParents?: boolean;
}

/** The child list of every leaf buildTree makes: one frozen array, not one per span. */
export const NO_CHILDREN: SpanNode[] = Object.freeze([]) as unknown as SpanNode[];
