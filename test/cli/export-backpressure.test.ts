// export --to against a receiver that answers slowly: completed traces do not pile up. Reading waits
// while a completed trace is held (export/send-queue.ts), and the senders hold at most
// (--concurrency + 1) × --batch-spans spans; counted through the injected observer (Io.sendObserver).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './run-cli.js';
import { followed } from './followed.js';
import { closeReceivers, decode, receiver, spansOf } from '../export/otlp-receiver.js';

afterEach(closeReceivers);

/**
 * 60 requests two seconds apart in the logs' time, each a trace of 5 spans (api → auth, orders → db, cache),
 * one log line a span: with --trace-timeout 1s, each trace completes when the next one's first line is read.
 */
const TRACES = 60;
const SPANS = TRACES * 5;
function requests(): string {
  const lines: string[] = [];
  for (let n = 0; n < TRACES; n++) {
    const traceId = (0xa000 + n).toString(16).padStart(32, '0');
    const at = (ms: number) => new Date(Date.UTC(2024, 4, 1, 10, 0, 0) + n * 2000 + ms).toISOString();
    const span = (k: number) => `${(n * 8 + k).toString(16).padStart(15, '0')}${k}`;
    const line = (ms: number, service: string, k: number, parent: number | undefined, message: string) =>
      JSON.stringify({ timestamp: at(ms), level: 'info', message, service, traceId, spanId: span(k), ...(parent !== undefined ? { parentSpanId: span(parent) } : {}), durationMs: 10 });
    lines.push(line(0, 'api', 1, undefined, 'GET /orders'), line(5, 'auth', 2, 1, 'token checked'), line(20, 'orders', 3, 1, 'orders listed'), line(25, 'db', 4, 3, 'SELECT orders'), line(40, 'cache', 5, 3, 'cache filled'));
  }
  return lines.join('\n') + '\n';
}

describe('export --to backpressure', () => {
  it('a slow receiver: the senders never hold more than the bound, reading waits, and every span arrives', async () => {
    const rx = await receiver(() => ({ delayMs: 15 }));
    let mostHeld = 0;
    let mostInSenders = 0;
    let changes = 0;
    const r = await runCli(['export', '--to', rx.base, '--batch-spans', '5', '--concurrency', '1', '--trace-timeout', '1s', '--threads', '1', '-'], {
      stdin: requests(),
      // Chunks of a line or two, so that traces complete as the input goes on (one source, by log time).
      env: { NO_COLOR: '1', TRACECTL_CHUNK_BYTES: '64' },
      sendObserver: {
        queued: (held, inSenders) => {
          changes++;
          mostHeld = Math.max(mostHeld, held);
          mostInSenders = Math.max(mostInSenders, inSenders);
        },
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const spans = (await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body))))).flat();
    expect(spans).toHaveLength(SPANS);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(SPANS);
    expect(r.stderr).toContain(`${SPANS} spans sent`);
    expect(mostInSenders).toBeLessThanOrEqual(10); // (1 + 1) × 5
    // Reading waited: a line completes at most the trace before it, so one trace (5 spans) is held at a
    // time. Without the wait the reading runs ahead and ~290 spans are held (measured).
    expect(mostHeld).toBe(5);
    expect(changes).toBeGreaterThan(SPANS / 5);
  });

  // Many traces completed at once — by one chunk, by the end of input, by one turn of the --follow timer —
  // are taken to the senders one at a time, each once there is room: what is held is one trace at most.
  const bounded = async (run: (base: string, sendObserver: { queued(held: number, inSenders: number): void }) => Promise<CliResult>) => {
    const rx = await receiver(() => ({ delayMs: 15 }));
    let mostHeld = 0;
    let mostInSenders = 0;
    const r = await run(rx.base, {
      queued: (held, inSenders) => {
        mostHeld = Math.max(mostHeld, held);
        mostInSenders = Math.max(mostInSenders, inSenders);
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const spans = (await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body))))).flat();
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(SPANS);
    expect(r.stderr).toContain(`${SPANS} spans sent`);
    expect(mostInSenders).toBeLessThanOrEqual(10);
    return mostHeld;
  };
  const SEND = ['--batch-spans', '5', '--concurrency', '1'];

  it('one chunk that completes many traces: one trace held at a time (#32)', async () => {
    // The whole input is one chunk (64 KiB): each trace completes as the next one's first line is read.
    const held = await bounded((base, sendObserver) => runCli(['export', '--to', base, ...SEND, '--trace-timeout', '1s', '--threads', '1', '-'], { stdin: requests(), sendObserver }));
    expect(held).toBe(5); // 295 when the bound was checked only between chunks (measured)
  });

  it('the end of input, which completes every trace at once: one trace held at a time (#32)', async () => {
    const held = await bounded((base, sendObserver) => runCli(['export', '--to', base, ...SEND, '--trace-timeout', 'none', '--threads', '1', '-'], { stdin: requests(), sendObserver }));
    expect(held).toBe(5);
  });

  it('one turn of the --follow timer, which completes every trace at once: one trace held at a time (#32)', async () => {
    const held = await bounded(async (base, sendObserver) => {
      const f = followed(['export', '-f', '--idle', '40ms', '--to', base, ...SEND], { sendObserver });
      f.write(requests().trimEnd().split('\n'));
      await new Promise((resolve) => setTimeout(resolve, 300)); // every line read, at the clock's time
      f.advance(1000); // every trace quiet at the timer's next turn
      await new Promise((resolve) => setTimeout(resolve, 300));
      f.end();
      return f.run;
    });
    expect(held).toBe(5);
  });

  it('on worker threads too: the pace stays on the reading thread, every span arrives', async () => {
    const rx = await receiver();
    // One plain file, split into a part per thread (DEVELOPERS.md's knobs): the bench's case.
    const file = join(mkdtempSync(join(tmpdir(), 'tracectl-backpressure-')), 'requests.log');
    writeFileSync(file, requests());
    const r = await runCli(['export', '--to', rx.base, '--threads', '2', file], { env: { NO_COLOR: '1', TRACECTL_CHUNK_BYTES: '4096', TRACECTL_THREADS_AFTER_BYTES: '0' } });
    rmSync(dirname(file), { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    const spans = (await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body))))).flat();
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(SPANS);
  });
});
