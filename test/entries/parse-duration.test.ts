import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/entries/parse-duration.js';

const MS = 1000; // the unit of most duration fields, in µs
const NS = 1e-3;

describe('parseDuration → µs', () => {
  it.each([
    [480, MS, 480_000],
    [12.5, MS, 12_500],
    [0, MS, 0],
    [1234567, NS, 1235], // ECS event.duration
    [1500, 1, 1500],
    ['45', MS, 45_000], // a bare numeric string takes the field's unit
    ['123ms', MS, 123_000],
    ['1.5s', MS, 1_500_000],
    ['250µs', MS, 250], // micro sign U+00B5
    ['250μs', MS, 250], // Greek mu U+03BC
    ['250us', MS, 250],
    ['800ns', MS, 1],
    ['2m', MS, 120_000_000],
    ['1min', MS, 60_000_000],
    ['1h', MS, 3_600_000_000],
    [' 12 ms ', MS, 12_000],
    ['1m30s', MS, 90_000_000], // Go time.Duration
    ['1h2m3.5s', MS, 3_723_500_000],
    ['1.234567ms', MS, 1235],
    ['00:00:01.2345678', MS, 1_234_568], // .NET TimeSpan ("c"): 100 ns ticks
    ['1.02:03:04.5', MS, 93_784_500_000], // days before a dot
    ['-00:00:01.5', MS, -1_500_000],
    ['0:00:01.234567', MS, 1_234_567], // Python str(timedelta)
    ['1 day, 0:00:00', MS, 86_400_000_000],
    ['2 days, 3:04:05.000001', MS, 183_845_000_001],
    ['-1 day, 23:59:59', MS, -1_000_000], // only the days are negative
    ['datetime.timedelta(seconds=1, microseconds=234567)', MS, 1_234_567], // repr(timedelta)
    ['datetime.timedelta(days=-1, seconds=86399)', MS, -1_000_000],
    ['datetime.timedelta(0)', MS, 0],
  ])('%j (number unit %d µs) → %d', (v, unit, us) => expect(parseDuration(v, unit)).toBe(us));

  it.each([['soon'], [''], ['12 parsecs'], [NaN], [Infinity], [null], [{}], ['1'.repeat(65)], ['1:2:3'], ['12:61:00'], ['00:00:01.12345678'], ['datetime.timedelta()'], ['0.120, 0.050']])('nothing from %j', (v) => {
    expect(parseDuration(v, MS)).toBeUndefined();
  });
});
