// A line whose time cannot be right, among the lines of a span whose other lines are fine: the span keeps
// the times of its good lines (model/plausible-times.ts, timeRank), and every command says so alike.
//
// fixtures/clocks/far-line-in-span.log, one checkout; ms after T = 2025-03-14T09:25:00Z:
//
//   gateway  POST /checkout   |==================|              0-180
//     orders reserve stock      |=============|                20-150   + "stock client connected" at 1970-01-01
//       payments charge card       |=====================|     40-250   + "retry timer armed" at 2200-01-01
//                                                                        (outlives gateway: ↷ async)
//
// Truth: the trace starts at T and lasts 250 ms, 3 spans; no span is out of range; orders is named by its
// first line of today ("reserve stock", line 3), not by the 1970 line that comes first in the file.
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import type { ReportData } from '../../src/render/report/report-data.js';

const FILE = 'fixtures/clocks/far-line-in-span.log';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T = Date.UTC(2025, 2, 14, 9, 25) * 1000;
const ms = 1000;

interface Node {
  spanId: string;
  operation: string;
  startUs: number;
  durationUs: number;
  outOfRange?: boolean;
  children: Node[];
}

const json = async (argv: string[]): Promise<Record<string, unknown>> => JSON.parse((await runCli([...argv, '-q'])).stdout) as Record<string, unknown>;

describe('a far-off line among a span’s lines', () => {
  it('sets neither the span’s times nor its name, in group, slowest, tree, critical-path and report', async () => {
    const whole = { startUs: T, durationUs: 250 * ms, spans: 3 };
    const group = await json(['group', '--json', FILE]);
    expect([group.startUs, group.durationUs, group.spans, group.root]).toEqual([T, 250 * ms, 3, 'POST /checkout']);
    const slowest = await json(['slowest', '--json', FILE]);
    expect([slowest.startUs, slowest.durationUs, slowest.spans]).toEqual([T, 250 * ms, 3]);

    const tree = await json(['tree', '--json', TRACE, FILE]);
    expect({ startUs: tree.startUs, durationUs: tree.durationUs, spans: tree.spans }).toEqual(whole);
    expect(tree.warnings).toEqual([]);
    const spans: Node[] = [];
    for (const stack = [...(tree.roots as Node[])]; stack.length > 0; ) {
      const n = stack.pop()!;
      spans.push(n);
      stack.push(...n.children);
    }
    const brief = spans.map((n) => [n.operation, (n.startUs - T) / ms, n.durationUs / ms, n.outOfRange ?? false]);
    expect(brief).toEqual([
      ['POST /checkout', 0, 180, false],
      ['reserve stock', 20, 130, false],
      ['charge card', 40, 210, false],
    ]);

    const path = await json(['critical-path', '--json', TRACE, FILE]);
    expect([path.startUs, path.durationUs]).toEqual([T, 250 * ms]);

    const html = (await runCli(['report', FILE, '-q'])).stdout;
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as ReportData;
    const [t] = data.traces;
    expect([t!.start, t!.duration, t!.spans.length]).toEqual([T, 250 * ms, 3]);
    expect(t!.spans.flatMap((s) => s.marks.filter((m) => m.includes('range')))).toEqual([]);
    expect(t!.spans.map((s) => s.operation)).toEqual(['POST /checkout', 'reserve stock', 'charge card']);
  });

  it('keeps the far-off lines in the span, with their own times, after its lines of today', async () => {
    const tree = (await runCli(['tree', '--logs', TRACE, FILE, '-q'])).stdout;
    const orders = tree.split('\n').findIndex((l) => l.includes('reserve stock'));
    expect(orders).toBeGreaterThan(0);
    expect(tree).toContain('stock client connected');
    expect(tree).toContain('retry timer armed');
    expect(tree.indexOf('stock reserved')).toBeLessThan(tree.indexOf('stock client connected'));
  });
});
