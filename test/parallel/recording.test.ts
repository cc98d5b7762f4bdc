import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/entries/entry.js';
import type { FormatResult } from '../../src/formats/format-result.js';
import type { Span } from '../../src/model/span.js';
import { Recording } from '../../src/parallel/recording.js';
import { entry, span } from '../model/make.js';

/**
 * A chunk read on the main thread while earlier chunks are out on a worker is recorded, and replayed
 * once they are back (read-parallel.ts). Whatever it keeps and however it joins results, the sink must
 * get the spans and entries in exactly the order they were delivered: a trace collector numbers them in
 * that order (arrivals), and one thread's reading is the reference.
 */
describe('Recording', () => {
  type Step = { kind: 'entry'; id: string } | { kind: 'result'; spans: string[]; entries: string[] };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('entry' as const), id: fc.string({ maxLength: 3 }) }),
    fc.record({ kind: fc.constant('result' as const), spans: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), entries: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }) }),
  );

  it('replays spans and entries in the order they came, results with entries and without mixed', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const recording = new Recording();
        const expected: string[] = [];
        for (const s of steps) {
          if (s.kind === 'entry') {
            recording.entry(entry({ message: s.id }));
            expected.push(`e:${s.id}`);
          } else {
            const result: FormatResult = { format: 'record', spans: s.spans.map((id) => span(id, 0, 1)), entries: s.entries.map((id) => entry({ message: id })), warnings: [] };
            recording.spans(result);
            // A sink's spans() takes a result's spans, then its entries.
            expected.push(...s.spans.map((id) => `s:${id}`), ...s.entries.map((id) => `e:${id}`));
          }
        }
        const got: string[] = [];
        recording.replay({
          entry: (e: Entry) => got.push(`e:${e.message}`),
          spans: (r: { spans: readonly Span[]; entries: readonly Entry[] }) => {
            got.push(...r.spans.map((x) => `s:${x.spanId}`), ...r.entries.map((e) => `e:${e.message}`));
          },
        });
        expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('hands on a run of one-span results as one batch', () => {
    const recording = new Recording();
    for (let i = 0; i < 5; i++) recording.spans({ format: 'record', spans: [span(`s${i}`, i, i + 1)], entries: [], warnings: [] });
    recording.entry(entry({ message: 'log' }));
    recording.spans({ format: 'record', spans: [span('s5', 5, 6)], entries: [], warnings: [] });
    const batches: number[] = [];
    recording.replay({ entry: () => batches.push(-1), spans: (r) => batches.push(r.spans.length) });
    expect(batches).toEqual([5, -1, 1]);
  });
});
