import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

/**
 * Duration units decided from the timestamps (ingest/unit-evidence.ts), on one incident in five
 * services whose duration fields name no unit (fixtures/units/README.md): Traefik's `Duration` in ns,
 * Caddy's `duration` in s, zerolog's `dur` in ms, a Go encoding/json `latency` in ns, and `Duration` in
 * ms where the conventions say Traefik's ns. truth.json holds every trace's and span's duration.
 */
const LOG = fixture('units/incident.log');
interface Truth {
  traces: Record<string, { startUs: number; durationUs: number; spans: Record<string, number> }>;
  units: Record<string, string>;
}
const truth = JSON.parse(readFileSync(fixture('units/truth.json'), 'utf8')) as Truth;
const ids = Object.keys(truth.traces);
const jsonLines = <T>(stdout: string): T[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as T);

interface Row { traceId: string; startUs: number; durationUs: number }
interface Node { service: string; durationUs: number; children: Node[] }

function spanDurations(roots: Node[]): Record<string, number> {
  const out: Record<string, number> = {};
  const stack = [...roots];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    out[n.service] = n.durationUs;
    stack.push(...n.children);
  }
  return out;
}

const NOTES = [
  'tracectl: note: caddy duration read as s (from 8 spans',
  'tracectl: note: payments Duration read as ms (from 8 spans',
  'tracectl: note: recommender latency read as ns (from 16 spans',
  'tracectl: note: shop-api dur read as ms (from 16 spans',
];

describe('duration units from the timestamps', () => {
  it("Caddy's access line first in its file: the trace id from its header array, its float seconds decided", async () => {
    // Caddy logs Go's http.Header, each header an array of values; its line is the file's first, whose
    // duration is read before the source's kind is decided (fixtures/units/README.md).
    const r = await runCli(['tree', '4bf92f3577b34da6a3ce929d0e0e4736', '--json', fixture('units/caddy-header.log')]);
    const spans = spanDurations((JSON.parse(r.stdout) as { roots: Node[] }).roots);
    expect(spans).toEqual({ cart: 1_000_000, unknown: 812_345 });
    expect(r.stderr).toContain('3 lines read from 1 source: 3 used, 0 without a trace id');
    expect(r.stderr).toContain('tracectl: note: unknown duration read as s (from 1 span');
  });

  it('slowest --json: every trace as long as it was, the slow checkout first', async () => {
    const r = await runCli(['slowest', '--json', '--top', '30', LOG]);
    expect(r.code).toBe(0);
    const rows = jsonLines<Row>(r.stdout);
    const want = ids.map((id) => ({ traceId: id, startUs: truth.traces[id]!.startUs, durationUs: truth.traces[id]!.durationUs }));
    want.sort((a, b) => b.durationUs - a.durationUs);
    expect(rows.map((x) => ({ traceId: x.traceId, startUs: x.startUs, durationUs: x.durationUs }))).toEqual(want);
    expect(rows[0]!.durationUs).toBeGreaterThan(4_900_000);
    expect(rows[1]!.durationUs).toBeLessThan(400_000);
  });

  it('the report says once per service and field what it read and from how many spans', async () => {
    const r = await runCli(['group', LOG]);
    const notes = r.stderr.split('\n').filter((l) => l.includes('note:'));
    expect(notes).toHaveLength(NOTES.length);
    NOTES.forEach((note, i) => expect(notes[i]).toContain(note));
    // Traefik's `Duration` in ns is what the field's conventional unit says: nothing to note (D94).
    expect(r.stderr).not.toContain('traefik Duration read as');
    expect(r.stderr).toContain('tracectl: 112 lines read from 1 source: 112 used, 0 without a trace id, 0 skipped; 24 traces');
  });

  it('group --json: every trace starts and lasts as the truth says', async () => {
    const r = await runCli(['group', '--json', '-q', LOG]);
    const got = Object.fromEntries(jsonLines<Row>(r.stdout).map((x) => [x.traceId, { startUs: x.startUs, durationUs: x.durationUs }]));
    expect(got).toEqual(Object.fromEntries(ids.map((id) => [id, { startUs: truth.traces[id]!.startUs, durationUs: truth.traces[id]!.durationUs }])));
  });

  it('tree --json: every span of every trace, in each service its own unit', async () => {
    for (const id of ids) {
      const r = await runCli(['tree', id, '--json', '-q', LOG]);
      expect(r.code).toBe(0);
      const tree = JSON.parse(r.stdout) as { durationUs: number; roots: Node[] };
      expect(tree.durationUs).toBe(truth.traces[id]!.durationUs);
      expect(spanDurations(tree.roots)).toEqual(truth.traces[id]!.spans);
    }
  });

  it('export reads the same durations (Jaeger JSON, by service)', async () => {
    const r = await runCli(['export', '--format', 'jaeger', '-q', LOG]);
    const doc = JSON.parse(r.stdout) as { data: { traceID: string; spans: { duration: number; processID: string }[]; processes: Record<string, { serviceName: string }> }[] };
    expect(doc.data).toHaveLength(24);
    for (const t of doc.data) {
      const got = Object.fromEntries(t.spans.map((s) => [t.processes[s.processID]!.serviceName, s.duration]));
      expect(got).toEqual(truth.traces[t.traceID]!.spans);
    }
  });

  it('latency: the recommender p100 is the slow call, in µs', async () => {
    const r = await runCli(['latency', '--json', '-q', LOG]);
    const rec = Object.values(truth.traces).map((t) => t.spans.recommender).filter((d): d is number => d !== undefined);
    expect(r.stdout).toContain(`${Math.max(...rec)}`);
  });

  it('standard input, plain and gzipped, reads as the file does: its held head is read once', async () => {
    const bytes = readFileSync(LOG);
    const file = await runCli(['slowest', '--json', '--top', '30', LOG]);
    for (const stdin of [bytes, gzipSync(bytes)]) {
      const r = await runCli(['slowest', '--json', '--top', '30'], { stdin });
      expect(r.stdout).toBe(file.stdout);
      expect(r.stderr).toContain('112 lines read from 1 source: 112 used');
      expect(r.stderr).toContain('recommender latency read as ns (from 16 spans');
    }
  });

  it('evidence beats a name: payments logs `Duration` in ms, the name Traefik writes in ns', async () => {
    const r = await runCli(['tree', ids[0]!, '--json', '-q', LOG]);
    const spans = spanDurations((JSON.parse(r.stdout) as { roots: Node[] }).roots);
    expect(spans.payments).toBe(truth.traces[ids[0]!]!.spans.payments);
    expect(spans.payments! % 1000).toBe(0); // whole milliseconds, not 0.2 µs
  });

  it('--field duration=PATH:UNIT wins over the evidence, and nothing is inferred for that field', async () => {
    const r = await runCli(['tree', ids[0]!, '--json', '--field', 'duration=Duration:ns', LOG]);
    const spans = spanDurations((JSON.parse(r.stdout) as { roots: Node[] }).roots);
    // The payments span keeps its lines' extent (the "authorizing" line to the last), not 212 ns.
    expect(spans.payments).toBeLessThan(truth.traces[ids[0]!]!.spans.payments!);
    expect(r.stderr).not.toContain('Duration read as');
    expect(r.stderr).toContain('recommender latency read as ns');
  });

  it('without evidence (one line a trace) the field conventions stay: `latency` read as ms, and no note', async () => {
    const scored = readFileSync(LOG, 'utf8').split('\n').filter((l) => l.includes('"message":"scored"')).join('\n') + '\n';
    const r = await runCli(['slowest', '--json', '--top', '1'], { stdin: scored });
    const slow = Object.values(truth.traces).reduce((a, b) => ((b.spans.recommender ?? 0) > (a.spans.recommender ?? 0) ? b : a));
    expect(jsonLines<Row>(r.stdout)[0]!.durationUs).toBe(slow.spans.recommender! * 1_000_000); // ns read as ms
    expect(r.stderr).not.toContain('note:');
  });

  it("without evidence a logger's signature still decides, and says so", async () => {
    const slog = readFileSync(fixture('loggers/go-services.log'), 'utf8').split('\n').filter((l) => l.includes('"msg":"request done"') && l.includes('4bf92f35')).join('\n') + '\n';
    const r = await runCli(['slowest', '--json'], { stdin: slog });
    expect(jsonLines<Row>(r.stdout)[0]!.durationUs).toBe(4_912_346);
    expect(r.stderr).toContain('tracectl: note: gateway latency read as ns (1 line: Go slog JSON writes nanoseconds');
  });

  it('--where reads with the decided units: duration>=4s keeps the slow checkout alone', async () => {
    const r = await runCli(['group', '--json', '-q', '--where', 'duration>=4s', LOG]);
    const slow = ids.reduce((a, b) => (truth.traces[b]!.durationUs > truth.traces[a]!.durationUs ? b : a));
    expect(jsonLines<Row>(r.stdout).map((x) => x.traceId)).toEqual([slow]);
  });

  it('--follow decides from the first chunk: a field first seen after it keeps the conventions', async () => {
    const lines = readFileSync(LOG, 'utf8').split('\n').filter((l) => l !== '');
    const follow = async (chunks: string[][]) => {
      const stdin = new PassThrough();
      const run = runCli(['group', '-f', '--json'], { stdinStream: stdin });
      for (const c of chunks) {
        stdin.write(c.map((l) => l + '\n').join(''));
        await new Promise((r) => setTimeout(r, 50));
      }
      stdin.end();
      return run;
    };
    const whole = await follow([lines]);
    expect(Object.fromEntries(jsonLines<Row>(whole.stdout).map((x) => [x.traceId, x.durationUs]))).toEqual(Object.fromEntries(ids.map((id) => [id, truth.traces[id]!.durationUs])));
    expect(whole.stderr).toContain('recommender latency read as ns (from 16 spans');
    const rec = (l: string) => l.includes('/recommender-');
    const late = await follow([lines.filter((l) => !rec(l)), lines.filter(rec)]);
    expect(late.stderr).toContain('shop-api dur read as ms (from 16 spans');
    expect(late.stderr).not.toContain('recommender latency');
  });

  it('the head: read in slices until every field has 100 spans and no new one came; a field first seen later keeps the conventions', async () => {
    // Two-line traces (start, done with `latency` in ns) of three services, in one file: alpha from the
    // start, beta from line 2,001 (the second slice), gamma from line 10,001, after the evidence settled.
    const lines: string[] = [];
    let t = Date.parse('2026-03-02T10:00:00Z') * 1000;
    const trace = (service: string, n: number) => {
      const id = (n + 1).toString(16).padStart(32, '0');
      const us = 2_000 + (n % 50) * 1_000;
      const at = (x: number) => new Date(x / 1000).toISOString();
      lines.push(JSON.stringify({ time: at(t), level: 'info', message: 'start', trace_id: id, service }));
      lines.push(JSON.stringify({ time: at(t + us), level: 'info', message: 'done', trace_id: id, service, latency: us * 1000 }));
      t += 10_000;
    };
    let n = 0;
    while (lines.length < 2_000) trace('alpha', n++);
    while (lines.length < 2_400) trace('beta', n++);
    while (lines.length < 10_000) trace('alpha', n++);
    const gamma = n;
    while (lines.length < 10_100) trace('gamma', n++);
    const r = await runCli(['slowest', '--json', '--top', '1', '--service', 'gamma'], { stdin: lines.join('\n') + '\n' });
    expect(r.stderr).toContain('alpha latency read as ns (from 2,800 spans'); // 1,000 + 1,800: slices 1 to 3
    expect(r.stderr).toContain('beta latency read as ns (from 200 spans');
    expect(r.stderr).not.toContain('gamma latency');
    // gamma's ns read as ms, as the conventions read a bare `latency` of a logger with no signature.
    expect(jsonLines<Row>(r.stdout)[0]!.durationUs).toBe(Math.max(...Array.from({ length: 50 }, (_, i) => gamma + i).map((k) => (2_000 + (k % 50) * 1_000) * 1_000_000)));
  });
});

/**
 * The new-user trial's cases (issue #26, fixtures/units/generate-ends.js): conventional units that one
 * slow request, small nanoseconds or a long job turned 1000× off. ends-truth.json holds each file's
 * traces as a right reading gives them.
 */
describe('duration units (#26): the conventions stand where the timestamps do not clearly contradict them', () => {
  type Truths = Record<string, Record<string, { startUs: number; durationUs: number; spans: Record<string, number> }>>;
  const ends = JSON.parse(readFileSync(fixture('units/ends-truth.json'), 'utf8')) as Truths;
  interface Lat { service: string; count: number; minUs: number; maxUs: number; p50Us: number }

  async function expectTruth(file: string, key: (n: Node & { spanId: string }) => string = (n) => n.service): Promise<void> {
    const want = ends[file]!;
    const slowest = await runCli(['slowest', '--json', '-q', '--top', '100', fixture(`units/${file}`)]);
    const got = Object.fromEntries(jsonLines<Row>(slowest.stdout).map((x) => [x.traceId, { startUs: x.startUs, durationUs: x.durationUs }]));
    expect(got).toEqual(Object.fromEntries(Object.entries(want).map(([id, t]) => [id, { startUs: t.startUs, durationUs: t.durationUs }])));
    const slow = Object.keys(want).reduce((a, b) => (want[b]!.durationUs > want[a]!.durationUs ? b : a));
    const tree = await runCli(['tree', slow, '--json', '-q', fixture(`units/${file}`)]);
    const spans: Record<string, number> = {};
    const stack = [...(JSON.parse(tree.stdout) as { roots: (Node & { spanId: string })[] }).roots];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      spans[key(n)] = n.durationUs;
      stack.push(...(n.children as (Node & { spanId: string })[]));
    }
    expect(spans).toEqual(want[slow]!.spans);
  }

  async function latency(file: string): Promise<Record<string, Lat>> {
    const r = await runCli(['latency', '--json', '-q', fixture(`units/${file}`)]);
    return Object.fromEntries(jsonLines<Lat>(r.stdout).map((x) => [x.service, x]));
  }

  it('pino-http logs once, at the end: one request of 2.31 s leaves `responseTime` in ms', async () => {
    await expectTruth('pino-http-ends.log');
    const lat = await latency('pino-http-ends.log');
    expect([lat.gateway!.minUs, lat.gateway!.maxUs, lat.orders!.maxUs]).toEqual([40_000, 2_310_000, 2_300_000]);
    const r = await runCli(['latency', fixture('units/pino-http-ends.log')]);
    expect(r.stderr).not.toContain('read as');
  });

  it('one request starting 2.2 s before the rest of its trace does not turn the gateway: 1 span of 50', async () => {
    await expectTruth('pino-http-mixed.log');
    const lat = await latency('pino-http-mixed.log');
    expect([lat.gateway!.minUs, lat.gateway!.maxUs, lat.orders!.maxUs]).toEqual([40_000, 2_310_000, 79_000]);
  });

  it("Traefik's ns and logback-access's `elapsed_time` in ms, each one line at its end: both stand", async () => {
    await expectTruth('access-ends.log');
    const lat = await latency('access-ends.log');
    expect([lat.traefik!.maxUs, lat.orders!.minUs, lat.orders!.maxUs]).toEqual([2_310_000, 30_000, 2_300_000]);
  });

  it("Go slog's `dur` of 2.1–2.5 ms stays nanoseconds, under a 1.2 s gateway span", async () => {
    await expectTruth('slog-ns.log');
    const lat = await latency('slog-ns.log');
    expect([lat.inventory!.minUs, lat.inventory!.maxUs, lat.gateway!.maxUs]).toEqual([2_100, 2_500, 1_200_000]);
    const r = await runCli(['latency', fixture('units/slog-ns.log')]);
    expect(r.stderr).toContain('tracectl: note: inventory dur read as ns (from 5 spans');
  });

  it("bunyan's `latency` in a 9.5-minute job stays milliseconds", async () => {
    await expectTruth('bunyan-job.log', (n) => n.spanId);
    const lat = await latency('bunyan-job.log');
    expect([lat['export-job']!.count, lat['export-job']!.minUs, lat['export-job']!.p50Us, lat['export-job']!.maxUs]).toEqual([20, 33_000, 150_000, 410_000]);
  });
});
