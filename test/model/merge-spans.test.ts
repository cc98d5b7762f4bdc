import { describe, expect, it } from 'vitest';
import { mergeSpans } from '../../src/model/merge-spans.js';
import { buildTree } from '../../src/model/build-tree.js';
import { spansFromEntries } from '../../src/model/spans-from-entries.js';
import { draw, entry, span } from './make.js';

describe('mergeSpans', () => {
  it('hangs log lines on the record of the same span; the record keeps its shape', () => {
    // record a  |--------------------|   0..100   "GET /orders" (api)
    // log    a     .      .               10, 60   lines of span a, one an error
    // log    z            .               50       span z has no record: passes through
    const record = span('a', 0, 100, { service: 'api', operation: 'GET /orders', events: [{ time: 30, message: 'record event' }] });
    const logs = spansFromEntries([
      entry({ spanId: 'a', time: 60, message: 'failed', error: true, errorMessage: 'timeout', service: 'api-logs' }),
      entry({ spanId: 'a', time: 10, message: 'start', parentSpanId: 'p' }),
      entry({ spanId: 'z', time: 50, message: 'other', parentSpanId: 'a' }),
    ]);
    const before = structuredClone([record, logs]);
    const merged = mergeSpans([record], logs);
    expect(structuredClone([record, logs])).toEqual(before);
    expect(merged.map((s) => [s.spanId, s.start, s.end, s.operation, s.service, s.error, s.errorMessage, s.parentSpanId, s.origin])).toEqual([
      ['a', 0, 100, 'GET /orders', 'api', true, 'timeout', 'p', 'record'],
      ['z', 50, 50, 'other', 'unknown', false, undefined, 'a', 'log'],
    ]);
    expect(merged[0]?.events.map((e) => [e.time, e.message])).toEqual([
      [10, 'start'],
      [30, 'record event'],
      [60, 'failed'],
    ]);
    expect(draw(buildTree('t1', merged))).toEqual(['a 0..100 !missing=p', '  z 50..50']);
  });

  it('gives the lines of a shared RPC id to the half of the same service', () => {
    // web  b (client) |----------|   10..80
    // api  b (server)   |------|     20..70
    // log  b (api)        .          30      -> the server half
    const client = span('b', 10, 80, { service: 'web', kind: 'client' });
    const server = span('b', 20, 70, { service: 'api', kind: 'server' });
    const merged = mergeSpans([client, server], spansFromEntries([entry({ spanId: 'b', service: 'api', time: 30, message: 'hi' })]));
    expect(merged.map((s) => [s.service, s.events.length])).toEqual([
      ['web', 0],
      ['api', 1],
    ]);
    expect(merged[0]).toBe(client);
  });

  it('keeps the record error and message; a record of another trace does not match', () => {
    const rec = span('a', 0, 10, { error: true, errorMessage: 'from record' });
    const other = span('a', 0, 10, { traceId: 't2' });
    const logs = [span('a', 1, 2, { origin: 'log', error: true, errorMessage: 'from log' })];
    expect(mergeSpans([rec], logs).map((s) => [s.error, s.errorMessage])).toEqual([[true, 'from record']]);
    expect(mergeSpans([other], logs)).toHaveLength(2);
  });
});
