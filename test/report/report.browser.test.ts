import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/**
 * `tracectl report` opened in a real browser: Debian's chromium (`.ci/run` installs it; CHROMIUM_PATH
 * overrides), driven by playwright-core. The expected rows, spans, paths and lines come from the other
 * commands' JSON on the same input: the page must show what the CLI says.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEMO = 'fixtures/demo/checkout.log';
const HOSTILE = 'fixtures/report/hostile.log';
const dir = mkdtempSync(join(tmpdir(), 'tracectl-report-'));
let browser: Browser;

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

async function open(input: string, extra: string[] = [], stdin?: string): Promise<Opened> {
  const file = join(dir, `${input.replace(/\W/g, '_')}${extra.join('_')}.html`);
  const r = await runCli(['report', input, '-o', file, ...extra], stdin === undefined ? {} : { stdin });
  expect(r.code, r.stderr).toBe(0);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('.trace-row');
  return { page, problems, requests };
}

const json = async (argv: string[]): Promise<unknown[]> =>
  (await runCli([...argv, '--json']))
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});

describe('tracectl report in a browser', () => {
  it('lists every trace, sorts by a column and filters, with no console error and no request', async () => {
    const { page, problems, requests } = await open(DEMO);
    const group = (await json(['group', DEMO])) as { traceId: string; startUs: number }[];
    const rowIds = async (): Promise<string[]> => page.locator('.trace-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')!));
    expect((await rowIds()).sort()).toEqual(group.map((g) => g.traceId).sort());
    const slowest = (await json(['slowest', '--top', '20', DEMO])) as { traceId: string }[];
    expect(await rowIds()).toEqual(slowest.map((s) => s.traceId)); // by duration, longest first, as slowest ranks them
    await page.click('[data-sort="start"]');
    const byStart = [...group].sort((a, b) => a.startUs - b.startUs || (a.traceId < b.traceId ? -1 : 1)).map((g) => g.traceId);
    expect(await rowIds()).toEqual(byStart);
    await page.click('[data-sort="start"]');
    expect(await rowIds()).toEqual([...byStart].reverse());
    await page.fill('.filter', group[3]!.traceId.slice(0, 10));
    expect(await rowIds()).toEqual([group[3]!.traceId]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([page.url()]);
    await page.close();
  });

  it('a trace opens as a waterfall: a bar per span in tree order, the critical path marked, a span\'s lines in its details', async () => {
    const { page, problems, requests } = await open(DEMO);
    const failing = ((await json(['errors', DEMO])) as { traceId: string }[])[0]!.traceId;
    await page.click(`[data-trace-id="${failing}"]`);
    await page.waitForSelector('.span-row');
    const tree = (await json(['tree', failing, '--logs', DEMO]))[0] as { roots: Node[] };
    interface Node { spanId: string; operation: string; events: { message: string }[]; children: Node[] }
    const order: Node[] = [];
    const walk = (n: Node): void => {
      order.push(n);
      n.children.forEach(walk);
    };
    tree.roots.forEach(walk);
    const ops = await page.locator('.span-row .op').allTextContents();
    expect(ops.map((o) => o.trim())).toEqual(order.map((n) => n.operation));
    expect(await page.locator('.span-row .bar').count()).toBe(order.length);
    const path = (await json(['critical-path', failing, DEMO]))[0] as { perSpan: { spanId: string }[] };
    const critical = await page.locator('.span-row.critical').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-span'))));
    expect(critical.map((k) => order[k]!.spanId).sort()).toEqual(path.perSpan.map((p) => p.spanId).sort());
    await page.locator('.span-row').first().click();
    const lines = await page.locator('.details .log .msg').allTextContents();
    expect(lines).toEqual(order[0]!.events.map((e) => e.message));
    // A line's other fields follow it, secret-looking ones redacted (`tree --logs` shows the same).
    expect(await page.locator('.details .log .fields').allTextContents()).toContain('items=4 user.id=u_42 user.password=[REDACTED]');
    await page.screenshot({ path: screenshotPath('report-waterfall.png') });
    // Collapse the root: only it stays; double-click zooms the axis to a span.
    await page.locator('.span-row').first().locator('.toggle').click();
    expect(await page.locator('.span-row').count()).toBe(1);
    await page.locator('.span-row').first().locator('.toggle').click();
    const firstTick = await page.locator('.tick').first().textContent();
    await page.locator('.span-row').nth(3).dblclick();
    expect(await page.locator('.tick').first().textContent()).not.toBe(firstTick);
    expect(problems).toEqual([]);
    expect(requests).toEqual([page.url().replace(/#.*$/, '')]);
    await page.close();
  });

  it('errors, latency and the service map pages show what the commands say', async () => {
    const { page, problems } = await open(DEMO);
    await page.click('[data-tab="errors"]');
    const summary = (await json(['errors', '--summary', DEMO])) as { count: number; service: string }[];
    const firstCells = await page.locator('.errors .grid tr:nth-child(2) td').allTextContents();
    expect(firstCells.slice(0, 3)).toEqual([String(summary[0]!.count), expect.any(String), summary[0]!.service]);
    await page.click('[data-tab="latency"]');
    const latency = (await json(['latency', '--by', 'service', DEMO])) as { service: string; count: number }[];
    const rows = await page.locator('.latency .grid').first().locator('tr').evaluateAll((trs) => trs.slice(1).map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]));
    expect(rows).toEqual(latency.map((r) => [r.service, String(r.count)]));
    await page.click('[data-tab="services"]');
    expect(await page.locator('svg.map .node').count()).toBe(3);
    expect(await page.locator('svg.map .edge').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('report-services.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('thousands of traces and spans: only the rows in view are in the page', async () => {
    // 3,000 traces of one span, and one trace of a root with 5,000 children (span records).
    const lines: string[] = [];
    const base = Date.UTC(2025, 2, 14, 9, 25);
    for (let i = 0; i < 3000; i++) lines.push(JSON.stringify({ traceId: (i + 1).toString(16).padStart(32, '0'), spanId: 'a'.repeat(16), name: `op-${i}`, serviceName: 'svc', startTime: base + i, endTime: base + i + 1 + (i % 97) }));
    const big = 'f'.repeat(32);
    lines.push(JSON.stringify({ traceId: big, spanId: '1'.repeat(16), name: 'root', serviceName: 'svc', startTime: base, endTime: base + 100000 }));
    for (let i = 0; i < 5000; i++) lines.push(JSON.stringify({ traceId: big, spanId: (i + 2).toString(16).padStart(16, '0'), parentSpanId: '1'.repeat(16), name: `child-${i}`, serviceName: 'svc', startTime: base + i * 10, endTime: base + i * 10 + 5 }));
    const { page, problems } = await open('-', ['--limit', '5000'], lines.join('\n') + '\n');
    expect(await page.locator('.count').textContent()).toBe('3001 of 3001');
    expect(await page.locator('.trace-row').count()).toBeLessThan(80);
    await page.locator('.traces .vlist').evaluate((e) => (e.scrollTop = e.scrollHeight));
    await page.waitForFunction(() => document.querySelector('.trace-row[data-trace-id="00000000000000000000000000000001"]') !== null);
    await page.fill('.filter', 'ffff');
    await page.click(`[data-trace-id="${big}"]`);
    await page.waitForSelector('.span-row');
    expect(await page.locator('.span-row').count()).toBeLessThan(80);
    await page.locator('.waterfall .vlist').evaluate((e) => (e.scrollTop = e.scrollHeight));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.span-row .op')).some((e) => e.textContent === ' child-4999'));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('hostile log text is shown as text and never runs', async () => {
    const { page, problems, requests } = await open(HOSTILE);
    await page.locator('.trace-row').first().click();
    await page.waitForSelector('.span-row');
    await page.locator('.span-row').first().click();
    for (const tab of ['errors', 'latency', 'services', 'traces']) await page.click(`[data-tab="${tab}"]`);
    await page.locator('.trace-row').first().click();
    await page.locator('.span-row').first().click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const text = await page.locator('body').innerText();
    expect(text).toContain('<img src=x onerror="window.__pwned=1">');
    expect(text).toContain('</script><script>window.__pwned=1</script> and <img src=x onerror=window.__pwned=1>');
    expect(text).toContain('<svg onload=window.__pwned=1>');
    expect(text).toContain('javascript:window.__pwned=1');
    expect(await page.locator('img, iframe, a, main script, main style').count()).toBe(0);
    const handlers = await page.evaluate(() => Array.from(document.querySelectorAll('*')).flatMap((e) => Array.from(e.attributes).filter((a) => a.name.startsWith('on')).map((a) => a.name)));
    expect(handlers).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([page.url().replace(/#.*$/, '')]);
    await page.close();
  });
});

/** Screenshots for a person to look at, written by every run and never committed (test/out is ignored). */
function screenshotPath(name: string): string {
  const out = new URL('../out/', import.meta.url).pathname;
  mkdirSync(out, { recursive: true });
  return join(out, name);
}
