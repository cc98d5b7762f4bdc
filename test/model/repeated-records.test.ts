// A span record read again is one span (jaeger's span-hash deduper); records that share an id but differ
// stay apart. Through the real CLI: the same span file given twice gives the trees and rows of the file
// given once; Zipkin halves in two files and a record re-sent with a later end are counted alike.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraRecords, recordDigest, withoutRepeatedRecords } from '../../src/model/repeated-records.js';
import type { Span } from '../../src/model/span.js';
import { fixture, runCli } from '../cli/run-cli.js';

const span = (id: string, more: Partial<Span> = {}): Span => ({ traceId: 't', spanId: id, service: 'api', operation: 'GET /', start: 10, end: 20, error: false, attributes: {}, events: [], origin: 'record', ...more });

describe('withoutRepeatedRecords', () => {
  it('drops later exact copies, whatever file and line they were read from', () => {
    const a = span('a', { whereSource: 'x.json', whereLine: 1 });
    const b = span('b', { parentSpanId: 'a' });
    const a2 = span('a', { whereSource: 'y.json', whereLine: 7 });
    expect(withoutRepeatedRecords([a, b, a2])).toEqual([a, b]);
  });
  it('keeps records that share an id but differ (a client and a server half, another end)', () => {
    const client = span('a', { kind: 'client' });
    const server = span('a', { kind: 'server', start: 12, end: 18 });
    const later = span('a', { kind: 'client', end: 25 });
    expect(withoutRepeatedRecords([client, server, later])).toEqual([client, server, later]);
  });
  it('takes a record with other attributes or events but the same operation and times as read again', () => {
    const a = span('a', { attributes: { 'http.method': 'GET' } });
    const again = span('a', { attributes: { 'http.method': 'GET', 'collector.received': 1 }, events: [{ time: 15, message: 'retry' }] });
    expect(withoutRepeatedRecords([a, again])).toEqual([a]);
  });
  it('returns the same array when no id repeats', () => {
    const list = [span('a'), span('b')];
    expect(withoutRepeatedRecords(list)).toBe(list);
  });
});

describe('recordDigest and extraRecords', () => {
  it('count the records beyond one per id that differ, as the tree keeps them', () => {
    const client = span('a', { kind: 'client' });
    const server = span('a', { kind: 'server', start: 12, end: 18 });
    const later = span('a', { kind: 'client', end: 25 });
    const b = span('b', { whereLine: 3 });
    const digests = new Set([client, server, later, b, span('b', { whereLine: 9 })].map(recordDigest));
    expect(digests.size).toBe(4); // b read twice is one
    expect(extraRecords(digests)).toBe(2); // a: three spans, one beyond the id's for each of two
    expect(recordDigest(client)).toMatch(/^a:[0-9a-z]+$/);
    expect(extraRecords(['x:y:1', 'x:y:2'])).toBe(1); // an id holding ':' is cut at the last one
  });
});

describe('a span file given twice', () => {
  const F = fixture('analyses/incidents.spans.jsonl');
  it('tree, slowest and group give what the file once gives', async () => {
    // A copy under another name: one path given twice is one file, read once.
    const copy = join(mkdtempSync(join(tmpdir(), 'tracectl-twice-')), 'incidents.spans.jsonl');
    copyFileSync(F, copy);
    for (const args of [['tree', 'aaaa', '--json'], ['slowest', '--json'], ['group', '--json']]) {
      const once = await runCli([...args, F]);
      const twice = await runCli([...args, F, copy]);
      expect(twice.code).toBe(0);
      // Places name the file the span was first read from: the same file both times.
      expect(twice.stdout, args.join(' ')).toBe(once.stdout);
    }
  });
});
