import { describe, expect, it } from 'vitest';
import { MAX_DECIDED, SLACK_US, UnitEvidence } from '../../src/ingest/unit-evidence.js';
import { unitKey } from '../../src/entries/duration-unit.js';

/**
 * The rule of unit-evidence.ts, case by case. Each trace is drawn as its lines on a time axis (seconds)
 * and the duration line `d` that ends at its time:
 *
 *     0 s  first line                 5 s  `d` = 4900 (read in s: starts 4895 s before 5 s → rejected)
 */
const S = 1_000_000;

function decide(traces: { lines: number[]; d: { at: number; value: number } }[], service = 'api', field = 'latency') {
  const e = new UnitEvidence();
  traces.forEach((t, i) => {
    const id = `t${i}`;
    for (const at of t.lines) e.line(id, at);
    e.line(id, t.d.at);
    e.duration(id, service, field, t.d.at, t.d.value);
  });
  return e.decide().get(unitKey(service, field));
}

describe('units decided from the timestamps', () => {
  it('a ms field of 4900 on a 5 s trace: s rejected, ms fits', () => {
    expect(decide([{ lines: [0], d: { at: 5 * S, value: 4900 } }])).toEqual({ unit: 'ms', spans: 1 });
  });

  it('an ns field of 4.9e9: s, ms and us rejected', () => {
    expect(decide([{ lines: [0], d: { at: 5 * S, value: 4.9e9 } }])?.unit).toBe('ns');
  });

  it('float seconds (Caddy, 0.00045) fit s, the largest unit', () => {
    expect(decide([{ lines: [0], d: { at: 1000, value: 0.00045 } }])?.unit).toBe('s');
  });

  it('a span may start up to one extent and the slack before the first line (an access log writes only at the end)', () => {
    // Lines at 0 and 2 s; a 5 s duration read in s starts at -3 s: 2 s extent + 1 s slack before 0 allows it.
    expect(decide([{ lines: [0], d: { at: 2 * S, value: 5 } }])?.unit).toBe('s');
    expect(decide([{ lines: [0], d: { at: 2 * S, value: 5 + 1e-3 } }])?.unit).toBe('ms');
    expect(SLACK_US).toBe(S);
  });

  it('a one-line trace gives no evidence: nothing decided', () => {
    expect(decide([{ lines: [], d: { at: 5 * S, value: 4.9e9 } }])).toBeUndefined();
  });

  it('a zero duration gives no evidence', () => {
    expect(decide([{ lines: [0], d: { at: 5 * S, value: 0 } }])).toBeUndefined();
  });

  it('small values in short traces do not fool it: the longest spans reject the too-large unit', () => {
    // 49 ms-field spans of 1 (fit s on their own in 2 s traces) and one of 300 in a 400 ms trace: s rejected.
    const traces = Array.from({ length: 49 }, () => ({ lines: [0], d: { at: 2 * S, value: 1 } }));
    traces.push({ lines: [0], d: { at: 0.4 * S, value: 300 } });
    expect(decide(traces)?.unit).toBe('ms');
  });

  it('one stray span in 200 is tolerated, two are not', () => {
    const fitting = Array.from({ length: 199 }, () => ({ lines: [0], d: { at: 1 * S, value: 0.5 } }));
    const stray = { lines: [0], d: { at: 1 * S, value: 900 } };
    expect(decide([...fitting, stray])?.unit).toBe('s'); // 1 of 200
    expect(decide([...fitting.slice(0, 198), stray, stray])?.unit).toBe('ms'); // 2 of 200
    expect(decide([...fitting.slice(0, 49), stray])?.unit).toBe('ms'); // 1 of 50
  });

  it('per service and field: the same field name of two services is decided apart', () => {
    const e = new UnitEvidence();
    e.line('a', 0);
    e.line('a', 5 * S);
    e.duration('a', 'traefik', 'Duration', 5 * S, 4.9e9);
    e.duration('a', 'payments', 'Duration', 5 * S, 212);
    const table = e.decide();
    expect(table.get(unitKey('traefik', 'Duration'))?.unit).toBe('ns');
    expect(table.get(unitKey('payments', 'Duration'))?.unit).toBe('ms');
  });

  it('lines that contradict every unit decide nothing', () => {
    // 1e12 ns is 1000 s: no unit makes it fit a 1 s trace.
    expect(decide([{ lines: [0], d: { at: 1 * S, value: 1e12 } }])).toBeUndefined();
  });

  it('a head with a service a line decides at most MAX_DECIDED pairs', () => {
    const e = new UnitEvidence();
    e.line('a', 0);
    for (let i = 0; i < MAX_DECIDED + 100; i++) {
      e.line('a', 5 * S);
      e.duration('a', `svc-${i}`, 'latency', 5 * S, 4900);
    }
    expect(e.decide().size).toBe(MAX_DECIDED);
  });
});
