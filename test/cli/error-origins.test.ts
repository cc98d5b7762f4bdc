// tracectl errors on fixtures/origins: 24 checkouts through gateway -> orders -> payments with failures
// planted where truth.json says (fixtures/origins/README.md). Every failure shows as an error line in the
// service where it started and then as errors up the chain (the symptom), so only the rule of
// analyze/error-paths.ts picks the right one:
//
//   gateway  POST /checkout  |0============================3018|  ✗ "upstream orders returned 502" at 3015
//   orders   create order     |3.5=======================3015|    ✗ "payment call failed: 502"     at 3014
//   payments charge card        |9.25================3009|        ✗ "card gateway timeout ..."     at 3009  <- origin
//
// and one "late" checkout where orders' client gives up at 2 s, before payments fails at 5 s: the structure
// (parent ids, span records) names payments; with a trace id only, orders' error line came first.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const DIR = 'fixtures/origins';
const LOGS = `${DIR}/checkout.log`;
const TRACE_ONLY = `${DIR}/checkout-trace-only.log`;
const SPANS = `${DIR}/checkout.spans.jsonl`;

interface Truth {
  traceId: string;
  origin?: string;
  originTraceIdOnly?: string;
  firstError?: string;
  firstErrorTraceIdOnly?: string;
}
const truth = (JSON.parse(readFileSync(`${DIR}/truth.json`, 'utf8')) as Truth[]).filter((t) => t.origin !== undefined);

async function origins(files: string[]): Promise<Map<string, { service: string; errorAt: string }>> {
  const r = await runCli(['errors', '--json', '-q', ...files]);
  expect(r.code).toBe(0);
  const out = new Map<string, { service: string; errorAt: string }>();
  for (const line of r.stdout.trim().split('\n')) {
    const o = JSON.parse(line) as { traceId: string; origin: { service: string; errorAt: string } };
    expect(out.has(o.traceId)).toBe(false); // one line, one origin, per failing trace
    out.set(o.traceId, { service: o.origin.service, errorAt: o.origin.errorAt });
  }
  return out;
}

describe('errors: the origin is where the failure started', () => {
  it('has nine planted failures to find', () => {
    expect(truth).toHaveLength(9);
  });

  it.each([
    { name: 'logs with parent ids', files: [LOGS], traceIdOnly: false },
    { name: 'span records', files: [SPANS], traceIdOnly: false },
    { name: 'logs and span records', files: [SPANS, LOGS], traceIdOnly: false },
    { name: 'logs with a trace id only', files: [TRACE_ONLY], traceIdOnly: true },
  ])('$name: errors --json names each planted origin and no other trace', async ({ files, traceIdOnly }) => {
    const got = await origins(files);
    const want = new Map(truth.map((t) => [t.traceId, traceIdOnly ? t.originTraceIdOnly! : t.origin!]));
    expect(new Map([...got].map(([id, o]) => [id, o.service]))).toEqual(want);
  });

  it('the origin failed at its first error line', async () => {
    const got = await origins([LOGS]);
    for (const t of truth) expect(got.get(t.traceId)?.errorAt, t.traceId).toBe(t.firstError);
    const flat = await origins([TRACE_ONLY]);
    for (const t of truth) expect(flat.get(t.traceId)?.errorAt, t.traceId).toBe(t.firstErrorTraceIdOnly ?? t.firstError);
  });

  it.each([[LOGS], [TRACE_ONLY]])('errors --summary on %s leads with the most frequent true origin, seen at its error lines', async (file) => {
    const r = await runCli(['errors', '--summary', '--json', '-q', file]);
    const groups = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { service: string; count: number; firstSeen: string; lastSeen: string });
    const flat = file === TRACE_ONLY;
    const originOf = (t: Truth) => (flat ? t.originTraceIdOnly! : t.origin!);
    const errorOf = (t: Truth) => (flat ? (t.firstErrorTraceIdOnly ?? t.firstError!) : t.firstError!);
    const counts = new Map<string, number>();
    for (const t of truth) counts.set(originOf(t), (counts.get(originOf(t)) ?? 0) + 1);
    const [service, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    expect([groups[0]!.service, groups[0]!.count]).toEqual([service, count]); // payments: 6, or 5 with a trace id only
    expect(groups.filter((g) => g.service === 'gateway').map((g) => g.count)).toEqual([1]); // the symptom is no origin
    const times = truth.filter((t) => originOf(t) === service).map(errorOf).sort();
    expect([groups[0]!.firstSeen, groups[0]!.lastSeen]).toEqual([times[0], times[times.length - 1]]);
  });

  it('errors --summary text: FIRST SEEN is the first error line, the gateway only where it started', async () => {
    const r = await runCli(['errors', '--summary', '-q', LOGS], { columns: 200 });
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').slice(1, 4).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((c) => [c[0], c[2], c[4]])).toEqual([
      ['6', 'payments', '2025-03-14T09:25:18.631Z'],
      ['2', 'orders', '2025-03-14T09:25:52.838Z'],
      ['1', 'gateway', '2025-03-14T09:27:22.812Z'],
    ]);
  });
});
