import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSources } from '../entries/ingest-fixture.js';
import { openSource } from '../../src/input/open-source.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-input-'));
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const lines = (n: number) => Array.from({ length: n }, (_, i) => `{"msg":"line ${i + 1}","traceId":"${T}","pad":"${'x'.repeat(200)}"}`).join('\n') + '\n';

describe('sources', () => {
  it('gzip is found by its magic bytes, whatever the name says', async () => {
    const gz = join(dir, 'app.log'); // no .gz
    writeFileSync(gz, gzipSync(lines(3)));
    const notGz = join(dir, 'plain.log.gz'); // .gz, but plain text
    writeFileSync(notGz, lines(2));
    const { entries, stats } = await readSources([{ name: gz }, { name: notGz }]);
    expect(entries.map((e) => [e.source, e.line, e.message])).toEqual([
      [gz, 1, 'line 1'], [gz, 2, 'line 2'], [gz, 3, 'line 3'], [notGz, 1, 'line 1'], [notGz, 2, 'line 2'],
    ]);
    expect(stats.failedSources).toEqual([]);
    expect([stats.read, stats.used, stats.balanced]).toEqual([5, 5, true]);
  });

  it('the mixed fixture’s .ecs.log.gz reads as gzip', async () => {
    const path = 'fixtures/mixed/payments.ecs.log.gz';
    expect(readFileSync(path).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const { stats } = await readSources([{ name: path }]);
    expect(stats.failedSources).toEqual([]);
    expect(stats.read).toBeGreaterThan(0);
    expect(stats.balanced).toBe(true);
  });

  it('truncated gzip: a failed-source diagnostic, the lines before the cut still read and counted', async () => {
    const whole = gzipSync(lines(2000));
    const path = join(dir, 'cut.log.gz');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const other = join(dir, 'after.log');
    writeFileSync(other, lines(1));
    const { entries, stats } = await readSources([{ name: path }, { name: other }]);
    expect(stats.failedSources).toEqual([`${path}: truncated gzip data`]);
    const fromCut = entries.filter((e) => e.source === path);
    expect(fromCut.length).toBeGreaterThan(10);
    expect(fromCut.map((e) => e.line)).toEqual(fromCut.map((_, i) => i + 1));
    expect(entries.at(-1)?.source).toBe(other); // the next source is still read
    expect(stats.balanced).toBe(true);
  });

  it('missing files and directories are failed sources, not crashes', async () => {
    const { stats } = await readSources([{ name: join(dir, 'nope.log') }, { name: dir }]);
    expect(stats.failedSources).toEqual([`${join(dir, 'nope.log')}: no such file`, `${dir}: is a directory`]);
    expect(stats.balanced).toBe(true);
  });

  it('stdin, gzipped, arriving a byte at a time', async () => {
    const gz = gzipSync(lines(2));
    const stdin = Readable.from(Array.from(gz, (b) => Buffer.from([b])));
    const { entries, stats } = await readSources([{ name: '-', stdin }]);
    expect(entries.map((e) => [e.source, e.line])).toEqual([['-', 1], ['-', 2]]);
    expect(stats.balanced).toBe(true);
  });

  it('an empty source is zero lines', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const { stats } = await readSources([{ name: path }]);
    expect([stats.read, stats.failedSources, stats.balanced]).toEqual([0, [], true]);
  });

  it('a kubectl --prefix stream is handled as it arrives, not held as a JSON document', async () => {
    const stdin = new PassThrough();
    const seen: number[] = [];
    const { ingest } = await import('../../src/ingest/read-inputs.js');
    // Tiny chunks: lines are handed on as soon as a chunk fills; a source held as a JSON document would
    // still wait for its end.
    const done = ingest([{ name: '-', stdin }], { entry: (e) => seen.push(e.line), spans: () => {} }, { maxLineBytes: 1 << 20, chunkBytes: 16 });
    stdin.write(`[pod/api-7d4b9c6f5-x2x9k/api] {"msg":"a","traceId":"${T}"}\n`);
    stdin.write(`[pod/api-7d4b9c6f5-x2x9k/api] {"msg":"b","traceId":"${T}"}\n`);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([1, 2]); // before the stream ended
    stdin.end();
    const stats = await done;
    expect(stats.balanced).toBe(true);
  });

  // /proc/self/fd lists this process's open files (Linux; elsewhere the checks are skipped).
  const openFiles = (path: string) =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false; // closed meanwhile
      }
    }).length;

  it.runIf(existsSync('/proc/self/fd'))('a reader that stops early closes the file: plain or gzip, at the first block or later', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `{"n":${i}}`).join('\n') + '\n';
    for (const [name, bytes] of [['early.log', text], ['early.log.gz', gzipSync(text)]] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      for (const after of [1, 3]) {
        let n = 0;
        for await (const _ of await openSource({ name: path }, 256)) if (++n === after) break;
        expect(openFiles(path)).toBe(0);
      }
    }
  });

  it.runIf(existsSync('/proc/self/fd'))('--strict stopping at a bad first line leaves no file open', async () => {
    const path = join(dir, 'strict.log');
    writeFileSync(path, 'not json\n' + '{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}\n'.repeat(50));
    const r = await runCli(['group', '--strict', path]);
    expect(r.code).toBe(2);
    expect(openFiles(path)).toBe(0);
  });
});
