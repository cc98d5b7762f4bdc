import { describe, expect, it } from 'vitest';
import { Chunker, type Chunk } from '../../src/input/chunker.js';

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

  it('drops a line over the cap as it streams in, and says where', () => {
    const long = 'x'.repeat(10_000);
    const { chunks, overlong } = chunk(`{"a":1}\n${long}\n{"b":2}\n`, 64, 100, 1000);
    expect(overlong).toEqual([{ line: 2, bytes: 10_000 }]);
    expect(chunks.map((c) => c.text).join('')).toBe('{"a":1}\n{"b":2}\n');
    expect(chunks.at(-1)!.firstLine).toBe(3);
  });
});
