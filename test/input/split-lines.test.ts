import { describe, expect, it } from 'vitest';
import { LineSplitter, type LineHandler } from '../../src/input/split-lines.js';

type Got = { lines: [number, string][]; tooLong: [number, number][] };

function splitter(max = 1 << 20): { s: LineSplitter; got: Got } {
  const got: Got = { lines: [], tooLong: [] };
  const handler: LineHandler = {
    line: (text, n) => got.lines.push([n, text]),
    tooLong: (n, bytes) => got.tooLong.push([n, bytes]),
  };
  return { s: new LineSplitter(handler, max), got };
}

function split(chunks: (string | Buffer)[], max?: number): Got {
  const { s, got } = splitter(max);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return got;
}

const carryOf = (s: LineSplitter): string => (s as unknown as { carry: string }).carry;

describe('LineSplitter', () => {
  it('numbers lines from 1; LF and CRLF; a missing final newline still counts', () => {
    expect(split(['a\nb\r\nc'])).toEqual({ lines: [[1, 'a'], [2, 'b'], [3, 'c']], tooLong: [] });
    expect(split(['a\n\nb\n'])).toEqual({ lines: [[1, 'a'], [2, ''], [3, 'b']], tooLong: [] });
    expect(split(['a\r', '\nb'])).toEqual({ lines: [[1, 'a'], [2, 'b']], tooLong: [] }); // CR and LF in different chunks
    expect(split([''])).toEqual({ lines: [], tooLong: [] });
  });

  it('only a trailing CR is removed: a CR inside the line is the line’s', () => {
    expect(split(['a\rb\r\n']).lines).toEqual([[1, 'a\rb']]);
  });

  it('lines that span chunks are joined', () => {
    expect(split(['{"a":', '1}\n{"b"', ':2}']).lines).toEqual([[1, '{"a":1}'], [2, '{"b":2}']]);
  });

  it('a UTF-8 BOM is removed from the first line only, even when its bytes are split', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(split([Buffer.concat([bom, Buffer.from('a\n\ufeffb\n')])]).lines).toEqual([[1, 'a'], [2, '\ufeffb']]);
    expect(split([bom.subarray(0, 1), bom.subarray(1), 'a\n']).lines).toEqual([[1, 'a']]);
  });

  it('a multibyte character split across chunks stays whole', () => {
    const bytes = Buffer.from('{"msg":"café 日本 🎉"}\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(split([bytes.subarray(0, cut), bytes.subarray(cut)]).lines).toEqual([[1, '{"msg":"café 日本 🎉"}']]);
    }
  });

  it('invalid UTF-8 becomes U+FFFD and does not eat the newline', () => {
    expect(split([Buffer.from([0x61, 0xff, 0xfe, 0x0a, 0x62, 0xc3])]).lines).toEqual([[1, 'a\ufffd\ufffd'], [2, 'b\ufffd']]);
  });

  it('a line over the cap inside one chunk is reported with its byte count', () => {
    const got = split([`short\n${'é'.repeat(600)}\nafter\n`], 1000);
    expect(got.lines).toEqual([[1, 'short'], [3, 'after']]);
    expect(got.tooLong).toEqual([[2, 1200]]);
  });

  it('a line exactly at the cap is kept', () => {
    expect(split(['x'.repeat(1000) + '\n'], 1000).lines).toHaveLength(1);
  });

  it('a 5 MB line with a 1 MB cap, in 64 KiB chunks: skipped with its byte count, never held', () => {
    const cap = 1 << 20;
    const huge = Buffer.alloc(5 * 1024 * 1024, 0x61);
    const input = Buffer.concat([Buffer.from('{"first":1}\n'), huge, Buffer.from('\n{"last":1}')]);
    const { s, got } = splitter(cap);
    let maxCarry = 0;
    for (let at = 0; at < input.length; at += 64 * 1024) {
      s.push(input.subarray(at, at + 64 * 1024));
      maxCarry = Math.max(maxCarry, carryOf(s).length);
    }
    s.end();
    expect(got.lines).toEqual([[1, '{"first":1}'], [3, '{"last":1}']]);
    expect(got.tooLong).toEqual([[2, huge.length]]);
    expect(maxCarry).toBeLessThanOrEqual(cap + 64 * 1024);
    expect(s.linesSeen).toBe(3);
  });

  it('an over-long last line without a newline is reported at end()', () => {
    const got = split(['ok\n', 'y'.repeat(700), 'y'.repeat(700)], 1000);
    expect(got).toEqual({ lines: [[1, 'ok']], tooLong: [[2, 1400]] });
  });

  it('the byte count of a skipped line is exact when a multibyte char straddles chunks', () => {
    const line = Buffer.from('€'.repeat(1000)); // 3000 bytes
    const got = split([line.subarray(0, 1501), line.subarray(1501, 2999), Buffer.concat([line.subarray(2999), Buffer.from('\nz\n')])], 1000);
    expect(got).toEqual({ lines: [[2, 'z']], tooLong: [[1, 3000]] });
  });
});

describe('LineSplitter: a line that opens a span document has the document cap (issue 28)', () => {
  function capped(chunks: string[], doc: number): Got {
    const got: Got = { lines: [], tooLong: [] };
    const s = new LineSplitter({ line: (text, n) => got.lines.push([n, text]), tooLong: (n, bytes) => got.tooLong.push([n, bytes]) }, 20, 1, doc);
    for (const c of chunks) s.push(Buffer.from(c));
    s.end();
    return got;
  }
  const doc = `{"resourceSpans":[${'{},'.repeat(30)}{}]}`;

  it('holds the document line, drops a log line as long', () => {
    const pieces = (t: string) => t.match(/.{1,8}/g)!;
    expect(capped([...pieces(doc), '\n', ...pieces(`{"msg":"${'x'.repeat(80)}"}`), '\nok'], 1000)).toEqual({ lines: [[1, doc], [3, 'ok']], tooLong: [[2, 90]] });
  });
  it('drops the document line over the document cap', () => {
    expect(capped([doc, '\n'], 50)).toEqual({ lines: [], tooLong: [[1, doc.length]] });
  });
});
