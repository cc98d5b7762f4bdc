// The children of every span of a trace by index, in one flat Int32Array (a compressed-sparse-row
// layout) instead of an array per parent: a trace of a million spans would otherwise make half a million
// small arrays that all live as long as the tree is being built.
//
//   parent of:  0:-1  1:0  2:0  3:1      range: [0,2, 2,1, 3,0, 3,0]   (span p: first child at list[2p], count 2p+1)
//                                        list:  [1, 2, 3]
//
// A span's first and count sit side by side, so a walk in tree order (which jumps about the input)
// fetches both at once. A parent's range is sized by the links it had when built; removing a child (a
// cut cycle) leaves a gap at the end of the range, which count excludes.

export class ChildLists {
  private readonly range: Int32Array;
  private readonly list: Int32Array;

  /** Children of each span from `parentIdx` (-1 for none), each list in index order. */
  constructor(parentIdx: Int32Array) {
    const n = parentIdx.length;
    const range = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const p = parentIdx[i]!;
      if (p >= 0) range[2 * p + 1]!++;
    }
    let next = 0;
    for (let i = 0; i < n; i++) {
      range[2 * i] = next;
      next += range[2 * i + 1]!;
      range[2 * i + 1] = 0;
    }
    const list = new Int32Array(next);
    for (let i = 0; i < n; i++) {
      const p = parentIdx[i]!;
      if (p >= 0) list[range[2 * p]! + range[2 * p + 1]!++] = i;
    }
    this.range = range;
    this.list = list;
  }

  count(p: number): number {
    return this.range[2 * p + 1]!;
  }

  /** The k-th child of p, 0 <= k < count(p). */
  at(p: number, k: number): number {
    return this.list[this.range[2 * p]! + k]!;
  }

  /** Take child c out of p's list, keeping the others' order. */
  remove(p: number, c: number): void {
    const a = this.range[2 * p]!;
    const end = a + this.range[2 * p + 1]!;
    let k = a;
    while (k < end && this.list[k] !== c) k++;
    if (k === end) return;
    this.list.copyWithin(k, k + 1, end);
    this.range[2 * p + 1]!--;
  }

  /** Sort p's children; a list already in order (the common case: input in start order) is only checked. */
  sort(p: number, cmp: (a: number, b: number) => number): void {
    const c = this.range[2 * p + 1]!;
    if (c < 2) return;
    const a = this.range[2 * p]!;
    const list = this.list;
    let sorted = true;
    for (let k = a + 1; k < a + c; k++) {
      if (cmp(list[k - 1]!, list[k]!) > 0) {
        sorted = false;
        break;
      }
    }
    if (!sorted) list.subarray(a, a + c).sort(cmp);
  }

  /**
   * The spans under `roots`, depth-first pre-order, children in list order; an explicit stack, since a
   * chain may be a million deep. Every span is in one list at most, so in a forest (cycles cut) the
   * stack never holds more than all of them.
   */
  preorder(roots: readonly number[]): Int32Array {
    const n = this.range.length >> 1;
    const order = new Int32Array(n);
    const stack = new Int32Array(n);
    let top = 0;
    let len = 0;
    for (let r = roots.length - 1; r >= 0; r--) stack[top++] = roots[r]!;
    while (top > 0) {
      const i = stack[--top]!;
      order[len++] = i;
      const a = this.range[2 * i]!;
      for (let k = a + this.range[2 * i + 1]! - 1; k >= a; k--) stack[top++] = this.list[k]!;
    }
    return len === n ? order : order.subarray(0, len);
  }
}
