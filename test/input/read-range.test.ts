import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chunker } from '../../src/input/chunker.js';
import { lineStartNear, newlinesIn, readRange } from '../../src/input/read-range.js';
import { shiftPlace } from '../../src/core/places.js';
import { BlockPool } from '../../src/input/block-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-read-range-'));
let n = 0;
function file(text: string | Buffer): string {
  const path = join(dir, `f${n++}.log`);
  writeFileSync(path, text);
  return path;
}

/** The lines of a file's text as one reader cuts them (the chunks' bytes split at newlines). */
function linesOf(bytes: Buffer, maxLineBytes = 1 << 20): { lines: string[]; count: number } {
  const c = new Chunker(maxLineBytes, 64);
  const chunks = [...c.push(bytes)];
  const last = c.end();
  if (last) chunks.push(last);
  const lines = chunks.flatMap((ch) => ch.bytes.toString('latin1').split('\n').slice(0, ch.lines));
  return { lines, count: c.lines };
}

describe('lineStartNear', () => {
  it('finds the start of the first line at or after a place', () => {
    const f = file('aaa\nbbbb\ncc\n');
    expect(lineStartNear(f, 1)).toBe(4);
    expect(lineStartNear(f, 4)).toBe(4); // already a line start
    expect(lineStartNear(f, 5)).toBe(9);
    expect(lineStartNear(f, 10)).toBeUndefined(); // no line starts after the last one
    expect(lineStartNear(f, 0)).toBeUndefined(); // nothing comes before the start
  });

  it('never starts a part after a partial piece: the pieces and the rest of their line stay together', () => {
    const lines = [
      '2024-05-01T10:00:00.000000000Z stdout F {"msg":"whole"}',
      '2024-05-01T10:00:00.100000000Z stdout P {"msg":"first half',
      '2024-05-01T10:00:00.100000000Z stdout P  middle',
      '2024-05-01T10:00:00.100000000Z stdout F  end"}',
      '{"log":"piece without its newline","stream":"stdout"}',
      '{"log":"rest\\n","stream":"stdout"}',
      '{"msg":"after"}',
    ];
    const text = lines.join('\n') + '\n';
    const f = file(text);
    const startOf = (i: number) => lines.slice(0, i).reduce((a, l) => a + l.length + 1, 0);
    // From inside the first line: the second line starts a part (the first is whole).
    expect(lineStartNear(f, 5)).toBe(startOf(1));
    // From inside the P pieces: not until the line after their F.
    expect(lineStartNear(f, startOf(1) + 3)).toBe(startOf(4));
    // From inside a Docker piece without "\n": past the piece's rest.
    expect(lineStartNear(f, startOf(4) + 3)).toBe(startOf(6));
  });

  it('gives up when no line ends within the window', () => {
    const f = file('x'.repeat(5000) + '\n' + 'y\n');
    expect(lineStartNear(f, 10, 1000)).toBeUndefined();
    expect(lineStartNear(f, 10, 8000)).toBe(5001);
  });
});

describe('readRange', () => {
  // Any text, any cut at line starts: the parts' lines are the whole file's lines, in order, and each
  // part's count is its own.
  it('reads a part into the lines one reader of the whole file cuts there', () => {
    const line = fc.oneof(fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')), fc.constant(''), fc.constant('z'.repeat(300)));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.boolean(), fc.integer({ min: 8, max: 200 }), fc.array(fc.nat(), { maxLength: 3 }), (ls, lastNl, block, cutsAt) => {
        const text = Buffer.from(ls.join('\n') + (lastNl ? '\n' : ''), 'latin1');
        const f = file(text);
        const starts = [...new Set(cutsAt.map((c) => lineStartNear(f, 1 + (c % Math.max(1, text.length)), 4096)))].filter((x): x is number => x !== undefined).sort((a, b) => a - b);
        const bounds = [0, ...starts, Infinity];
        const whole = linesOf(text);
        const got: string[] = [];
        let count = 0;
        for (let k = 0; k + 1 < bounds.length; k++) {
          const part = readRange(f, bounds[k]!, bounds[k + 1]!, { blockBytes: block, maxLineBytes: 1 << 20 }, (c) => {
            got.push(...c.bytes.toString('latin1').split('\n').slice(0, c.lines));
          });
          expect(part.error).toBeUndefined();
          count += part.lines;
        }
        expect(got).toEqual(whole.lines);
        expect(count).toBe(whole.count);
      }),
      { numRuns: 300 },
    );
  });

  it('counts over-long lines, numbered from the start of its part', () => {
    const f = file('short\n' + 'L'.repeat(500) + '\nok\n');
    const lines: string[] = [];
    const r = readRange(f, 6, Infinity, { blockBytes: 64, maxLineBytes: 100 }, (c) => lines.push(...c.bytes.toString('latin1').split('\n').slice(0, c.lines)));
    expect(r.overlong).toEqual([{ line: 1, bytes: 500 }]);
    expect(r.lines).toBe(2);
    expect(lines).toEqual(['ok']);
  });

  it('numbers lines from the first line it is given, over-long ones too', () => {
    const f = file('short\n' + 'L'.repeat(500) + '\nok\nend\n');
    const firsts: number[] = [];
    const r = readRange(f, 6, Infinity, { blockBytes: 64, maxLineBytes: 100, firstLine: -4 }, (c) => firsts.push(c.firstLine));
    expect(r.overlong).toEqual([{ line: -4, bytes: 500 }]);
    expect(r.lines).toBe(3);
    expect(firsts[0]).toBe(-3);
  });

  // A worker reads its part and then pieces of the main thread's with one pool (parallel/steal-range.ts):
  // every block, the short last one of each part too, goes back to it.
  it('gives every block back to a pool shared by several parts', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 40)}`).join('\n') + '\n';
    const f = file(text);
    const blocks = new BlockPool(2);
    const got: string[] = [];
    const starts = [0, ...[0.2, 0.5, 0.7].map((x) => lineStartNear(f, Math.floor(text.length * x))!), Infinity];
    for (let k = 0; k + 1 < starts.length; k++) {
      readRange(f, starts[k]!, starts[k + 1]!, { blockBytes: 4096, maxLineBytes: 1 << 20, blocks }, (c) => {
        got.push(...c.bytes.toString('latin1').split('\n').slice(0, c.lines));
      });
    }
    expect(got.join('\n') + '\n').toBe(text);
    expect(blocks.made).toBe(1);
    expect(blocks.reused).toBeGreaterThan(20);
  });

  it('reports a file it cannot read, instead of throwing', () => {
    const r = readRange(join(dir, 'missing.log'), 0, Infinity, { blockBytes: 64, maxLineBytes: 100 }, () => undefined);
    expect((r.error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('newlinesIn', () => {
  it('counts the newlines in a stretch of a file', () => {
    const f = file('a\nbb\n\nccc\nd');
    expect(newlinesIn(f, 0, 11)).toBe(4);
    expect(newlinesIn(f, 2, 6)).toBe(2);
    expect(newlinesIn(f, 3, 3)).toBe(0);
    expect(newlinesIn(f, 0, 1000)).toBe(4); // past the end: what is there
  });
});

describe('shiftPlace', () => {
  it('moves the line of a place in the named source, and nothing else', () => {
    expect(shiftPlace('app.log:12', 'app.log', 100)).toBe('app.log:112');
    expect(shiftPlace('app.log:12#3', 'app.log', 100)).toBe('app.log:112#3');
    expect(shiftPlace('app.log:7: a record has no trace id', 'app.log', 5)).toBe('app.log:12: a record has no trace id');
    expect(shiftPlace('app.log.1:12', 'app.log', 100)).toBe('app.log.1:12');
    expect(shiftPlace('other.log:12', 'app.log', 100)).toBe('other.log:12');
    expect(shiftPlace('app.log:', 'app.log', 100)).toBe('app.log:');
    expect(shiftPlace('c:/logs/app.log:3', 'c:/logs/app.log', 1)).toBe('c:/logs/app.log:4');
    // Lines numbered back from a part's start (pieces a worker took over, parallel/steal-range.ts).
    expect(shiftPlace('app.log:0', 'app.log', 100)).toBe('app.log:100');
    expect(shiftPlace('app.log:-12#2', 'app.log', 100)).toBe('app.log:88#2');
    expect(shiftPlace('app.log:-: x', 'app.log', 100)).toBe('app.log:-: x');
    // How far is not known (Ctrl-C stopped the reading before the part): the place says so.
    expect(shiftPlace('app.log:12: a record has no trace id', 'app.log', undefined)).toBe('app.log:?: a record has no trace id');
  });
});

describe('lineStartNear and stack traces', () => {
  it('starts a part only at a record, never inside the stack trace under a log line', () => {
    const path = new URL('../../fixtures/stacks/straddle.log', import.meta.url).pathname;
    const text = readFileSync(path);
    let found = 0;
    for (let at = 1; at < text.length - 2000; at += 89) {
      const start = lineStartNear(path, at);
      expect(start).toBeDefined();
      expect(text.toString('utf8', start!, start! + 120)).toMatch(/^\S+ \S+ (?:\{"level"|\d{4}-\d\d-\d\d \S+ ERROR \[)/);
      found++;
    }
    expect(found).toBeGreaterThan(800);
  });
});
