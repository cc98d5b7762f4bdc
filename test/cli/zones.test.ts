// A line whose own time has no offset, read as UTC, lies a whole zone off when its service logs local time
// (Python's asctime in TZ=America/New_York); its envelope (CRI, docker, kubectl --timestamps) holds the UTC
// moment, which is then the line's time, and the report says so once per service (D133).
//
// fixtures/zones/pods (README): payments 5 h behind UTC in its own times, the envelopes exact.
//
//   gateway   POST /checkout  |0==========================100|
//   orders    creating order     |10===================90|
//   payments  charging card          |20========80|  ✗ (read as UTC: 5 h before gateway)
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

const PODS = fixture('zones/pods');
const NOTE = "tracectl: note: payments times read as UTC−5 (no offset in the line; the container runtime's time used: 6 lines)";

describe('a service logging local time without an offset (D133)', () => {
  it('is read at its envelopes\' times: durations, roots and origins as the truth says, and a note', async () => {
    const slowest = await runCli(['slowest', '--json', PODS]);
    const rows = slowest.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; durationUs: number; rootService: string; rootOperation: string });
    const byId = Object.fromEntries(rows.map((r) => [r.traceId.slice(0, 4), [r.durationUs, r.rootService, r.rootOperation]]));
    expect(byId).toEqual({
      cccc: [100_000, 'gateway', 'POST /checkout'],
      '4bf9': [100_000, 'gateway', 'POST /checkout'],
      '0af7': [300_000, 'gateway', 'POST /checkout'],
    });
    expect(slowest.stderr).toContain(NOTE);
    const errors = await runCli(['errors', '--json', '-q', PODS]);
    const origins = errors.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { origin: { service: string } }).origin.service);
    expect(origins).toEqual(['payments', 'payments']);
  });

  it('a time with an offset, or within a few seconds of its envelope, stands as written', async () => {
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    const stdin = [
      // kubectl --timestamps: the line's own time in +01:00 is the same moment.
      `2026-12-08T01:00:00.010000000Z {"time":"2026-12-08T02:00:00.000+01:00","service":"gateway","trace_id":"${T}","span_id":"00f067aa0ba902b7","msg":"POST /checkout"}`,
      // Two seconds behind its envelope (a slow pipe): the line's own time.
      `2026-12-08T01:00:02.100000000Z {"time":"2026-12-08 01:00:00.100","service":"gateway","trace_id":"${T}","span_id":"00f067aa0ba902b7","msg":"done"}`,
      // Docker json-file: local time 9 h ahead of UTC (Asia/Tokyo).
      `{"log":"{\\"time\\":\\"2026-12-08 10:00:00.050\\",\\"service\\":\\"orders\\",\\"trace_id\\":\\"${T}\\",\\"span_id\\":\\"1111111111111111\\",\\"msg\\":\\"creating order\\"}\\n","stream":"stdout","time":"2026-12-08T01:00:00.050200000Z"}`,
    ].join('\n') + '\n';
    const tree = await runCli(['tree', T, '--json'], { stdin });
    type Node = { service: string; offsetUs: number; durationUs: number; children: Node[] };
    const root = (JSON.parse(tree.stdout) as { roots: Node[] }).roots[0]!;
    expect([root.service, root.offsetUs, root.durationUs]).toEqual(['gateway', 0, 100_000]);
    expect(root.children.map((c) => [c.service, c.offsetUs])).toEqual([['orders', 50_200]]);
    expect(tree.stderr).toContain("tracectl: note: orders times read as UTC+9 (no offset in the line; the container runtime's time used: 1 line)");
    expect(tree.stderr).not.toContain('gateway times');
  });
});
