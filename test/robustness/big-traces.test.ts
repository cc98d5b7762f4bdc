// Issue 6, sizes: a chain 1,000,000 deep through the real binary, 100,000 siblings in-process, and
// many traces in one table. Each once: they are about scale, not variety.
import { createWriteStream, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { parseAccount } from './gen.js';
import { exited, spawnTracectl } from './process.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-big-'));
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const id = (i: number) => (i + 1).toString(16).padStart(16, '0');
const BASE = 1714557610000000;

describe('big traces (issue 6)', () => {

  it('a parent chain 1,000,000 deep: `tree --json` writes every span once, nested, without overflowing', async () => {
    const N = 1_000_000;
    const file = join(dir, 'chain.log');
    const w = createWriteStream(file);
    for (let i = 0; i < N; i += 10_000) {
      let chunk = '';
      for (let k = i; k < i + 10_000; k++) chunk += `{"trace_id":"${T}","span_id":"${id(k)}"${k ? `,"parent_span_id":"${id(k - 1)}"` : ''},"ts":${BASE + k}}\n`;
      if (!w.write(chunk)) await once(w, 'drain');
    }
    w.end();
    await once(w, 'close');
    const child = spawnTracectl(['tree', '4bf92f35', '--json', file]);
    const done = exited(child);
    // Count spans and the deepest depth as the output streams by, without holding 250 MB of JSON.
    let spans = 0;
    let maxDepth = -1;
    let carry = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = carry + d.toString();
      const cut = text.lastIndexOf('"spanId"');
      const whole = cut < 0 ? '' : text.slice(0, cut);
      carry = cut < 0 ? text : text.slice(cut);
      for (const m of whole.matchAll(/"spanId":"[0-9a-f]+".*?"depth":(\d+)/g)) {
        spans++;
        maxDepth = Math.max(maxDepth, Number(m[1]));
      }
    });
    const r = await done;
    for (const m of carry.matchAll(/"spanId":"[0-9a-f]+".*?"depth":(\d+)/g)) {
      spans++;
      maxDepth = Math.max(maxDepth, Number(m[1]));
    }
    expect(r.code, r.stderr).toBe(0);
    expect(parseAccount(r.stderr)).toMatchObject({ read: N, used: N });
    expect(spans).toBe(N);
    expect(maxDepth).toBe(N - 1);
  }, 90_000);

  it('100,000 siblings: tree collapses the run, timeline and critical-path draw them, every line counted', async () => {
    const N = 100_000;
    let input = `{"trace_id":"${T}","span_id":"${id(0)}","ts":${BASE},"msg":"root"}\n{"trace_id":"${T}","span_id":"${id(0)}","ts":${BASE + 2 * N},"msg":"root done"}\n`;
    for (let k = 1; k <= N; k++) input += `{"trace_id":"${T}","span_id":"${id(k)}","parent_span_id":"${id(0)}","ts":${BASE + k},"duration_us":1,"service":"db","msg":"SELECT"}\n`;
    const tree = await runCli(['tree', '4bf92f35'], { stdin: input });
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/100,?001 spans|100001 spans/);
    expect(tree.stdout).toMatch(/… 99997 more db SELECT/);
    expect(parseAccount(tree.stderr)).toMatchObject({ read: N + 2, used: N + 2 });
    const json = await runCli(['timeline', '4bf92f35', '--json'], { stdin: input });
    expect((JSON.parse(json.stdout) as { spanList: unknown[] }).spanList).toHaveLength(N + 1);
    const cp = await runCli(['critical-path', '4bf92f35'], { stdin: input });
    expect(cp.code, cp.stderr).toBe(0);
  }, 60_000);

  // Regression: cli-table3's layout is quadratic in rows; `group` on 40,000 traces once spent ~4 minutes
  // drawing its table (found by this suite; fixed in src/render/table.ts). The timeout stands for "hangs".
  it('group draws a table of 12,000 traces without hanging', async () => {
    let input = '';
    for (let k = 0; k < 12_000; k++) input += `{"trace_id":"${(k + 1).toString(16).padStart(32, '0')}","span_id":"${id(k)}","ts":${BASE + k},"msg":"GET /"}\n`;
    const r = await runCli(['group'], { stdin: input });
    expect(r.stdout.split('\n')).toHaveLength(12_002);
  }, 5_000);
});
