import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochNumberToInstant, epochStringToInstant, guessEpochUnit, parseIsoTime, parseTimeValue, sameSecondBytes } from '../../src/core/parse-time.js';
import { RUNS } from '../robustness/gen.js';
import { compareInstants } from '../../src/core/time.js';

const T0 = 1714557600000000; // 2024-05-01T10:00:00Z

describe('parseIsoTime: every precision and offset', () => {
  it.each([
    ['2024-05-01T10:00Z', T0, 0],
    ['2024-05-01T10:00:00Z', T0, 0],
    ['2024-05-01T10:00:00.1Z', T0 + 100000, 0],
    ['2024-05-01T10:00:00.12Z', T0 + 120000, 0],
    ['2024-05-01T10:00:00.123Z', T0 + 123000, 0],
    ['2024-05-01T10:00:00.1234Z', T0 + 123400, 0],
    ['2024-05-01T10:00:00.123456Z', T0 + 123456, 0],
    ['2024-05-01T10:00:00.1234567Z', T0 + 123456, 700],
    ['2024-05-01T10:00:00.123456789Z', T0 + 123456, 789],
    ['2024-05-01T10:00:00.1234567891234Z', T0 + 123456, 789], // digits past ns are dropped
    ['2024-05-01T10:00:00,123Z', T0 + 123000, 0], // comma fraction
    ['2024-05-01 10:00:00.123', T0 + 123000, 0], // space, no offset: UTC
    ['2024-05-01T10:00:00z', T0, 0],
    ['2024-05-01T12:00:00+02:00', T0, 0],
    ['2024-05-01T12:00:00+0200', T0, 0],
    ['2024-05-01T12:00:00+02', T0, 0],
    ['2024-05-01T04:30:00-05:30', T0, 0],
    ['2024-05-01T10:00:00.5 +00:00', T0 + 500000, 0],
    ['2024-04-30T23:00:00.000-11:00', T0, 0],
    ['2024-05-01T10:00:60Z', T0 + 60_000_000, 0], // a leap second reads as the next minute
  ])('%s', (s, us, nanos) => {
    expect(parseIsoTime(s)).toEqual({ us, nanos });
  });

  it.each(['2024-13-01T10:00:00Z', '2024-00-01T10:00:00Z', '2024-05-32T10:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T10:60:00Z', '2024-05-01T10:00:61Z', '2024-05-01', '2024-05-01T10:00:00Q'])(
    'refuses %s',
    (s) => expect(parseIsoTime(s)).toBeUndefined(),
  );

  it('the per-second cache does not leak an out-of-range or different-day value', () => {
    expect(parseIsoTime('2024-05-01T10:00:00.1Z')?.us).toBe(T0 + 100000);
    expect(parseIsoTime('2024-05-01T10:00:00.2+01:00')?.us).toBe(T0 - 3_600_000_000 + 200000);
    expect(parseIsoTime('2024-05-02T10:00:00.1Z')?.us).toBe(T0 + 86_400_000_000 + 100000);
  });
});

describe('epoch numbers: unit by magnitude', () => {
  it.each([
    [1e11 - 1, 's'], [1e11, 'ms'], [1e14 - 1, 'ms'], [1e14, 'us'], [9.9e16, 'us'], [1e17, 'ns'], [0, 's'], [1, 's'],
  ] as const)('%d → %s', (n, unit) => expect(guessEpochUnit(n)).toBe(unit));

  it.each([
    [1714557600, T0, 0],
    [1714557600.5, T0 + 500000, 0],
    [1714557600.123456, T0 + 123456, 0], // 1714557600.123456 * 1e6 is 1714557600123455.8 in doubles
    [1714557600.1234, T0 + 123400, 0],
    [1714557600123, T0 + 123000, 0],
    [1714557600123.456, T0 + 123456, 0],
    [1714557600123456, T0 + 123456, 0],
    [Number('1714557600123456789'), T0 + 123456, 800], // what JSON.parse makes of it: the double ...768, shortest decimal ...800
    [-1.5, -1500000, 0],
  ])('%d', (n, us, nanos) => expect(epochNumberToInstant(n)).toEqual({ us, nanos }));

  it('honours an explicit unit (--time-unit)', () => {
    expect(epochNumberToInstant(1714557600, 'ms')).toEqual({ us: 1714557600000, nanos: 0 });
    expect(epochNumberToInstant(1714557600123, 'us')).toEqual({ us: 1714557600123, nanos: 0 });
    expect(epochNumberToInstant(1714557600123, 'ns')).toEqual({ us: 1714557600, nanos: 123 });
    expect(parseTimeValue('1714557600', 'ms')).toEqual({ us: 1714557600000, nanos: 0 });
  });

  it('negative sub-microsecond values count forward', () => {
    expect(epochStringToInstant('-1500', 'ns')).toEqual({ us: -2, nanos: 500 });
    expect(epochStringToInstant('-1000', 'ns')).toEqual({ us: -1, nanos: 0 });
  });

  it.each([[1e30], [Infinity], [NaN], [-1e30], [9.9e15 * 1000]])('out of range: %d', (n) => {
    expect(epochNumberToInstant(n)).toBeUndefined();
  });
});

describe('nanosecond strings past 2^53 keep exact order', () => {
  it('reads the last three digits exactly', () => {
    expect(epochStringToInstant('1714557600123456789')).toEqual({ us: T0 + 123456, nanos: 789 });
    expect(epochStringToInstant('1714557600123456001')).toEqual({ us: T0 + 123456, nanos: 1 });
    expect(epochStringToInstant('1714557600.123456789')).toEqual({ us: T0 + 123456, nanos: 789 });
    expect(epochStringToInstant('1714557600123.456789')).toEqual({ us: T0 + 123456, nanos: 789 });
  });

  it('orders 1000 consecutive nanoseconds that the same double would merge', () => {
    const base = 1714557600123456000n;
    const got = Array.from({ length: 1000 }, (_, i) => parseTimeValue(String(base + BigInt(i)))!);
    expect(new Set(got.map((t) => `${t.us}.${t.nanos}`)).size).toBe(1000);
    for (let i = 1; i < got.length; i++) {
      expect(compareInstants(got[i - 1]!.us, got[i - 1]!.nanos, got[i]!.us, got[i]!.nanos)).toBeLessThan(0);
    }
    // The double cannot tell them apart: that is why strings are read digit by digit.
    expect(Number(String(base)) === Number(String(base + 1n))).toBe(true);
  });

  it('ns numbers past 2^53 keep the order of their doubles, nanos within 0..999', () => {
    let prev = -Infinity;
    for (let n = 1714557600123456000; n < 1714557600123460000; n += 256) {
      const t = epochNumberToInstant(n)!;
      expect(t.nanos).toBeGreaterThanOrEqual(0);
      expect(t.nanos).toBeLessThanOrEqual(999);
      const key = t.us * 1000 + t.nanos; // approximate, fine for ordering of 256-ns steps
      expect(key).toBeGreaterThan(prev);
      prev = key;
    }
  });

  it('a ns string too long for microseconds to stay exact is out of range', () => {
    expect(epochStringToInstant('99999999999999999999999999', 'ns')).toBeUndefined();
  });
});

describe('parseTimeValue', () => {
  it.each([
    ['2024-05-01T10:00:00.123Z', T0 + 123000, 0],
    ['1714557600', T0, 0],
    ['1714557600123', T0 + 123000, 0],
    ['Wed, 01 May 2024 10:00:00 GMT', T0, 0], // RFC 2822 via Date.parse
  ])('%s', (s, us, nanos) => expect(parseTimeValue(s)).toEqual({ us, nanos }));

  it('GCP {seconds, nanos}', () => {
    expect(parseTimeValue({ seconds: 1714557600, nanos: 123456789 })).toEqual({ us: T0 + 123456, nanos: 789 });
    expect(parseTimeValue({ seconds: '1714557600' })).toEqual({ us: T0, nanos: 0 });
    expect(parseTimeValue({ seconds: 1714557600, nanos: 2e9 })).toBeUndefined();
  });

  it.each([[''], ['yesterday'], [null], [true], [{}], [[1714557600]], ['2024-99-99T99:99:99Z']])('nothing from %j', (v) => {
    expect(parseTimeValue(v)).toBeUndefined();
  });
});

describe('parseIsoTime: regression (found by the id-search property)', () => {
  it('a time out of range is refused the second time too, when its second is cached', () => {
    const t = '2262-04-11T23:47:16.854775807Z'; // past 2^53 µs
    expect(parseIsoTime(t)).toBeUndefined();
    expect(parseIsoTime(t)).toBeUndefined();
  });
});

describe('sameSecondBytes: parseIsoTime on bytes, for times in the second just read', () => {
  it('property: where it answers, it answers as parseIsoTime does; and it answers the common forms', () => {
    const second = fc.constantFrom('2024-05-01T10:00:00', '2024-05-01 10:00:00', '2262-04-11T23:47:16', '1970-01-01T00:00:00', '2024-05-01T10:00:01');
    const tail = fc.oneof(
      fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^\d{0,12}$/), fc.constantFrom('Z', 'z', '', '+02:00', ' Z', 'ZZ')).map(([d, f, z]) => d + f + z),
      fc.constantFrom('Z', '', 'z', '.Z', '.5', '+0000', '.123456789123Z'),
    );
    fc.assert(
      fc.property(second, second, tail, (seen, s0, t) => {
        parseIsoTime(`${seen}.5Z`); // what the cache holds: the second of the line before
        const s = s0 + t;
        const b = Buffer.from(`"${s}"`);
        const out = { us: -1, nanos: -1 };
        const fast = sameSecondBytes(b, 1, b.length - 1, out) ? out : undefined;
        if (fast !== undefined) expect(fast).toEqual(parseIsoTime(s));
        else expect(out).toEqual({ us: -1, nanos: -1 }); // left as it was
        if (seen === s0 && /^[.,]\d{1,9}[Zz]$/.test(t) && !s0.startsWith('2262')) expect(fast).toBeDefined();
      }),
      { numRuns: RUNS * 10 },
    );
  });
});
