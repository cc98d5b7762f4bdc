// tracectl errors: error paths and the cross-trace summary, checked against hand-worked origins.
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
// Origins (error spans with no error below them) by hand, in input order:
//   A: s-a3 cart load "cache unavailable"   path a1 > a2 > a3, failed with it: a1
//      s-a5 db INSERT "deadlock on row 8812" path a1 > a4 > a5, failed with it: a4, a1 (nearest first)
//   C: s-c5 db UPDATE "timeout after 3012ms" path c1 > c3 > c4 > c5 (through the async consumer), none failed with it
//   D: s-d3 db UPDATE "timeout after 2999ms" path d1 > d2 > d3
// Summary (service + operation + message with numbers as <n>): db UPDATE "timeout after <n>ms" 2 origins in
// 2 traces (example: C's, the earlier); then cart load (first seen T0+15ms) before db INSERT (T0+40ms).
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { expectGolden, jsonLines } from './golden.js';

const F = fixture('analyses/incidents.spans.jsonl');
const HOSTILE = fixture('analyses/hostile.spans.jsonl');
const ms = 1000;
const T0 = 1714557600000 * ms;

describe('tracectl errors', () => {
  it('the path from the root to each origin, per failing trace (golden)', async () => {
    const r = await runCli(['errors', '--width', '120', F]);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, 'errors-paths');
  });

  it('--json: one object per failing trace, its origin by value', async () => {
    const rows = jsonLines((await runCli(['errors', '--json', F])).stdout);
    // A: s-a3 and s-a5 both fail at depth 2; s-a3's error came first (it ends at 35, s-a5 at 85).
    expect(rows.map((x) => [String(x.traceId).slice(0, 4), x.index, x.origins, (x.origin as { spanId: string }).spanId])).toEqual([
      ['aaaa', 1, 1, 's-a3'],
      ['cccc', 1, 1, 's-c5'],
      ['dddd', 1, 1, 's-d3'],
    ]);
    expect(rows[0]).toEqual({
      traceId: 'aaaa0000000000000000000000000001',
      traceStart: '2024-05-01T10:00:00.000000Z',
      traceStartUs: T0,
      traceDurationUs: 100 * ms,
      origins: 1,
      index: 1,
      origin: { spanId: 's-a3', service: 'cart', operation: 'load', start: '2024-05-01T10:00:00.015000Z', startUs: T0 + 15 * ms, durationUs: 20 * ms, errorAt: '2024-05-01T10:00:00.035000Z', errorAtUs: T0 + 35 * ms, message: 'cache unavailable' },
      hops: [
        { spanId: 's-a1', service: 'web', operation: 'GET /checkout', start: '2024-05-01T10:00:00.000000Z', startUs: T0, offsetUs: 0, durationUs: 100 * ms, error: true },
        { spanId: 's-a2', service: 'cart', operation: 'GetCart', start: '2024-05-01T10:00:00.010000Z', startUs: T0 + 10 * ms, offsetUs: 10 * ms, durationUs: 30 * ms, error: false },
        { spanId: 's-a3', service: 'cart', operation: 'load', start: '2024-05-01T10:00:00.015000Z', startUs: T0 + 15 * ms, offsetUs: 15 * ms, durationUs: 20 * ms, error: true },
      ],
      failedAncestors: ['s-a1'],
      alsoFailed: [
        { spanId: 's-a5', service: 'db', operation: 'INSERT', errorAt: '2024-05-01T10:00:00.085000Z', errorAtUs: T0 + 85 * ms, message: 'deadlock on row 8812' },
        { spanId: 's-a4', service: 'pay', operation: 'Charge', errorAt: '2024-05-01T10:00:00.090000Z', errorAtUs: T0 + 90 * ms, message: 'charge failed' },
      ],
    });
    expect(rows[1]!.failedAncestors).toEqual([]);
    expect((rows[1]!.hops as { spanId: string }[]).map((h) => h.spanId)).toEqual(['s-c1', 's-c3', 's-c4', 's-c5']);
  });

  it('--summary groups the traces\' origins (golden and JSON)', async () => {
    const r = await runCli(['errors', '--summary', '--width', '120', F]);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, 'errors-summary');
    const rows = jsonLines((await runCli(['errors', '--summary', '--json', F])).stdout);
    expect(rows).toEqual([
      {
        service: 'db', operation: 'UPDATE', message: 'timeout after <n>ms', example: 'timeout after 3012ms', count: 2, traces: 2,
        // span records without error lines: they failed at their ends
        firstSeen: '2024-05-01T10:00:02.070000Z', firstSeenUs: T0 + 2070 * ms, lastSeen: '2024-05-01T10:00:03.030000Z', lastSeenUs: T0 + 3030 * ms,
        exampleTraceIds: ['cccc0000000000000000000000000003', 'dddd0000000000000000000000000004'],
      },
      {
        service: 'cart', operation: 'load', message: 'cache unavailable', example: 'cache unavailable', count: 1, traces: 1,
        firstSeen: '2024-05-01T10:00:00.035000Z', firstSeenUs: T0 + 35 * ms, lastSeen: '2024-05-01T10:00:00.035000Z', lastSeenUs: T0 + 35 * ms,
        exampleTraceIds: ['aaaa0000000000000000000000000001'],
      },
    ]);
    expect(jsonLines((await runCli(['errors', '--summary', '--limit', '1', '--json', F])).stdout)).toHaveLength(1);
  });

  it('filters and --limit apply per trace', async () => {
    const ids = async (...args: string[]) => [...new Set(jsonLines((await runCli(['errors', '--json', ...args, F])).stdout).map((x) => String(x.traceId).slice(0, 4)))];
    expect(await ids('--service', 'worker')).toEqual(['cccc']);
    expect(await ids('--min-duration', '100ms')).toEqual(['aaaa', 'dddd']);
    expect(await ids('--limit', '2')).toEqual(['aaaa', 'cccc']);
  });

  it('exit 1 with the reason when no matching trace failed', async () => {
    const r = await runCli(['errors', '--service', 'mail', F]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no errors in the 1 matching trace');
    const none = await runCli(['errors', '--summary'], { stdin: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no traces found');
  });

  it('--help shows examples', async () => {
    const r = await runCli(['errors', '--help']);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('tracectl errors --summary');
  });

  it('colours with --color always, and messages stay escaped', async () => {
    const r = await runCli(['errors', '--color', 'always', HOSTILE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\u001b[31m');
    expect(r.stdout).toContain('inner \\x1b[2J cleared');
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(r.stdout).not.toMatch(/\u001b\[2J|\u001b\]0;|\u0007|\u202e/);
    const s = await runCli(['errors', '--summary', '--color', 'always', HOSTILE]);
    expect(s.stdout).toContain('\u001b[1m'); // bold headers
    expect(s.stdout).not.toMatch(/\u001b\[2J|\u001b\]0;|\u0007|\u202e/);
  });
});

// A span's error time is its first error line, also where its lines are folded without events (errors
// --summary, errors): the origin and FIRST SEEN are when the failure was first seen, not its span's end.
describe('errors: the first error line of a span, not its last', () => {
  const TRACE = '9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a';
  const line = (time: string, level: string, service: string, msg: string) => JSON.stringify({ time: `2026-12-07T10:00:${time}Z`, level, service, trace_id: TRACE, msg });
  // Trace id only: one placeholder span per service. inventory fails first (00.100) and again at 30.000;
  // pricing only at 05.000. By first error lines the origin is inventory.
  const stdin = [
    line('00.000', 'info', 'gw', 'GET /checkout'),
    line('00.100', 'error', 'inventory', 'db connection refused'),
    line('05.000', 'error', 'pricing', 'upstream inventory unavailable'),
    line('30.000', 'error', 'inventory', 'reserve gave up'),
    line('30.010', 'error', 'gw', 'GET /checkout 500'),
  ].join('\n') + '\n';

  it('names the service whose error came first, at that time', async () => {
    const r = await runCli(['errors', '--json'], { stdin });
    const [path] = jsonLines(r.stdout) as { origin: { service: string; errorAt: string; message: string } }[];
    expect(path!.origin).toMatchObject({ service: 'inventory', errorAt: '2026-12-07T10:00:00.100000Z', message: 'db connection refused' });
    const summary = await runCli(['errors', '--summary', '--json'], { stdin });
    const [group] = jsonLines(summary.stdout) as { service: string; firstSeen: string }[];
    expect(group).toMatchObject({ service: 'inventory' });
    expect(group!.firstSeen).toMatch(/^2026-12-07T10:00:00\.100/);
  });
});
