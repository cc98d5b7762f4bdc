// Span records that share an id but differ: one rule for every command (model/repeated-records.ts).
//
// fixtures/span-data/rpc-halves: Zipkin v2 JSON of one checkout, as two services' Brave reporters wrote
// it, and the payments batch posted again after its producer span had ended later. ms after
// T = 2025-03-14T09:25:00Z:
//
//   frontend  post /checkout  [SERVER] 6b22…   |========================|   0-120
//   frontend  post /charge    [CLIENT] d3b6…     |================|         10-90   (frontend file)
//   payments  post /charge    [SERVER] d3b6…      |==============|          15-85   same id, shared (payments file)
//   payments  insert          [CLIENT] 0e3f…       |======|                 20-50
//   payments  send receipt  [PRODUCER] 7c1e…               |=|              60-65   payments file
//   payments  send receipt  [PRODUCER] 7c1e…               |========|       60-100  re-sent, later end (retry file)
//
// The retry file repeats the server half and the insert exactly: read again, one span each. Truth: 6 spans
// (the halves two, server under client as jaeger shows them; the re-sent record its own span, warned),
// 120 ms, root "post /checkout", in group, slowest, tree, critical-path and report alike.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import type { ReportData } from '../../src/render/report/report-data.js';

const DIR = 'fixtures/span-data/rpc-halves';
const FILES = ['frontend', 'payments', 'payments-retry'].map((f) => `${DIR}/${f}.zipkin.json`);
const TRACE = '00000000000000005af7183fb1d4cf5f';
const T = Date.UTC(2025, 2, 14, 9, 25) * 1000;

interface Node {
  spanId: string;
  operation: string;
  startUs: number;
  durationUs: number;
  children: Node[];
}

const json = async (argv: string[]): Promise<Record<string, unknown>> => JSON.parse((await runCli([...argv, '-q'])).stdout) as Record<string, unknown>;

describe('records sharing a span id', () => {
  it('count as the tree shows them in every command, in any file order', async () => {
    for (const files of [FILES, [...FILES].reverse()]) {
      const group = await json(['group', '--json', ...files]);
      expect([group.spans, group.durationUs, group.root], files.join(' ')).toEqual([6, 120_000, 'post /checkout']);
      const slowest = await json(['slowest', '--json', ...files]);
      expect([slowest.spans, slowest.durationUs]).toEqual([6, 120_000]);
      const tree = await json(['tree', '--json', TRACE, ...files]);
      expect([tree.spans, tree.durationUs, tree.startUs]).toEqual([6, 120_000, T]);
      const path = await json(['critical-path', '--json', TRACE, ...files]);
      expect([path.durationUs, path.startUs]).toEqual([120_000, T]);
      const html = (await runCli(['report', ...files, '-q'])).stdout;
      const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as ReportData;
      expect([data.traces[0]!.spans.length, data.traces[0]!.duration]).toEqual([6, 120_000]);
    }
  });

  it('nests the server half under the client half and keeps the re-sent record apart, warned', async () => {
    const tree = await json(['tree', '--json', TRACE, ...FILES]);
    const lines: string[] = [];
    const stack: [Node, number][] = (tree.roots as Node[]).map((n) => [n, 0]);
    while (stack.length > 0) {
      const [n, depth] = stack.pop()!;
      lines.push(`${'  '.repeat(depth)}${n.spanId} ${n.operation} ${(n.startUs - T) / 1000}+${n.durationUs / 1000}`);
      for (let k = n.children.length - 1; k >= 0; k--) stack.push([n.children[k]!, depth + 1]);
    }
    expect(lines).toEqual([
      '6b221d5bc9e6496c post /checkout 0+120',
      '  d3b6e0a1b2c4f581 post /charge 10+80',
      '    d3b6e0a1b2c4f581 post /charge 15+70',
      '      0e3f5a7c9b1d2e48 insert 20+30',
      '      7c1e9f4a2b3d5e60 send receipt 60+40', // equal starts: the longer first
      '      7c1e9f4a2b3d5e60 send receipt 60+5',
    ]);
    expect((tree.warnings as { kind: string; spanId: string }[]).map((w) => [w.kind, w.spanId])).toEqual([['duplicate-span-id', '7c1e9f4a2b3d5e60']]);
  });

  it('gives the same answers when both halves of the RPC come in one file (D119)', async () => {
    // The frontend and payments reporters' records in one array, as a collector's Zipkin export has them.
    const dir = mkdtempSync(join(tmpdir(), 'tracectl-halves-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const one = join(dir, 'checkout.zipkin.json');
    const records = FILES.slice(0, 2).flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown[]);
    writeFileSync(one, JSON.stringify(records));
    const two = FILES.slice(0, 2);
    for (const argv of [['group', '--json'], ['slowest', '--json'], ['tree', '--json', TRACE], ['critical-path', '--json', TRACE], ['errors', '--json'], ['latency', '--json']]) {
      expect((await runCli([...argv, one, '-q'])).stdout, argv.join(' ')).toBe((await runCli([...argv, ...two, '-q'])).stdout);
    }
    // The server half under the client half: 5 spans (no retry file here).
    expect((await json(['group', '--json', one])).spans).toBe(5);
  });

  it('counts a batch read twice once', async () => {
    // A copy under another name: one path given twice is one file, read once.
    const copy = join(mkdtempSync(join(tmpdir(), 'tracectl-batch-')), 'payments.zipkin.json');
    copyFileSync(`${DIR}/payments.zipkin.json`, copy);
    const group = await json(['group', '--json', `${DIR}/payments.zipkin.json`, copy]);
    expect(group.spans).toBe(3);
  });
});
