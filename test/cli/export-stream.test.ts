// export on the completion path: on one source, a trace complete by --trace-timeout is exported while
// reading goes on and its lines are let go; a line that comes after is late (counted, left out), as in the
// other whole-trace commands. fixtures/live/late-callback.jsonl: trace A (10:00:00.0–0.1) gets a worker
// callback line at 10:00:12.5; B at 10:00:03; C at 10:00:12 (fixtures/live/README.md).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

const LATE = fixture('live/late-callback.jsonl');
const A = '4bf92f3577b34da6a3ce929d0e0e4736';
const B = '00f067aa0ba902b700f067aa0ba902b7';

interface Req {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { traceId: string; name: string }[] }[] }[];
}
const lines = (out: string): Req[] => out.trim().split('\n').map((l) => JSON.parse(l) as Req);
const traceOf = (r: Req): string => r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId;
const servicesOf = (r: Req): string[] => r.resourceSpans.map((rs) => String(rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue)).sort();

describe('export --trace-timeout', () => {
  it('exports a trace once complete; its late line is counted and left out', async () => {
    const whole = await runCli(['export', '--threads', '1', '--trace-timeout', 'none', LATE]);
    const early = await runCli(['export', '--threads', '1', '--trace-timeout', '5s', LATE]);
    expect(whole.code).toBe(0);
    expect(early.code).toBe(0);
    const a = (out: string): Req => lines(out).find((r) => traceOf(r) === A)!;
    expect(servicesOf(a(whole.stdout))).toEqual(['api', 'db', 'worker']);
    expect(servicesOf(a(early.stdout))).toEqual(['api', 'db']); // the worker's callback came 12.4 s later
    expect(early.stderr).toContain('1 late line (of used)');
    expect(whole.stderr).not.toContain('late');
    // B and C are whole either way, and the traces keep their first-seen order.
    expect(lines(early.stdout).map(traceOf)).toEqual(lines(whole.stdout).map(traceOf));
    const b = (out: string): string => JSON.stringify(lines(out).find((r) => traceOf(r) === B));
    expect(b(early.stdout)).toBe(b(whole.stdout));
  });

  it('gives the output of reading to the end when every trace is shorter than the timeout', async () => {
    const whole = await runCli(['export', '--threads', '1', '--trace-timeout', 'none', '-q', LATE]);
    const timed = await runCli(['export', '--threads', '1', '--trace-timeout', '20s', '-q', LATE]);
    expect(timed.stdout).toBe(whole.stdout);
    const demo = fixture('demo/checkout.log');
    expect((await runCli(['export', '--format', 'jaeger', '--trace-timeout', '1s', '-q', demo])).stdout).toBe((await runCli(['export', '--format', 'jaeger', '--trace-timeout', 'none', '-q', demo])).stdout);
  });

  it('applies --where as the other many-trace commands do', async () => {
    const demo = fixture('demo/checkout.log');
    const r = await runCli(['export', '--where', 'service=payments', '--where', 'level>=error', demo]);
    const g = await runCli(['group', '--json', '--where', 'service=payments', '--where', 'level>=error', demo]);
    const ids = g.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { traceId: string }).traceId);
    expect(ids).toHaveLength(4); // the 4 checkouts that fail in payments (fixtures/demo/README.md)
    expect(lines(r.stdout).map(traceOf).sort()).toEqual(ids.sort());
  });

  it('a bad --since is a usage error before -o creates the file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tracectl-export-')), 'out.json');
    const r = await runCli(['export', '--since', 'garbage', '-o', out, fixture('demo/checkout.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--since: cannot read 'garbage' as a time");
    expect(existsSync(out)).toBe(false);
  });
});

