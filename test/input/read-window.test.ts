import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReadWindow } from '../../src/input/read-window.js';

describe('ReadWindow', () => {
  it('hands out reads up to its end, which can be moved back to no earlier than what was asked', () => {
    const w = new ReadWindow();
    expect(w.until).toBe(Infinity);
    expect(w.take(100)).toBe(100);
    expect(w.stopAt(250)).toBe(true);
    expect(w.take(100)).toBe(100);
    expect(w.stopAt(150)).toBe(false); // the reads went past it
    expect(w.stopAt(240, 260)).toBe(false); // not where the end was seen
    expect(w.stopAt(260)).toBe(false); // never later
    expect(w.take(100)).toBe(50);
    expect(w.take(100)).toBe(0);
    expect(w.snapshot()).toEqual({ asked: 250, until: 250, last: 50 });
  });

  it('is the same window on another thread', () => {
    const w = new ReadWindow();
    const other = new ReadWindow(w.buffer);
    w.take(10);
    expect(other.stopAt(30)).toBe(true);
    expect(w.snapshot()).toEqual({ asked: 10, until: 30, last: 10 });
  });

  describe('with a worker moving its end while this thread reads', () => {
    // The worker thread runs the built module.
    beforeAll(() => {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: new URL('../..', import.meta.url).pathname });
    });

    // However the two interleave, no read goes past the end the worker last set, and every end it set
    // was at or past what had been asked: the bytes read here are exactly those up to the last end.
    it('never reads past a moved end, nor has an end moved back past a read', async () => {
      const module = new URL('../../dist/input/read-window.js', import.meta.url).href;
      let movedInAll = 0;
      for (let round = 0; round < 5; round++) {
        const w = new ReadWindow();
        w.stopAt(2_000_000);
        const code = `
          const { parentPort, workerData } = require('node:worker_threads');
          import(workerData.module).then(({ ReadWindow }) => {
            const w = new ReadWindow(workerData.buffer);
            const moved = [];
            Atomics.store(workerData.ready, 0, 1);
            Atomics.notify(workerData.ready, 0);
            for (let i = 0; i < 200000; i++) {
              const { asked, until } = w.snapshot();
              if (asked >= until) break;
              const to = asked + Math.floor((until - asked) * 0.999);
              if (w.stopAt(to, until)) moved.push(to);
            }
            parentPort.postMessage(moved);
          });`;
        const ready = new Int32Array(new SharedArrayBuffer(4));
        const worker = new Worker(code, { eval: true, workerData: { module, buffer: w.buffer, ready } });
        const moved = new Promise<number[]>((resolve) => worker.once('message', resolve));
        Atomics.wait(ready, 0, 0, 10_000); // both loops run at once
        let read = 0;
        for (let n = w.take(7); n > 0; n = w.take(7)) read += n;
        const ends = await moved;
        await worker.terminate();
        expect(read).toBe(w.until);
        expect(ends.length === 0 ? 2_000_000 : ends.at(-1)).toBe(read);
        movedInAll += ends.length;
      }
      expect(movedInAll).toBeGreaterThan(0); // the two did run at once
    });
  });
});
