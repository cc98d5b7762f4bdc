import { stringifyJson } from '../../src/render/json-text.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GroupRow } from '../../src/analyze/group-rows.js';
import { isoMicros } from '../../src/render/format.js';
import { GroupJsonLines, groupRowJson } from '../../src/render/group-output.js';

/** isoMicros as it was written before its per-second cache: the reference. */
function isoMicrosByDate(us: number | undefined): string | null {
  if (us === undefined || !Number.isFinite(us)) return null;
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace('Z', `${String(us - ms * 1000).padStart(3, '0')}Z`);
}

/** groupRowJson as it was written before it was written out by hand: the reference. */
function rowJsonByStringify(r: GroupRow): string {
  return stringifyJson({
    traceId: r.traceId,
    idKind: r.idKind,
    start: isoMicrosByDate(r.start),
    startUs: r.start ?? null,
    durationUs: r.duration ?? null,
    entries: r.entries,
    spans: r.spans,
    errors: r.errors,
    services: r.services,
    root: r.root ?? null,
    rootService: r.rootService ?? null,
  });
}

// Times near one another (the cache's case), far apart, before 1970, past year 9999, at Date's edge
// and beyond it, fractional, and not numbers at all.
const time = fc.oneof(
  fc.integer({ min: 1714557600000000, max: 1714557600000000 + 5_000_000 }),
  fc.maxSafeInteger(), // µs: ±285 years around 1970
  fc.double({ min: -8.7e18, max: 8.7e18, noNaN: true }), // to Date's edges and past them
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, -1, 0.5, -0.5, 1e-7, 8.64e18, 8.64e18 + 1000, -8.64e18, Infinity, -Infinity, NaN),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('q"uo\\te', '\u001b[2J', 'é💥', '\ud800', '\u2028', 'evil\u009b31m\u202egnp.exe'));
const row: fc.Arbitrary<GroupRow> = fc.record({
  traceId: text,
  idKind: fc.constantFrom('trace' as const, 'correlation' as const),
  start: maybe(time),
  duration: maybe(fc.oneof(time, fc.integer({ min: 0, max: 1e9 }))),
  entries: fc.nat(),
  spans: fc.nat(),
  services: fc.array(text, { maxLength: 4 }),
  errors: fc.oneof(fc.nat(), fc.constant(-0)),
  root: maybe(text),
  rootService: maybe(text),
});

describe('group --json rows', () => {
  it('are the text JSON.stringify gives for the row object, made terminal-safe', () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 20 }), (rows) => rows.forEach((r) => expect(groupRowJson(r)).toBe(rowJsonByStringify(r)))), { numRuns: 300 });
  });

  // Lists shared by several rows and roots repeated, as group's rows have them: the cached JSON of each
  // must be the row's own, whichever row met it first.
  it('written many at a time, are the rows\' own lines', () => {
    const shared = fc.array(fc.array(text, { maxLength: 4 }).map((l) => Object.freeze(l)), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), shared, fc.array(text, { minLength: 1, maxLength: 3 }), fc.nat(), (rows, lists, roots, seed) => {
        const mixed = rows.map((r, i) => ({ ...r, services: (seed + i) % 3 === 0 ? r.services : lists[(seed + i) % lists.length]!, root: (seed + i) % 4 === 0 ? r.root : roots[i % roots.length] }));
        const lines = new GroupJsonLines();
        const cut = seed % (mixed.length + 1);
        const text = lines.text(mixed, 0, cut) + lines.text(mixed, cut, mixed.length);
        expect(text).toBe(mixed.map((r) => rowJsonByStringify(r) + '\n').join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('isoMicros gives what Date gives, whatever the order of the times', () => {
    fc.assert(fc.property(fc.array(maybe(time), { maxLength: 40 }), (ts) => ts.forEach((t) => expect(isoMicros(t)).toBe(isoMicrosByDate(t)))), { numRuns: 300 });
  });
});
