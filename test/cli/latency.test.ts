// tracectl latency: breakdowns checked against hand-computed numbers.
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
// Self time = duration minus the union of the children clipped to the span (ms):
//   A: a1 100-(10..90)=20, a2 30-20=10, a3 20, a4 60-45=15, a5 45                        = 110
//   B: b1 50-((5..35)+(40..50 clipped))=10, b2 15, b3 15, b4 30                          = 70
//   C: c1 30-(8+2)=20, c2 8, c3 2 (c4 starts after c3 ends: nothing inside), c4 60-40=20, c5 40 = 90
//   D: d1 40-30=10, d2 30-20=10, d3 20, d4 70                                            = 110
//   E: e1 20-16=4, e2 6, e3 10                                                           = 20   (all: 400)
// By service (count; errors; total; self; sorted durations -> nearest-rank p50/p90; ties on self: total desc):
//   db      3; 3; 45+40+20=105; 105 (26.25%); [20,40,45] p50 40 p90 45
//   search  2; 0; 30+70=100;     80 (20%);    [30,70]    p50 30 p90 70
//   web     4; 1; 100+50+40+20=210; 20+10+10+4=44 (11%); [20,40,50,100] p50 40 (rank 2) p90 100 (rank 4)
//   cart    3; 1 (33%); 56; 10+20+6=36 (9%); [6,20,30]
//   api 30 self / 40 total, then mail and orders (30 / 30, by name), pay 25 (6.25%), worker 20 (5%).
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { expectGolden, jsonLines } from './golden.js';

const F = fixture('analyses/incidents.spans.jsonl');
const HOSTILE = fixture('analyses/hostile.spans.jsonl');
const ms = 1000;

describe('tracectl latency', () => {
  it('per service across all traces (golden)', async () => {
    const r = await runCli(['latency', '--width', '120', F]);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, 'latency-by-service');
  });

  it('per service --json, by value', async () => {
    const r = await runCli(['latency', '--json', F]);
    const rows = jsonLines(r.stdout);
    expect(rows.map((x) => x.service)).toEqual(['db', 'search', 'web', 'cart', 'api', 'mail', 'orders', 'pay', 'worker']);
    expect(rows[0]).toEqual({
      by: 'service', service: 'db', count: 3, inferred: 0, errors: 3, errorPct: 100, totalUs: 105 * ms, selfUs: 105 * ms, selfPct: 26.25,
      minUs: 20 * ms, p50Us: 40 * ms, p90Us: 45 * ms, p95Us: 45 * ms, p99Us: 45 * ms, maxUs: 45 * ms,
    });
    expect(rows[2]).toEqual({
      by: 'service', service: 'web', count: 4, inferred: 0, errors: 1, errorPct: 25, totalUs: 210 * ms, selfUs: 44 * ms, selfPct: 11,
      minUs: 20 * ms, p50Us: 40 * ms, p90Us: 100 * ms, p95Us: 100 * ms, p99Us: 100 * ms, maxUs: 100 * ms,
    });
    expect(rows[3]).toMatchObject({ service: 'cart', count: 3, errors: 1, errorPct: 33.33, totalUs: 56 * ms, selfUs: 36 * ms, selfPct: 9, minUs: 6 * ms, p50Us: 20 * ms, p90Us: 30 * ms });
    expect(rows[7]).toMatchObject({ service: 'pay', selfUs: 25 * ms, selfPct: 6.25, p50Us: 10 * ms, p90Us: 60 * ms });
    expect(rows.reduce((a, x) => a + Number(x.selfUs), 0)).toBe(400 * ms);
  });

  it("--trace: one trace's statistics per operation (Jaeger's Trace Statistics)", async () => {
    const r = await runCli(['latency', '--by', 'operation', '--trace', 'aaaa', '--width', '160', F]);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, 'latency-trace-by-operation');
    const j = jsonLines((await runCli(['latency', '--by', 'operation', '--trace', 'aaaa', '--json', F])).stdout);
    // self: INSERT 45, GET /checkout 20 (total 100) before load 20 (total 20), Charge 15, GetCart 10; of 110
    expect(j.map((x) => [x.service, x.operation, x.selfUs, x.totalUs, x.selfPct])).toEqual([
      ['db', 'INSERT', 45 * ms, 45 * ms, 40.91],
      ['web', 'GET /checkout', 20 * ms, 100 * ms, 18.18],
      ['cart', 'load', 20 * ms, 20 * ms, 18.18],
      ['pay', 'Charge', 15 * ms, 60 * ms, 13.64],
      ['cart', 'GetCart', 10 * ms, 30 * ms, 9.09],
    ]);
    expect(j[0]).toMatchObject({ by: 'operation', traceId: 'aaaa0000000000000000000000000001' });
  });

  it('per attribute value, with (none) for spans without it (golden and JSON)', async () => {
    const r = await runCli(['latency', '--by', 'http.status_code', '--width', '120', F]);
    expectGolden(r.stdout, 'latency-by-status-code');
    const j = jsonLines((await runCli(['latency', '--by', 'http.status_code', '--json', F])).stdout);
    // (none): the 16 non-root-tagged spans, durations 2,6,8,10,15,15,20,20,30,30,30,40,45,60,60,70
    //   sum 461, self 400-20-24-20 = 336, errors a3 a4 a5 c5 d3 = 5; p50 rank 8 = 20, p90 rank 15 = 60, p95 rank 16 = 70
    expect(j.map((x) => x.value)).toEqual(['(none)', '200', '500', '201']);
    expect(j[0]).toEqual({
      by: 'attribute', attribute: 'http.status_code', value: '(none)', count: 16, inferred: 0, errors: 5, errorPct: 31.25, totalUs: 461 * ms, selfUs: 336 * ms, selfPct: 84,
      minUs: 2 * ms, p50Us: 20 * ms, p90Us: 60 * ms, p95Us: 70 * ms, p99Us: 70 * ms, maxUs: 70 * ms,
    });
    expect(j[1]).toMatchObject({ value: '200', count: 3, totalUs: 110 * ms, selfUs: 24 * ms, p50Us: 40 * ms, p90Us: 50 * ms });
  });

  it('filters apply per trace', async () => {
    const j = jsonLines((await runCli(['latency', '--service', 'mail', '--json', F])).stdout);
    expect(j.map((x) => [x.service, x.count, x.selfUs])).toEqual([
      ['mail', 1, 30 * ms],
      ['orders', 2, 30 * ms],
      ['web', 1, 10 * ms],
    ]);
  });

  it('redacts values of a secret-looking attribute unless --no-redact', async () => {
    const r = await runCli(['latency', '--by', 'authorization', HOSTILE]);
    expect(r.stdout).toContain('[REDACTED]');
    expect(r.stdout).not.toContain('abc123');
    expect(jsonLines((await runCli(['latency', '--by', 'authorization', '--json', HOSTILE])).stdout)[0]!.value).toBe('[REDACTED]');
    expect((await runCli(['latency', '--by', 'authorization', '--no-redact', HOSTILE])).stdout).toContain('Bearer abc123');
  });

  it('exit codes: 1 for an unknown trace or no match, 2 for usage', async () => {
    const unknown = await runCli(['latency', '--trace', '9999', F]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no trace id starts with '9999'");
    const filtered = await runCli(['latency', '--trace', 'bbbb', '--errors', F]);
    expect(filtered.code).toBe(1);
    expect(filtered.stderr).toContain('does not match the filters');
    expect((await runCli(['latency', '--errors', '--service', 'mail', F])).stderr).toContain('no traces match the filters');
    expect((await runCli(['latency', '--by', 'attr:', F])).code).toBe(2);
    expect((await runCli(['latency', '--since', 'yesterday-ish', F])).code).toBe(2);
  });

  it('--help shows examples and the percentile definition', async () => {
    const r = await runCli(['latency', '--help']);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('nearest-rank');
  });

  it('colours with --color always, and log text stays escaped', async () => {
    const r = await runCli(['latency', '--by', 'operation', '--color', 'always', HOSTILE]);
    expect(r.stdout).toContain('\u001b[31m');
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(r.stdout).toContain('\\u202eop');
    expect(r.stdout).not.toContain('\u001b]0;');
  });

  // On log lines, a trace of a few spans whose ids are all different is measured from its folds, without
  // its spans (TraceFold.columns); a filter sends every trace through the spans and the tree instead.
  // Both must print the same, whatever the trace: parents looping, naming themselves or nothing, untimed
  // spans, lines without a span id, more spans than the columns hold.
  describe('on log lines, measured from the folds or through the tree', () => {
    const T0 = Date.parse('2024-05-01T10:00:00Z');
    const at = (ms: number) => new Date(T0 + ms).toISOString();
    const line = (o: Record<string, unknown>) => JSON.stringify({ level: 'info', message: 'x', ...o });
    const sp = (trace: string, span: string, parent: string | undefined, service: string, op: string, from: number, to: number, error = false) => [
      line({ timestamp: at(from), traceId: trace, spanId: span, ...(parent !== undefined ? { parentSpanId: parent } : {}), service, operation: op, message: 'start' }),
      line({ timestamp: at(to), traceId: trace, spanId: span, service, operation: op, message: 'end', ...(error ? { level: 'error', error: 'boom' } : {}) }),
    ];
    const id = (n: number) => n.toString(16).padStart(32, '0');
    const plain = [
      ...sp(id(1), 'a1', undefined, 'web', 'GET /cart', 0, 100),
      ...sp(id(1), 'a2', 'a1', 'api', 'load', 10, 60),
      ...sp(id(1), 'a3', 'a2', 'db', 'SELECT', 20, 40, true),
      ...sp(id(1), 'a4', 'a1', 'db', 'SELECT', 50, 90),
    ];
    const odd = [
      ...sp(id(2), 'b1', 'b2', 'web', 'loop', 0, 50), // b1 and b2 name each other
      ...sp(id(2), 'b2', 'b1', 'api', 'loop', 5, 30),
      ...sp(id(3), 'c1', 'c1', 'web', 'self', 0, 40), // its own parent
      ...sp(id(3), 'c2', 'nowhere', 'api', 'orphan', 10, 70),
      ...sp(id(3), 'c3', '', 'db', 'empty', 20, 25),
      line({ traceId: id(4), spanId: 'd1', service: 'web', operation: 'untimed' }),
      ...sp(id(4), 'd2', 'd1', 'db', 'SELECT', 0, 30),
      ...sp(id(5), 'e1', undefined, 'web', 'GET /x', 0, 80),
      line({ timestamp: at(10), traceId: id(5), service: 'web', message: 'no span id' }),
      line({ timestamp: at(40), traceId: id(5), service: 'db', message: 'no span id' }),
      ...Array.from({ length: 40 }, (_, i) => sp(id(6), `f${i}`, i > 0 ? `f${i - 1}` : undefined, i % 2 ? 'api' : 'web', `step ${i % 3}`, i, 200 - i, i === 7)).flat(),
    ];

    it('measures a plain trace from its folds (hand-computed)', async () => {
      const r = await runCli(['latency', '--json'], { stdin: plain.join('\n') + '\n' });
      expect(r.code).toBe(0);
      // web a1 100 - (10..60 + 50..90 = 10..90) = 20; api a2 50 - 20 = 30; db a3 20 + a4 40 = 60 self, 60 total.
      expect(jsonLines(r.stdout).map((x) => [x.service, x.count, x.errors, x.totalUs, x.selfUs])).toEqual([
        ['db', 2, 1, 60 * ms, 60 * ms],
        ['api', 1, 0, 50 * ms, 30 * ms],
        ['web', 1, 0, 100 * ms, 20 * ms],
      ]);
    });

    it.each([['service'], ['operation']])('prints what the tree gives, by %s', async (by) => {
      const input = [...plain, ...odd].join('\n') + '\n';
      const folds = await runCli(['latency', '--json', '--by', by], { stdin: input });
      const tree = await runCli(['latency', '--json', '--by', by, '--min-duration', '0'], { stdin: input });
      expect(folds.code).toBe(0);
      expect(jsonLines(folds.stdout).length).toBeGreaterThanOrEqual(3);
      expect(folds.stdout).toBe(tree.stdout);
      const table = await runCli(['latency', '--by', by], { stdin: input });
      expect(table.stdout).toBe((await runCli(['latency', '--by', by, '--min-duration', '0'], { stdin: input })).stdout);
    });
  });
});
