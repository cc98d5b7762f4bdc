// tracectl slowest: rankings checked against hand-computed numbers.
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
// Durations by hand: traces D 120, A 100, C 80, B 70, E 20 (trace = earliest start to latest end, so B's
// late mail span and D's detached root count). Spans: a1 100, d4 70, a4 60 and c4 60 (tie: trace id aaaa
// first), b1 50, … Operations by p99 (nearest rank, n = 2: p50 = smaller, p99 = larger):
//   web GET /checkout {100, 20} p50 20 p99 100; search reindex 70; pay Charge {60, 10} and worker process
//   {60} tie on p99 and max, pay first on count; web GET /orders 50.
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { expectGolden, jsonLines } from './golden.js';

const F = fixture('analyses/incidents.spans.jsonl');
const HOSTILE = fixture('analyses/hostile.spans.jsonl');
const ms = 1000;

describe('tracectl slowest', () => {
  it('ranks traces by duration (golden)', async () => {
    const r = await runCli(['slowest', '--width', '120', F]);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, 'slowest-traces');
    expect(r.stderr).toContain('21 lines read from 1 source');
  });

  it('--by trace --json: root, duration, spans, services, errors by value', async () => {
    const r = await runCli(['slowest', '--top', '3', '--json', F]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { rank: 1, traceId: 'dddd0000000000000000000000000004', start: '2024-05-01T10:00:03.000000Z', startUs: 1714557603000000, durationUs: 120 * ms, spans: 4, errors: 1, services: ['db', 'search', 'web'], rootService: 'web', rootOperation: 'GET /search' }, // d1, not the longer d4 whose parent is missing
      { rank: 2, traceId: 'aaaa0000000000000000000000000001', start: '2024-05-01T10:00:00.000000Z', startUs: 1714557600000000, durationUs: 100 * ms, spans: 5, errors: 4, services: ['cart', 'db', 'pay', 'web'], rootService: 'web', rootOperation: 'GET /checkout' },
      { rank: 3, traceId: 'cccc0000000000000000000000000003', start: '2024-05-01T10:00:02.000000Z', startUs: 1714557602000000, durationUs: 80 * ms, spans: 5, errors: 1, services: ['api', 'db', 'worker'], rootService: 'api', rootOperation: 'POST /orders' },
    ]);
  });

  it('--by span: the slowest spans with the path from the root (golden and JSON)', async () => {
    const text = await runCli(['slowest', '--by', 'span', '--top', '4', '--width', '120', F]);
    expect(text.code).toBe(0);
    expectGolden(text.stdout, 'slowest-spans');
    const r = await runCli(['slowest', '--by', 'span', '--top', '4', '--json', F]);
    const rows = jsonLines(r.stdout);
    expect(rows.map((x) => [x.spanId, x.durationUs, x.error])).toEqual([
      ['s-a1', 100 * ms, true],
      ['s-d4', 70 * ms, false],
      ['s-a4', 60 * ms, true],
      ['s-c4', 60 * ms, false],
    ]);
    expect(rows[3]).toMatchObject({
      traceId: 'cccc0000000000000000000000000003',
      service: 'worker',
      operation: 'process',
      startUs: 1714557602020000,
      inferred: false,
      path: [
        { spanId: 's-c1', service: 'api', operation: 'POST /orders' },
        { spanId: 's-c3', service: 'api', operation: 'publish' },
        { spanId: 's-c4', service: 'worker', operation: 'process' },
      ],
    });
  });

  it('--by operation: ranked by p99 with count, p50, p99, max (golden and JSON)', async () => {
    const text = await runCli(['slowest', '--by', 'operation', '--top', '5', '--width', '120', F]);
    expectGolden(text.stdout, 'slowest-operations');
    const r = await runCli(['slowest', '--by', 'operation', '--top', '5', '--json', F]);
    expect(jsonLines(r.stdout)).toEqual([
      { rank: 1, service: 'web', operation: 'GET /checkout', count: 2, errors: 1, p50Us: 20 * ms, p99Us: 100 * ms, maxUs: 100 * ms },
      { rank: 2, service: 'search', operation: 'reindex', count: 1, errors: 0, p50Us: 70 * ms, p99Us: 70 * ms, maxUs: 70 * ms },
      { rank: 3, service: 'pay', operation: 'Charge', count: 2, errors: 1, p50Us: 10 * ms, p99Us: 60 * ms, maxUs: 60 * ms },
      { rank: 4, service: 'worker', operation: 'process', count: 1, errors: 0, p50Us: 60 * ms, p99Us: 60 * ms, maxUs: 60 * ms },
      { rank: 5, service: 'web', operation: 'GET /orders', count: 1, errors: 0, p50Us: 50 * ms, p99Us: 50 * ms, maxUs: 50 * ms },
    ]);
  });

  it('applies the shared filters per trace', async () => {
    const ids = async (...args: string[]) => jsonLines((await runCli(['slowest', '--json', ...args, F])).stdout).map((x) => String(x.traceId).slice(0, 4));
    expect(await ids('--errors')).toEqual(['dddd', 'aaaa', 'cccc']);
    expect(await ids('--service', 'mail')).toEqual(['bbbb']);
    expect(await ids('--min-duration', '80ms')).toEqual(['dddd', 'aaaa', 'cccc']);
    expect(await ids('--since', '2024-05-01T10:00:02Z', '--until', '2024-05-01T10:00:03Z')).toEqual(['dddd', 'cccc']);
    expect(await ids('--by', 'span', '--top', '2', '--service', 'api')).toEqual(['cccc', 'cccc']);
  });

  it('exit 1 and says why when nothing is found', async () => {
    const none = await runCli(['slowest'], { stdin: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('tracectl: no traces found');
    const unmatched = await runCli(['slowest', '--service', 'nope', F]);
    expect(unmatched.code).toBe(1);
    expect(unmatched.stdout).toBe('');
    expect(unmatched.stderr).toContain("no trace has a span of service nope; the input's services: ");
  });

  it('exit 2 on a missing file and on bad flags', async () => {
    expect((await runCli(['slowest', 'fixtures/analyses/no-such-file.jsonl'])).code).toBe(2);
    expect((await runCli(['slowest', '--top', '0', F])).code).toBe(2);
    expect((await runCli(['slowest', '--by', 'service', F])).code).toBe(2);
  });

  it('--help shows examples', async () => {
    const r = await runCli(['slowest', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('tracectl slowest --by span');
  });

  it('colours with --color always, and log text stays escaped', async () => {
    const r = await runCli(['slowest', '--by', 'span', '--color', 'always', HOSTILE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\u001b[31m'); // error rows in red
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07'); // the service name's escape, made visible
    expect(r.stdout).not.toContain('\u001b]0;');
    expect(r.stdout).not.toContain('\u202e');
  });
});
