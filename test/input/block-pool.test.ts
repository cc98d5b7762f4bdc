import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlockPool } from '../../src/input/block-pool.js';
import { openSource, ownsItsMemory } from '../../src/input/open-source.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-blocks-'));

/** Lines of varied length (so carries before each read vary), some longer than a block. */
function textOf(lines: number, seed: number): string {
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(`{"n":${i},"pad":"${'abcdefghij'.repeat(Math.floor(rnd() < 0.02 ? 700 : rnd() * 40))}"}`);
  return out.join('\n') + '\n';
}

describe('BlockPool', () => {
  it('serves a given-back block again when it is big enough, else makes one', () => {
    const pool = new BlockPool();
    const a = pool.take(1000);
    expect(a.length).toBe(1000);
    expect(ownsItsMemoryOfSize(a)).toBe(true);
    pool.give(a.buffer as ArrayBuffer);
    const b = pool.take(900);
    expect(b.buffer).toBe(a.buffer);
    expect([pool.made, pool.reused]).toEqual([1, 1]);
    // Taken: not served twice. Too big for what is idle: a new one.
    const c = pool.take(900);
    expect(c.buffer).not.toBe(a.buffer);
    pool.give(c.buffer as ArrayBuffer);
    const d = pool.take(10 << 20);
    expect(d.buffer).not.toBe(c.buffer);
    expect(d.length).toBe(10 << 20);
    expect([pool.made, pool.reused]).toEqual([3, 1]);
  });

  it('ignores memory given twice, memory moved away (detached), and memory beyond what it keeps', () => {
    const pool = new BlockPool(2);
    const a = pool.take(100);
    pool.give(a.buffer as ArrayBuffer);
    pool.give(a.buffer as ArrayBuffer);
    expect(pool.take(100).buffer).toBe(a.buffer);
    expect(pool.take(100).buffer).not.toBe(a.buffer); // given twice, held once

    const moved = pool.take(100).buffer as ArrayBuffer;
    structuredClone(moved, { transfer: [moved] });
    expect(moved.byteLength).toBe(0);
    pool.give(moved);
    const fresh = pool.made;
    pool.take(100);
    expect(pool.made).toBe(fresh + 1);

    const many = [pool.take(10), pool.take(10), pool.take(10)];
    for (const m of many) pool.give(m.buffer as ArrayBuffer);
    const reused = pool.reused;
    for (let i = 0; i < 3; i++) pool.take(10);
    expect(pool.reused - reused).toBe(2); // kept two
  });
});

describe('BlockPool.close', () => {
  it('lets go of the idle blocks at once, and of every block given back after', () => {
    const pool = new BlockPool();
    const idle = pool.take(100);
    const out = pool.take(100);
    pool.give(idle.buffer as ArrayBuffer);
    pool.close();
    expect(idle.buffer.byteLength).toBe(0); // its memory moved away, to be freed with a young object
    expect(out.buffer.byteLength).toBeGreaterThan(0);
    pool.give(out.buffer as ArrayBuffer);
    expect(out.buffer.byteLength).toBe(0);
    const made = pool.made;
    pool.take(100);
    expect(pool.made).toBe(made + 1);
  });

  it('a block over what the pool keeps is let go of at once too', () => {
    const pool = new BlockPool(1);
    const [a, b] = [pool.take(10), pool.take(10)];
    pool.give(a.buffer as ArrayBuffer);
    pool.give(b.buffer as ArrayBuffer);
    expect(a.buffer.byteLength).toBeGreaterThan(0);
    expect(b.buffer.byteLength).toBe(0);
  });
});

describe('reading a file into blocks used again', () => {
  const text = textOf(4000, 7);
  const path = join(dir, 'app.log');
  writeFileSync(path, text);

  it('every byte comes out once, in order, when each block goes back as soon as it is read', async () => {
    for (const blockBytes of [1024, 4096, 65536]) {
      const pool = new BlockPool();
      const parts: Buffer[] = [];
      let partial = 0; // blocks within a line longer than a block: not whole lines, so not given back
      for await (const block of await openSource({ name: path }, blockBytes, pool)) {
        parts.push(Buffer.from(block)); // a copy: the block's memory is read into again
        if (ownsItsMemory(block)) pool.give(block.buffer as ArrayBuffer);
        else partial++;
      }
      expect(Buffer.concat(parts).toString('utf8')).toBe(text);
      // A block is read ahead while the one before is out: two or three blocks serve the whole file.
      expect(pool.reused).toBeGreaterThan(10);
      expect(pool.made - partial).toBeLessThanOrEqual(3);
    }
  });

  it('blocks still held are never read into: a reader that keeps them sees them unchanged', async () => {
    const pool = new BlockPool();
    const held: Buffer[] = [];
    for await (const block of await openSource({ name: path }, 2048, pool)) held.push(block);
    expect(Buffer.concat(held).toString('utf8')).toBe(text);
    expect(pool.reused).toBe(0);
  });
});

function ownsItsMemoryOfSize(b: Buffer): boolean {
  return b.byteOffset === 0 && b.buffer.byteLength >= b.length;
}
