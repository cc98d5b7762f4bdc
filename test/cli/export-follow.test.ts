// export --follow in-process, as test/cli/follow.test.ts runs the other commands: stdin is a stream the
// test writes to, the clock one it moves. A trace is exported once it has been quiet for --idle, while the
// input is still open; Ctrl-C (the abort signal) exports the open traces, prints the summary, exits 130.
// And export --to against a slow loopback receiver: reading waits while the senders are full.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { fixture, runCli } from './run-cli.js';
import { followed, turns } from './followed.js';
import { closeReceivers, decode, receiver, spansOf } from '../export/otlp-receiver.js';

const LINES = readFileSync(fixture('live/late-callback.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
const A = '4bf92f3577b34da6a3ce929d0e0e4736';
const B = '00f067aa0ba902b700f067aa0ba902b7';
const C = 'a3ce929d0e0e47364bf92f3577b34da6';
const dir = mkdtempSync(join(tmpdir(), 'tracectl-export-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(closeReceivers);

type OtlpLine = { resourceSpans: { resource: { attributes: { value: { stringValue: string } }[] }; scopeSpans: { spans: { traceId: string; spanId: string; events?: unknown[] }[] }[] }[] };
const spansIn = (line: string) => (JSON.parse(line) as OtlpLine).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

describe('export --follow', () => {
  it('writes a trace (one OTLP line) once it has been quiet for --idle, while the input is still open', async () => {
    const f = followed(['export', '-f', '--idle', '40ms']);
    f.write(LINES.slice(0, 4)); // A: api GET /orders with its db query, 4 lines, 2 spans
    await turns();
    expect(f.out()).toBe(''); // the clock has not moved: A is not quiet yet
    f.advance(40);
    await vi.waitFor(() => expect(f.out()).toContain(A), { timeout: 5000 });
    const first = f.out().trim().split('\n');
    expect(first).toHaveLength(1);
    expect(spansIn(first[0]!).map((s) => [s.traceId, s.spanId, s.events?.length])).toEqual([
      [A, 'a1000000000000a1', 2],
      [A, 'a2000000000000a2', 2],
    ]);
    f.write(LINES.slice(4, 6)); // B
    f.end();
    const r = await f.run;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => spansIn(l)[0]!.traceId)).toEqual([A, B]);
    expect(r.stderr).toContain('6 lines read from 1 source: 6 used');
    expect(r.stderr).toContain('tracectl: exported 2 traces, 3 spans as otlp');
  });

  it('counts a line that comes after its trace was exported as late, and does not export the trace again', async () => {
    const f = followed(['export', '-f', '--idle', '40ms']);
    f.write(LINES.slice(0, 4));
    await turns();
    f.advance(1000);
    await vi.waitFor(() => expect(f.out()).toContain(A), { timeout: 5000 });
    f.write(LINES.slice(8, 9)); // A's worker callback, 12 s later in the logs
    f.end();
    const r = await f.run;
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('1 late line (of used)');
  });

  it('on Ctrl-C sends the open traces to --to, prints the summary line and exits 130', async () => {
    const rx = await receiver();
    const ctrlC = new AbortController();
    const f = followed(['export', '-f', '--idle', '40ms', '--to', rx.base], { signal: ctrlC.signal });
    f.write(LINES.slice(0, 4)); // A, complete once quiet
    await turns();
    f.advance(1000);
    // Sent while reading goes on: the open batch goes a second after its first span, not full.
    await vi.waitFor(() => expect(rx.arrivals).toHaveLength(1), { timeout: 5000 });
    expect(spansOf(await decode(rx.arrivals[0]!.body)).map((s) => s.traceId)).toEqual([A, A]);
    f.write(LINES.slice(6, 8)); // C, open when Ctrl-C comes: api and payments, 2 spans
    await turns();
    ctrlC.abort();
    const r = await f.run;
    expect(r.code).toBe(130);
    const spans = (await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body))))).flat();
    expect(spans.map((s) => `${s.traceId}/${s.spanId}`).sort()).toEqual([`${A}/a1000000000000a1`, `${A}/a2000000000000a2`, `${C}/c1000000000000c1`, `${C}/c2000000000000c2`]);
    expect(r.stderr).toContain('6 lines read');
    expect(r.stderr).toContain('interrupted');
    expect(rx.arrivals).toHaveLength(2); // C, sent at Ctrl-C
    expect(r.stderr).toContain(`tracectl: export: 4 spans sent to ${rx.base}/v1/traces in 2 requests; 0 rejected, 0 failed`);
    expect(r.stderr).toContain('0 rejected, 0 failed');
  });

  it('streams a one-document format into a file and closes it at Ctrl-C: a valid Jaeger upload', async () => {
    const file = join(dir, 'follow.jaeger.json');
    const ctrlC = new AbortController();
    const f = followed(['export', '-f', '--idle', '40ms', '--format', 'jaeger', '-o', file], { signal: ctrlC.signal });
    f.write(LINES.slice(0, 4));
    await turns();
    f.advance(1000);
    // Written when A completes, before the end: the document's opening and A's trace.
    await vi.waitFor(() => expect(readFileSync(file, 'utf8')).toContain(A), { timeout: 5000 });
    expect(() => JSON.parse(readFileSync(file, 'utf8'))).toThrow(); // not closed yet
    f.write(LINES.slice(4, 5)); // B, half
    await turns();
    ctrlC.abort();
    const r = await f.run;
    expect(r.code).toBe(130);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { data: { traceID: string; spans: unknown[] }[] };
    expect(doc.data.map((t) => [t.traceID, t.spans.length])).toEqual([
      [A, 2],
      [B, 1],
    ]);
  });

  it('a second Ctrl-C, which leaves without waiting, closes the document first: the file opens (#32)', async () => {
    for (const format of ['jaeger', 'zipkin', 'chrome']) {
      const file = join(dir, `leave.${format}.json`);
      const ctrlC = new AbortController();
      const leave = new AbortController();
      const f = followed(['export', '-f', '--idle', '40ms', '--format', format, '-o', file], { signal: ctrlC.signal, leaving: leave.signal });
      f.write(LINES.slice(0, 4));
      await turns();
      f.advance(1000);
      await vi.waitFor(() => expect(readFileSync(file, 'utf8')).toContain('a1000000000000a1'), { timeout: 5000 }); // A written
      f.write(LINES.slice(4, 5)); // B, half, still open
      await turns();
      ctrlC.abort();
      leave.abort(); // the process exits right after this (cli/process.ts): what is in the file is what stays
      const left = readFileSync(file, 'utf8');
      expect(() => JSON.parse(left), format).not.toThrow();
      expect(left).toContain('a2000000000000a2');
      expect(left).not.toContain('b1000000000000b1');
      await f.run; // in-process the command goes on; nothing more reaches the closed file
      expect(readFileSync(file, 'utf8')).toBe(left);
    }
  });

  it('without -f, Ctrl-C with --to stops reading and still sends what was read, as -f does (#32)', async () => {
    const rx = await receiver(() => ({ delayMs: 50 }));
    const ctrlC = new AbortController();
    // No -f: stdin read in batch, traces complete by --trace-timeout (1s of the logs' time) as it goes;
    // chunks of a line or two, so that lines are processed while stdin is open.
    const argv = ['export', '--to', rx.base, '--trace-timeout', '1s', '--batch-spans', '1', '--concurrency', '1'];
    const f = followed(argv, { signal: ctrlC.signal, env: { NO_COLOR: '1', TRACECTL_CHUNK_BYTES: '64' } });
    f.write(LINES.slice(0, 8)); // A and B, complete once the next trace starts; C (2 spans) still open
    await vi.waitFor(() => expect(rx.arrivals.length).toBeGreaterThan(0), { timeout: 5000 }); // a request out
    ctrlC.abort();
    const r = await f.run;
    expect(r.code).toBe(130);
    const spans = (await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body))))).flat();
    expect(spans.map((s) => `${s.traceId}/${s.spanId}`).sort()).toEqual(
      [`${A}/a1000000000000a1`, `${A}/a2000000000000a2`, `${B}/b1000000000000b1`, `${C}/c1000000000000c1`, `${C}/c2000000000000c2`].sort(),
    );
    expect(r.stderr).toContain('8 lines read');
    expect(r.stderr).toContain('interrupted');
    expect(r.stderr).toContain(`tracectl: export: 5 spans sent to ${rx.base}/v1/traces in 5 requests; 0 rejected, 0 failed\n`);
  });

  it('follows one source only, and not with --where', async () => {
    const two = await runCli(['export', '-f', fixture('live/late-callback.jsonl'), fixture('demo/checkout.log')]);
    expect([two.code, two.stderr]).toEqual([2, 'tracectl: --follow reads one file, or stdin\n']);
    const where = await runCli(['export', '-f', '--where', 'service=api'], { stdin: LINES.join('\n') });
    expect([where.code, where.stderr]).toEqual([2, 'tracectl: --where cannot be used with --follow\n']);
  });
});
