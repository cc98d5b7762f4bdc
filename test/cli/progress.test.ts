// The progress line on long reads (issue #31, item 4): drawn on a terminal's stderr only, after a second,
// erased before the report; its counts are the reader's. The clock and the timer are stepped by hand.
import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { renderProgressLine, bytesText } from '../../src/render/progress-line.js';
import { asText, fixture } from './run-cli.js';

const demo = readFileSync(fixture('demo/checkout.log'));

interface Harness {
  io: Io;
  stdin: PassThrough;
  out: () => string;
  err: () => string;
  /** Advance the clock and fire the timer once. */
  tick: (ms: number) => void;
  timers: () => number;
}

function harness(stderrIsTTY: boolean, env: Record<string, string> = {}): Harness {
  let out = '';
  let err = '';
  let now = Date.parse('2024-05-01T12:00:00Z');
  const fns = new Set<() => void>();
  const stdin = new PassThrough();
  const io: Io = {
    stdin,
    stdout: { write: (s) => ((out += asText(s)), true) },
    stderr: { write: (s) => ((err += asText(s)), true) },
    env: { NO_COLOR: '1', ...env },
    stdoutIsTTY: false,
    stdinIsTTY: false,
    columns: undefined,
    stderrIsTTY,
    stderrColumns: 100,
    signal: new AbortController().signal,
    threads: 1,
    now: () => now,
    every: (_ms, fn) => {
      fns.add(fn);
      return () => fns.delete(fn);
    },
  };
  return {
    io,
    stdin,
    out: () => out,
    err: () => err,
    tick: (ms) => {
      now += ms;
      for (const f of fns) f();
    },
    timers: () => fns.size,
  };
}

/** Feed the first `bytes` of the demo log, then wait until the reader has taken them. */
async function feed(h: Harness, bytes: Buffer): Promise<void> {
  h.stdin.write(bytes);
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('progress line', () => {
  it('is drawn after a second on a terminal, counts what was read, and is erased before the report', async () => {
    const h = harness(true, { TRACECTL_CHUNK_BYTES: '4096' }); // lines are counted as chunks are cut
    const half = demo.indexOf(10, demo.length >> 1) + 1; // through a whole line
    const run = main(['group', '--threads', '1'], h.io);
    await feed(h, demo.subarray(0, half));
    h.tick(500);
    expect(h.err()).toBe(''); // under a second: nothing
    h.tick(1500);
    const lines = demo.subarray(0, half).toString().split('\n').length - 1;
    const drawn = /^\rtracectl: (.+) read · (\d+) lines · (.+)\/s\x1b\[K$/.exec(h.err());
    expect(drawn?.[1]).toBe(bytesText(half));
    expect(Number(drawn?.[2])).toBeGreaterThan(lines / 2); // whole chunks of 4 KiB so far
    expect(Number(drawn?.[2])).toBeLessThanOrEqual(lines);
    expect(drawn?.[3]).toBe(bytesText(half / 2)); // over 2 s
    h.stdin.end(demo.subarray(half));
    expect(await run).toBe(0);
    const err = h.err();
    const erased = err.indexOf('\r\x1b[K');
    expect(erased).toBeGreaterThan(0);
    expect(err.slice(erased + 4)).toMatch(/^tracectl: 383 lines read from 1 source/);
    expect(h.timers()).toBe(0); // the timer is stopped
    expect(h.out().split('\n').filter(Boolean)).toHaveLength(21); // header + 20 traces: results unchanged
  });

  it('shows the share and the time left when the size is known', async () => {
    const h = harness(true);
    // Drawn once as the read starts, the clock already 2 s on: 0 bytes of the file's size.
    h.io.every = (_ms, fn) => {
      h.tick(2000);
      fn();
      return () => {};
    };
    expect(await main(['group', '--threads', '1', fixture('demo/checkout.log')], h.io)).toBe(0);
    expect(h.err()).toContain(`\rtracectl: 0 B of ${bytesText(demo.length)} (0%) · 0 lines · 0 B/s\x1b[K\r\x1b[K`);
  });

  it('is never drawn when stderr is not a terminal, or with -q', async () => {
    for (const [tty, argv] of [
      [false, ['group']],
      [true, ['group', '-q']],
    ] as const) {
      const h = harness(tty);
      const run = main([...argv, '--threads', '1'], h.io);
      await feed(h, demo.subarray(0, 1000));
      h.tick(5000);
      h.stdin.end(demo.subarray(1000));
      expect(await run).toBe(0);
      expect(h.err()).not.toContain('\x1b[K');
      expect(h.err()).not.toContain('\r');
    }
  });
});

describe('renderProgressLine', () => {
  const snap = { bytes: 812e6, totalBytes: 2.1e9, lines: 3_204_118, elapsedMs: 20_000 };
  it('gives the share, lines, rate and time left', () => {
    expect(renderProgressLine(snap, 200)).toBe('tracectl: 812 MB of 2.10 GB (38%) · 3,204,118 lines · 40.6 MB/s · ETA 32s');
  });
  it('drops parts from the end to fit, and cuts only the last one left', () => {
    expect(renderProgressLine(snap, 60)).toBe('tracectl: 812 MB of 2.10 GB (38%) · 3,204,118 lines');
    expect(renderProgressLine(snap, 20)).toBe('tracectl: 812 MB of ');
  });
  it('shows bytes read when the size is unknown or passed (a file still growing)', () => {
    expect(renderProgressLine({ ...snap, totalBytes: undefined }, 200)).toBe('tracectl: 812 MB read · 3,204,118 lines · 40.6 MB/s');
    expect(renderProgressLine({ ...snap, totalBytes: 1e6 }, 200)).toBe('tracectl: 812 MB read · 3,204,118 lines · 40.6 MB/s');
  });
  it('writes sizes in three figures', () => {
    expect([0, 999, 1000, 12_345, 999_499, 999_500, 2.5e12].map(bytesText)).toEqual(['0 B', '999 B', '1.00 kB', '12.3 kB', '999 kB', '1.00 MB', '2.50 TB']);
  });
});
