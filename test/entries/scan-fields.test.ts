import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldScanner, MAX_SHAPES, numberAt } from '../../src/entries/scan-fields.js';
import { RUNS } from '../robustness/gen.js';

// The field scanner's contract (src/entries/scan-fields.ts): a line it accepts is a JSON object, and each
// wanted key it reports has the value JSON.parse gives that key; it may refuse a valid line (the caller
// then parses it), never accept an invalid one.

const WANTED = ['traceId', 'spanId', 'msg', 'time', 'level', 'n', 'obj', 'arr', 'flag', 'none', 'ünï', '__proto__', 'a'];
const scanner = new FieldScanner(WANTED.filter((k) => /^[\x20-\x7e]+$/.test(k)).map((k) => [k, `tag:${k}`] as const));

/** What the scanner says of a line: undefined when it refuses, else its wanted fields and key count. */
function scanned(line: string | Buffer): { fields: Record<string, unknown>; keys: number; tags: unknown[] } | undefined {
  const b = Buffer.isBuffer(line) ? line : Buffer.from(line, 'utf8');
  // Surrounding bytes must never be read: the line sits inside a larger buffer, as in a chunk.
  const framed = Buffer.concat([Buffer.from('}"\\\n'), b, Buffer.from('\n{"x":')]);
  if (!scanner.scan(framed, 4, 4 + b.length)) return undefined;
  return { fields: scanner.toObject(), keys: scanner.keys, tags: scanner.tags.slice(0, scanner.count) };
}

function parsed(line: string | Buffer): unknown {
  try {
    return JSON.parse(Buffer.isBuffer(line) ? line.toString('utf8') : line);
  } catch {
    return undefined;
  }
}

/** JSON.parse's view of the wanted keys of an object, for comparison with toObject(). */
function wantedOf(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    if (WANTED.includes(k) && k !== 'ünï') Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function expectAgrees(line: string | Buffer): void {
  const s = scanned(line);
  if (s === undefined) return; // refusing is always allowed
  const p = parsed(line);
  expect(p, `accepted a line JSON.parse refuses: ${JSON.stringify(String(line))}`).toBeTypeOf('object');
  expect(Array.isArray(p)).toBe(false);
  expect(p).not.toBeNull();
  const o = p as Record<string, unknown>;
  expect(s.fields).toEqual(wantedOf(o));
  // Object.is keeps -0 apart from 0, which toEqual does not.
  for (const k of Object.keys(s.fields)) if (typeof o[k] === 'number') expect(Object.is(s.fields[k], o[k])).toBe(true);
  // `keys` counts members as written: an unwanted key given twice counts twice. What callers rely on
  // (classify's one-key test) is that an object of one wanted key never shows as two.
  const distinct = Object.keys(o);
  expect(s.keys).toBeGreaterThanOrEqual(distinct.length);
  if (distinct.length === 1 && WANTED.includes(distinct[0]!) && distinct[0] !== 'ünï') expect(s.keys).toBe(1);
}

describe('FieldScanner', () => {
  it('reads the wanted fields of a plain log line as JSON.parse does, with their tags', () => {
    const line = '{"time":"2024-05-01T10:00:00.5Z","level":"info","msg":"héllo \\"w\\" \\u00e9\\n","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","n":-1.5e3,"obj":{"a":[1,{"b":null}]},"arr":[],"flag":false,"none":null,"other":{"deep":[[[]]]}}';
    const s = scanned(line)!;
    expect(s).toBeDefined();
    expect(s.fields).toEqual(wantedOf(JSON.parse(line) as Record<string, unknown>));
    expect(s.keys).toBe(10);
    expect(s.tags).toEqual(['tag:time', 'tag:level', 'tag:msg', 'tag:traceId', 'tag:n', 'tag:obj', 'tag:arr', 'tag:flag', 'tag:none']);
  });

  it('accepts JSON blanks (space, tab, CR) between tokens, and nothing after the object but blanks', () => {
    expect(scanned('{ "a" :\t1 ,\r"msg": "x" } \t')?.fields).toEqual({ a: 1, msg: 'x' });
    expect(scanned('{"a":1} x')).toBeUndefined();
    expect(scanned('{"a":1}{"b":2}')).toBeUndefined();
    expect(scanned('{}')?.keys).toBe(0);
  });

  it('refuses what JSON.parse refuses', () => {
    const bad = [
      '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":-}', '{"a":1e}', '{"a":+1}', '{"a":0x10}', '{"a":NaN}', '{"a":tru}',
      '{"a":"x\ty"}', '{"a":"\\x"}', '{"a":"\\u12g4"}', '{"a":"\\u12"}', '{"a":1,}', '{,"a":1}', '{"a" 1}', '{a:1}',
      "{'a':1}", '{"a":[1,]}', '{"a":[1 2]}', '{"a":{"b"}}', '{"a":{"b":1,}}', '{"a":"x}', '{"a":1', '{"a":[}', '{"a":]}',
      '{"a":1}}', '{"a":\u00a01}', '{"a":"\u0000"}', '{"a":1}\u0000',
    ];
    for (const line of bad) {
      expect(parsed(line), line).toBeUndefined();
      expect(scanned(line), line).toBeUndefined();
    }
  });

  it('leaves the odd cases to JSON.parse: escaped keys, a wanted key twice, deep nesting', () => {
    expect(parsed('{"tr\\u0061ceId":"x","b":1}')).toBeDefined();
    expect(scanned('{"tr\\u0061ceId":"x","b":1}')).toBeUndefined();
    expect(scanned('{"msg":"a","msg":"b"}')).toBeUndefined();
    expect(scanned('{"other":1,"other":2}')?.keys).toBe(2); // an unwanted key twice changes no wanted value
    const deep = `{"a":${'['.repeat(65)}${']'.repeat(65)}}`;
    expect(parsed(deep)).toBeDefined();
    expect(scanned(deep)).toBeUndefined();
    expect(scanned(`{"a":${'['.repeat(64)}${']'.repeat(64)}}`)?.fields).toEqual(JSON.parse(`{"a":${'['.repeat(64)}${']'.repeat(64)}}`));
  });

  it('decodes invalid UTF-8 in a value as the line decoder does (U+FFFD), and a wanted __proto__ stays a plain key', () => {
    const bytes = Buffer.concat([Buffer.from('{"msg":"a'), Buffer.from([0xe2, 0x82, 0x41, 0xff]), Buffer.from('","b":1}')]);
    expectAgrees(bytes);
    expect(scanned(bytes)?.fields.msg).toBe(bytes.toString('utf8').slice(8, -8));
    const proto = scanned('{"__proto__":{"polluted":1},"b":1}')!;
    expect(Object.keys(proto.fields)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('property: reads numbers as JSON.parse does, short decimals (read without text) and long ones alike', () => {
    const num = fc
      .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9]\d{0,18})$/), fc.option(fc.stringMatching(/^\d{1,18}$/)), fc.option(fc.stringMatching(/^[eE][+-]?\d{1,3}$/)))
      .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp ?? ''}`);
    fc.assert(
      fc.property(num, (n) => {
        const s = scanned(`{"n":${n},"b":1}`);
        expect(s, n).toBeDefined();
        expect(Object.is(s!.fields.n, JSON.parse(n)), n).toBe(true);
      }),
      { numRuns: RUNS * 20 },
    );
  });

  it('gives the same string for the same bytes from its cache, and different ones for different bytes', () => {
    // Alike at both ends (one cache slot), told apart by the middle: short, odd-length and past 64 bytes.
    const long = (c: string) => `abcd${c.repeat(70)}wxyz`;
    const ids = ['4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4737', '4bf9xxxxxxxxxxxxxxxxxxxxxxxx4736', `abcd${'m'.repeat(25)}wxyz`, `abcd${'m'.repeat(24)}nwxyz`, long('p'), long('q')];
    for (let round = 0; round < 3; round++) {
      for (const id of ids) expect(scanned(`{"traceId":"${id}","b":1}`)?.fields.traceId).toBe(id);
    }
  });

  // Lines built to reach every branch: wanted and unwanted keys, every kind of value, blanks, escapes,
  // bytes past ASCII, then cut, spliced or flipped so that most are no longer valid.
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.constantFrom('', '"', '\\', '\\u00e9', 'é', '💥', '\u0000', '\t', '\u2028', '4bf92f3577b34da6a3ce929d0e0e4736', '2024-05-01T10:00:00.123Z'),
  );
  const value: fc.Arbitrary<unknown> = fc.oneof(
    text,
    fc.double(),
    fc.integer(),
    fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, true, false, null),
    fc.jsonValue({ maxDepth: 3 }),
  );
  // Wanted keys, keys one character longer or shorter than one (a match must be whole), and any text.
  const key = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...WANTED) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WANTED), fc.constantFrom('x', 'd', '_', '')).map(([w, x]) => (x === '' ? w.slice(0, -1) : w + x)) },
    { weight: 1, arbitrary: text },
  );
  const blank = fc.constantFrom('', '', '', ' ', '\t', '\r', '  ');
  // A line and the keys of its members as generated (JSON.parse keeps only the last of a repeated key).
  const lineWithKeys = fc.tuple(fc.array(fc.tuple(key, value, blank, blank), { maxLength: 8 }), blank).map(([members, tail]) => ({
    text: `{${members.map(([k, v, b1, b2]) => `${b1}${JSON.stringify(k)}${b2}:${b1}${JSON.stringify(v) ?? 'null'}${b2}`).join(',')}}${tail}`,
    keys: members.map(([k]) => k),
  }));
  const line = lineWithKeys.map((l) => l.text);
  const broken = fc
    .tuple(line, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('cut', 'flip', 'insert', 'delete')), { maxLength: 2 }))
    .map(([l, edits]) => {
      let b = Buffer.from(l, 'utf8');
      for (const [at0, byte, how] of edits) {
        const at = b.length === 0 ? 0 : at0 % b.length;
        if (how === 'cut') b = b.subarray(0, at);
        else if (how === 'flip') b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at + 1)]);
        else if (how === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
        else b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
      }
      return b;
    });

  it('property: a long string with one byte of any kind anywhere in it (strings are read four bytes at a time)', () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x22 && c !== 0x5c).map((c) => String.fromCharCode(c)), maxLength: 40 });
    const odd = fc.oneof(
      fc.integer({ min: 0, max: 255 }).map((c) => Buffer.from([c])), // a raw byte: control, quote, backslash, past ASCII
      fc.constantFrom('\\"', '\\\\', '\\u00e9', '\\x', '\\', 'é', '💥').map((t) => Buffer.from(t)),
    );
    fc.assert(
      fc.property(printable, odd, printable, fc.constantFrom('msg', 'unwanted'), (before, mid, after, key) => {
        const line = Buffer.concat([Buffer.from(`{"${key}":"${before}`), mid, Buffer.from(`${after}","traceId":"4bf92f35"}`)]);
        expectAgrees(line);
        // Printable text alone is always read, whatever its length and place.
        expect(scanned(`{"${key}":"${before}${after}","traceId":"4bf92f35"}`)).toBeDefined();
      }),
      { numRuns: RUNS * 20 },
    );
  });

  it('property: never accepts a line JSON.parse refuses, and agrees with it on every wanted value', () => {
    fc.assert(fc.property(fc.oneof(line.map((l) => Buffer.from(l)), broken), (b) => expectAgrees(b)), { numRuns: RUNS * 20 });
  });

  it('property: accepts every valid line with plain keys, no wanted key twice and shallow nesting', () => {
    // Every key written without an escape: the line's own members, and those of nested objects (which are
    // JSON.stringify'd values, so each of their keys is in the parsed value). Read from the values, not
    // from the text: a string value can look like a key to any pattern.
    const nestedKeys = (v: unknown, out: string[]): string[] => {
      if (Array.isArray(v)) for (const x of v) nestedKeys(x, out);
      else if (v !== null && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          out.push(k);
          nestedKeys(x, out);
        }
      }
      return out;
    };
    fc.assert(
      fc.property(lineWithKeys, ({ text: l, keys }) => {
        const o = parsed(l) as Record<string, unknown>;
        const members = [...keys, ...Object.values(o).flatMap((v) => nestedKeys(v, []))];
        const plainKeys = members.every((k) => !JSON.stringify(k).includes('\\'));
        // Only keys at the top level can repeat as wanted keys here: values are JSON.stringify'd.
        const topKeys = Object.keys(o);
        const wantedTwice = WANTED.some((w) => l.split(`${JSON.stringify(w)}`).length > 2 && topKeys.includes(w));
        if (plainKeys && !wantedTwice) expect(scanned(l), l).toBeDefined();
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('property: lines get one shape number when their wanted keys, in order, and kinds of value agree', () => {
    // The shape as JSON.parse sees it: each wanted key as written (none twice: those lines are refused)
    // and the class of its value; undefined when a wanted value is an object or array.
    const classOf = (v: unknown): string | undefined =>
      typeof v === 'string' ? (v === '' ? 'empty' : 'string') : v !== null && typeof v === 'object' ? undefined : JSON.stringify(v === null || typeof v === 'boolean' ? v : 0);
    const shapeOf = (keys: string[], o: Record<string, unknown>): string | undefined => {
      const parts: string[] = [];
      for (const k of keys) {
        if (!WANTED.includes(k) || k === 'ünï') continue;
        const c = classOf(o[k]);
        if (c === undefined) return undefined;
        parts.push(`${k}=${c}`);
      }
      return parts.join(',');
    };
    // Few keys and values, so that shapes repeat; a fresh scanner a run keeps below MAX_SHAPES.
    const member = fc.tuple(fc.constantFrom('traceId', 'msg', 'level', 'n', 'obj', 'other', 'x'), fc.constantFrom('', 'a', 'b"c', 'é', 0, -1.5, true, false, null, {}, [1]));
    const lines = fc.array(fc.uniqueArray(member, { selector: ([k]) => k, maxLength: 5 }), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(lines, (all) => {
        const s = new FieldScanner(WANTED.filter((k) => /^[\x20-\x7e]+$/.test(k)).map((k) => [k, undefined] as const));
        const seen: { shape: number; ref: string | undefined }[] = [];
        for (const members of all) {
          const l = `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
          const b = Buffer.from(l);
          expect(s.scan(b, 0, b.length), l).toBe(true);
          const ref = shapeOf(members.map(([k]) => k), JSON.parse(l) as Record<string, unknown>);
          if (ref === undefined) expect(s.shape, l).toBe(-1);
          else expect(s.shape, l).toBeGreaterThanOrEqual(0);
          for (const other of seen) if (ref !== undefined && other.ref !== undefined) expect(s.shape === other.shape, `${l} vs ${other.ref}`).toBe(ref === other.ref);
          seen.push({ shape: s.shape, ref });
        }
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('guesses each key from the line before, and takes a guess only when the bytes are exactly the key', () => {
    const s = new FieldScanner([['traceId', 't'], ['msg', 'm']]);
    const read = (l: string) => {
      const b = Buffer.from(l);
      return s.scan(b, 0, b.length) ? s.names.slice(0, s.count).map((n, k) => [n, s.value(k)]) : undefined;
    };
    expect(read('{"traceId":"a","x":1,"msg":"m1"}')).toEqual([['traceId', 'a'], ['msg', 'm1']]);
    // Keys that start like the guess, extend it, stop short of it, or come in another order.
    expect(read('{"traceIdx":"b","x":1,"msg":"m2"}')).toEqual([['msg', 'm2']]);
    expect(read('{"trace":"c","xy":1,"ms":"m3"}')).toEqual([]);
    expect(read('{"msg":"m4","traceId":"d"}')).toEqual([['msg', 'm4'], ['traceId', 'd']]);
    expect(read('{"traceId":"e","msg":"m5","traceId":"f"}')).toBeUndefined(); // a wanted key twice: JSON.parse decides
    // Past the unwanted keys it learns, keys are still read right.
    for (let n = 0; n < 300; n++) expect(read(`{"u${n}":1,"traceId":"g${n}"}`)).toEqual([['traceId', `g${n}`]]);
    expect(read('{"u299":1,"msg":"m6","traceId":"h"}')).toEqual([['msg', 'm6'], ['traceId', 'h']]);
  });

  it('numbers no more than MAX_SHAPES shapes: the lines of later ones get -1, and known ones keep theirs', () => {
    const keys = Array.from({ length: MAX_SHAPES + 10 }, (_, i) => `k${i}`);
    const s = new FieldScanner(keys.map((k) => [k, undefined] as const));
    const shapeOf = (l: string): number => {
      const b = Buffer.from(l);
      expect(s.scan(b, 0, b.length)).toBe(true);
      return s.shape;
    };
    const shapes = keys.map((k) => shapeOf(`{"${k}":1,"other":2}`));
    expect(shapes.slice(0, MAX_SHAPES)).toEqual(Array.from({ length: MAX_SHAPES }, (_, i) => i));
    expect(new Set(shapes.slice(MAX_SHAPES))).toEqual(new Set([-1]));
    expect(shapeOf('{"k3":7}')).toBe(3);
    expect(shapeOf('{"k3":"7"}')).toBe(-1);
  });

  it('property: numbers read from bytes are what Number() reads, up to 17 digits and past 2^53', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,18})$/), fc.option(fc.stringMatching(/^[0-9]{1,18}$/)))
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`);
    const edges = fc.constantFrom('9007199254740991', '9007199254740992', '9007199254740993', '1714557600000.001', '1714557600000.0015', '0.1', '-0', '-0.0', '12345678901234567', '1.2345678901234567', '900719925474099.3');
    fc.assert(
      fc.property(fc.oneof(decimal, edges), (text) => {
        expect(Object.is(numberAt(Buffer.from(text, 'latin1'), 0, text.length), Number(text)), text).toBe(true);
      }),
      { numRuns: RUNS * 20 },
    );
  });
});
