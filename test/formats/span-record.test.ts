import { describe, expect, it } from 'vitest';
import { readSpanDocument } from '../../src/formats/read-span-document.js';
import { whereOf } from '../../src/model/span.js';

const where = { source: 'app.log', line: 7 };

describe("the project's own span record", () => {
  const record = {
    traceId: '4BF92F3577B34DA6A3CE929D0E0E4736',
    spanId: '00F067AA0BA902B7',
    parentSpanId: 'a3ce929d0e0e4736',
    name: 'GET /orders',
    serviceName: 'orders',
    startTime: 1700000000123.456,
    endTime: 1700000000223.5,
    duration: 100.044,
    tags: { 'http.status_code': 500 },
    logs: [{ timestamp: 1700000000150, message: 'db slow', level: 'warn', rows: 3 }, { timestamp: 1700000000160, event: 'retry' }],
    status: { code: 'ERROR', message: 'boom' },
  };
  it('reads ids, ms times as µs, status and logs', () => {
    const r = readSpanDocument(JSON.parse(JSON.stringify(record)) as unknown, where);
    expect(r?.format).toBe('record');
    const s = r?.spans[0];
    expect([s?.traceId, s?.spanId, s?.parentSpanId]).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '00f067aa0ba902b7',
      'a3ce929d0e0e4736',
    ]);
    expect([s?.start, s?.end, s?.service, s?.operation]).toEqual([1700000000123456, 1700000000223500, 'orders', 'GET /orders']);
    expect([s?.error, s?.errorMessage, s?.origin, s && whereOf(s)]).toEqual([true, 'boom', 'record', 'app.log:7']);
    expect(s?.events.map((e) => [e.time, e.message, e.level])).toEqual([
      [1700000000150000, 'db slow', 'warn'],
      [1700000000160000, 'retry', undefined],
    ]);
    expect(s?.events[0]?.attributes?.rows).toBe(3);
    expect(s?.attributes['http.status_code']).toBe(500);
  });
  it.each([
    ['error', true],
    ['ok', false],
    [{ code: 'OK' }, false],
    [{ code: 2 }, true],
    [undefined, false],
  ])('status %j -> error %s', (status, error) => {
    const r = readSpanDocument({ ...record, status, tags: {} }, where);
    expect(r?.spans[0]?.error).toBe(error);
  });
  it('clamps a negative duration to 0 with a warning', () => {
    const r = readSpanDocument({ ...record, endTime: record.startTime - 5 }, where);
    expect(r?.spans[0]?.end).toBe(r?.spans[0]?.start);
    expect(r?.warnings[0]).toMatch(/^app\.log:7: span 00f067aa0ba902b7 ends 5000 µs before it starts/);
  });
  it('skips a record without traceId, saying where', () => {
    const r = readSpanDocument({ ...record, traceId: undefined }, where);
    expect(r?.spans).toEqual([]);
    expect(r?.warnings).toEqual(['app.log:7: span record without traceId (skipped)']);
  });
});

describe('span records as a large file holds them', () => {
  const where = { source: 'spans.jsonl', line: 3 };
  it('shares one frozen empty event list and attribute set among records without logs or tags', () => {
    const read = (doc: Record<string, unknown>) => readSpanDocument(doc, where)!.spans[0]!;
    const base = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'op', startTime: 1, endTime: 2, status: { code: 0 } };
    const a = read(base);
    const b = read({ ...base, spanId: 'c'.repeat(16) });
    expect(a.events).toBe(b.events);
    expect(Object.isFrozen(a.events)).toBe(true);
    expect(a.attributes).toBe(b.attributes);
    expect([a.error, a.kind, a.parentSpanId, whereOf(a)]).toEqual([false, undefined, undefined, 'spans.jsonl:3']);
  });
  it.each([
    [{ kind: 'SERVER' }, 'server'],
    [{ kind: 'Consumer' }, 'consumer'],
    [{ kind: 'weird' }, undefined],
  ])('kind %j -> %s', (extra, kind) => {
    const r = readSpanDocument({ traceId: 't', spanId: 's', name: 'op', startTime: 1, endTime: 2, ...extra }, where);
    expect(r?.spans[0]?.kind).toBe(kind);
  });
  it.each([
    [{ status: { code: 2 } }, true],
    [{ status: { code: 2.5 } }, false],
    [{ status: 2 }, true],
    [{ status: { code: 1 } }, false],
    [{ tags: { error: 'true' } }, true],
  ])('%j -> error %s', (extra, error) => {
    const r = readSpanDocument({ traceId: 't', spanId: 's', name: 'op', startTime: 1, endTime: 2, ...extra }, where);
    expect(r?.spans[0]?.error).toBe(error);
  });
});
