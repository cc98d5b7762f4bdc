// Span data read as Jaeger UI and Zipkin read it (issue 28): each case a minimal file written the way the
// producer writes it, run through the real program.
import { describe, expect, it } from 'vitest';
import { accounting, jaegerAnswer } from './span-data.js';
import { fixture, runCli } from './run-cli.js';

describe('a Zipkin span without duration is unfinished (issue 28)', () => {
  // fixtures/span-data/brave-flush.zipkin.json, times in ms from 2024-05-01T10:00:00Z:
  //   get /orders    |============|  0-120   SERVER
  //     select        |=========|    4-99    CLIENT
  //     cache-warmup    .            10      no duration; Brave's "brave.flush" annotation at 29,010
  const file = fixture('span-data/brave-flush.zipkin.json');

  it('lasts 0 µs, is marked unfinished, and leaves the trace 120 ms long', async () => {
    const tree = await runCli(['tree', '5af7183f', file, '--json', '-q']);
    expect(tree.code).toBe(0);
    const doc = JSON.parse(tree.stdout) as { durationUs: number; roots: { children: { spanId: string; durationUs: number; attributes: Record<string, unknown> }[] }[] };
    expect(doc.durationUs).toBe(120_000);
    const flushed = doc.roots[0]!.children.find((c) => c.spanId === 'bcd2a1bdfea5e4c7')!;
    expect(flushed.durationUs).toBe(0);
    expect(flushed.attributes['zipkin.unfinished']).toBe(true);
    const finished = doc.roots[0]!.children.find((c) => c.spanId === '352bff9a74ca9ad2')!;
    expect(finished.attributes['zipkin.unfinished']).toBeUndefined();
  });

  it('does not top slowest --by span', async () => {
    const r = await runCli(['slowest', '--by', 'span', '--top', '1', file, '--json', '-q']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { spanId: string; durationUs: number });
    expect(rows.map((x) => [x.spanId, x.durationUs])).toEqual([['5af7183fb1d4cf5f', 120_000]]);
  });

  it('group gives the trace its recorded extent', async () => {
    const r = await runCli(['group', file, '--json', '-q']);
    expect((JSON.parse(r.stdout) as { durationUs: number }).durationUs).toBe(120_000);
  });
});

describe('duplicate span ids: the first in input order keeps the id (issue 28)', () => {
  // fixtures/span-data/duplicate-id.jaeger.json (Jaeger query API), ms from 2024-05-01T10:00:00Z:
  //   frontend GET /content     |====================|  0-200
  //     content delete            |====|                10-50.044   id 3f9e…32, first in the input
  //       DELETE FROM items        |=|                  15-30
  //   content delete  (name-only record, startTime 0, same id 3f9e…32, last in the input)
  const file = fixture('span-data/duplicate-id.jaeger.json');

  it('the server span keeps its id and its child; self time as Jaeger UI: 25,044 µs', async () => {
    const r = await runCli(['latency', '--trace', '7c3f1e9a', '--by', 'operation', file, '--json', '-q']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { operation: string; count: number; selfUs: number; maxUs: number });
    const del = rows.find((x) => x.operation === 'delete')!;
    expect([del.count, del.selfUs, del.maxUs]).toEqual([2, 25_044, 40_044]);
  });

  it('the later copy is renamed <id>#2, flagged, and keeps no children', async () => {
    const r = await runCli(['tree', '7c3f1e9a', file, '--json', '-q']);
    type Node = { spanId: string; durationUs: number; outOfRange?: boolean; children: Node[] };
    const doc = JSON.parse(r.stdout) as { roots: Node[]; warnings: { kind: string; message: string }[] };
    const server = doc.roots.find((n) => n.spanId === 'a1b2c3d4e5f60718')!.children[0]!;
    expect([server.spanId, server.durationUs, server.outOfRange]).toEqual(['3f9e8d7c6b5a4132', 40_044, undefined]);
    expect(server.children.map((c) => c.spanId)).toEqual(['0c1d2e3f4a5b6c7d']);
    const copy = doc.roots.find((n) => n.spanId === '3f9e8d7c6b5a4132')!;
    expect([copy.durationUs, copy.outOfRange, copy.children.length]).toEqual([0, true, 0]);
    expect(doc.warnings.map((w) => w.kind)).toEqual(['duplicate-span-id', 'time-out-of-range']);
    expect(doc.warnings[0]!.message).toMatch(/copy 2 \(.*duplicate-id\.jaeger\.json:1#3\) kept as 3f9e8d7c6b5a4132#2$/);
  });
});

describe('ids written without leading zeros open the trace (issue 28)', () => {
  // fixtures/span-data/old-jaeger-ids.json: older Jaeger's query API wrote ids as Go's `%x` does, the
  // trace id 31 digits (df84e36b…, stored as 0df84e36b…) and span ids 15.
  //   frontend HTTP GET /dispatch  |================|  0-80 ms
  //     driver Driver::findNearest  |============|     5-65
  //       driver FindDriverIDs       |====|            6-26
  const file = fixture('span-data/old-jaeger-ids.json');
  const padded = '0df84e36b9e2ee3815d07f0867a5be1f';
  const spellings = [padded, padded.slice(1), padded.slice(0, 8), padded.slice(1, 9), padded.slice(1, 9).toUpperCase()];

  it('group lists the padded id', async () => {
    const r = await runCli(['group', file, '--json', '-q']);
    expect((JSON.parse(r.stdout) as { traceId: string }).traceId).toBe(padded);
  });

  for (const id of spellings) {
    it(`tree, critical-path and latency --trace open it as ${id}`, async () => {
      const tree = await runCli(['tree', id, file, '--json', '-q']);
      expect(tree.code).toBe(0);
      const doc = JSON.parse(tree.stdout) as { traceId: string; spans: number; roots: { spanId: string; children: { spanId: string }[] }[] };
      expect([doc.traceId, doc.spans]).toEqual([padded, 3]);
      // Span ids are padded to 16 digits on both ends of each link, so the tree holds together.
      expect(doc.roots.map((n) => n.spanId)).toEqual(['0e2f9c0a8b7d6c5b']);
      expect(doc.roots[0]!.children.map((n) => n.spanId)).toEqual(['04a3b2c1d0e9f8a7']);
      const path = await runCli(['critical-path', id, file, '-q']);
      expect(path.code).toBe(0);
      const latency = await runCli(['latency', '--trace', id, file, '--json', '-q']);
      expect(latency.code).toBe(0);
      expect(latency.stdout.trim().split('\n')).toHaveLength(2); // frontend, driver
    });
  }

  it('a prefix that matches nothing still says so', async () => {
    const r = await runCli(['tree', '0df84e37', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no trace id starts with '0df84e37'/);
  });
});

describe('a span document on one line has the document cap, not the log-line cap (issue 28)', () => {
  const answer = jaegerAnswer();
  const big = '{"time":"2024-05-01T10:00:01Z","msg":"dump","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","data":"' + 'y'.repeat(3_000_000) + '"}';
  const log = '{"time":"2024-05-01T10:00:00Z","msg":"hello","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}';

  it('is over the log-line cap', () => {
    expect(answer.length).toBeGreaterThan(3 << 20);
  });

  it('curl …/api/traces | tracectl group: every trace, the line used', async () => {
    for (const threads of [1, 2]) {
      const r = await runCli(['group', '--json'], { stdin: answer + '\n', threads });
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(60);
      expect(accounting(r.stderr)).toEqual({ read: 1, used: 1, without: 0, notExamined: 0, skipped: 0 });
    }
  });

  it('after a log line, beside a long log line that is still skipped', async () => {
    const r = await runCli(['group', '--json'], { stdin: [log, answer, big, ''].join('\n') });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(61);
    expect(accounting(r.stderr)).toEqual({ read: 3, used: 2, without: 0, notExamined: 0, skipped: 1 });
    expect(r.stderr).toMatch(/1 line over 1048576 bytes \(\d+ bytes\): stdin:3/);
  });

  it('a one-trace command finds its trace in the line (the byte search)', async () => {
    const r = await runCli(['tree', 'abc005', '--json', '-q'], { stdin: [log, answer, big, ''].join('\n') });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { traceId: string; spans: number }).spans).toBe(100);
    const l = await runCli(['latency', '--trace', '00000000000000000000000000abc005'], { stdin: [log, answer, big, ''].join('\n') });
    expect(l.code).toBe(0);
    // The log lines cannot hold the id: not examined, or (the long one) skipped for its length unread.
    const a = accounting(l.stderr);
    expect([a.read, a.used, a.without, a.notExamined + a.skipped]).toEqual([3, 1, 0, 2]);
  });
});

describe('a span without a start time is placed at its parent\'s start, flagged (issue 28)', () => {
  // fixtures/span-data/no-start-time.jaeger.json (Jaeger JSON of Zipkin data), ms from 2024-05-01T10:00:00Z:
  //   web get /api/orders    |====================|  0-50
  //     orders get-order     startTime 0, 12 ms     -> placed at 0-12
  //       orders select         |==|                 2-8
  // Self times: get /api/orders 50 - 12 = 38, get-order 12 - 6 = 6, select 6.
  const file = fixture('span-data/no-start-time.jaeger.json');

  it('tree: at its parent\'s start, with its duration, marked, the trace 50 ms long', async () => {
    const r = await runCli(['tree', '4d1e00c0', file, '--json']);
    type Node = { spanId: string; startUs: number; durationUs: number; noStartTime?: boolean; outOfRange?: boolean; children: Node[] };
    const doc = JSON.parse(r.stdout) as { startUs: number; durationUs: number; roots: Node[]; warnings: { kind: string }[] };
    expect([doc.startUs, doc.durationUs]).toEqual([1_714_557_600_000_000, 50_000]);
    const placed = doc.roots[0]!.children[0]!;
    expect([placed.spanId, placed.startUs, placed.durationUs, placed.noStartTime, placed.outOfRange]).toEqual(['a1f6d2c3b4e5f607', 1_714_557_600_000_000, 12_000, true, undefined]);
    expect(doc.warnings.map((w) => w.kind)).toEqual(['no-start-time']);
    expect(r.stderr).toContain("span a1f6d2c3b4e5f607 (");
    const text = await runCli(['tree', '4d1e00c0', file, '-q', '--width', '120']);
    expect(text.stdout).toMatch(/⌛ no start time\n/);
  });

  it('self times as if it ran there', async () => {
    const r = await runCli(['latency', '--trace', '4d1e00c0', '--by', 'operation', file, '--json', '-q']);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { operation: string; selfUs: number });
    expect(rows.map((x) => [x.operation, x.selfUs])).toEqual([
      ['get /api/orders', 38_000],
      ['get-order', 6_000],
      ['select', 6_000],
    ]);
  });

  it('group: the trace starts and lasts as its timed spans say', async () => {
    const r = await runCli(['group', file, '--json', '-q']);
    expect(JSON.parse(r.stdout)).toMatchObject({ startUs: 1_714_557_600_000_000, durationUs: 50_000 });
  });
});
