import { describe, expect, it } from 'vitest';
import { CONTRADICTED_ONE_IN, MAX_DECIDED, MIN_CONTRADICTING, SLACK_US, UnitEvidence } from '../../src/ingest/unit-evidence.js';
import { unitKey, type DurationUnit } from '../../src/entries/duration-unit.js';

/**
 * The rule of unit-evidence.ts, case by case. Each trace is drawn as its lines on a time axis (seconds),
 * each line of a span (`span`, default the trace's one other span 'x'), and the duration line `d` that
 * ends at its time in span 'd':
 *
 *     0 s  first line                 5 s  `d` = 4900 (read in s: starts 4895 s before 5 s → contradicted)
 *
 * `prior`: the unit the field is read in without the evidence (its convention, else ms).
 */
const S = 1_000_000;

interface Trace {
  lines: (number | { at: number; span: string })[];
  d: { at: number; value: number };
}

function decide(traces: Trace[], prior: DurationUnit = 'ms', service = 'api', field = 'latency') {
  const e = new UnitEvidence();
  traces.forEach((t, i) => {
    const id = `t${i}`;
    for (const l of t.lines) {
      if (typeof l === 'number') e.line(id, 'x', l);
      else e.line(id, l.span, l.at);
    }
    e.line(id, 'd', t.d.at);
    e.duration(id, 'd', service, field, t.d.at, t.d.value, prior);
  });
  return e.decide().get(unitKey(service, field));
}

/** A trace whose other span logged its start at 0 and its end at `end`: the trace's first line is a start. */
const started = (end: number, d: Trace['d']): Trace => ({ lines: [0, end], d });
const times = (n: number, t: Trace): Trace[] => Array.from({ length: n }, () => t);

describe('units decided from the timestamps', () => {
  it('the prior stands when nothing contradicts it, however large or small another fitting unit', () => {
    // 120 ms in a 10 min trace fits s too (2 minutes before the 10 minute trace's first line); ms stays.
    expect(decide(times(3, started(600 * S, { at: 600 * S, value: 120 })))?.unit).toBe('ms');
    // Go slog's 2.1e6 ns (2.1 ms) fits µs as well (2.1 s in a 10 s trace); ns stays.
    expect(decide(times(3, started(10 * S, { at: 5 * S, value: 2.1e6 })), 'ns')?.unit).toBe('ns');
  });

  it('too large: a ms field of 4900 on 5 s traces rejects s; an ns field read as ms gives way to ns', () => {
    expect(decide(times(2, started(5 * S, { at: 5 * S, value: 4900 })), 's')).toEqual({ unit: 'ms', spans: 2 });
    // 4.9e9 read as ms, µs: starts before the 5 s trace; ns is the nearest unit that fits.
    expect(decide(times(2, started(5 * S, { at: 5 * S, value: 4.9e9 })))?.unit).toBe('ns');
  });

  it('a span may start up to one extent and the slack before the first line', () => {
    // Lines at 0 and 2 s; a 5 s duration read in s starts at -3 s: 2 s extent + 1 s slack before 0 allows it.
    expect(decide(times(2, started(2 * S, { at: 2 * S, value: 5 })), 's')?.unit).toBe('s');
    expect(decide(times(2, started(2 * S, { at: 2 * S, value: 5 + 1e-3 })), 's')?.unit).toBe('ms');
    expect(SLACK_US).toBe(S);
  });

  it('a trace where every span logged one line (access logs) gives no "too large" evidence', () => {
    // Each span one line at its end, as pino-http and access logs write: 2.3 s and 2.31 s requests whose
    // lines lie 5 ms apart. The trace's first line is the inner request's end, not the trace's start.
    const ends = (n: number): Trace[] => times(n, { lines: [{ at: 5 * S, span: 'inner' }], d: { at: 5 * S + 5000, value: 2310 } });
    expect(decide(ends(50))?.unit).toBe('ms');
    // The same durations where the inner span logged its start as well: ms contradicted, µs fits.
    const starts = times(50, { lines: [{ at: 5 * S - 1000, span: 'inner' }, { at: 5 * S, span: 'inner' }], d: { at: 5 * S + 5000, value: 2310 } });
    expect(decide(starts)?.unit).toBe('us');
  });

  it('too small: a span whose own earlier line lies further back than its duration reaches', () => {
    // A .NET `Duration` of 46 (ms) where the conventions say Traefik's ns: the span's "authorizing" line
    // lies 46 ms before its last; ns and µs end too soon, ms fits (and s starts before the 0.2 s trace).
    const payments: Trace = { lines: [0, { at: 0.154 * S, span: 'd' }, 0.2 * S], d: { at: 0.2 * S, value: 46 } };
    expect(decide(times(2, payments), 'ns')?.unit).toBe('ms');
    // A duration logged mid-span (a step's, not the span's) gives no such evidence.
    const step: Trace = { lines: [0, { at: 0.154 * S, span: 'd' }, { at: 0.3 * S, span: 'd' }, 0.3 * S], d: { at: 0.2 * S, value: 46 } };
    expect(decide(times(2, step), 'ns')?.unit).toBe('ns');
  });

  it('too small allows the resolution of whole-second timestamps', () => {
    // Lines at 10 s and 11 s (whole seconds) and a 200 ms duration: the span may have run 10.9 → 11.1.
    const whole: Trace = { lines: [0, { at: 10 * S, span: 'd' }, 12 * S], d: { at: 11 * S, value: 200 } };
    expect(decide(times(2, whole))?.unit).toBe('ms');
  });

  it('one slow request never turns a field: at least MIN_CONTRADICTING spans and one in CONTRADICTED_ONE_IN', () => {
    const fast = started(0.1 * S, { at: 0.1 * S, value: 40 });
    const slow = started(0.1 * S, { at: 0.1 * S, value: 2300 }); // ms: starts 2.2 s before a 0.1 s trace
    expect(MIN_CONTRADICTING).toBe(2);
    expect(CONTRADICTED_ONE_IN).toBe(5);
    expect(decide([slow])?.unit).toBe('ms');
    expect(decide([...times(49, fast), slow])?.unit).toBe('ms');
    expect(decide([...times(48, fast), slow, slow])?.unit).toBe('ms'); // 2 of 50: under one in 5
    expect(decide([...times(8, fast), slow, slow])?.unit).toBe('us'); // 2 of 10
  });

  it('a one-line trace gives no evidence: nothing decided', () => {
    expect(decide([{ lines: [], d: { at: 5 * S, value: 4.9e9 } }])).toBeUndefined();
  });

  it('a zero duration gives no evidence', () => {
    expect(decide(times(2, started(5 * S, { at: 5 * S, value: 0 })))).toBeUndefined();
  });

  it('per service and field: the same field name of two services is decided apart', () => {
    const e = new UnitEvidence();
    for (const id of ['a', 'b']) {
      const end = 5 * S + 123;
      e.line(id, 'x', 0);
      e.line(id, 'x', end);
      e.line(id, 't', end);
      e.duration(id, 't', 'traefik', 'Duration', end, 4.9e9, 'ns');
      e.line(id, 'p', end - 212_000);
      e.line(id, 'p', end);
      e.duration(id, 'p', 'payments', 'Duration', end, 212, 'ns');
    }
    const table = e.decide();
    expect(table.get(unitKey('traefik', 'Duration'))?.unit).toBe('ns');
    expect(table.get(unitKey('payments', 'Duration'))?.unit).toBe('ms');
  });

  it('lines that contradict every unit, or two units equally near the prior, decide nothing', () => {
    // 1e12 is 1000 s in ns: no unit makes it fit a 1 s trace.
    expect(decide(times(2, started(1 * S, { at: 1 * S, value: 1e12 })))).toBeUndefined();
    // µs contradicted both ways: too large in some spans, too small in others; s and ns equally near.
    const tooLarge = started(0.1 * S, { at: 0.1 * S, value: 3e9 });
    const tooSmall: Trace = { lines: [0, { at: 0, span: 'd' }], d: { at: 0.1 * S, value: 10 } };
    expect(decide([tooLarge, tooLarge, tooSmall, tooSmall], 'us')).toBeUndefined();
  });

  it('a head with a service a line decides at most MAX_DECIDED pairs', () => {
    const e = new UnitEvidence();
    e.line('a', 'x', 0);
    for (let i = 0; i < MAX_DECIDED + 100; i++) {
      e.line('a', 'x', 5 * S);
      e.duration('a', 'x', `svc-${i}`, 'latency', 5 * S, 4900, 'ms');
    }
    expect(e.decide().size).toBe(MAX_DECIDED);
  });
});
