import { describe, expect, it } from 'vitest';
import { readPeerLines } from './peerdata.js';

describe('Elastic APM intake v2 (apm-server transactions_spans.ndjson)', () => {
  const lines = readPeerLines('apm-server/testdata/intake-v2/transactions_spans.ndjson');
  const spans = lines.flatMap((r) => r?.spans ?? []);
  it('recognises every line; the metadata line gives nothing', () => {
    expect(lines).toHaveLength(10);
    expect(lines.every((r) => r?.format === 'elastic-apm')).toBe(true);
    expect(lines[0]?.spans).toEqual([]);
    expect(lines.flatMap((r) => r?.warnings ?? [])).toEqual([]);
  });
  it('turns 4 transactions and 5 spans into 9 spans, µs timestamps and ms durations', () => {
    expect(spans).toHaveLength(9);
    const tx = spans[0];
    expect([tx?.spanId, tx?.traceId, tx?.service, tx?.kind]).toEqual([
      '945254c567a5417e',
      '945254c567a5417eaaaaaaaaaaaaaaaa',
      'serviceabc',
      'server',
    ]);
    expect([tx?.start, (tx?.end ?? 0) - (tx?.start ?? 0)]).toEqual([1496170407154000, 32593]); // 32.592981 ms
    const db = spans[1];
    expect([db?.parentSpanId, db?.service, (db?.end ?? 0) - (db?.start ?? 0)]).toEqual(['945254c567a5417e', 'unknown', 3782]);
    expect(spans.filter((s) => s.service === 'serviceabc')).toHaveLength(2);
    expect(spans[1]?.where).toBe('apm-server/testdata/intake-v2/transactions_spans.ndjson:3');
  });
  it('keeps the span that starts before its transaction where it says', () => {
    const tx = spans.find((s) => s.spanId === '85925e55b43f4342');
    const child = spans.find((s) => s.spanId === '15aaaaaaaaaaaaaa');
    expect(child?.parentSpanId).toBe('85925e55b43f4342');
    expect((tx?.start ?? 0) - (child?.start ?? 0)).toBe(999);
  });
});

describe('Elastic APM ECS logs (apm-server logs.ndjson)', () => {
  const lines = readPeerLines('apm-server/testdata/intake-v2/logs.ndjson');
  const entries = lines.flatMap((r) => r?.entries ?? []);
  it('reads 7 log events after the metadata line', () => {
    expect(lines.every((r) => r?.format === 'elastic-apm')).toBe(true);
    expect(entries).toHaveLength(7);
    expect(entries[0]?.time).toBeUndefined();
    expect(entries[1]?.time).toBe(Date.UTC(2022, 8, 8, 21, 47, 29, 111) * 1000); // -0800 offset
    expect(entries[2]?.time).toBe(1662616049000000);
  });
  it('reads flat and nested ECS fields, nested winning', () => {
    expect(entries.slice(4).map((e) => [e.traceId, e.spanId, e.service, e.level])).toEqual([
      ['trace-id', 'txn-id', 'testSvc', 'warn'],
      ['trace-id', 'txn-id', 'testSvc', 'warn'],
      ['trace-id', 'txn-id', 'testSvc', 'warn'],
    ]);
  });
});
