import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { PackReader, PackWriter, smallInteger } from '../../src/model/packed.js';
import { TraceSummary } from '../../src/model/trace-summary.js';

// In a file of its own: V8's hidden classes live as long as the test file's isolate, and objects made
// by other tests would settle the classes before this test looks.
describe('objects unpacked from another thread and the hidden class of those made here', () => {
  it('a trace summary unpacked leaves the class of the summaries made here current', () => {
    // Counts read from the Float64Array as heap numbers changed the representation of a field that
    // summaries made here hold small integers in: V8 deprecated the class, and every summary made before
    // the workers' came back was migrated at its first use (`group`, ~2-3% of its time on corpus a).
    v8.setFlagsFromString('--allow-natives-syntax');
    const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;
    const made = (id: string): TraceSummary => {
      const s = new TraceSummary(id);
      s.entries = 3;
      s.records = 1;
      return s;
    };
    const before = ['a', 'b', 'c', 'd', 'e'].map(made);
    const w = new PackWriter();
    before[0]!.pack(w);
    const unpacked = TraceSummary.unpack(new PackReader(w.finish()));
    const after = made('f');
    expect(sameClass(before[1], after)).toBe(true);
    expect(sameClass(after, unpacked)).toBe(true);
    expect([unpacked.traceId, unpacked.entries, unpacked.records]).toEqual(['a', 3, 1]);
  });

  it('smallInteger keeps every value, -0 and fractions included', () => {
    for (const x of [0, 1, -1, 42, 2 ** 30 - 1, -(2 ** 30), 2 ** 30, 2 ** 31, -(2 ** 31) - 1, 1.5, -0.5, 1e300, Infinity, -Infinity]) expect(smallInteger(x)).toBe(x);
    expect(Object.is(smallInteger(-0), -0)).toBe(true);
    expect(smallInteger(NaN)).toBeNaN();
  });
});
