// A trace tree read by node index, from its layout (a pre-order with parents first and subtree sizes, as
// buildTree makes it) and its span list, so that a renderer of a million-span trace needs no SpanNode
// object (TraceTree.nodes makes a million of them: ~0.2 s and ~80 MB).
//
//   node k's children: k + 1, then each next sibling c + size[c], below k + size[k]
//   the roots:         0, then each next root r + size[r], below the node count
import type { Span } from './span.js';
import type { NodeMarks, TraceTree } from './tree.js';

export class IndexedTree {
  /** How many nodes the tree has. */
  readonly count: number;
  private readonly size: Int32Array;
  private readonly up: Int32Array;
  private readonly spanIndex: Int32Array;

  constructor(readonly tree: TraceTree) {
    this.size = tree.layout.size;
    this.up = tree.layout.parent;
    this.spanIndex = tree.layout.spanIndex;
    this.count = this.spanIndex.length;
  }

  span(k: number): Span {
    return this.tree.spans[this.spanIndex[k]!]!;
  }

  /** The node's marks (SpanNode's key, missingParent, skew, shift, outOfRange), if it has any. */
  marks(k: number): NodeMarks | undefined {
    const marks = this.tree.marks;
    return marks.size > 0 ? marks.get(this.spanIndex[k]!) : undefined;
  }

  /** SpanNode.key, else the span id: unique in the tree. */
  key(k: number): string {
    return this.marks(k)?.key ?? this.span(k).spanId;
  }

  /** The parent's node index, -1 for a root. */
  parent(k: number): number {
    return this.up[k]!;
  }

  /** How many nodes lie below k. */
  descendants(k: number): number {
    return this.size[k]! - 1;
  }

  /** The children's node indices, in order (start order). */
  children(k: number): number[] {
    const out: number[] = [];
    const size = this.size;
    for (let c = k + 1, stop = k + size[k]!; c < stop; c += size[c]!) out.push(c);
    return out;
  }

  /** The roots' node indices, in order (start order). */
  roots(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.count; r += this.size[r]!) out.push(r);
    return out;
  }

  /** Is k its parent's last child? (A last child's subtree ends where its parent's does.) */
  isLastChild(k: number): boolean {
    const p = this.up[k]!;
    return p >= 0 && k + this.size[k]! === p + this.size[p]!;
  }
}
