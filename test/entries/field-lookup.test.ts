import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/entries/conventions.js';
import { FieldLookup, Found, parseFieldOverride, type Acceptor } from '../../src/entries/field-lookup.js';
import { FieldScanner } from '../../src/entries/scan-fields.js';

/**
 * lookupFields over the field scanner's reading of a line finds, for every role, what lookup finds over
 * JSON.parse of it — also inside objects whose keys are read by a scanner of their own (pino's `req`),
 * where the order of the keys decides between two places of one rule.
 */
const accept: Acceptor = (_role, _how, value) => value !== '' && typeof value !== 'boolean';

function both(lookup: FieldLookup, line: string): [unknown[], unknown[]] {
  const scanner = new FieldScanner(lookup.rootKeys());
  const b = Buffer.from(line);
  expect(scanner.scan(b, 0, b.length)).toBe(true);
  const byScanner = new Found();
  lookup.lookupFields(scanner, byScanner, accept, false);
  const byParse = new Found();
  lookup.lookup(JSON.parse(line) as Record<string, unknown>, byParse, accept, false);
  const read = (f: Found) => ROLES.map((_, r) => [f.get(r), f.howOf(r)]);
  return [read(byScanner), read(byParse)];
}

describe('FieldLookup.lookupFields', () => {
  const T = '"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"';
  const lines = [
    `{${T},"req":{"id":"r1","method":"GET","url":"/v1/orders/9?x=1","remoteAddress":"::1"}}`,
    `{${T},"req":{"headers.x-request-id":"A","headers":{"x-request-id":"B"}}}`,
    `{${T},"req":{"headers":{"x-request-id":"B"},"headers.x-request-id":"A"}}`,
    `{${T},"req":{"method":"GET","method":"POST","url":"/dup"}}`,
    `{${T},"req":{"met\\u0068od":"PUT","url":"/escaped"}}`,
    `{${T},"req":{"7":"x","method":"GET","0":{"a":1},"url":"/e"}}`,
    `{${T},"req":[{"method":"GET"}],"request":{"method":"HEAD","url":"/r"}}`,
    `{${T},"req":{"method":null,"url":"","route":"/r/:id"},"http":{"method":"PATCH"}}`,
  ];

  it.each(lines)('finds what JSON.parse and a walk find: %s', (line) => {
    const [byScanner, byParse] = both(new FieldLookup(), line);
    expect(byScanner).toEqual(byParse);
  });

  // With --field, a path may name integer-like keys, which JSON.parse puts first in an object: the keys
  // inside such an object are then not read by a scanner of their own.
  it.each([
    `{${T},"req":{"1.2":"dotted","1":{"2":"nested"}}}`,
    `{${T},"req":{"1":{"2":"nested"},"1.2":"dotted"}}`,
  ])('with a path through integer-like keys: %s', (line) => {
    const [byScanner, byParse] = both(new FieldLookup([parseFieldOverride('route=req.1.2')]), line);
    expect(byScanner).toEqual(byParse);
  });
});

describe('Found plans', () => {
  // restore() reads a plan's arrays where they lie; a lookup after it must write into the Found's own,
  // or the next line of the plan's shape would read another shape's places.
  it('a plan restored after a lookup of another shape still reads its own places', () => {
    const lookup = new FieldLookup();
    const scan = (line: string) => {
      const s = new FieldScanner(lookup.rootKeys());
      const b = Buffer.from(line);
      expect(s.scan(b, 0, b.length)).toBe(true);
      return s;
    };
    const read = (f: Found) => ROLES.map((_, r) => [f.get(r), f.howOf(r)]);
    const a1 = '{"traceId":"aaaa","spanId":"s1","service":"web","msg":"one"}';
    const a2 = '{"traceId":"bbbb","spanId":"s2","service":"api","msg":"two"}';
    const other = '{"msg":"three","level":"warn","trace_id":"cccc","span_id":"s3","service.name":"db"}';
    const found = new Found();
    lookup.lookupFields(scan(a1), found, accept, false);
    const plan = found.plan();
    for (const line of [a2, a1, a2]) {
      found.restore(plan, scan(line));
      const fresh = new Found();
      lookup.lookupFields(scan(line), fresh, accept, false);
      expect(read(found)).toEqual(read(fresh));
      lookup.lookupFields(scan(other), found, accept, false); // found.reset() inside, then writes
      const otherFresh = new Found();
      lookup.lookupFields(scan(other), otherFresh, accept, false);
      expect(read(found)).toEqual(read(otherFresh));
    }
  });
});
