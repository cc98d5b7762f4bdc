import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashOf, scriptSafeJson } from '../../src/render/report/report-html.js';
import type { ReportData } from '../../src/render/report/report-data.js';
import { runCli } from '../cli/run-cli.js';

/** The report file as bytes: one page, its CSP, its data (the browser tests are report.browser.test.ts). */
const DEMO = 'fixtures/demo/checkout.log';
const HOSTILE = 'fixtures/report/hostile.log';

async function reportOf(args: string[]): Promise<{ html: string; code: number; stderr: string }> {
  const r = await runCli(['report', ...args]);
  return { html: r.stdout, code: r.code, stderr: r.stderr };
}

function dataOf(html: string): ReportData {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]!) as ReportData;
}

describe('tracectl report: error paths', () => {
  it('says of an origin its caller gave up on that it was still running, as errors does (D126)', async () => {
    // fixtures/proxy-timeout: nginx's 504 at 60 s while the API ran on 5.31 s (test/cli/proxy-timeout.test.ts).
    const data = dataOf((await reportOf(['fixtures/proxy-timeout', '-q'])).html);
    const messages = data.traces.flatMap((t) => t.errorPaths.map((p) => p.message));
    expect(messages).toContain('still running 5.31s after edge (no span id) failed (HTTP 504)');
  });
});

describe('tracectl report: the file', () => {
  it('is one page whose CSP allows exactly its own inline script and style, by hash, and no network', async () => {
    const { html, code } = await reportOf([DEMO]);
    expect(code).toBe(0);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${hashOf(script)}`);
    expect(csp).toContain(`style-src ${hashOf(style)}`);
    expect(csp).toContain("connect-src 'none'");
    expect(html.match(/<script/g)).toHaveLength(2); // the data block and the page's script
    expect(html).not.toMatch(/\s(src|href)=/);
  });

  it('holds every matching trace with its spans, and the analyses over all of them', async () => {
    const { html } = await reportOf([DEMO]);
    const data = dataOf(html);
    const group = (await runCli(['group', '--json', DEMO])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; spans: number });
    expect(data.matched).toBe(group.length);
    expect(data.traces.map((t) => t.id).sort()).toEqual(group.map((g) => g.traceId).sort());
    for (const t of data.traces) expect(t.spans).toHaveLength(group.find((g) => g.traceId === t.id)!.spans);
    const slowest = JSON.parse((await runCli(['slowest', '--top', '1', '--json', DEMO])).stdout) as { traceId: string };
    expect(data.traces[0]!.id).toBe(slowest.traceId); // sorted by duration, longest first
    const summary = (await runCli(['errors', '--summary', '--json', DEMO])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { count: number });
    expect(data.errors.map((g) => g.count)).toEqual(summary.map((g) => g.count));
    expect(data.serviceMap.edges.map((e) => `${e.from}>${e.to}:${e.calls}`)).toEqual(['gateway>orders:20', 'orders>payments:20']);
  });

  it('marks spans whose parent was inferred from timing, as `tree` does', async () => {
    const inputs = ['gateway.log', 'orders.log', 'payments.log', 'db.log'].map((f) => `fixtures/logs-only/${f}`);
    const data = dataOf((await reportOf(inputs)).html);
    const tree = JSON.parse((await runCli(['tree', data.traces[0]!.id, '--json', ...inputs])).stdout) as { parentsInferred?: { count: number } };
    const marked = data.traces[0]!.spans.filter((s) => s.marks.includes('≈ parent inferred from timing')).length;
    expect(marked).toBeGreaterThan(0);
    expect(marked).toBe(tree.parentsInferred?.count);
  });

  it('--limit keeps the first traces by --sort and says how many were left out', async () => {
    const data = dataOf((await reportOf(['--limit', '3', '--sort', 'start', DEMO])).html);
    expect(data.traces).toHaveLength(3);
    expect(data.leftOut).toBe(data.matched - 3);
    const starts = data.traces.map((t) => t.start);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const group = (await runCli(['group', '--json', '--sort', 'start', '--limit', '3', DEMO])).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { traceId: string }).traceId);
    expect(data.traces.map((t) => t.id)).toEqual(group);
  });

  it('the data cannot close its element: every <, > and & in log text is a \\u escape', async () => {
    const { html } = await reportOf([HOSTILE]);
    const block = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toMatch(/[<>&]/);
    expect(JSON.stringify(dataOf(html))).toContain('</script><script>window.__pwned=1</script>');
    expect(scriptSafeJson({ a: '</script>\u2028' })).toBe('{"a":"\\u003c/script\\u003e\\u2028"}');
  });

  it('-o writes the file; an unwritable path is exit 2; nothing matched is exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracectl-report-'));
    const out = join(dir, 'r.html');
    const ok = await runCli(['report', DEMO, '-o', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toContain(`report of 20 traces written to ${out}`);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
    const bad = await runCli(['report', DEMO, '-o', join(dir, 'missing', 'r.html')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot write .*r\.html/);
    const none = await runCli(['report', DEMO, '--service', 'nope', '-o', out]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no trace has a span of service nope');
    expect((await runCli(['report', DEMO, '--sort', 'bogus'])).code).toBe(2);
  });

  it("shows each trace's id short, as a prefix no other listed trace shares", async () => {
    // Datadog's 128-bit ids: the first 16 digits are a second and zeros, the same for every trace of it.
    const dd = dataOf((await reportOf(['fixtures/lines/datadog-128.log'])).html).traces;
    expect(dd.length).toBeGreaterThan(1);
    for (const t of dd) {
      expect(t.id.startsWith(t.shortId)).toBe(true);
      expect(dd.filter((u) => u.id.startsWith(t.shortId))).toEqual([t]);
    }
    // A 64-bit Zipkin id, padded to 128 bits, shows as the 64-bit id, not as its zeros.
    const zipkin = dataOf((await reportOf(['fixtures/peer/zipkin/zipkin-lens/testdata/messaging-kafka.json'])).html).traces;
    expect(zipkin.map((t) => [t.id, t.shortId])).toEqual([['00000000000000000562809467078eab', '0562809467078eab']]);
  });

  it('to a terminal without -o it writes nothing and says how (exit 2); piped, it writes the page', async () => {
    const tty = await runCli(['report', DEMO], { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stdout).toBe('');
    expect(tty.stderr).toContain('report writes an HTML page: give -o FILE');
    const piped = await runCli(['report', DEMO]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^<!doctype html>/);
  });
});
