import { describe, expect, it } from 'vitest';
import { parseGoTime, readCollectorText } from '../../src/formats/collector-text.js';
import { peerText } from './peerdata.js';

describe('collector debug-exporter text (two_spans.out)', () => {
  const r = readCollectorText(
    peerText('opentelemetry-collector/exporter/debugexporter/internal/otlptext/testdata/traces/two_spans.out'),
    'two_spans.out',
  );
  it('reads the first span to the nanosecond and skips the id-less second with a warning', () => {
    expect(r.spans).toHaveLength(1);
    const s = r.spans[0];
    expect([s?.traceId, s?.spanId, s?.parentSpanId, s?.operation]).toEqual([
      '0102030405060708090a0b0c0d0e0f10',
      '1112131415161718',
      undefined,
      'operationA',
    ]);
    expect([s?.start, s?.startNanos, s?.end]).toEqual([1581452772000000, 321, 1581452773000000]);
    expect([s?.error, s?.errorMessage, s?.kind]).toEqual([true, 'status-cancelled', undefined]);
    expect(r.warnings).toEqual(['two_spans.out:33: collector-text: span "operationB" without Trace ID (skipped)']);
  });
  it('parses Go time strings with offsets', () => {
    expect(parseGoTime('2020-02-11 21:26:12.5 +0100 CET')).toEqual({ us: 1581452772500000, nanos: 0 });
    expect(parseGoTime('garbage')).toBeUndefined();
  });
});
