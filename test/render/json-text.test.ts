import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyJson, terminalSafeJson } from '../../src/render/json-text.js';

/** What must never reach a terminal raw from JSON output: C0, DEL, C1, bidi controls, U+2028/9, the invisible characters (a ZWJ, kept between emoji, aside). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200c\u200e\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]/;

describe('terminal-safe JSON', () => {
  it('writes the issue\'s operation with \\u escapes (issue 29)', () => {
    expect(stringifyJson({ operation: 'evil\u009b31m\u202egnp.exe' })).toBe('{"operation":"evil\\u009b31m\\u202egnp.exe"}');
  });

  it.each([
    ['DEL', '\u007f', '\\u007f'],
    ['C1 NEL', '\u0085', '\\u0085'],
    ['LRM, RLM', '\u200e\u200f', '\\u200e\\u200f'],
    ['embeddings and overrides', '\u202a\u202b\u202c\u202d\u202e', '\\u202a\\u202b\\u202c\\u202d\\u202e'],
    ['isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['Arabic letter mark', '\u061c', '\\u061c'],
    ['line and paragraph separators', '\u2028\u2029', '\\u2028\\u2029'],
    ['C0 (as JSON.stringify has it)', '\u001b\u0007', '\\u001b\\u0007'],
    ['zero-width space, joiners, word joiner, BOM', '\u200b\u200c\u200d\u2060\ufeff', '\\u200b\\u200c\\u200d\\u2060\\ufeff'],
    ['a tag character (its two surrogates)', '\u{e0041}', '\\udb40\\udc41'],
  ])('%s', (_name, raw, escaped) => {
    expect(stringifyJson([`a${raw}b`])).toBe(`["a${escaped}b"]`);
  });

  it('leaves other text as JSON.stringify writes it', () => {
    for (const v of ['注文サービス', 'pa😀', 'cafe\u0301', '👩\u200d👩\u200d👧', { k: ['µs', 1, null] }]) expect(stringifyJson(v)).toBe(JSON.stringify(v));
  });

  it('parses to the same data and holds no unsafe character, for any value', () => {
    const str = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0x2100 }).map((c) => String.fromCharCode(c)) }));
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(str, fc.oneof(str, fc.array(str))), (value, object) => {
        for (const v of [value, object]) {
          const json = stringifyJson(v);
          expect(json).not.toMatch(UNSAFE);
          expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(v)));
          expect(terminalSafeJson(JSON.stringify(v))).toBe(json);
        }
      }),
      { numRuns: 300 },
    );
  });
});
