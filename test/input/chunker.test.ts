import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Chunker, type Chunk } from '../../src/input/chunker.js';
import { EnvelopeReader } from '../../src/input/envelopes.js';
import { openSource } from '../../src/input/open-source.js';

/** Feed `text` in pieces of `step` bytes; return the chunks as strings with their first line numbers. */
function chunk(text: string, target: number, step: number, maxLineBytes = 1 << 20) {
  const c = new Chunker(maxLineBytes, target);
  const buf = Buffer.from(text);
  const out: Chunk[] = [];
  for (let i = 0; i < buf.length; i += step) out.push(...c.push(buf.subarray(i, i + step)));
  const last = c.end();
  if (last) out.push(last);
  return { chunks: out.map((x) => ({ text: x.bytes.toString(), firstLine: x.firstLine, lines: x.lines })), overlong: c.overlong };
}

describe('Chunker', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 13)}"}`);
  const text = lines.join('\n') + '\n';

  it.each([
    [64, 1],
    [64, 7],
    [100, 4096],
    [1, 3],
  ])('cuts only at newlines, keeps every byte and numbers lines (target %i, reads of %i bytes)', (target, step) => {
    const { chunks } = chunk(text, target, step);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
    let next = 1;
    for (const c of chunks) {
      expect(c.text.endsWith('\n')).toBe(true);
      expect(c.firstLine).toBe(next);
      expect(c.lines).toBe(c.text.split('\n').length - 1);
      next += c.lines;
    }
    if (target < text.length && step < text.length) expect(chunks.length).toBeGreaterThan(1);
  });

  it('a last line without a newline still counts', () => {
    const { chunks } = chunk('{"a":1}\n{"b":2}', 4, 3);
    expect(chunks.at(-1)).toMatchObject({ text: '{"b":2}', firstLine: 2, lines: 1 });
  });

  it('never cuts between the partial pieces of one CRI or Docker line', () => {
    const cri = [
      '2024-05-01T10:00:00.000000000Z stdout F {"a":1}',
      '2024-05-01T10:00:00.100000000Z stdout P {"msg":"first half',
      '2024-05-01T10:00:00.100000000Z stdout P  middle',
      '2024-05-01T10:00:00.100000000Z stdout F  end"}',
      '{"log":"{\\"msg\\":\\"part one","stream":"stdout","time":"2024-05-01T10:00:00Z"}',
      '{"log":" part two\\"}\\n","stream":"stdout","time":"2024-05-01T10:00:00Z"}',
      '2024-05-01T10:00:01.000000000Z stdout F {"z":9}',
    ].join('\n') + '\n';
    for (const target of [1, 10, 60, 120]) {
      const { chunks } = chunk(cri, target, 5);
      expect(chunks.map((c) => c.text).join('')).toBe(cri);
      for (const c of chunks) {
        const last = c.text.trimEnd().split('\n').at(-1)!;
        expect(last.includes(' stdout P ') || (last.startsWith('{"log":') && !last.includes('\\n",'))).toBe(false);
      }
    }
  });

  it('never cuts between the pieces of a line when the other stream writes a whole line between them', () => {
    // containerd copies stdout and stderr from a goroutine each into one file (envelopes.ts PARTIAL_REACH).
    const cri = [
      '2024-05-01T10:00:00.000000000Z stdout F {"a":1}',
      '2024-05-01T10:00:00.100000000Z stdout P {"msg":"first half',
      '2024-05-01T10:00:00.100000000Z stderr F {"err":"between"}',
      '2024-05-01T10:00:00.100000000Z stdout P  middle',
      '2024-05-01T10:00:00.100000000Z stdout F  end"}',
      '2024-05-01T10:00:01.000000000Z stdout F {"z":9}',
    ].join('\n') + '\n';
    const joined = (text: string): string[] => {
      const r = new EnvelopeReader();
      return text.split('\n').flatMap((l) => (l === '' ? [] : [r.unwrap(l)])).flatMap((u) => (u.kind === 'payload' ? [u.payload] : []));
    };
    for (const target of [1, 10, 60, 120, 150, 200]) {
      const { chunks } = chunk(cri, target, 5);
      expect(chunks.map((c) => c.text).join('')).toBe(cri);
      expect(chunks.flatMap((c) => joined(c.text))).toEqual(['{"a":1}', '{"err":"between"}', '{"msg":"first half middle end"}', '{"z":9}']);
    }
  });

  it('drops a line over the cap as it streams in, and says where', () => {
    const long = 'x'.repeat(10_000);
    const { chunks, overlong } = chunk(`{"a":1}\n${long}\n{"b":2}\n`, 64, 100, 1000);
    expect(overlong).toEqual([{ line: 2, bytes: 10_000 }]);
    expect(chunks.map((c) => c.text).join('')).toBe('{"a":1}\n{"b":2}\n');
    expect(chunks.at(-1)!.firstLine).toBe(3);
  });
});

describe('Chunker over a file read in blocks of whole lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracectl-blocks-'));
  // Lines short and long (past a block), CRI partial pieces, blank lines; sometimes no last newline.
  const line = fc.oneof(
    fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
    fc.integer({ min: 100, max: 700 }).map((n) => `{"pad":"${'y'.repeat(n)}"}`),
    fc.constantFrom('2024-05-01T10:00:00.1Z stdout P {"a":', '2024-05-01T10:00:00.2Z stdout F 1}', ''),
  );
  const file = fc.tuple(fc.array(line, { maxLength: 60 }), fc.boolean()).map(([ls, nl]) => ls.join('\n') + (nl && ls.length > 0 ? '\n' : ''));

  it('property: every byte once, in order; cuts at newlines, never inside a run of partial pieces', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom(64, 100, 256), fc.boolean(), fc.boolean(), async (text, block, gz, grow) => {
        const path = join(dir, `f${n++}.log`);
        writeFileSync(path, gz ? gzipSync(text) : text);
        // `grow`: the size changes after the second read, as a reader that decides late asks (read-parallel.ts).
        let asked = 0;
        const size = () => (grow && asked++ >= 2 ? block * 4 : block);
        const reads: Buffer[] = [];
        for await (const b of await openSource({ name: path }, size)) reads.push(b);
        expect(Buffer.concat(reads).toString()).toBe(text);
        const c = new Chunker(1 << 20, block);
        const chunks = reads.flatMap((b, i) => {
          if (grow && i === 2) c.resize(block * 4);
          return c.push(b);
        });
        const last = c.end();
        if (last) chunks.push(last);
        expect(chunks.map((x) => x.bytes.toString()).join('')).toBe(text);
        let next = 1;
        chunks.forEach((x, i) => {
          const t = x.bytes.toString();
          if (i < chunks.length - 1) {
            expect(t.endsWith('\n')).toBe(true);
            expect(t.slice(0, -1).split('\n').at(-1)!).not.toMatch(/ stdout P /); // the chunk's last line
          }
          expect(x.firstLine).toBe(next);
          next += x.lines;
        });
        expect(next - 1).toBe(text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
      }),
      { numRuns: 200 },
    );
  });

  /**
   * The chunk size changes while a file is read (group picks it after the first chunks; a worker taking
   * over the end of the main thread's part of a file makes the reads there shrink at once,
   * parallel/steal-range.ts): the block read ahead at the old size, at most a quarter or many times the
   * new one, is still a chunk as it was read — not a copy, and its memory can go back to the pool.
   */
  it.each([
    ['grows', 1024, 4096, 3],
    ['shrinks at once', 8192, 512, 2],
  ])('after the chunk size %s, every block of a file is still a chunk as it was read', async (name, from, to, after) => {
    const path = join(dir, `${name.replace(/ /g, '-')}.log`);
    const text = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ n: i, msg: 'x'.repeat(i % 50) })).join('\n') + '\n';
    writeFileSync(path, text);
    let target = from;
    const c = new Chunker(1 << 20, target);
    const chunks: Chunk[] = [];
    for await (const b of await openSource({ name: path }, () => target)) {
      c.resize(target);
      chunks.push(...c.push(b));
      if (chunks.length === after) target = to; // the block read ahead is still of the old size
    }
    const last = c.end();
    if (last) chunks.push(last);
    expect(chunks.map((x) => x.bytes.toString()).join('')).toBe(text);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.slice(0, -1).every((x) => x.owned === true)).toBe(true);
    // The sizes follow the new target once the block read ahead is through.
    const later = chunks.slice(after + 1, -1).map((x) => x.bytes.length);
    expect(Math.max(...later)).toBeLessThan(to * 1.5);
    expect(Math.max(...later)).toBeGreaterThan(to * 0.5);
    // The block read ahead kept the old size.
    expect(chunks[after]!.bytes.length).toBeGreaterThan(from * 0.5);
  });
});

describe('Chunker: a line that opens a span document has the document cap (issue 28)', () => {
  /** Feed in pieces of `step` bytes with a log-line cap of 100 bytes and a document cap of `doc`. */
  function capped(text: string, step: number, doc: number) {
    const c = new Chunker(100, 64, 1, doc);
    const buf = Buffer.from(text);
    const out: Chunk[] = [];
    for (let i = 0; i < buf.length; i += step) out.push(...c.push(buf.subarray(i, i + step)));
    const last = c.end();
    if (last) out.push(last);
    return { text: out.map((x) => x.bytes.toString()).join(''), lines: out.reduce((n, x) => n + x.lines, 0), overlong: c.overlong };
  }
  const doc = `{"data":[${Array.from({ length: 40 }, (_, i) => `{"traceID":"${i}"}`).join(',')}]}`; // ~700 bytes
  const zipkin = `[{"traceId":"${'a'.repeat(600)}"}]`;
  const log = `{"msg":"${'x'.repeat(600)}"}`;

  // Reads shorter than the lines: a line that arrives whole in one read is left to processChunk's cap.
  it.each([1, 7, 64])('keeps a document line whole and drops a log line as long (reads of %i bytes)', (step) => {
    const r = capped(['{"a":1}', doc, log, zipkin, '{"b":2}', ''].join('\n'), step, 10_000);
    expect(r.text).toBe(['{"a":1}', doc, zipkin, '{"b":2}', ''].join('\n'));
    expect(r.overlong).toEqual([{ line: 3, bytes: log.length }]);
    expect(r.lines).toBe(4); // the dropped line is counted in overlong
  });

  it('drops a document line over the document cap', () => {
    const r = capped(['{"a":1}', doc, ''].join('\n'), 16, 200);
    expect(r.text).toBe('{"a":1}\n');
    expect(r.overlong).toEqual([{ line: 2, bytes: doc.length }]);
  });
});

describe('Chunker and stack traces', () => {
  // 48 text log lines with stacks of 2 to 16 lines under them, at most 1.7 KB with their line.
  const straddle = readFileSync(new URL('../../fixtures/stacks/straddle.log', import.meta.url));
  const opensRecord = (text: string) => /^\S+ \S+ (?:\{"level"|\d{4}-\d\d-\d\d \S+ ERROR \[)/.test(text);

  it('every chunk opens with a record, never inside a stack, whatever the target and the reads', () => {
    let chunks = 0;
    for (let target = 2048; target <= 6000; target += 131) {
      for (const step of [target, 997, 65536]) {
        const { chunks: out } = chunk(straddle.toString(), target, step);
        expect(out.map((c) => c.text).join('')).toBe(straddle.toString());
        for (const c of out) expect(opensRecord(c.text), `target ${target}, line ${c.firstLine}`).toBe(true);
        chunks += out.length;
      }
    }
    expect(chunks).toBeGreaterThan(1000);
  });

  it('a file read in blocks: every block opens with a record (readLineBlocks cuts as the chunker does)', async () => {
    const path = new URL('../../fixtures/stacks/straddle.log', import.meta.url).pathname;
    for (const blockBytes of [2048, 2500, 3333]) {
      const blocks: Buffer[] = [];
      for await (const b of await openSource({ name: path }, blockBytes)) blocks.push(Buffer.from(b));
      expect(Buffer.concat(blocks).equals(straddle)).toBe(true);
      expect(blocks.length).toBeGreaterThan(20);
      for (const b of blocks) expect(opensRecord(b.toString('utf8', 0, 200))).toBe(true);
    }
  });

  it('a stack longer than two chunks is cut (memory stays bounded) and no byte is lost', () => {
    const long = ['2026-11-03 14:02:00.001 ERROR [inventory,4bf92f3577b34da6a3ce929d0e0e4736,00f067aa0ba902b7] boom', ...Array.from({ length: 400 }, (_, i) => `\tat com.shop.Frame${i}.call(Frame${i}.java:1)`), '{"msg":"after"}', ''].join('\n');
    const { chunks: out } = chunk(long, 1024, 4096);
    expect(out.map((c) => c.text).join('')).toBe(long);
    expect(Math.max(...out.map((c) => c.text.length))).toBeLessThanOrEqual(2 * 1024 + 64);
  });
});
