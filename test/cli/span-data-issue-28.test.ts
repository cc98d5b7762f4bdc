// Span data read as Jaeger UI and Zipkin read it (issue 28): each case a minimal file written the way the
// producer writes it, run through the real program.
import { describe, expect, it } from 'vitest';
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
