/**
 * The memory of a file's read blocks, used again once a block's chunk is done with.
 *
 * readLineBlocks (open-source.ts) reads each block into memory of its own, so that the block may move to
 * a worker thread without a copy. Left to the garbage collector, that memory is freed only when the
 * Buffer object over it is collected — after a major collection, once the object has outlived two young
 * ones — and `group` on 250 MB held 20–45 MB of done-with 4 MiB blocks at any moment. Handed back here
 * as soon as a chunk is processed (by this thread, or by a worker that moves it back), a few blocks
 * serve the whole input.
 *
 * Only whole blocks come back (Chunk.owned), and only when nothing holds a view of them any more: the
 * line processor decodes what it keeps into strings of their own.
 */
export class BlockPool {
  private readonly free: ArrayBuffer[] = [];
  /** For tests: blocks made, and blocks served again. */
  made = 0;
  reused = 0;

  /** `keep`: at most this many idle blocks are held (more than are ever out at once when reading ahead). */
  constructor(private readonly keep = 8) {}

  /**
   * A buffer of `bytes` bytes, over memory of its own: an idle block big enough, else a new one with
   * room to spare (the carried part of a line before each read varies, and a block a few bytes short
   * would never be used again).
   */
  take(bytes: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const ab = this.free[i]!;
      if (ab.byteLength < bytes) continue;
      this.free.splice(i, 1);
      this.reused++;
      return Buffer.from(ab, 0, bytes);
    }
    this.made++;
    // Never from Buffer's shared pool (allocUnsafe's, for small sizes): a block's memory may move to a worker.
    return Buffer.allocUnsafeSlow(bytes + SPARE).subarray(0, bytes);
  }

  /** A block's memory, free again: nothing will read or write it through an older view. */
  give(memory: ArrayBuffer): void {
    if (memory.byteLength === 0 || this.free.includes(memory)) return;
    if (this.closed || this.free.length >= this.keep) return freeNow(memory);
    this.free.push(memory);
  }

  /**
   * Reading is over: the idle blocks' memory goes now, and so does any given back from here on (the
   * workers' last chunks come back while their results are being made, when memory peaks).
   */
  close(): void {
    this.closed = true;
    for (const memory of this.free) freeNow(memory);
    this.free.length = 0;
  }

  private closed = false;
}

/**
 * Frees a block's memory at the next young collection rather than the next full one. The pool's blocks
 * are old objects, which only a full collection frees (and none may come before the process ends);
 * moved into a new ArrayBuffer that nothing holds, the memory goes with that young object. At the end of
 * `group` on 250 MB the pool held ~13 MB of blocks.
 */
function freeNow(memory: ArrayBuffer): void {
  if (memory.byteLength > 0) structuredClone(memory, { transfer: [memory] });
}

/** Room for the carried part of a line: lines are mostly well under this. */
const SPARE = 64 << 10;
