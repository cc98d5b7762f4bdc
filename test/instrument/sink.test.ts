// A Writable sink's backpressure, in-process: what the logger and the reporter do while it is blocked
// and once it drains (the real stdout: process.test.ts).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DistributedTracer, TracedLogger } from '../../src/instrument/index.js';
import { BLOCKED_ALLOWANCE } from '../../src/instrument/sink.js';

describe('a blocked Writable sink', () => {
  it('the logger writes up to its allowance, drops and counts the rest, and says so once it drains', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const logger = new TracedLogger({ sink: out });
    const line = 'x'.repeat(1000);
    const n = Math.ceil((2 * BLOCKED_ALLOWANCE) / 1000);
    for (let i = 0; i < n; i++) logger.info(line);
    const s = logger.stats();
    expect(s.written + s.dropped).toBe(n);
    expect(s.dropped).toBeGreaterThan(n / 3);
    expect(out.writableLength).toBeLessThan(BLOCKED_ALLOWANCE + 4096);
    // The reader catches up: everything written arrives, then one warning with the count.
    const text: string[] = [];
    out.on('data', (c: Buffer) => text.push(c.toString()));
    await new Promise((r) => setTimeout(r, 50));
    const lines = text.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.message === line)).toHaveLength(s.written);
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: 'log lines dropped: output blocked', dropped: s.dropped, droppedTotal: s.dropped });
  });

  it('the reporter writes nothing while blocked, keeps what fits its queue, and writes it after the drain', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const warnings: string[] = [];
    const tracer = new DistributedTracer({ sink: out, maxQueueSize: 100, maxBatchSize: 10, logger: new TracedLogger({ sink: (l) => warnings.push(l) }) });
    out.write('x'.repeat(2048)); // blocked before the first span
    for (let i = 0; i < 150; i++) tracer.endSpan(tracer.startSpan(`s${i}`));
    await new Promise((r) => setTimeout(r, 20));
    expect(tracer.stats()).toEqual({ queued: 100, written: 0, dropped: 50, lost: 0 });
    const text: string[] = [];
    out.on('data', (c: Buffer) => text.push(c.toString()));
    await tracer.flush(2000);
    expect(tracer.stats()).toEqual({ queued: 0, written: 100, dropped: 50, lost: 0 });
    expect(text.join('').split('\n').filter((l) => l.includes('"startTime"'))).toHaveLength(100);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ message: 'span records dropped: reporter queue full', dropped: 50 });
  });
});
