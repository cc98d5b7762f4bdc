import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteChunks, encode } from '../../src/render/byte-chunks.js';

type Op = { kind: 'text'; s: string } | { kind: 'pad'; s: string; width: number } | { kind: 'spaces'; n: number } | { kind: 'bytes'; s: string } | { kind: 'take' };

// Texts short and long, ASCII, two- and three-byte characters, paired and lone surrogates.
const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 30 }), // any code unit, lone surrogates included
  fc.constantFrom('µs', '├─ ', '│  ', '█████', '…', '😀', '\ud800', 'x\udc00y', ''),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  piece.map((s) => ({ kind: 'text' as const, s })),
  fc.record({ s: piece, width: fc.integer({ min: 0, max: 12 }) }).map((r) => ({ kind: 'pad' as const, ...r })),
  fc.integer({ min: -2, max: 40 }).map((n) => ({ kind: 'spaces' as const, n })),
  piece.map((s) => ({ kind: 'bytes' as const, s })),
  fc.constant({ kind: 'take' as const }),
);

describe('ByteChunks', () => {
  it('writes what Buffer.from would encode, across chunk changes and growth', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 64 }), (ops, size) => {
        const w = new ByteChunks(size, 0); // tiny chunks: every write may have to grow one
        const taken: Buffer[] = [];
        let want = '';
        for (const o of ops) {
          if (o.kind === 'text') {
            w.text(o.s);
            want += o.s;
          } else if (o.kind === 'pad') {
            w.padStart(o.s, o.width);
            want += o.s.padStart(o.width);
          } else if (o.kind === 'spaces') {
            w.spaces(o.n);
            want += ' '.repeat(Math.max(0, o.n));
          } else if (o.kind === 'bytes') {
            w.bytes(encode(o.s));
            want += o.s;
          } else taken.push(w.take());
        }
        taken.push(w.take());
        expect(Buffer.concat(taken).equals(Buffer.from(want, 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('says when a chunk is full, and starts a new one on take', () => {
    const w = new ByteChunks(100, 40);
    w.text('a'.repeat(60));
    expect(w.full).toBe(false);
    w.byte(0x62);
    expect(w.full).toBe(true);
    expect(w.take().toString()).toBe('a'.repeat(60) + 'b');
    expect(w.length).toBe(0);
    expect(w.full).toBe(false);
  });
});
