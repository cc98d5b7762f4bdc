import { describe, expect, it } from 'vitest';
import type { EnvelopeInfo } from '../../src/input/envelopes.js';
import { EnvelopeReader, PARTIAL_REACH, workloadFromPod } from '../../src/input/envelopes.js';
import { project, readFixture, readSources, T0, type Ingested, type Projected } from '../entries/ingest-fixture.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each envelope fixture through the real ingest(): [line, expected], and the totals. */
type Row = [line: number, expected: Projected];
const DIR = 'fixtures/envelopes/';
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '0af7651916cd43dd8448eb211c80319c';
const B3 = '0000000000000000a3ce929d0e0e4736';
const KEYS = ['traceId', 'spanId', 'service', 'time', 'level', 'message', 'error', 'errorMessage', 'duration', 'envelope'] as const;
const env = (kinds: string[], more: Omit<EnvelopeInfo, 'kinds'> = {}): EnvelopeInfo => ({ kinds, ...more });

interface Totals { read: number; used: number; withoutTrace: number; joined: number; skipped: Record<string, number> }

function table(file: string, totals: Totals, rows: Row[]): void {
  describe(file, () => {
    let got: Ingested;
    it('accounts for every line', async () => {
      got = await readFixture(DIR + file);
      const { read, used, withoutTrace, joined } = got.stats;
      expect({ read, used, withoutTrace, joined, skipped: Object.fromEntries([...got.stats.skipped].map(([k, v]) => [k, v.count])) }).toEqual(totals);
      expect(got.stats.balanced).toBe(true);
      expect(got.entries.map((e) => e.line)).toEqual(rows.map((r) => r[0]));
    });
    it.each(rows)('line %i', (line, expected) => {
      expect(project(got.byLine.get(line), KEYS)).toEqual(expected);
    });
  });
}

const CHECKOUT = { pod: 'checkout-7d4b9c6f5-x2x9k' };
table('kubectl-prefix.log', { read: 4, used: 2, withoutTrace: 1, joined: 0, skipped: { 'not JSON': 1 } }, [
  [1, { traceId: T, spanId: '00f067aa0ba902b7', service: 'checkout', time: T0 + 100000, level: 'info', message: 'checkout started', error: false, envelope: env(['kubectl-prefix'], { ...CHECKOUT, container: 'checkout' }) }],
  [2, { service: 'checkout', time: T0 + 200000, level: 'info', message: 'sidecar says hi', error: false, envelope: env(['kubectl-prefix'], { ...CHECKOUT, container: 'istio-proxy' }) }],
  [3, { traceId: T, service: 'ledger', time: T0 + 300000, level: 'info', message: 'statefulset pod', error: false, envelope: env(['kubectl-prefix'], { pod: 'ledger-0', container: 'ledger' }) }],
]);

table('kubectl-timestamps.log', { read: 3, used: 2, withoutTrace: 1, joined: 0, skipped: {} }, [
  [1, { traceId: T, service: 'cart', time: T0 + 100200, level: 'info', message: 'no time of its own', error: false, envelope: env(['kubectl-timestamps'], { time: T0 + 100200 }) }],
  [2, { traceId: T, time: T0 + 400000, level: 'info', message: 'own time wins', error: false, envelope: env(['kubectl-timestamps'], { time: T0 + 500000 }) }],
  [3, { time: T0, level: 'info', message: 'offset envelope time', error: false, envelope: env(['kubectl-timestamps'], { time: T0 }) }],
]);

const PAY = { pod: 'payments-6c9d8b7f4-kx7vq', container: 'payments' };
table('kubectl-prefix-timestamps.log', { read: 3, used: 2, withoutTrace: 0, joined: 0, skipped: { 'not JSON': 1 } }, [
  [1, { traceId: T, spanId: '53995c3f42cd8ad8', service: 'payments', time: T0 + 1010000, level: 'info', message: 'charging card', error: false, envelope: env(['kubectl-prefix', 'kubectl-timestamps'], { ...PAY, time: T0 + 1010123 }) }],
  [2, { traceId: T, spanId: '53995c3f42cd8ad8', service: 'payments', time: T0 + 1470000, level: 'error', message: 'payment failed', error: true, errorMessage: 'PaymentError: card declined', envelope: env(['kubectl-prefix', 'kubectl-timestamps'], { ...PAY, time: T0 + 1470000 }) }],
]);

const CART = { pod: 'cart-5b9f7c6d4-k8p2m' };
table('stern.log', { read: 3, used: 3, withoutTrace: 0, joined: 0, skipped: {} }, [
  [1, { traceId: T, service: 'cart', time: T0 + 2000000, level: 'info', message: 'cart loaded', error: false, envelope: env(['stern'], { ...CART, container: 'cart' }) }],
  [2, { traceId: T, service: 'cart', message: 'access', error: false, envelope: env(['stern'], { ...CART, container: 'istio-proxy' }) }],
  [3, { traceId: T, service: 'cart', time: T0 + 2250000, level: 'warn', message: 'stern --timestamps', error: false, envelope: env(['stern', 'kubectl-timestamps'], { ...CART, container: 'cart', time: T0 + 2250000 }) }],
]);

table('docker-json.log', { read: 5, used: 3, withoutTrace: 0, joined: 1, skipped: { 'not JSON': 1 } }, [
  [1, { traceId: B3, spanId: 'e0e4736a3ce929d0', service: 'worker', time: T0 + 3000000, level: 'info', message: 'job started', error: false, envelope: env(['docker'], { stream: 'stdout', time: T0 + 3000100 }) }],
  [3, { traceId: B3, service: 'worker', time: T0 + 3250000, level: 'warn', message: 'a long line split by dockerd at 16 KiB', error: false, envelope: env(['docker'], { stream: 'stdout', time: T0 + 3250200 }) }],
  [5, { traceId: B3, time: T0 + 3400000, level: 'error', message: 'no time inside', error: true, errorMessage: 'no time inside', envelope: env(['docker'], { stream: 'stderr', time: T0 + 3400000 }) }],
]);

table('cri.log', { read: 6, used: 3, withoutTrace: 0, joined: 2, skipped: { 'not JSON': 1 } }, [
  [1, { traceId: T2, spanId: '1b2c3d4e5f607182', service: 'db-proxy', time: T0 + 2050000, level: 'info', message: 'db query', error: false, duration: 30000, envelope: env(['cri'], { stream: 'stdout', time: T0 + 2050000 }) }],
  [4, { traceId: T2, spanId: '1b2c3d4e5f607182', service: 'db-proxy', time: T0 + 2060000, level: 'info', message: 'a long line split by the runtime, in three pieces', error: false, envelope: env(['cri'], { stream: 'stdout', time: T0 + 2060000 }) }],
  [5, { traceId: T2, time: T0 + 2070000, level: 'error', message: 'stderr line', error: true, errorMessage: 'stderr line', envelope: env(['cri'], { stream: 'stderr', time: T0 + 2070000 }) }],
]);

const API = { pod: 'api-7d4b9c6f5-x2x9k', container: 'api' };
const m = (message: string, time: number | undefined, envelope: EnvelopeInfo | undefined, service?: string): Projected => {
  const p: Projected = { traceId: T, level: 'info', message, error: false };
  if (time !== undefined) p.time = time;
  if (envelope) p.envelope = envelope;
  if (service) p.service = service;
  return p;
};
table('mixed.log', { read: 10, used: 8, withoutTrace: 0, joined: 0, skipped: { 'not JSON': 1, 'blank line': 1 } }, [
  [1, m('bare json', T0, undefined)],
  [2, m('kubectl prefix', undefined, env(['kubectl-prefix'], API), 'api')],
  [3, m('kubectl timestamps', T0 + 200000, env(['kubectl-timestamps'], { time: T0 + 200000 }))],
  [4, m('both', T0 + 300000, env(['kubectl-prefix', 'kubectl-timestamps'], { ...API, time: T0 + 300000 }), 'api')],
  [5, m('stern', undefined, env(['stern'], API), 'api')],
  [6, m('docker', T0 + 500000, env(['docker'], { stream: 'stdout', time: T0 + 500000 }))],
  [7, m('cri', T0 + 600000, env(['cri'], { stream: 'stdout', time: T0 + 600000 }))],
  [10, m('bare again', undefined, undefined)],
]);

describe('EnvelopeReader', () => {
  it('joins partial pieces and keeps the final piece’s envelope', () => {
    const r = new EnvelopeReader();
    expect(r.unwrap('2024-05-01T10:00:00Z stdout P {"a":')).toEqual({ kind: 'partial' });
    expect(r.pending).toBe(true);
    expect(r.unwrap('2024-05-01T10:00:01Z stdout F 1}')).toEqual({ kind: 'payload', payload: '{"a":1}', info: { kinds: ['cri'], stream: 'stdout', time: T0 + 1_000_000 }, at: -1 }); // joined: not the line's tail
    expect(r.flush()).toBeUndefined();
  });

  it('says where a payload starts in the line when it is the line’s tail', () => {
    const r = new EnvelopeReader();
    for (const prefix of ['', '[pod/api-7d9f/api] ', '2024-05-01T10:00:00.123456789Z ', '[pod/api-7d9f/api] 2024-05-01T10:00:00Z ', 'api-7d9f api ', '2024-05-01T10:00:00Z stdout F ']) {
      const line = `${prefix}{"a":1}`;
      const u = r.unwrap(line);
      expect(u.kind === 'payload' && line.slice(u.at)).toBe('{"a":1}');
    }
  });

  it('pieces left at the end are flushed', () => {
    const r = new EnvelopeReader();
    r.unwrap('{"log":"{\\"a\\":","stream":"stdout","time":"2024-05-01T10:00:00Z"}');
    expect(r.flush()).toBe('{"a":');
  });

  it('a joined line over the cap is dropped as its pieces arrive', () => {
    const r = new EnvelopeReader(100);
    for (let i = 0; i < 1000; i++) expect(r.unwrap(`2024-05-01T10:00:00Z stdout P ${'x'.repeat(50)}`).kind).toBe('partial');
    expect((r as unknown as { partials: Map<string, { text: string }> }).partials.get('stdout')!.text.length).toBeLessThanOrEqual(100);
    expect(r.unwrap('2024-05-01T10:00:00Z stdout F end')).toEqual({ kind: 'tooLong', bytes: 50_003 });
    expect(r.unwrap('2024-05-01T10:00:00Z stdout F {"ok":1}')).toMatchObject({ kind: 'payload', payload: '{"ok":1}' });
    r.unwrap(`{"log":"${'y'.repeat(150)}","stream":"stdout"}`, 7);
    expect(r.takeUnfinished()).toEqual([{ text: '', dropped: 150, line: 7, since: 7 }]);
    expect(r.flush()).toBeUndefined();
  });

  it('joins the pieces of each stream apart: a whole line of the other stream may come between them', () => {
    const r = new EnvelopeReader();
    expect(r.unwrap('2024-05-01T10:00:00Z stdout P {"a":', 1).kind).toBe('partial');
    expect(r.unwrap('2024-05-01T10:00:00Z stderr F {"err":1}', 2)).toMatchObject({ kind: 'payload', payload: '{"err":1}' });
    expect(r.unwrap('2024-05-01T10:00:00Z stdout P 1,', 3).kind).toBe('partial');
    expect(r.unwrap('2024-05-01T10:00:00Z stdout F "b":2}', 4)).toMatchObject({ kind: 'payload', payload: '{"a":1,"b":2}', info: { stream: 'stdout' } });
    expect(r.unwrap('{"log":"{\\"c\\":","stream":"stdout"}', 5).kind).toBe('partial');
    expect(r.unwrap('{"log":"{\\"e\\":1}\\n","stream":"stderr"}', 6)).toMatchObject({ payload: '{"e":1}' });
    expect(r.unwrap('{"log":"3}\\n","stream":"stdout"}', 7)).toMatchObject({ payload: '{"c":3}' });
  });

  it('a piece waits PARTIAL_REACH lines for the rest of its line', () => {
    const r = new EnvelopeReader();
    r.unwrap('2024-05-01T10:00:00Z stdout P {"a":', 10);
    expect(r.takeUnfinished(10 + PARTIAL_REACH)).toEqual([]);
    expect(r.takeUnfinished(11 + PARTIAL_REACH)).toEqual([{ text: '{"a":', dropped: 0, line: 10, since: 10 }]);
    expect(r.pending).toBe(false);
  });

  it('not envelopes: text that only looks like one', () => {
    const r = new EnvelopeReader();
    expect(r.unwrap('{"log":"no stream or time"}')).toEqual({ kind: 'payload', payload: '{"log":"no stream or time"}', info: undefined, at: -1 });
    expect(r.unwrap('[pod/x] {"a":1}')).toEqual({ kind: 'payload', payload: '[pod/x] {"a":1}', info: undefined, at: 0 });
    expect(r.unwrap('Starting server {"a":1}')).toEqual({ kind: 'payload', payload: 'Starting server {"a":1}', info: undefined, at: 0 }); // not pod-name shaped
    expect(r.unwrap('2024-05-01 10:00:00 {"a":1}')).toMatchObject({ payload: '2024-05-01 10:00:00 {"a":1}' });
  });

  it.each([
    ['checkout-7d4b9c6f5-x2x9k', 'checkout'], // Deployment
    ['my-api-v2-5f7d8c9b6-q2w8z', 'my-api-v2'],
    ['ledger-0', 'ledger'], // StatefulSet
    ['node-exporter-x7k2p', 'node-exporter'], // DaemonSet
    ['standalone', 'standalone'],
  ])('workload of pod %s is %s', (pod, workload) => expect(workloadFromPod(pod)).toBe(workload));
});

describe('over-long joined lines through ingest', () => {
  it('CRI P pieces past maxLineBytes: one skipped line, balanced, the next line fine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracectl-env-'));
    const path = join(dir, 'cri-long.log');
    const piece = `2024-05-01T10:00:00.000000000Z stdout P ${'z'.repeat(900)}\n`;
    writeFileSync(path, piece.repeat(20) + '2024-05-01T10:00:00.000000000Z stdout F end\n' + `2024-05-01T10:00:01.000000000Z stdout F {"msg":"next","traceId":"${T}"}\n` + piece.repeat(5));
    const { entries, stats } = await readSources([{ name: path }], { maxLineBytes: 4096 });
    expect(entries.map((e) => [e.line, e.message])).toEqual([[22, 'next']]);
    expect([...stats.skipped]).toEqual([
      ['line over 4096 bytes (18003 bytes)', { count: 1, examples: [`${path}:21`] }],
      ['line over 4096 bytes (4500 bytes)', { count: 1, examples: [`${path}:27`] }], // unfinished at the end
    ]);
    expect([stats.read, stats.joined]).toEqual([27, 24]);
    expect(stats.balanced).toBe(true);
  });
});
