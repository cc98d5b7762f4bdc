// Exact copies of a span record are one span (jaeger's span-hash deduper); records that share an id but
// differ stay apart. Through the real CLI: the same span file given twice gives the trees and rows of
// the file given once.
import { describe, expect, it } from 'vitest';
import { withoutRepeatedRecords } from '../../src/model/repeated-records.js';
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
  it('returns the same array when no id repeats', () => {
    const list = [span('a'), span('b')];
    expect(withoutRepeatedRecords(list)).toBe(list);
  });
});

describe('a span file given twice', () => {
  const F = fixture('analyses/incidents.spans.jsonl');
  it('tree, slowest and group give what the file once gives', async () => {
    for (const args of [['tree', 'aaaa', '--json'], ['slowest', '--json'], ['group', '--json']]) {
      const once = await runCli([...args, F]);
      const twice = await runCli([...args, F, F]);
      expect(twice.code).toBe(0);
      // Places name the file the span was first read from: the same file both times.
      expect(twice.stdout, args.join(' ')).toBe(once.stdout);
    }
  });
});
