// Issue 30: inputs that crashed the process or grew without bound — a "document" of a hundred million
// lines, the collector's debug text read whole, JSON output past the longest string, a FIFO that ignored
// Ctrl-C, and more traces than the heap holds. Each through the built binary, a real process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseAccount } from './gen.js';
import { exited, hasProc, spawnTracectl, watchPeakRss } from './process.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-limits-'));

describe('a first line that opens JSON and never closes (issue 30)', () => {
  // `{"a":` and then 120 MiB of LF: held one array slot a line, V8 aborted (exit 133, no output).
  it.runIf(hasProc)('a 549 KB gzip of 125,829,121 lines: every line counted, flat memory, no crash', async () => {
    const blank = 120 * 1024 * 1024;
    const raw = Buffer.alloc(6 + blank, 0x0a);
    raw.write('{"a":\n', 'latin1');
    const file = join(dir, 'd.gz');
    writeFileSync(file, gzipSync(raw, { level: 1 }));
    const child = spawnTracectl(['group', file]);
    const peak = watchPeakRss(child.pid!);
    const r = await exited(child);
    const peakKb = peak();
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(1); // no traces found
    expect(parseAccount(r.stderr)).toEqual({ read: blank + 1, used: 0, withoutTrace: 0, joined: 0, stack: 0, notExamined: 0, skipped: blank + 1 });
    expect(r.stderr).toContain(`125,829,120 blank line: ${file}:2, ${file}:3, ${file}:4`);
    expect(r.stderr).toContain(`1 not JSON: ${file}:1`);
    // The held text is 120 MiB of one-byte characters: held by bytes, not by a slot a line.
    expect(peakKb).toBeLessThan(600 * 1024);
  }, 180_000);
});
