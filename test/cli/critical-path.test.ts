// tracectl critical-path: sections and per-span totals checked against walks done by hand.
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
//     s-b4 mail send                    |======|             40-70  outlives its parent by 20 (another host): ↷ async
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
// The walk (Jaeger's): from the root's end, step into the child that ends last before the current point
// (strictly before, on a return); children are clipped to their parent; async children are left out.
//   A (overlapping children): a1 90-100, a4 85-90, a5 40-85, a4 30-40, a1 0-30. GetCart ends at 40, not
//     before 30 (where Charge started), so it is never on the path. Totals a5 45, a1 40, a4 15.
//   B (touching siblings, child outliving parent): b4 starts inside web and ends after it, which tree
//     shows as `↷ async`, so the path leaves it out as jaeger-ui leaves out FOLLOWS_FROM children
//     (not clipped to 40-50). b1 0-20, b3 20-35, b1 35-50; list ends at 20 = where enrich starts, not
//     strictly before: off the path. Totals b1 35, b3 15.
//   B --adjust-skew: mail (another host, shorter than its parent, sticking out) is centred in web's 0-50:
//     shift = 0 + (50-30)/2 - 40 = -30, so 10-40. Path b1 0-10, b4 10-40, b1 40-50.
//   C (async): c4 is a consumer under a producer, so c4 and c5 are left out (2 spans). c1 0-2, c2 2-10,
//     c1 10-12, c3 12-14, c1 14-30. Totals c1 20, c2 8, c3 2; the path is 30 of the trace's 80.
//   D (several roots): d1, the root naming no parent (d4's parent is missing), not the longer d4.
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { expectGolden } from './golden.js';

const F = fixture('analyses/incidents.spans.jsonl');
const HOSTILE = fixture('analyses/hostile.spans.jsonl');
const ms = 1000;
const T0 = 1714557600000 * ms;

interface CpJson {
  traceId: string;
  rootSpanId: string | null;
  roots: number;
  pathUs: number;
  durationUs: number;
  sections: { index: number; spanId: string; service: string; operation: string; from: string; fromUs: number; toUs: number; offsetUs: number; lengthUs: number }[];
  perSpan: { spanId: string; onPathUs: number }[];
  leftOut: { async: number; outsideParent: number };
}

async function cp(id: string, ...more: string[]): Promise<CpJson> {
  const r = await runCli(['critical-path', id, '--json', ...more, F]);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  return JSON.parse(r.stdout) as CpJson;
}

/** Sections as [span, from, to] in ms from the trace's start. */
const sections = (j: CpJson, start: number): [string, number, number][] => j.sections.map((s) => [s.spanId, (s.fromUs - start) / ms, (s.toUs - start) / ms]);
const totals = (j: CpJson): [string, number][] => j.perSpan.map((t) => [t.spanId, t.onPathUs / ms]);

describe('tracectl critical-path', () => {
  it('A: overlapping children (golden text and JSON)', async () => {
    const r = await runCli(['critical-path', 'aaaa', '--width', '120', F]);
    expect(r.code).toBe(0);
    expectGolden(r.stdout, 'critical-path-overlapping');
    const j = await cp('aaaa');
    expect(sections(j, T0)).toEqual([
      ['s-a1', 0, 30],
      ['s-a4', 30, 40],
      ['s-a5', 40, 85],
      ['s-a4', 85, 90],
      ['s-a1', 90, 100],
    ]);
    expect(totals(j)).toEqual([
      ['s-a5', 45],
      ['s-a1', 40],
      ['s-a4', 15],
    ]);
    expect(j).toMatchObject({ traceId: 'aaaa0000000000000000000000000001', rootSpanId: 's-a1', roots: 1, pathUs: 100 * ms, durationUs: 100 * ms, leftOut: { async: 0, outsideParent: 0 } });
    expect(j.sections[2]).toEqual({ index: 3, spanId: 's-a5', service: 'db', operation: 'INSERT', from: '2024-05-01T10:00:00.040000Z', fromUs: T0 + 40 * ms, toUs: T0 + 85 * ms, offsetUs: 40 * ms, lengthUs: 45 * ms });
  });

  it('B: touching siblings; a child outliving its parent is async, as tree shows it, and left out; --adjust-skew moves it inside', async () => {
    const T = T0 + 1000 * ms;
    const j = await cp('bbbb');
    expect(sections(j, T)).toEqual([
      ['s-b1', 0, 20],
      ['s-b3', 20, 35],
      ['s-b1', 35, 50],
    ]);
    expect(totals(j)).toEqual([
      ['s-b1', 35],
      ['s-b3', 15],
    ]);
    expect(j).toMatchObject({ pathUs: 50 * ms, durationUs: 70 * ms, leftOut: { async: 1, outsideParent: 0 } });
    const tree = await runCli(['tree', 'bbbb', F]);
    expect(tree.stdout).toMatch(/s-b4.*↷ async|mail send.*↷ async/);
    const adjusted = await cp('bbbb', '--adjust-skew');
    expect(sections(adjusted, T)).toEqual([
      ['s-b1', 0, 10],
      ['s-b4', 10, 40],
      ['s-b1', 40, 50],
    ]);
    expect(totals(adjusted)).toEqual([
      ['s-b4', 30],
      ['s-b1', 20],
    ]);
    expect(adjusted.durationUs).toBe(50 * ms);
  });

  it('C: an async subtree is left out (golden text and JSON)', async () => {
    const r = await runCli(['critical-path', 'cccc', '--width', '120', F]);
    expectGolden(r.stdout, 'critical-path-async');
    const j = await cp('cccc');
    expect(sections(j, T0 + 2000 * ms)).toEqual([
      ['s-c1', 0, 2],
      ['s-c2', 2, 10],
      ['s-c1', 10, 12],
      ['s-c3', 12, 14],
      ['s-c1', 14, 30],
    ]);
    expect(totals(j)).toEqual([
      ['s-c1', 20],
      ['s-c2', 8],
      ['s-c3', 2],
    ]);
    expect(j.leftOut).toEqual({ async: 2, outsideParent: 0 });
    expect(j).toMatchObject({ pathUs: 30 * ms, durationUs: 80 * ms });
  });

  it('D: several roots: the one naming no parent is followed (as slowest and group name it), and the text says so', async () => {
    // d1 0-40 > d2 5-35 > d3 10-30: d1 0-5, d2 5-10, d3 10-30, d2 30-35, d1 35-40; d4 (longer, but its
    // parent s-d0 is missing) is not on it.
    const j = await cp('dddd');
    expect(j).toMatchObject({ rootSpanId: 's-d1', roots: 2, pathUs: 40 * ms, durationUs: 120 * ms });
    expect(sections(j, T0 + 3000 * ms)).toEqual([
      ['s-d1', 0, 5],
      ['s-d2', 5, 10],
      ['s-d3', 10, 30],
      ['s-d2', 30, 35],
      ['s-d1', 35, 40],
    ]);
    const r = await runCli(['critical-path', 'dddd', '--width', '120', F]);
    expect(r.stdout).toContain('the trace has 2 roots');
    expect(r.stderr).toContain('parent s-d0 of span s-d4 is not in the trace');
    const slow = (await runCli(['slowest', '--json', F])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { traceId: string; rootOperation: string });
    const group = (await runCli(['group', '--json', F])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { traceId: string; root: string });
    expect(slow.find((x) => x.traceId.startsWith('dddd'))?.rootOperation).toBe('GET /search');
    expect(group.find((x) => x.traceId.startsWith('dddd'))?.root).toBe('GET /search');
  });

  it('D: --root follows another root, or the subtree of any span', async () => {
    const j = await cp('dddd', '--root', 's-d4');
    expect(j).toMatchObject({ rootSpanId: 's-d4', roots: 2, pathUs: 70 * ms, durationUs: 120 * ms });
    expect(sections(j, T0 + 3000 * ms)).toEqual([['s-d4', 50, 120]]);
    const sub = await cp('dddd', '--root', 'S-D2'); // any case, as ids are typed
    expect(sub).toMatchObject({ rootSpanId: 's-d2', roots: 2, pathUs: 30 * ms });
    expect(sections(sub, T0 + 3000 * ms)).toEqual([
      ['s-d2', 5, 10],
      ['s-d3', 10, 30],
      ['s-d2', 30, 35],
    ]);
    const text = await runCli(['critical-path', 'dddd', '--root', 's-d4', '--width', '120', F]);
    expect(text.stdout).toContain('the path follows --root s-d4 (one of 2 roots); spans outside its subtree are not on it');
    expect(text.stdout).not.toContain('the path follows the earliest');
  });

  it('--root: exit 1 for a span not in the trace (its roots listed), 2 for an ambiguous prefix', async () => {
    const none = await runCli(['critical-path', 'dddd', '--root', 'nope', F]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no span 'nope' in trace dddd0000000000000000000000000004; its roots:\n  s-d1  web GET /search\n  s-d4  search reindex\n");
    const many = await runCli(['critical-path', 'dddd', '--root', 's-d', F]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain("--root 's-d' matches 4 spans");
  });

  it('exit 1 for an unknown id, 2 for a missing argument or file', async () => {
    const unknown = await runCli(['critical-path', '1234', F]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no trace id starts with '1234'");
    expect((await runCli(['critical-path'])).code).toBe(2);
    expect((await runCli(['critical-path', 'aaaa', 'fixtures/analyses/no-such-file.jsonl'])).code).toBe(2);
  });

  it('--help shows examples', async () => {
    const r = await runCli(['critical-path', '--help']);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--adjust-skew');
  });

  it('colours the critical sections with --color always; log text stays escaped', async () => {
    const r = await runCli(['critical-path', 'aaaa', '--color', 'always', '--width', '120', F]);
    expect(r.stdout).toContain('\u001b[1m\u001b[31m█'); // bold red: on the path
    const h = await runCli(['critical-path', 'ffff', '--color', 'always', HOSTILE]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(h.stdout).not.toMatch(/\u001b\]0;|\u0007|\u202e/);
  });
});
