import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadWindow } from '../../src/input/read-window.js';
import { takeOver } from '../../src/parallel/steal-range.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-steal-'));

/** A window whose reads, of `read` bytes each, have asked for `asked` bytes, and that stops at `until`. */
function windowAt(asked: number, read: number, until: number): ReadWindow {
  const w = new ReadWindow();
  while (w.take(Math.min(read, asked - w.asked)) > 0);
  w.stopAt(until);
  return w;
}

describe('takeOver', () => {
  // 1,000 lines of 100 bytes: line k starts at byte 100 k.
  const f = join(dir, 'lines.log');
  writeFileSync(f, Array.from({ length: 1000 }, (_, k) => String(k).padStart(99, '.')).join('\n') + '\n');

  it('takes 0.4 of what the main thread has to read, counting what it has in hand', () => {
    // 60,000 left and 1.5 reads of 1,000 in hand: 0.4 of 61,500 is 24,600.
    const w = windowAt(20_000, 1000, 80_000);
    expect(takeOver(f, w, 1000)).toEqual({ start: 55_400, end: 80_000 });
    expect(w.until).toBe(55_400);
    // 0.4 of 36,900 is 14,760: from 40,640, the next line start.
    expect(takeOver(f, w, 1000)).toEqual({ start: 40_700, end: 55_400 });
  });

  it('takes all the main thread has not asked for when it has more in hand', () => {
    const w = windowAt(20_000, 4000, 24_000);
    expect(takeOver(f, w, 4000)).toEqual({ start: 20_000, end: 24_000 });
    expect(w.snapshot()).toMatchObject({ asked: 20_000, until: 20_000 });
  });

  it('leaves less than a quarter chunk, and a file not split, to the main thread', () => {
    const w = windowAt(20_000, 1000, Infinity);
    expect(takeOver(f, w, 1000)).toBeUndefined(); // nothing was split: the end is the file's
    w.stopAt(20_249);
    expect(takeOver(f, w, 1000)).toBeUndefined();
    expect(w.until).toBe(20_249);
  });

  it('takes nothing when no line starts before the end', () => {
    const w = windowAt(20_050, 10, 20_080);
    expect(takeOver(f, w, 10)).toBeUndefined();
    expect(w.until).toBe(20_080);
  });
});
