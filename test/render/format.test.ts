import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withThousands } from '../../src/render/format.js';

describe('withThousands', () => {
  it('writes integers as toLocaleString("en-US") does', () => {
    for (const x of [0, 7, 999, 1000, 12345, 1234567, -1, -1000, -987654321, Number.MAX_SAFE_INTEGER, 0.5, 1e21]) {
      expect(withThousands(x)).toBe(x.toLocaleString('en-US'));
    }
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (x) => withThousands(x) === x.toLocaleString('en-US')));
  });
});
