import { US_PER_UNIT, unitKey, type DecidedUnit, type DurationUnit } from '../entries/duration-unit.js';
import type { Micros } from '../core/time.js';

/**
 * A duration field's unit, decided from the timestamps of the lines around it, against the unit the field
 * would be read in without them (its `prior`: the conventions' unit, else the logger's signature, else
 * ms). A line logged at t with a bare duration d says its span ran from t − d·u to t, for the unit u it is
 * written in. The timestamps can contradict u two ways:
 *
 * - too large: the span starts long before everything else its trace logged,
 *
 *       first line of the trace        t (the duration's line, or any later line)
 *           |<------- extent -------->|
 *       |<- extent + SLACK ->|
 *       ^ a start before here is evidence against u      (4900 read as s: 81 minutes before a 5 s trace)
 *
 *   but only in a trace where some span logged more than one line. Where every span logged one line (an
 *   access log writes only at a request's end), the trace's first line is the end of its innermost span,
 *   not its start: a slow outer request lies before it by its whole length, and says nothing of its unit.
 * - too small: the span's own earlier line lies further back than its duration reaches,
 *
 *       span's first line                      t (the duration's line, its span's last)
 *           |<---------- 46 ms ---------------->|
 *                              2·d·u + grain |<>|   46 read as µs: the span ran 46 ms, not 46 µs
 *
 *   only from the span's last line (a duration logged mid-span times a step of it, not the span), with
 *   room for twice the duration and the coarser timestamp's resolution (whole seconds: 1 s).
 *
 * A unit is contradicted when at least MIN_CONTRADICTING spans and one in CONTRADICTED_ONE_IN of those
 * that give evidence contradict it: one slow request, a clock step or a stray line never turns a field.
 * The prior stands unless contradicted; a contradicted prior gives way to the nearest unit (of s, ms, us,
 * ns) not contradicted, and when two lie equally near or none is left the lines contradict themselves and
 * nothing is decided (the prior applies, as when there is no evidence). Units lie 1000× apart, so the
 * factors of two in the rule cost nothing.
 *
 * Only traces with another timed line give evidence (a one-line trace has no extent to break); a span is
 * its trace's lines of one span id, or of one service where a line has no span id.
 */
export const SLACK_US = 1_000_000;
/** (service, field) pairs decided at most: a hostile head with a service a line cannot make every worker carry a huge table. */
export const MAX_DECIDED = 1024;
/** A unit is contradicted by at least this many spans… */
export const MIN_CONTRADICTING = 2;
/** …and at least one in this many of the spans that give evidence. */
export const CONTRADICTED_ONE_IN = 5;
const UNITS: readonly DurationUnit[] = ['s', 'ms', 'us', 'ns'];

interface Times {
  first: Micros;
  last: Micros;
  lines: number;
}
interface TraceTimes extends Times {
  /** Did any span of the trace log more than one line? */
  spanStarts: boolean;
  /** By span id, else service: a map per trace, not one keyed by joined strings (~3 µs a line). */
  spans: Map<string, Times>;
}
interface Sample {
  traceId: string;
  span: string;
  time: Micros;
  value: number;
}
interface FieldSamples {
  list: Sample[];
  /** How many samples would be read in each unit without the evidence. */
  priors: Map<DurationUnit, number>;
}

export class UnitEvidence {
  private readonly traces = new Map<string, TraceTimes>();
  private readonly samples = new Map<string, FieldSamples>();

  /**
   * A timed line of a trace (every line with a trace id and a time, the duration lines too); `span`: its
   * span id, else its service.
   */
  line(traceId: string, span: string, time: Micros): void {
    const t = this.traces.get(traceId);
    if (t === undefined) {
      this.traces.set(traceId, { first: time, last: time, lines: 1, spanStarts: false, spans: new Map([[span, { first: time, last: time, lines: 1 }]]) });
      return;
    }
    widen(t, time);
    const s = t.spans.get(span);
    if (s === undefined) t.spans.set(span, { first: time, last: time, lines: 1 });
    else {
      widen(s, time);
      t.spanStarts = true;
    }
  }

  /**
   * A bare duration `value` of `field`, logged by `service` at `time` in span `span` of trace `traceId`
   * (also given to line()), which would be read in `prior` without the evidence.
   */
  duration(traceId: string, span: string, service: string, field: string, time: Micros, value: number, prior: DurationUnit): void {
    if (!(value > 0)) return; // zero fits every unit: no evidence
    const key = unitKey(service, field);
    let f = this.samples.get(key);
    if (f === undefined) this.samples.set(key, (f = { list: [], priors: new Map() }));
    f.list.push({ traceId, span, time, value });
    f.priors.set(prior, (f.priors.get(prior) ?? 0) + 1);
  }

  /** How many (service, field) pairs have been seen. */
  get fields(): number {
    return this.samples.size;
  }

  /** Has every (service, field) seen at least `spans` lines in traces with another line? */
  settled(spans: number): boolean {
    for (const { list } of this.samples.values()) {
      let n = 0;
      for (const sample of list) if ((this.traces.get(sample.traceId)?.lines ?? 0) >= 2 && ++n >= spans) break;
      if (n < spans) return false;
    }
    return true;
  }

  /** The unit of each (service, field) the evidence decides (unitKey → unit and the spans it rests on). */
  decide(): Map<string, DecidedUnit> {
    const table = new Map<string, DecidedUnit>();
    for (const [key, f] of this.samples) {
      if (table.size >= MAX_DECIDED) break;
      const evidence: { sample: Sample; trace: TraceTimes; span: Times }[] = [];
      for (const sample of f.list) {
        const trace = this.traces.get(sample.traceId);
        const span = trace?.spans.get(sample.span);
        if (trace !== undefined && span !== undefined && trace.lines >= 2) evidence.push({ sample, trace, span });
      }
      if (evidence.length === 0) continue;
      const needed = Math.max(MIN_CONTRADICTING, Math.ceil(evidence.length / CONTRADICTED_ONE_IN));
      const contradicted = UNITS.map((unit) => {
        let n = 0;
        for (const { sample, trace, span } of evidence) if (startsTooEarly(sample, trace, unit) || endsTooSoon(sample, span, unit)) n++;
        return n >= needed;
      });
      const unit = nearestStanding(UNITS.indexOf(mostCommon(f.priors)), contradicted);
      if (unit !== undefined) table.set(key, { unit, spans: evidence.length });
    }
    return table;
  }
}

function widen(t: Times, time: Micros): void {
  if (time < t.first) t.first = time;
  if (time > t.last) t.last = time;
  t.lines++;
}

/** The unit most samples would be read in (the first seen of equals). */
function mostCommon(priors: Map<DurationUnit, number>): DurationUnit {
  let best: DurationUnit = 'ms';
  let most = 0;
  for (const [unit, n] of priors) if (n > most) [best, most] = [unit, n];
  return best;
}

/** The prior (UNITS[at]) when not contradicted, else the one nearest unit that is not; undefined for a tie or none. */
function nearestStanding(at: number, contradicted: readonly boolean[]): DurationUnit | undefined {
  for (let step = 0; step < UNITS.length; step++) {
    const below = at + step < UNITS.length && !contradicted[at + step];
    const above = step > 0 && at - step >= 0 && !contradicted[at - step];
    if (below && above) return undefined;
    if (below) return UNITS[at + step];
    if (above) return UNITS[at - step];
  }
  return undefined;
}

function startsTooEarly(s: Sample, trace: TraceTimes, unit: DurationUnit): boolean {
  if (!trace.spanStarts) return false;
  const start = s.time - s.value * US_PER_UNIT[unit];
  return start < trace.first - (trace.last - trace.first) - SLACK_US;
}

function endsTooSoon(s: Sample, span: Times, unit: DurationUnit): boolean {
  if (span.lines < 2 || s.time !== span.last) return false;
  const grain = Math.max(resolution(s.time), resolution(span.first));
  return s.time - span.first > 2 * s.value * US_PER_UNIT[unit] + grain;
}

/** The coarsest of 1 s, 1 ms and 1 µs a time is a whole multiple of. */
function resolution(t: Micros): number {
  if (t % 1_000_000 === 0) return 1_000_000;
  return t % 1000 === 0 ? 1000 : 1;
}
