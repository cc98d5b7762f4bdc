import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntryNormalizer } from '../../src/entries/normalize-entry.js';
import { FieldScanner } from '../../src/entries/scan-fields.js';
import { RUNS } from '../robustness/gen.js';

/**
 * Lines with wanted objects (pino's `req`, an `http` object) get a plan by their shell's shape and their
 * objects' inner shapes (normalize-entry.ts, FieldLookup.nestedShapeKey). Run after run of such lines
 * through one scanner and one normalizer — the top level alike, the objects' keys in changing orders,
 * kinds and numbers — every entry must be the one JSON.parse and a fresh lookup give.
 */
describe('plans for lines with wanted objects', () => {
  const inner = fc.dictionary(
    fc.constantFrom('id', 'method', 'url', 'route', 'x-request-id', 'remoteAddress', 'statusCode', 'status'),
    fc.oneof(fc.constantFrom('GET', 'POST', '/a/:id', '/b?q=1', 'r-1', '', 'req-42'), fc.constantFrom(200, 500, 0), fc.constant(null)),
    { maxKeys: 5 },
  );
  // Sometimes an object inside the object (its inner shape is then none: no plan for the line).
  const withHeaders = fc.tuple(inner, fc.option(fc.dictionary(fc.constantFrom('x-request-id', 'host'), fc.constantFrom('r-9', 'h'), { maxKeys: 2 }), { nil: undefined })).map(([o, h]) => (h === undefined ? o : { ...o, headers: h }));
  const line = fc.record({ req: withHeaders, http: fc.option(inner, { nil: undefined }), msg: fc.constantFrom('done', '') }).map(({ req, http, msg }) =>
    JSON.stringify({ level: 30, time: 1714557600000, name: 'api', hostname: 'h', pid: 1, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', msg, req, ...(http ? { http } : {}) }),
  );

  it('give every line the entry a lookup of its parsed record gives', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 40 }), (lines) => {
        const normalizer = new EntryNormalizer();
        const scanner = new FieldScanner(normalizer.keysRead());
        const reference = new EntryNormalizer();
        lines.forEach((l, i) => {
          const b = Buffer.from(l);
          expect(scanner.scan(b, 0, b.length)).toBe(true);
          const scanned = normalizer.normalizeFields(scanner, 'app.log', i + 1);
          expect({ ...scanned }).toEqual({ ...reference.normalize(JSON.parse(l) as Record<string, unknown>, 'app.log', i + 1) });
        });
      }),
      { numRuns: RUNS * 4 },
    );
  }, 180_000);

  it('are used: lines alike but for their objects get the roles inside them right', () => {
    const normalizer = new EntryNormalizer();
    const scanner = new FieldScanner(normalizer.keysRead());
    const read = (req: object): Record<string, unknown> => {
      const l = JSON.stringify({ level: 30, time: 1714557600000, name: 'api', hostname: 'h', pid: 1, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', msg: 'done', req });
      const b = Buffer.from(l);
      scanner.scan(b, 0, b.length);
      expect(scanner.shape).toBe(-1);
      expect(scanner.shellShape).toBeGreaterThanOrEqual(0);
      return { ...normalizer.normalizeFields(scanner, 'app.log', 1) };
    };
    // The operation is made of req's method and url when no field names it.
    const a = read({ method: 'GET', url: '/a' });
    const b = read({ url: '/b', method: 'POST' });
    const a2 = read({ method: 'PUT', url: '/c?q=1' });
    const c = read({ id: 'r-1', url: '/d', method: 'GET' });
    expect([a.operation, b.operation, a2.operation, c.operation]).toEqual(['GET /a', 'POST /b', 'PUT /c', 'GET /d']);
  });
});
