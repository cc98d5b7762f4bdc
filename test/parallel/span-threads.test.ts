import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { workerChunks } from './thread-counts.js';
import { runCli } from '../cli/run-cli.js';


/**
 * Span data read on two threads (parallel/read-parallel.ts, ingest/packed-deliveries.ts): workers parse chunks and
 * hand back packed spans, which the main thread replays in input order with the chunks it read itself. The
 * input mixes what must survive the crossing: span records with tags (a `__proto__` key among them) and
 * logs, non-ASCII ids and names, duplicate and missing parents, OTLP lines with events and links, log lines
 * between the spans, and lines that are skipped or warned about — over many small chunks.
 */
const SPLIT = { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };

const dir = mkdtempSync(join(tmpdir(), 'tracectl-span-threads-'));
const file = join(dir, 'spans.jsonl');
const T1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '5b8efff798038103d269b633813fc60c';

function spanLines(): string[] {
  const lines: string[] = [];
  const t0 = 1_714_557_600_000;
  const hex = (n: number) => n.toString(16).padStart(16, '0');
  lines.push(JSON.stringify({ traceId: T1, spanId: hex(1), name: 'POST /checkout', serviceName: 'web', startTime: t0, endTime: t0 + 900, kind: 'server', status: { code: 0 } }));
  for (let i = 2; i <= 400; i++) {
    const parent = hex(Math.max(1, Math.floor(i / 3)));
    const rec: Record<string, unknown> = {
      traceId: T1,
      spanId: i === 77 ? 'çà-ünïcode' : hex(i),
      parentSpanId: i === 90 ? hex(99_999) : parent,
      name: i % 7 === 0 ? 'запрос ‮ x' : `op ${i % 11}`,
      serviceName: ['web', 'cart', 'payments', 'db'][i % 4],
      startTime: t0 + i + 0.125,
      endTime: t0 + i + 1 + (i % 13),
      kind: i % 2 ? 'client' : 'server',
      status: i % 17 === 0 ? { code: 2, message: 'declined' } : { code: 0 },
    };
    if (i % 5 === 0) rec.tags = JSON.parse(`{"http.status_code": ${200 + i}, "__proto__": {"polluted": true}, "nested": {"a": [1, {"b": null}]}}`);
    if (i % 9 === 0) rec.logs = [{ timestamp: t0 + i + 0.5, message: 'retry', level: 'WARN', attempt: 2 }];
    if (i === 150) rec.spanId = hex(149); // a duplicate id
    lines.push(JSON.stringify(rec));
    if (i % 50 === 0) lines.push(JSON.stringify({ timestamp: new Date(t0 + i).toISOString(), level: 'error', traceId: T1, spanId: hex(i), message: `log line inside span ${i}` }));
    if (i % 97 === 0) lines.push('this line is not JSON');
    if (i === 120) lines.push(JSON.stringify({ traceId: T1, spanId: hex(9_000), name: 'bad', startTime: t0 + 50, endTime: t0 + 10 })); // ends before it starts
    if (i % 60 === 0) {
      // Behind envelopes: a kubectl prefix, and a CRI line the runtime split in two pieces.
      const rec = JSON.stringify({ traceId: T1, spanId: hex(10_000 + i), parentSpanId: hex(i), name: 'wrapped', serviceName: 'edge', startTime: t0 + i, endTime: t0 + i + 2 });
      lines.push(`[pod/edge-7d9f/edge] ${rec}`);
      const cri = JSON.stringify({ traceId: T1, spanId: hex(20_000 + i), parentSpanId: hex(i), name: 'split', serviceName: 'edge', startTime: t0 + i, endTime: t0 + i + 3 });
      lines.push(`2024-05-01T10:00:00.000000000Z stdout P ${cri.slice(0, 40)}`, `2024-05-01T10:00:00.000000001Z stdout F ${cri.slice(40)}`);
    }
    if (i === 333) lines.push(JSON.stringify({ traceId: T1, spanId: hex(30_000), name: 'x'.repeat(3000), startTime: t0, endTime: t0 + 1 })); // over --max-line-bytes
  }
  lines.push(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otel-svc' } }] },
          scopeSpans: [
            {
              spans: [
                { traceId: T2, spanId: 'eee19b7ec3c1b174', name: 'root', kind: 2, startTimeUnixNano: '1714557600000000123', endTimeUnixNano: '1714557600900000000', status: { code: 2, message: 'failed' } },
                {
                  traceId: T2,
                  spanId: 'eee19b7ec3c1b175',
                  parentSpanId: 'eee19b7ec3c1b174',
                  name: 'child',
                  startTimeUnixNano: '1714557600100000000',
                  endTimeUnixNano: '1714557600200000000',
                  attributes: [{ key: 'peer', value: { kvlistValue: { values: [{ key: 'host', value: { stringValue: 'db' } }] } } }],
                  events: [{ timeUnixNano: '1714557600150000000', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'timeout' } }] }],
                  links: [{ traceId: T1, spanId: '0000000000000001' }],
                },
              ],
            },
          ],
        },
      ],
    }),
  );
  return lines;
}

describe('threads on span data', () => {
  beforeAll(() => writeFileSync(file, spanLines().join('\n') + '\n'));

  it.each([
    ['tree --json', ['tree', T1, '--json'], true],
    ['tree text', ['tree', T1, '--width', '160'], true],
    // Its one line is the file's last: nothing is left to share once it has shown what the file holds.
    ['tree of the OTLP trace', ['tree', T2, '--json'], false],
    ['critical-path', ['critical-path', T1, '--json'], true],
    ['latency', ['latency', '--by', 'operation', '--width', '200'], true],
    ['slowest spans', ['slowest', '--by', 'span', '--top', '25', '--json'], true],
    ['errors', ['errors', '--json'], true],
    ['timeline', ['timeline', T1, '--width', '160'], true],
  ] as const)('%s: 2 threads give exactly what 1 thread gives', async (_name, argv, split) => {
    const one = await runCli([...(argv as readonly string[]), file, '--max-line-bytes', '2048', '--threads', '1'], { env: SPLIT });
    const before = workerChunks.count;
    const moved = workerChunks.moved;
    const back = workerChunks.back;
    const two = await runCli([...(argv as readonly string[]), file, '--max-line-bytes', '2048', '--threads', '2'], { env: SPLIT });
    expect(one.code).toBe(0);
    expect(one.stdout.length).toBeGreaterThan(100);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(one.code);
    // The split really happened: chunks went to a worker.
    if (split) expect(workerChunks.count).toBeGreaterThan(before);
    // Some went as the file's blocks, their memory moved rather than copied (and unreadable here after).
    if (split) expect(workerChunks.moved).toBeGreaterThan(moved);
    // And every block that moved came back to be read into again (input/block-pool.ts).
    expect(workerChunks.back - back).toBe(workerChunks.moved - moved);
  });

  it('reports every line the same way: skipped, warned and used', async () => {
    const two = await runCli(['latency', file, '--max-line-bytes', '2048', '--threads', '2'], { env: SPLIT });
    expect(two.stderr).toMatch(/433 lines read from 1 source: 422 used, 0 without a trace id, 6 partial lines joined, 5 skipped; 2 traces \(415 span records\)/);
    expect(two.stderr).toMatch(/not JSON/);
    expect(two.stderr).toMatch(/line over 2048 bytes/);
  });

  // (slowest and latency fold log lines on workers instead: test/parallel/fold-threads.test.ts)
  it('log files stay on one thread for commands that need whole traces: entries would cost more to send back than to parse', async () => {
    const before = workerChunks.count;
    const logs = join(dir, 'logs.jsonl');
    const t0 = Date.parse('2024-05-01T10:00:00Z');
    writeFileSync(
      logs,
      Array.from({ length: 300 }, (_, i) => JSON.stringify({ timestamp: new Date(t0 + i).toISOString(), traceId: T1, spanId: (i % 20 + 1).toString(16).padStart(16, '0'), message: `step ${i}` })).join('\n') + '\n',
    );
    const two = await runCli(['errors', '--summary', logs, '--threads', '2'], { env: SPLIT });
    expect(two.code).toBe(1); // no errors in these lines
    expect(two.stderr).toMatch(/300 lines read from 1 source: 300 used/);
    expect(workerChunks.count).toBe(before);
  });
});
