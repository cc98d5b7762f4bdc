import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tailChunkBytes } from '../../src/parallel/plan-threads.js';
import { workerChunks, workerFolds, workerGroups } from './thread-counts.js';
import { runCli } from '../cli/run-cli.js';


/**
 * slowest, latency and services fold log lines into spans on worker threads, and each thread analyses the traces
 * only it holds; traces with lines on two threads cross back and are analysed whole on the main thread
 * (parallel/read-parallel.ts, analyze/trace-analysis.ts). Whatever the cut, the answer must be the one
 * thread's, byte for byte. Small chunks and no start threshold cut these small logs into many pieces:
 * with 16 KiB some traces fall on both sides of a cut and most do not; below 2 KiB almost all do.
 * One plain file is split into one part per thread, each worker reading its own (splitFile); several
 * files, or a pipe, are handed out chunk by chunk.
 */
const SPLIT = { TRACECTL_CHUNK_BYTES: '16384', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };
/** As SPLIT, and the main thread waits after the split while the first worker takes over the end of its part (steal-range.ts). */
const HOLD = { ...SPLIT, TRACECTL_HOLD_FOR_TAKE_OVER: '1' };
const dir = mkdtempSync(join(tmpdir(), 'tracectl-fold-threads-'));

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

interface LogShape {
  traces: number;
  seed: number;
  /** Lines out of time order: a line may be written up to this many places late. */
  jitter: number;
  /** No line names a parent (pino, zap, structlog with OTel ids): buildTree infers them from timing. */
  noParents?: boolean;
}

/**
 * A log as services write one: traces overlapping in time, spans with a start and an end line (the end
 * with a duration), lines without a span id, errors with and without messages, statuses, kubectl
 * prefixes, lines without a trace id, plain text, untimed lines, and span records of the same traces.
 */
function logLines({ traces, seed, jitter, noParents }: LogShape): string[] {
  let x = seed >>> 0 || 1;
  const rnd = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const services = ['web', 'cart', 'payments', 'db', 'search'];
  const t0 = Date.parse('2024-05-01T10:00:00Z');
  const timed: [number, string][] = [];
  for (let t = 0; t < traces; t++) {
    const traceId = hex(0x4bf92f35 + t * 7919, 32);
    const start = t0 + t * 3 + Math.floor(rnd() * 5);
    const spans = 1 + Math.floor(rnd() * 6);
    for (let s = 0; s < spans; s++) {
      const spanId = hex(t * 100 + s + 1, 16);
      const service = pick(services);
      const begin = start + s * 2 + Math.floor(rnd() * 3);
      const ms = Math.floor(rnd() * 40);
      const base: Record<string, unknown> = { traceId, spanId, serviceName: service };
      if (s > 0 && !noParents) base.parentSpanId = hex(t * 100 + Math.floor(rnd() * s) + 1, 16);
      const error = rnd() < 0.1;
      timed.push([begin, JSON.stringify({ timestamp: new Date(begin).toISOString(), level: 'info', ...base, operation: `${pick(['GET', 'POST'])} /${service}`, message: 'start' })]);
      if (rnd() < 0.3) timed.push([begin + 1, JSON.stringify({ time: begin + 1, level: error ? 'error' : 'debug', ...base, msg: error ? 'failed: declined' : 'step', ...(rnd() < 0.5 ? { statusCode: pick([200, 404, 503]) } : {}) })]);
      timed.push([begin + ms, JSON.stringify({ timestamp: new Date(begin + ms).toISOString(), level: error && rnd() < 0.5 ? 'error' : 'info', ...base, message: 'done', duration_ms: ms, ...(rnd() < 0.5 ? { http: { status_code: pick([200, 500]) } } : {}) })]);
      if (rnd() < 0.1) timed.push([begin + 1, `[pod/${service}-7d9f/${service}] ${JSON.stringify({ timestamp: new Date(begin + 1).toISOString(), ...base, message: 'behind a prefix' })}`]);
    }
    if (rnd() < 0.2) timed.push([start + 1, JSON.stringify({ timestamp: new Date(start + 1).toISOString(), traceId, serviceName: pick(services), message: 'no span id' })]);
    if (rnd() < 0.1) timed.push([start + 2, JSON.stringify({ traceId, spanId: hex(t * 100 + 1, 16), message: 'untimed' })]);
    if (rnd() < 0.1) {
      timed.push([start + 3, JSON.stringify({ traceId, spanId: hex(t * 100 + 90, 16), parentSpanId: hex(t * 100 + 1, 16), name: 'SELECT', serviceName: 'db', startTime: start + 3, endTime: start + 3 + Math.floor(rnd() * 9) })]);
    }
    if (rnd() < 0.05) timed.push([start, 'a plain text line']);
    if (rnd() < 0.05) timed.push([start, JSON.stringify({ timestamp: new Date(start).toISOString(), message: 'no trace id' })]);
  }
  timed.sort((a, b) => a[0] - b[0]);
  const lines = timed.map(([, l]) => l);
  // Some lines late, as from a logger with a buffer.
  for (let i = lines.length - 1; i > 0 && jitter > 0; i--) {
    if (rnd() < 0.05) {
      const j = Math.max(0, i - 1 - Math.floor(rnd() * jitter));
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
  }
  return lines;
}

function writeLog(name: string, shape: LogShape): string {
  const file = join(dir, name);
  writeFileSync(file, logLines(shape).join('\n') + '\n');
  return file;
}

const COMMANDS: [string, string[]][] = [
  ['slowest', ['slowest', '--top', '7']],
  ['slowest --json', ['slowest', '--top', '50', '--json']],
  ['slowest --by span', ['slowest', '--by', 'span', '--top', '12', '--json']],
  ['slowest --by operation', ['slowest', '--by', 'operation', '--width', '200']],
  ['latency', ['latency', '--width', '200']],
  ['latency --by operation --json', ['latency', '--by', 'operation', '--json']],
  ['latency --by attribute', ['latency', '--by', 'http.status_code', '--json']],
  ['latency filtered', ['latency', '--service', 'payments', '--errors', '--json']],
  ['slowest filtered', ['slowest', '--min-duration', '20ms', '--top', '5', '--json']],
  ['services', ['services', '--width', '200']],
  ['services --json, filtered', ['services', '--json', '--since', '2024-05-01T10:00:00.500Z']],
];

async function sameOnThreads(argv: string[], threads: number, env: Record<string, string> = SPLIT): Promise<void> {
  const one = await runCli([...argv, '--threads', '1'], { env: SPLIT });
  const many = await runCli([...argv, '--threads', String(threads)], { env });
  expect(many.stdout).toBe(one.stdout);
  expect(many.stderr).toBe(one.stderr);
  expect(many.code).toBe(one.code);
}

describe('slowest, latency and services on threads', () => {
  const file = writeLog('app.log', { traces: 400, seed: 7, jitter: 30 });

  it.each(COMMANDS)('%s: 2 threads give exactly what 1 thread gives', async (_name, argv) => {
    const ranges = workerChunks.ranges;
    const shared = workerFolds.shared;
    const analysed = workerFolds.analysed;
    await sameOnThreads([...argv, file], 2);
    // The file was split, some traces were in parts on both sides of the cut, and the worker analysed others.
    expect(workerChunks.ranges).toBe(ranges + 1);
    expect(workerFolds.shared).toBeGreaterThan(shared);
    expect(workerFolds.analysed).toBeGreaterThan(analysed);
  });

  it.each(COMMANDS.slice(0, 6))('%s: two files, handed out chunk by chunk, give what 1 thread gives', async (_name, argv) => {
    const other = writeLog('app-2.log', { traces: 300, seed: 8, jitter: 30 });
    const chunks = workerChunks.count;
    const ranges = workerChunks.ranges;
    const shared = workerFolds.shared;
    await sameOnThreads([...argv, file, other], 2);
    expect(workerChunks.count).toBeGreaterThan(chunks);
    expect(workerChunks.ranges).toBe(ranges);
    expect(workerFolds.shared).toBeGreaterThan(shared);
  });

  // A worker reading its part of the file numbers the lines from the part's start, and learns how many
  // came before only at the end: every place it reports must still be the file's.
  it('skipped lines in a worker\'s part are reported at their places in the file', async () => {
    const lines = logLines({ traces: 400, seed: 21, jitter: 0 }).filter((l) => l.startsWith('{'));
    const from = Math.floor(lines.length * 0.75); // well inside the worker's part
    for (let i = lines.length - 7; i > from; i -= 97) lines.splice(i, 0, i % 2 ? 'not json at all' : 'L'.repeat(900));
    const f = join(dir, 'places.log');
    writeFileSync(f, lines.join('\n') + '\n');
    const ranges = workerChunks.ranges;
    const argv = ['latency', '--json', '--max-line-bytes', '800', f];
    await sameOnThreads(argv, 2);
    expect(workerChunks.ranges).toBe(ranges + 1);
    const two = await runCli([...argv, '--threads', '2'], { env: SPLIT });
    const places = (text: string) => [...text.matchAll(/places\.log:(\d+)/g)].map((m) => Number(m[1]));
    const notJson = places(/not JSON: (.*)/.exec(two.stderr)![1]!);
    const overlong = places(/line over 800 bytes.*?: (.*)/.exec(two.stderr)![1]!);
    expect(notJson.length).toBeGreaterThan(0);
    expect(overlong.length).toBeGreaterThan(0);
    for (const at of notJson) expect(lines[at - 1]).toBe('not json at all');
    for (const at of overlong) expect(lines[at - 1]).toBe('L'.repeat(900));
    for (const at of [...notJson, ...overlong]) expect(at).toBeGreaterThan(from);
  });

  // Untimed lines of one span all through the file: which is first is a matter of input order alone, across
  // the cut too (a worker's part numbers its arrivals from its offset in the file).
  it('a span with lines on both sides of the cut takes what its first line says', async () => {
    const lines = logLines({ traces: 400, seed: 5, jitter: 0 });
    const span = { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), serviceName: 'everywhere' };
    // From a third of the way in: the first of them then lies far from the start of anything a thread reads.
    for (let i = lines.length - 1; i >= lines.length / 3; i -= 40) lines.splice(i, 0, JSON.stringify({ ...span, operation: `op-${i}`, message: 'untimed' }));
    const f = join(dir, 'everywhere.log');
    writeFileSync(f, lines.join('\n') + '\n');
    const ranges = workerChunks.ranges;
    for (const threads of [2, 3]) await sameOnThreads(['latency', '--by', 'operation', '--service', 'everywhere', '--json', f], threads);
    expect(workerChunks.ranges).toBe(ranges + 3);
    const one = await runCli(['latency', '--by', 'operation', '--service', 'everywhere', '--json', f, '--threads', '1'], { env: SPLIT });
    expect(one.stdout).toContain(`"operation":"${/op-\d+/.exec(lines.find((l) => l.includes('op-'))!)![0]}"`);
  });

  // Parents inferred from timing (model/infer-parents.ts) on every path: the folds' plain self times
  // decline such traces, and each thread's buildTree infers the same parents from the same spans.
  it.each(COMMANDS.slice(0, 6))('%s: logs without parent ids, on 2 threads and with TRACECTL_PARSE_ALL, give what 1 thread gives', async (_name, argv) => {
    const bare = writeLog('no-parents.log', { traces: 400, seed: 11, jitter: 30, noParents: true });
    const shared = workerFolds.shared;
    await sameOnThreads([...argv, bare], 2);
    expect(workerFolds.shared).toBeGreaterThan(shared);
    await sameOnThreads([...argv, bare], 2, { ...SPLIT, TRACECTL_PARSE_ALL: '1' });
  });

  it('logs without parent ids: latency across all traces is the sum of latency --trace over each', async () => {
    const bare = writeLog('no-parents-sum.log', { traces: 30, seed: 12, jitter: 10, noParents: true });
    const all = await runCli(['latency', '--json', '-q', bare, '--threads', '2'], { env: SPLIT });
    const want = new Map((all.stdout.trim().split('\n').map((l) => JSON.parse(l) as { service: string; selfUs: number; totalUs: number })).map((x) => [x.service, [x.selfUs, x.totalUs]]));
    const ids = new Set([...(await runCli(['group', '--json', '-q', bare], { env: SPLIT })).stdout.matchAll(/"traceId":"([0-9a-f]{32})"/g)].map((m) => m[1]!));
    const sum = new Map<string, number[]>();
    let inferred = 0;
    for (const id of ids) {
      const one = await runCli(['latency', '--trace', id, '--json', '-q', bare], { env: SPLIT });
      for (const l of one.stdout.trim().split('\n')) {
        const x = JSON.parse(l) as { service: string; selfUs: number; totalUs: number };
        const [self, total] = sum.get(x.service) ?? [0, 0];
        sum.set(x.service, [self! + x.selfUs, total! + x.totalUs]);
      }
      const tree = JSON.parse((await runCli(['tree', id, '--json', '-q', bare], { env: SPLIT })).stdout) as { parentsInferred?: { count: number } };
      inferred += tree.parentsInferred?.count ?? 0;
    }
    expect(inferred).toBeGreaterThan(10); // the structure was inferred, not flat
    expect(sum).toEqual(want);
  });

  it('three threads (two workers, whose traces may also be in parts on both) give what one gives', async () => {
    for (const [, argv] of COMMANDS.slice(0, 6)) await sameOnThreads([...argv, file], 3);
  });

  it('reads the input as one thread does: counts, skips and traces', async () => {
    const one = await runCli(['latency', file, '--threads', '1'], { env: SPLIT });
    expect(one.stderr).toMatch(/lines read from 1 source: .* used, [1-9]\d* without a trace id, .*[1-9]\d* skipped; 400 traces/);
  });

  // Each case starts threads: ~30 s alone on 2 cores, twice that beside other test files.
  it('any log, cut anywhere, gives the same answers on 1, 2 and 3 threads', async () => {
    await sameCutAnywhere(COMMANDS, 'p');
  }, 180_000);
});

/**
 * Random logs cut into chunks of random sizes: each command prints on 2 or 3 threads what it prints on 1;
 * half the time the main thread waits after the split, so that the first worker takes over the end of its part.
 */
async function sameCutAnywhere(commands: [string, string[]][], prefix: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.record({ traces: fc.integer({ min: 1, max: 120 }), seed: fc.integer({ min: 1, max: 2 ** 31 }), jitter: fc.integer({ min: 0, max: 50 }) }),
      fc.integer({ min: 300, max: 40_000 }),
      fc.constantFrom(...commands.map(([, argv]) => argv)),
      fc.constantFrom(2, 3),
      fc.boolean(),
      async (shape, chunk, argv, threads, hold) => {
        const f = writeLog(`${prefix}-${shape.seed}.log`, shape);
        const env = { ...(hold ? HOLD : SPLIT), TRACECTL_CHUNK_BYTES: String(chunk) };
        const one = await runCli([...argv, f, '--threads', '1'], { env });
        const many = await runCli([...argv, f, '--threads', String(threads)], { env });
        expect(many.stdout).toBe(one.stdout);
        expect(many.stderr).toBe(one.stderr);
        expect(many.code).toBe(one.code);
      },
    ),
    { numRuns: 25 },
  );
}

/**
 * group on threads: each thread makes the rows of the traces only it holds, the traces held in parts
 * cross back and get their rows on the main thread, and the sorted lists are merged (Pool.finishRows).
 */
const GROUP_COMMANDS: [string, string[]][] = [
  ['group', ['group', '--width', '200']],
  ['group --json', ['group', '--json']],
  ['group --sort duration --limit', ['group', '--sort', 'duration', '--limit', '25', '--json']],
  ['group --sort entries', ['group', '--sort', 'entries', '--width', '200']],
  ['group --sort errors, filtered', ['group', '--sort', 'errors', '--service', 'payments', '--json']],
  ['group --errors --min-duration', ['group', '--errors', '--min-duration', '10ms', '--json']],
  ['group --since, none match', ['group', '--since', '2030-01-01T00:00:00Z']],
];

describe('group on threads', () => {
  const file = writeLog('group.log', { traces: 400, seed: 11, jitter: 30 });

  it.each(GROUP_COMMANDS)('%s: 2 threads give exactly what 1 thread gives', async (_name, argv) => {
    const ranges = workerChunks.ranges;
    const shared = workerGroups.shared;
    const rows = workerGroups.rows;
    await sameOnThreads([...argv, file], 2);
    // The file was split, some traces were in parts on both sides of the cut, and the worker made the rows of others.
    expect(workerChunks.ranges).toBe(ranges + 1);
    expect(workerGroups.shared).toBeGreaterThan(shared);
    expect(workerGroups.rows).toBeGreaterThan(rows);
  });

  it.each(GROUP_COMMANDS.slice(0, 3))('%s: two files, handed out chunk by chunk, give what 1 thread gives', async (_name, argv) => {
    const other = writeLog('group-2.log', { traces: 300, seed: 12, jitter: 30 });
    const chunks = workerChunks.count;
    const ranges = workerChunks.ranges;
    await sameOnThreads([...argv, file, other], 2);
    expect(workerChunks.count).toBeGreaterThan(chunks);
    expect(workerChunks.ranges).toBe(ranges);
  });

  // Untimed lines of one trace from a third of the way in: its root is the first of them in the file, a
  // tie broken by line numbers, which a worker's part has only once it knows the lines before it.
  it('a trace with lines on both sides of the cut takes its root from its first line', async () => {
    const lines = logLines({ traces: 400, seed: 13, jitter: 0 });
    for (let i = lines.length - 1; i >= lines.length / 3; i -= 40) lines.splice(i, 0, JSON.stringify({ traceId: 'f'.repeat(32), message: `said at ${i}` }));
    const f = join(dir, 'group-everywhere.log');
    writeFileSync(f, lines.join('\n') + '\n');
    const ranges = workerChunks.ranges;
    const argv = ['group', '--json', f];
    for (const threads of [2, 3]) await sameOnThreads(argv, threads);
    expect(workerChunks.ranges).toBe(ranges + 3);
    const one = await runCli([...argv, '--threads', '1'], { env: SPLIT });
    const first = lines.find((l) => l.includes('said at'))!;
    expect(one.stdout).toContain(`"root":"${JSON.parse(first).message}"`);
  });

  it('three threads give what one gives', async () => {
    for (const [, argv] of GROUP_COMMANDS) await sameOnThreads([...argv, file], 3);
  });

  // Offsets in a gzip file are not offsets in what it holds: it is handed out chunk by chunk.
  it('one gzip file is not split, and gives what one thread gives', async () => {
    const gz = join(dir, 'group.log.gz');
    writeFileSync(gz, gzipSync(logLines({ traces: 400, seed: 11, jitter: 30 }).join('\n') + '\n'));
    const ranges = workerChunks.ranges;
    const chunks = workerChunks.count;
    for (const argv of [['group', '--json'], ['latency', '--json']]) await sameOnThreads([...argv, gz], 2);
    expect(workerChunks.ranges).toBe(ranges);
    expect(workerChunks.count).toBeGreaterThan(chunks);
  });

  it('any log, cut anywhere, gives the same rows on 1, 2 and 3 threads', async () => {
    await sameCutAnywhere(GROUP_COMMANDS, 'g');
  }, 180_000);
});

/**
 * The first worker, done with its part, takes over the end of the main thread's part while enough is left
 * (steal-range.ts), numbering those lines back from its own part's start. Held (HOLD), the main thread
 * reads one chunk and waits, so the worker takes over most of its part, in several pieces, each half of
 * what is left.
 */
describe('the end of the main thread\'s part, taken over by a worker', () => {
  const file = writeLog('take-over.log', { traces: 400, seed: 17, jitter: 30 });

  it.each([...COMMANDS.slice(0, 7), ...GROUP_COMMANDS.slice(0, 4)])('%s: gives exactly what 1 thread gives', async (_name, argv) => {
    const taken = workerChunks.taken;
    await sameOnThreads([...argv, file], 2, HOLD);
    expect(workerChunks.taken - taken).toBeGreaterThanOrEqual(3);
  });

  it('with two workers (the second does not take over), gives what 1 thread gives', async () => {
    const taken = workerChunks.taken;
    for (const argv of [COMMANDS[0]![1], COMMANDS[4]![1], GROUP_COMMANDS[1]![1]]) await sameOnThreads([...argv, file], 3, HOLD);
    expect(workerChunks.taken).toBeGreaterThan(taken);
  });

  // The pieces taken over are read after the worker's own part, numbered back from its start: every place
  // reported from them must be the file's, and the first few of each kind the file's first few.
  it('reports skipped lines in the pieces taken over at their places in the file', async () => {
    const lines = logLines({ traces: 400, seed: 23, jitter: 0 }).filter((l) => l.startsWith('{'));
    // Between 10% and 45% of the file: past the main thread's first chunks, before its part's end.
    for (let i = Math.floor(lines.length * 0.45); i > lines.length * 0.1; i -= 23) lines.splice(i, 0, i % 2 ? 'not json at all' : 'L'.repeat(900));
    const f = join(dir, 'take-over-places.log');
    writeFileSync(f, lines.join('\n') + '\n');
    const taken = workerChunks.taken;
    for (const argv of [['latency', '--json', '--max-line-bytes', '800', f], ['group', '--json', '--max-line-bytes', '800', f]]) {
      await sameOnThreads(argv, 2, HOLD);
      const two = await runCli([...argv, '--threads', '2'], { env: HOLD });
      const places = (text: string) => [...text.matchAll(/take-over-places\.log:(\d+)/g)].map((m) => Number(m[1]));
      const notJson = places(/not JSON: (.*)/.exec(two.stderr)![1]!);
      const overlong = places(/line over 800 bytes.*?: (.*)/.exec(two.stderr)![1]!);
      expect(notJson).toHaveLength(3);
      expect(overlong).toHaveLength(3);
      for (const at of notJson) expect(lines[at - 1]).toBe('not json at all');
      for (const at of overlong) expect(lines[at - 1]).toBe('L'.repeat(900));
    }
    expect(workerChunks.taken - taken).toBeGreaterThanOrEqual(6);
  });

  // Arrivals are numbered by offset in the file, whichever thread reads a line and in whichever order.
  it('a span and a trace with untimed lines all through the file take what their first lines say', async () => {
    const lines = logLines({ traces: 400, seed: 29, jitter: 0 });
    const span = { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), serviceName: 'everywhere' };
    for (let i = lines.length - 1; i >= lines.length / 20; i -= 40) lines.splice(i, 0, JSON.stringify({ ...span, operation: `op-${i}`, message: `said at ${i}` }));
    const f = join(dir, 'take-over-everywhere.log');
    writeFileSync(f, lines.join('\n') + '\n');
    const taken = workerChunks.taken;
    await sameOnThreads(['latency', '--by', 'operation', '--service', 'everywhere', '--json', f], 2, HOLD);
    await sameOnThreads(['group', '--json', f], 2, HOLD);
    expect(workerChunks.taken - taken).toBeGreaterThanOrEqual(6);
    const first = JSON.parse(lines.find((l) => l.includes('said at'))!);
    const one = await runCli(['latency', '--by', 'operation', '--service', 'everywhere', '--json', f, '--threads', '1'], { env: SPLIT });
    expect(one.stdout).toContain(`"operation":"${first.operation}"`);
  });
});

describe('chunks near the end of a file of known size', () => {
  it('shrink with what is left, down to a floor', () => {
    const MiB = 1 << 20;
    expect(tailChunkBytes(4 * MiB, NaN)).toBe(4 * MiB); // a pipe: size unknown
    expect(tailChunkBytes(4 * MiB, 200 * MiB)).toBe(4 * MiB);
    expect(tailChunkBytes(4 * MiB, 32 * MiB)).toBe(4 * MiB);
    expect(tailChunkBytes(4 * MiB, 16 * MiB)).toBe(2 * MiB);
    expect(tailChunkBytes(4 * MiB, 3 * MiB)).toBe(384 << 10);
    expect(tailChunkBytes(4 * MiB, MiB)).toBe(256 << 10);
    expect(tailChunkBytes(4 * MiB, 0)).toBe(256 << 10);
  });

  it('a file of about one chunk is cut small at its end, with the answers of one thread', async () => {
    const file = writeLog('tail.log', { traces: 2500, seed: 5, jitter: 20 }); // ~4.6 MB: about one 4 MiB chunk
    const env = { TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' }; // the chunk size left to the reader
    for (const argv of [['latency', '--json'], ['slowest', '--top', '20', '--json'], ['group', '--json']]) {
      const one = await runCli([...argv, file, '--threads', '1'], { env });
      const cut = workerChunks.cut;
      const two = await runCli([...argv, file, '--threads', '2'], { env });
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
      // ~4.6 MB: in 4 MiB chunks 2, in chunks of an eighth of what is left (≥ 256 KiB) a dozen or more.
      expect(workerChunks.cut - cut, argv[0]).toBeGreaterThanOrEqual(8);
    }
  });
});
