// nginx in front of an API, its access line logging the incoming `traceparent` (D81): when nginx gives up
// (504 at proxy_read_timeout) the API runs on, and its span ends after the access line's (D126).
// fixtures/proxy-timeout, seconds after 2026-11-03T10:00:00Z (the access line's span is [time − request_time, time]):
//
//   5a0e…  edge  GET /api/report  504  |0.0023=============60.0063|                    request_time 60.004
//          api   GET /api/report          |0.0031=========================65.3184|    ran on 5.312 s, then 200
//   6b1f…  edge                   200  |10.0004==10.1204|                               request_time 0.120
//          api                          |10.0012==10.1194|
//   7c2a…  edge                   504  |20.0011=============80.0031|                    request_time 60.002
//          api                             |20.0021======================90.0002|  ✗ statement timeout (500)
//
// Truth: each API span hangs under the access line; 5a0e's origin is the API (the call nginx gave up on),
// its failure seen at nginx's 504 (60.0063); 7c2a's origin is the API's own error (90.0002).
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

const DIR = fixture('proxy-timeout');
const T0 = Date.UTC(2026, 10, 3, 10) * 1000;

interface Node {
  service: string;
  operation: string;
  startUs: number;
  durationUs: number;
  error?: boolean;
  children: Node[];
}

const json = async (argv: string[]): Promise<unknown[]> =>
  (await runCli([...argv, '--json', '-q', DIR])).stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);

describe('a proxy that timed out (nginx 504, D126)', () => {
  it('hangs the upstream that outlived the access line under it, as in the trace that did not time out', async () => {
    for (const [id, api] of [['5a0e', [3100, 65_315_300]], ['6b1f', [10_001_200, 118_200]], ['7c2a', [20_002_100, 69_998_100]]] as const) {
      const [tree] = (await json(['tree', id])) as { roots: Node[]; spans: number }[];
      expect(tree!.roots, id).toHaveLength(1);
      const [edge] = tree!.roots;
      expect([edge!.service, edge!.children.map((c) => [c.service, c.operation, c.startUs - T0, c.durationUs])]).toEqual(['edge', [['reports-api', 'GET /api/report', ...api]]]);
    }
  });

  it('names the API as the origin: the call nginx gave up on, or its own later error', async () => {
    const rows = (await json(['errors'])) as { traceId: string; origin: { service: string; errorAtUs: number; message: string | null; gaveUp?: { service: string; message: string | null; ranOnUs: number } } }[];
    expect(rows.map((r) => [r.traceId.slice(0, 4), r.origin.service, r.origin.errorAtUs - T0, r.origin.message, r.origin.gaveUp])).toEqual([
      ['5a0e', 'reports-api', 60_006_300, null, { service: 'edge', operation: '(no span id)', message: 'HTTP 504', ranOnUs: 5_312_100 }],
      ['7c2a', 'reports-api', 90_000_200, 'report query failed: canceling statement due to statement timeout', undefined],
    ]);
    const text = (await runCli(['errors', '-q', DIR])).stdout;
    expect(text).toContain('✗ reports-api GET /api/report: still running 5.31s after edge (no span id) failed (HTTP 504)');
    const summary = (await json(['errors', '--summary'])) as { service: string; message: string; firstSeenUs: number }[];
    expect(summary.map((g) => [g.service, g.message, g.firstSeenUs - T0])).toEqual([
      ['reports-api', '(still running when its caller failed)', 60_006_300],
      ['reports-api', 'report query failed: canceling statement due to statement timeout', 90_000_200],
    ]);
  });
});
