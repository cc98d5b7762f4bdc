import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ddIdToHex, decimalToHex, normalizeSpanId, normalizeTraceId, parseB3Single, parseTraceparent, traceFromGcp, withoutLeadingZeros } from '../../src/entries/parse-ids.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('valid, sampled and not', () => {
    expect(parseTraceparent(`00-${T}-${P}-01`)).toEqual({ traceId: T, parentId: P, sampled: true });
    expect(parseTraceparent(`00-${T}-${P}-00`)).toEqual({ traceId: T, parentId: P, sampled: false });
    expect(parseTraceparent(` 00-${T.toUpperCase()}-${P}-01 `)).toEqual({ traceId: T, parentId: P, sampled: true });
  });

  it('a future version may carry more fields; version 00 may not', () => {
    expect(parseTraceparent(`01-${T}-${P}-01-what-the-future-holds`)?.traceId).toBe(T);
    expect(parseTraceparent(`00-${T}-${P}-01-extra`)).toBeUndefined();
    expect(parseTraceparent(`00-${T}-${P}-01x`)).toBeUndefined();
  });

  it.each([
    ['version ff', `ff-${T}-${P}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${P}-01`],
    ['all-zero parent id', `00-${T}-${'0'.repeat(16)}-01`],
    ['short trace id', `00-${T.slice(1)}-${P}-01`],
    ['not hex', `00-${T.slice(0, 31)}g-${P}-01`],
    ['no flags', `00-${T}-${P}`],
    ['empty', ''],
    ['a number', 42],
  ])('invalid: %s', (_, v) => expect(parseTraceparent(v)).toBeUndefined());
});

describe('B3 single header', () => {
  it('trace-span-sampled-parent', () => {
    expect(parseB3Single('80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90')).toEqual({
      traceId: '80f198ee56343ba864fe8b2a57d3eff7', spanId: 'e457b5a2e4d86bd1', parentSpanId: '05e3ac9a4f6e3b90',
    });
  });
  it('without parent, 64-bit trace id padded to 128', () => {
    expect(parseB3Single('a3ce929d0e0e4736-e457b5a2e4d86bd1-d')).toEqual({ traceId: '0000000000000000a3ce929d0e0e4736', spanId: 'e457b5a2e4d86bd1' });
    expect(parseB3Single('a3ce929d0e0e4736-e457b5a2e4d86bd1')).toEqual({ traceId: '0000000000000000a3ce929d0e0e4736', spanId: 'e457b5a2e4d86bd1' });
  });
  it.each([['0'], ['1'], ['d'], ['not-hex-at-all'], ['']])('no ids in %j', (v) => expect(parseB3Single(v)).toBeUndefined());
});

describe('Datadog decimal ids', () => {
  it.each([
    ['1234567890123456789', '0000000000000000112210f47de98115'],
    ['17293847569123456789', '0000000000000000f00016bcc55b3715'], // > 2^63: unsigned
    ['18446744073709551615', '0000000000000000ffffffffffffffff'], // 2^64 - 1
    ['1', '00000000000000000000000000000001'],
  ])('%s', (dec, hex) => expect(decimalToHex(dec)).toBe(hex));

  it.each([['18446744073709551616'], ['0'], ['-1'], ['12ab'], ['']])('refuses %j', (dec) => expect(decimalToHex(dec)).toBeUndefined());

  it('span width, numbers, and 128-bit hex from new dd-trace versions', () => {
    expect(ddIdToHex('987654321987654321', 16)).toBe('0db4da5f7ef412b1');
    expect(ddIdToHex(12345)).toBe('00000000000000000000000000003039');
    expect(ddIdToHex('6633d0ab00000000' + 'a1b2c3d4e5f60718')).toBe('6633d0ab00000000a1b2c3d4e5f60718');
    expect(ddIdToHex(2 ** 60)).toBeUndefined(); // already rounded by JSON.parse: refuse rather than guess
  });
});

describe('GCP and plain ids', () => {
  it('projects/P/traces/ID', () => {
    expect(traceFromGcp(`projects/shop-prod/traces/${T.toUpperCase()}`)).toBe(T);
    expect(traceFromGcp(T)).toBe(T);
    expect(traceFromGcp('projects/p/traces/')).toBeUndefined();
  });
  it('trace ids: lowercased, 64-bit padded, 0x stripped, zero refused, other strings kept', () => {
    expect(normalizeTraceId('A3CE929D0E0E4736')).toBe('0000000000000000a3ce929d0e0e4736');
    expect(normalizeTraceId(`0x${T}`)).toBe(T);
    expect(normalizeTraceId('0'.repeat(32))).toBeUndefined();
    expect(normalizeTraceId('0x' + '0'.repeat(32))).toBeUndefined();
    expect(normalizeTraceId('Root=1-5759e988-bd862e3fe1be46a994272793')).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
    expect(normalizeTraceId('x'.repeat(129))).toBeUndefined();
    expect(normalizeTraceId(255)).toBe('000000000000000000000000000000ff');
  });
  it('span ids', () => {
    expect(normalizeSpanId('0x00F067AA0BA902B7')).toBe(P);
    expect(normalizeSpanId('0000000000000000')).toBeUndefined();
    expect(normalizeSpanId(255)).toBe('00000000000000ff');
  });
});

describe('id normalization: property', () => {
  // The rules written plainly, with regexes: what the one-pass character classes must agree with.
  const reference = (v: string, trace: boolean): string | undefined => {
    let s = /^[\x00-\x20]|[\x00-\x20]$/.test(v) ? v.trim() : v; // trimmed when an end is an ASCII blank
    if (/^0[xX]/.test(s) && s.length > 2) s = s.slice(2);
    if (s.length === 0 || s.length > 128) return undefined;
    if (!/^[0-9a-fA-F]+$/.test(s)) return s;
    if (/^0+$/.test(s)) return undefined;
    s = s.toLowerCase();
    return trace && s.length === 16 ? s.padStart(32, '0') : s;
  };
  it('trace and span ids: hex lowercased, zeros refused, anything else kept as it is', () => {
    const char = fc.constantFrom(...'0123456789abcdefABCDEFgxX-_ é\u0660\uff10'.split(''));
    const id = fc.oneof(fc.array(char, { maxLength: 40 }).map((cs) => cs.join('')), fc.constantFrom('0'.repeat(16), '0x' + '0'.repeat(32), P.toUpperCase(), ` ${T} `));
    fc.assert(
      fc.property(id, (v) => {
        expect(normalizeTraceId(v), v).toBe(reference(v, true));
        expect(normalizeSpanId(v), v).toBe(reference(v, false));
      }),
      { numRuns: 2000 },
    );
  });

  it('ids alike in length, ends and middle (one slot of the remembered answers) still get their own', () => {
    // Same length, last two and middle characters; the rest hex, upper-case hex, zeros or not hex.
    const fill = fc.constantFrom('0', 'a', 'F', 'g', '-');
    const alike = fc.array(fc.tuple(fill, fill, fc.nat({ max: 13 })), { minLength: 1, maxLength: 30 }).map((edits) =>
      edits.map(([a, b, at]) => {
        const cs = '0000000a0000000b'.split('');
        cs[at] = a;
        cs[(at + 5) % 14] = b;
        return cs.join('');
      }),
    );
    fc.assert(
      fc.property(alike, (ids) => {
        for (const v of [...ids, ...ids.reverse()]) {
          expect(normalizeTraceId(v), v).toBe(reference(v, true));
          expect(normalizeSpanId(v), v).toBe(reference(v, false));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('withoutLeadingZeros: an id as Go %x writes it', () => {
  it('strips the zeros of a hex id, and leaves other ids alone', () => {
    expect(withoutLeadingZeros('0df84e36b9e2ee3815d07f0867a5be1f')).toBe('df84e36b9e2ee3815d07f0867a5be1f');
    expect(withoutLeadingZeros('00000000000000005af7183fb1d4cf5f')).toBe('5af7183fb1d4cf5f');
    expect(withoutLeadingZeros('df84e36b')).toBe('df84e36b');
    expect(withoutLeadingZeros('0000')).toBe('0000'); // all zeros: no id left to strip to
    expect(withoutLeadingZeros('0a1b-req-7')).toBe('0a1b-req-7'); // not hex
  });
  it('is held in every zero-padded spelling of the same id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{1,32}$/), fc.nat({ max: 20 }), (id, pad) => {
        fc.pre(/[1-9a-f]/.test(id)); // an id of zeros alone is kept as written
        const bare = withoutLeadingZeros(id);
        expect(('0'.repeat(pad) + id).includes(bare)).toBe(true);
        expect(withoutLeadingZeros('0'.repeat(pad) + id)).toBe(bare);
      }),
    );
  });
});
