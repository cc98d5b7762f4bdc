// tracectl services: the service map, checked against edges read off the drawing by hand.
//
// fixtures/analyses/incidents.spans.jsonl: five traces, 1 s apart from T0 = 2024-05-01T10:00:00Z. Times are
// ms from the trace's start, one character per 5 ms; ✗ = error status with its message.
//
// A aaaa…01 @T0
//   s-a1 web GET /checkout      |====================|       0-100  ✗ checkout failed; http.status_code 500
//     s-a2 cart GetCart           |======|                   10-40
//       s-a3 cart load             |====|                    15-35  ✗ cache unavailable
//     s-a4 pay Charge                 |============|         30-90  ✗ charge failed (overlaps GetCart 30-40)
//       s-a5 db INSERT                  |=========|          40-85  ✗ deadlock on row 8812
// B bbbb…02 @T0+1s
//   s-b1 web GET /orders        |==========|                  0-50  http.status_code 200
//     s-b2 orders list           |===|                        5-20
//     s-b3 orders enrich            |===|                    20-35  touches list at 20
//     s-b4 mail send                    |======|             40-70  outlives its parent by 20 (another host)
// C cccc…03 @T0+2s
//   s-c1 api POST /orders       |======|                      0-30  [server] http.status_code 201
//     s-c2 api validate         |==|                          2-10
//     s-c3 api publish            |=|                        12-14  [producer]
//       s-c4 worker process         |============|           20-80  [consumer] async: not waited for
//         s-c5 db UPDATE              |========|             30-70  ✗ timeout after 3012ms
// D dddd…04 @T0+3s
//   s-d1 web GET /search        |========|                    0-40  http.status_code 200
//     s-d2 search query          |======|                     5-35
//       s-d3 db UPDATE            |====|                     10-30  ✗ timeout after 2999ms
//   s-d4 search reindex                   |==============|  50-120  parent s-d0 missing: a second root
// E eeee…05 @T0+4s
//   s-e1 web GET /checkout      |====|                        0-20  http.status_code 200
//     s-e2 cart GetCart         |==|                           2-8
//     s-e3 pay Charge            |===|                        8-18  touches GetCart at 8
//
// Edges = parent and child in different services; latency = the called (child) span's duration (ms):
//   web -> cart    a2 30, e2 6          2 calls, 0 errors, p50 6,  p99 30
//   web -> orders  b2 15, b3 15         2 calls,           p50 15, p99 15   (orders -> orders: no edge)
//   web -> pay     a4 60 ✗, e3 10       2 calls, 1 error,  p50 10, p99 60
//   api -> worker  c4 60 (api -> api validate/publish: no edge)
//   pay -> db 45 ✗, search -> db 20 ✗, worker -> db 40 ✗, web -> mail 30, web -> search 30
// Sorted by calls desc, then from, then to. Entry points (roots): web 4, api 1, search 1 (the detached d4).
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { expectGolden, jsonLines } from './golden.js';

const F = fixture('analyses/incidents.spans.jsonl');
const HOSTILE = fixture('analyses/hostile.spans.jsonl');
const ms = 1000;

describe('tracectl services', () => {
  it('table of edges (golden)', async () => {
    const r = await runCli(['services', '--width', '120', F]);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, 'services-table');
  });

  it('--json: services, then edges, by value; --format json is the same', async () => {
    const r = await runCli(['services', '--json', F]);
    const rows = jsonLines(r.stdout);
    expect(rows.filter((x) => x.kind === 'service')).toEqual([
      { kind: 'service', service: 'api', spans: 3, errors: 0, roots: 1 },
      { kind: 'service', service: 'cart', spans: 3, errors: 1, roots: 0 },
      { kind: 'service', service: 'db', spans: 3, errors: 3, roots: 0 },
      { kind: 'service', service: 'mail', spans: 1, errors: 0, roots: 0 },
      { kind: 'service', service: 'orders', spans: 2, errors: 0, roots: 0 },
      { kind: 'service', service: 'pay', spans: 2, errors: 1, roots: 0 },
      { kind: 'service', service: 'search', spans: 2, errors: 0, roots: 1 },
      { kind: 'service', service: 'web', spans: 4, errors: 1, roots: 4 },
      { kind: 'service', service: 'worker', spans: 1, errors: 0, roots: 0 },
    ]);
    expect(rows.filter((x) => x.kind === 'edge')).toEqual([
      { kind: 'edge', from: 'web', to: 'cart', calls: 2, errors: 0, errorPct: 0, p50Us: 6 * ms, p99Us: 30 * ms },
      { kind: 'edge', from: 'web', to: 'orders', calls: 2, errors: 0, errorPct: 0, p50Us: 15 * ms, p99Us: 15 * ms },
      { kind: 'edge', from: 'web', to: 'pay', calls: 2, errors: 1, errorPct: 50, p50Us: 10 * ms, p99Us: 60 * ms },
      { kind: 'edge', from: 'api', to: 'worker', calls: 1, errors: 0, errorPct: 0, p50Us: 60 * ms, p99Us: 60 * ms },
      { kind: 'edge', from: 'pay', to: 'db', calls: 1, errors: 1, errorPct: 100, p50Us: 45 * ms, p99Us: 45 * ms },
      { kind: 'edge', from: 'search', to: 'db', calls: 1, errors: 1, errorPct: 100, p50Us: 20 * ms, p99Us: 20 * ms },
      { kind: 'edge', from: 'web', to: 'mail', calls: 1, errors: 0, errorPct: 0, p50Us: 30 * ms, p99Us: 30 * ms },
      { kind: 'edge', from: 'web', to: 'search', calls: 1, errors: 0, errorPct: 0, p50Us: 30 * ms, p99Us: 30 * ms },
      { kind: 'edge', from: 'worker', to: 'db', calls: 1, errors: 1, errorPct: 100, p50Us: 40 * ms, p99Us: 40 * ms },
    ]);
    expect((await runCli(['services', '--format', 'json', F])).stdout).toBe(r.stdout);
  });

  it('--format dot and --format mermaid (golden)', async () => {
    expectGolden((await runCli(['services', '--format', 'dot', F])).stdout, 'services-dot');
    expectGolden((await runCli(['services', '--format', 'mermaid', F])).stdout, 'services-mermaid');
  });

  it('a hostile service name stays inside its quoted label in dot and mermaid', async () => {
    // service: evil"];<ESC>]0;pwned<BEL> click s0 "x
    const dot = (await runCli(['services', '--format', 'dot', HOSTILE])).stdout;
    expect(dot).toContain('s0 [label="evil\\"];\\\\x1b]0;pwned\\\\x07 click s0 \\"x", color=red];');
    expect(dot).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    // every quote inside a label is escaped: unescaped quotes come in pairs per line
    for (const line of dot.split('\n')) expect((line.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);
    const mermaid = (await runCli(['services', '--format', 'mermaid', HOSTILE])).stdout;
    expect(mermaid).toContain('  s0["evil#34;#93;#59;#92;x1b#93;0#59;pwned#92;x07 click s0 #34;x"]');
    expect(mermaid).toContain('  s1 -->|"1 call, 1 error, p50 6ms, p99 6ms"| s0');
    expect(mermaid).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    for (const line of mermaid.split('\n')) expect((line.match(/"/g) ?? []).length % 2).toBe(0);
  });

  it('filters apply per trace', async () => {
    const edges = jsonLines((await runCli(['services', '--json', '--errors', '--service', 'worker', F])).stdout).filter((x) => x.kind === 'edge');
    expect(edges.map((e) => `${String(e.from)}->${String(e.to)}`)).toEqual(['api->worker', 'worker->db']);
  });

  it('exit 1 with the reason when nothing is found; 2 for a bad format', async () => {
    const none = await runCli(['services'], { stdin: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no traces found');
    const unmatched = await runCli(['services', '--until', '2024-05-01T09:00:00Z', F]);
    expect(unmatched.code).toBe(1);
    expect(unmatched.stderr).toContain('all 5 traces start after the window; the input spans 10:00:00–10:00:04 on 2024-05-01');
    expect((await runCli(['services', '--format', 'svg', F])).code).toBe(2);
  });

  it('--help shows examples', async () => {
    const r = await runCli(['services', '--help']);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--format mermaid');
  });

  it('colours failing edges with --color always; names stay escaped', async () => {
    const r = await runCli(['services', '--color', 'always', HOSTILE]);
    expect(r.stdout).toContain('\u001b[31m');
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(r.stdout).not.toMatch(/\u001b\]0;|\u0007/);
  });
});
