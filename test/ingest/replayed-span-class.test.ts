import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { readSpanRecord } from '../../src/formats/span-record.js';
import { DeliveryPacker, replay, transferables } from '../../src/ingest/packed-deliveries.js';
import type { Span } from '../../src/model/span.js';

// In a file of its own: V8's hidden classes live as long as the test file's isolate, and any span made
// before (as other tests make them) would settle the classes before this test looks.
describe('replayed spans and the hidden class of span records', () => {
  it("leave the class of this thread's span records current, and share it", () => {
    // A replayed span that stored a field in another representation than readSpanRecord does (a line
    // number as a double, not a small integer) made V8 deprecate the class both share: every span read
    // before was migrated at its first use, ~1 µs each, and in a real run so was every one after
    // (the million-span `tree`: ~0.45 s of its main thread).
    v8.setFlagsFromString('--allow-natives-syntax');
    const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;
    const record = (line: number): Span => {
      const doc = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: 'a1a1a1a1a1a1a1a1', parentSpanId: '00f067aa0ba902b7', name: 'GET /x', serviceName: 'api', startTime: 1714557600000.5, endTime: 1714557600001.25, status: { code: 0 } };
      return readSpanRecord(doc, { source: 'spans.jsonl', line }).spans[0]!;
    };
    // V8 makes a literal's template object on its second run: read a few first, as a file's first chunk does.
    const before = [1, 2, 3, 4, 5].map(record);
    const packer = new DeliveryPacker();
    for (let line = 1; line <= 50; line++) packer.spans({ spans: [record(line * 1_001)], entries: [] });
    const packed = packer.take();
    const replayed: Span[] = [];
    replay(structuredClone(packed, { transfer: transferables(packed) }), { entry: () => undefined, spans: (r) => replayed.push(...r.spans) });
    const after = record(8);
    expect(sameClass(before[0], after)).toBe(true);
    expect(sameClass(after, replayed.at(-1))).toBe(true);
    expect(replayed.map((s) => s.whereLine)).toEqual(Array.from({ length: 50 }, (_, i) => (i + 1) * 1_001));
  });
});
