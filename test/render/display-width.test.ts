import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cutToWidth, displayWidth, fitChunks, fitLine, fitLines, padEndWidth, padStartWidth } from '../../src/render/display-width.js';
import { colorPalette } from '../../src/render/palette.js';

describe('displayWidth', () => {
  // [text, columns, what it is]
  const cases: [string, number, string][] = [
    ['', 0, 'empty'],
    ['checkout', 8, 'ASCII'],
    ['350µs', 5, 'Latin-1'],
    ['café', 4, 'precomposed é'],
    ['cafe\u0301', 4, 'e + combining acute'],
    ['a\u0308\u0323', 1, 'two combining marks on one base'],
    ['\u0301', 0, 'a combining mark alone'],
    ['注文サービス', 12, 'CJK and katakana: wide'],
    ['ｆｕｌｌ', 8, 'fullwidth Latin'],
    ['한국어', 6, 'Hangul syllables'],
    ['\u1100\u1161\u11a8', 2, 'Hangul jamo L+V+T: one cluster'],
    ['😀', 2, 'emoji'],
    ['pa😀😀😀', 8, 'emoji after ASCII'],
    ['👩‍👩‍👧', 2, 'ZWJ family: one cluster'],
    ['❤️', 2, 'text heart + VS16'],
    ['❤', 1, 'text heart without VS16'],
    ['©', 1, 'text-presentation pictograph'],
    ['👍🏽', 2, 'emoji + skin tone'],
    ['🇯🇵', 2, 'flag'],
    ['1️⃣', 2, 'keycap'],
    ['🫨', 2, 'emoji newer than Unicode 14'],
    ['a\u200bb', 2, 'zero width space'],
    ['a\u200db', 2, 'ZWJ between letters'],
    ['a\u200cb', 2, 'ZWNJ'],
    ['a\ufe0f', 2, 'VS16 on a letter asks for emoji presentation'],
    ['x\ufe00', 1, 'VS1 adds nothing'],
    ['…█•', 3, 'ellipsis, block, bullet'],
    ['\\x1b[31m', 8, 'an escaped control is its visible text'],
  ];
  it.each(cases)('%j is %i columns (%s)', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('does not count colour', () => {
    const p = colorPalette();
    expect(displayWidth(p.bold('注文'))).toBe(4);
    expect(displayWidth(p.error('abc'))).toBe(3);
  });
});

describe('cutToWidth', () => {
  const cases: [string, number, string][] = [
    ['checkout', 8, 'checkout'],
    ['checkout', 5, 'chec…'],
    ['checkout', 1, '…'],
    ['checkout', 0, ''],
    ['pa😀😀😀x', 6, 'pa😀…'], // never half an emoji: 2 + 2 + '…'
    ['pa😀😀😀x', 5, 'pa😀…'],
    ['注文サービス', 7, '注文サ…'],
    ['注文サービス', 6, '注文…'], // a wide character that does not fit leaves a column short
    ['cafe\u0301s', 5, 'cafe\u0301s'],
    ['cafe\u0301s!', 5, 'cafe\u0301…'], // the accent stays with its letter
    ['👩‍👩‍👧👩‍👩‍👧', 3, '👩‍👩‍👧…'],
  ];
  it.each(cases)('%j at %i is %j', (text, width, cut) => {
    expect(cutToWidth(text, width)).toBe(cut);
  });

  it('never splits a surrogate pair and never exceeds the width (any text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.integer({ min: 0, max: 40 }), (s, w) => {
        const cut = cutToWidth(s, w);
        expect(displayWidth(cut)).toBeLessThanOrEqual(w);
        expect(/[\ud800-\udfff]/u.test(cut)).toBe(false);
        if (displayWidth(s) <= w) expect(cut).toBe(s);
        else if (w > 0) expect(s.startsWith(cut.slice(0, -1))).toBe(true);
      }),
    );
  });
});

describe('padding and whole lines', () => {
  it('pads by display width', () => {
    expect(padEndWidth('注文', 6)).toBe('注文  ');
    expect(padStartWidth('é', 3)).toBe('  é');
  });

  it('fitLine cuts a coloured line by its visible columns and closes the colour', () => {
    const p = colorPalette();
    const line = `${p.bold('注文サービス')} ${p.error('failed')}`;
    const cut = fitLine(line, 9);
    expect(displayWidth(cut)).toBe(9);
    expect(cut.replace(/\u001b\[[0-9;]*m/g, '')).toBe('注文サー…');
    expect(cut.endsWith('\u001b[0m')).toBe(true);
    expect(fitLine(line, 40)).toBe(line);
  });
});

describe('fitChunks: the byte-level bound is a fast path of fitLines', () => {
  it('gives what fitLines gives, for lines of ASCII, box drawing, blocks, CJK, emoji and combining marks', () => {
    const piece = fc.constantFrom('a', 'Z', ' ', '│', '├─', '█', '░', '注', 'サ', '😀', '👩\u200d👩\u200d👧', 'e\u0301', '⌛', '©', '\u200b', '…');
    const line = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 80 }), (lines, width) => {
        const text = lines.join('\n') + '\n';
        const got = Buffer.concat([...fitChunks([Buffer.from(text)], width)]).toString('utf8');
        expect(got).toBe(fitLines(text, width));
      }),
      { numRuns: 500 },
    );
  });
});
