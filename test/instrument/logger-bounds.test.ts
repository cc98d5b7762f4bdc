// Issue 30, item 13: whatever the data, the logger writes a line, in bounded time and size, with a
// visible marker where it cut, and tracectl reads that line.
import { describe, expect, it } from 'vitest';
import { runWithContext, TracedLogger } from '../../src/instrument/index.js';
import { MAX_LINE_BYTES } from '../../src/instrument/logger.js';
import { runCli } from '../cli/run-cli.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const trace = { traceId: T, spanId: '00f067aa0ba902b7', parentSpanId: undefined, serviceName: 'orders', sampled: true };

function capture() {
  const lines: string[] = [];
  const log = new TracedLogger({ sink: (l) => lines.push(l) });
  const write = (message: string, data: unknown) => runWithContext({ trace }, () => log.info(message, data));
  return { log, lines, write, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The messages tracectl shows on the trace's span, from the lines as a log file. */
async function readBack(lines: string[]): Promise<string[]> {
  const r = await runCli(['tree', T, '--json', '--logs', '-q'], { stdin: lines.join('\n') + '\n' });
  expect(r.code).toBe(0);
  const tree = JSON.parse(r.stdout) as { roots: { events: { message: string }[] }[] };
  return tree.roots.flatMap((n) => n.events.map((e) => e.message));
}

describe('issue 30 item 13: the logger bounds its work and its output, and never drops a line unsaid', () => {
  it('a Proxy whose getPrototypeOf throws, as the data or inside it', async () => {
    const hostile = new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } });
    const { lines, parsed, write } = capture();
    write('proxy as data', hostile);
    write('proxy inside', { ok: 1, hostile });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    write('revoked proxy', revoked.proxy);
    expect(parsed().map((l) => [l.message, l.attrs])).toEqual([
      ['proxy as data', { value: '[Unserializable]' }],
      ['proxy inside', { ok: 1, hostile: '[Unserializable]' }],
      ['revoked proxy', '[Unserializable]'],
    ]);
    expect(await readBack(lines)).toEqual(['proxy as data', 'proxy inside', 'revoked proxy']);
  });

  it('a 6-wide, 10-deep graph of shared references: one line, cut with markers', async () => {
    let node: Record<string, unknown> = { leaf: true };
    for (let d = 0; d < 10; d++) node = { a: node, b: node, c: node, d: node, e: node, f: node };
    const { lines, write } = capture();
    write('graph', { node });
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(lines[0]).toContain('"[Truncated]"');
    expect(lines[0]).toContain('more keys');
    expect(await readBack(lines)).toEqual(['graph']);
  });

  it('a 1,000,000-key object: the first keys, and how many were left out', async () => {
    const big: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) big[`k${i}`] = i;
    const { lines, parsed, write } = capture();
    write('big', big);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const attrs = parsed()[0]!.attrs as Record<string, unknown>;
    expect(attrs.k0).toBe(0);
    expect(attrs['…']).toMatch(/^\d+ more keys$/);
    expect(Object.keys(attrs).length + Number(String(attrs['…']).split(' ')[0])).toBe(1_000_001);
    expect(await readBack(lines)).toEqual(['big']);
  });

  it('long strings, a long message and long arrays are cut with a marker', () => {
    const { parsed, write } = capture();
    write('m'.repeat(100_000), { s: 'x'.repeat(100_000), list: Array.from({ length: 10_000 }, (_, i) => i) });
    const l = parsed()[0]!;
    expect(String(l.message)).toMatch(/^m+…\[\+83616 chars\]$/);
    const attrs = l.attrs as { s: string; list: unknown[] };
    expect(attrs.s).toMatch(/^x+…\[\+83616 chars\]$/);
    expect(attrs.list.at(-1)).toBe('[… 9500 more items]');
  });

  it('a line whose escaped text would still be too long loses its data to a marker', () => {
    const { lines, parsed, write } = capture();
    // Control characters escape to six bytes each: 40 strings of 16 Ki of them.
    write('escapes', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, '\u0001'.repeat(16 * 1024)])));
    expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(parsed()[0]!.attrs).toMatch(/^\[Truncated: line of \d+ bytes\]$/);
  });

  it('counts the lines a sink refused', () => {
    const log = new TracedLogger({ sink: () => { throw new Error('disk gone'); } });
    log.info('a');
    log.info('b');
    expect(log.stats()).toEqual({ written: 0, dropped: 0, lost: 2 });
  });
});
