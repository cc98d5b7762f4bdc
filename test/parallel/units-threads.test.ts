import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from '../cli/run-cli.js';

/**
 * Units decided from the timestamps are decided once, from the head of the input, and every thread reads
 * with them: 1 and 2 threads print the same bytes, and the durations of fixtures/units/truth.json. Chunks
 * of 2 KiB put each service's lines in several workers' chunks (a one-thread decision per chunk would
 * differ between them).
 */
const LOG = fixture('units/incident.log');
const truth = JSON.parse(readFileSync(fixture('units/truth.json'), 'utf8')) as { traces: Record<string, { durationUs: number }> };
const env = { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0', NO_COLOR: '1' };
const slowId = Object.entries(truth.traces).sort((a, b) => b[1].durationUs - a[1].durationUs)[0]![0];

describe('duration units on 1 and 2 threads', () => {
  it.each([
    ['slowest', '--json', '--top', '30'],
    ['group', '--json'],
    ['tree', slowId, '--json'],
    ['latency', '--json'],
    ['critical-path', slowId, '--json'],
    ['export', '--format', 'jaeger'],
  ])('%s %s: the same bytes on 1 and 2 threads, file and gzipped stdin', async (...argv) => {
    const one = await runCli([...argv, LOG, '--threads', '1'], { env });
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('recommender latency read as ns (from 16 spans');
    const two = await runCli([...argv, LOG, '--threads', '2'], { env });
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    const piped = await runCli([...argv, '--threads', '2'], { env, stdin: gzipSync(readFileSync(LOG)) });
    expect(piped.stdout.replaceAll('"stdin:', `"${LOG}:`)).toBe(one.stdout); // export names each line's source
  });

  it('on 2 threads every trace lasts as the truth says', async () => {
    const r = await runCli(['slowest', '--json', '--top', '30', LOG, '--threads', '2'], { env });
    const got = Object.fromEntries(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; durationUs: number }).map((x) => [x.traceId, x.durationUs]));
    expect(got).toEqual(Object.fromEntries(Object.entries(truth.traces).map(([id, t]) => [id, t.durationUs])));
  });
});
