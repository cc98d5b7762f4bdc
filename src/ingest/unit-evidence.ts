import { US_PER_UNIT, unitKey, type DecidedUnit, type DurationUnit } from '../entries/duration-unit.js';
import type { Micros } from '../core/time.js';

/**
 * A duration field's unit, decided from the timestamps of the lines around it. A line logged at t with a
 * bare duration d says its span started at t − d·u, for the unit u it is written in. Read in too large a
 * unit, a span starts long before everything else its trace logged:
 *
 *     first line of the trace        t (the duration's line, or any later line)
 *         |<------- extent -------->|
 *     |<- extent + SLACK ->|
 *     ^ a start before here is evidence against u      (4900 read as s: 81 minutes before a 5 s trace)
 *
 * Units are tried largest first (s, ms, us, ns) and the first one the evidence does not reject is taken,
 * per (service, field): a ms field of 4900 on a 5 s trace rejects s and fits ms; Traefik's 4.9e9 ns
 * rejects s, ms and us. Ties go to the larger unit because the smaller ones never start a span too early:
 * the evidence can only reject from above. The allowed start is one extent before the first line (not the
 * first line itself) because a span's own first line may come after its start (an access log writes only
 * at the end; clocks of two hosts disagree), and units lie 1000× apart, so a factor of two costs nothing.
 *
 * Only traces with another timed line give evidence (a one-line trace has no extent to break). A unit is
 * rejected by one span in 200 or more (at least one): the longest spans are the ones that tell — a field
 * of milliseconds mostly under 1 fits seconds in many traces — and a rare stray line still cannot hold a
 * whole field hostage. When every unit is rejected the lines contradict
 * themselves and no unit is decided (the field conventions then apply, as when there is no evidence).
 */
export const SLACK_US = 1_000_000;
/** (service, field) pairs decided at most: a hostile head with a service a line cannot make every worker carry a huge table. */
export const MAX_DECIDED = 1024;
/** A unit rejected by fewer than one span in this many stands. */
export const TOLERATED_ONE_IN = 200;
const LARGEST_FIRST: readonly DurationUnit[] = ['s', 'ms', 'us', 'ns'];

interface TraceTimes {
  first: Micros;
  last: Micros;
  lines: number;
}
interface Sample {
  traceId: string;
  time: Micros;
  value: number;
}

export class UnitEvidence {
  private readonly traces = new Map<string, TraceTimes>();
  private readonly samples = new Map<string, Sample[]>();

  /** A timed line of a trace (every line with a trace id and a time, the duration lines too). */
  line(traceId: string, time: Micros): void {
    const t = this.traces.get(traceId);
    if (t === undefined) this.traces.set(traceId, { first: time, last: time, lines: 1 });
    else {
      if (time < t.first) t.first = time;
      if (time > t.last) t.last = time;
      t.lines++;
    }
  }

  /** A bare duration `value` of `field`, logged by `service` at `time` in trace `traceId` (also given to line()). */
  duration(traceId: string, service: string, field: string, time: Micros, value: number): void {
    if (!(value > 0)) return; // zero fits every unit: no evidence
    const key = unitKey(service, field);
    let list = this.samples.get(key);
    if (list === undefined) this.samples.set(key, (list = []));
    list.push({ traceId, time, value });
  }

  /** How many (service, field) pairs have been seen. */
  get fields(): number {
    return this.samples.size;
  }

  /** Has every (service, field) seen at least `spans` lines in traces with another line? */
  settled(spans: number): boolean {
    for (const list of this.samples.values()) {
      let n = 0;
      for (const sample of list) if ((this.traces.get(sample.traceId)?.lines ?? 0) >= 2 && ++n >= spans) break;
      if (n < spans) return false;
    }
    return true;
  }

  /** The unit of each (service, field) the evidence decides (unitKey → unit and the spans it rests on). */
  decide(): Map<string, DecidedUnit> {
    const table = new Map<string, DecidedUnit>();
    for (const [key, list] of this.samples) {
      if (table.size >= MAX_DECIDED) break;
      const evidence: { sample: Sample; trace: TraceTimes }[] = [];
      for (const sample of list) {
        const trace = this.traces.get(sample.traceId);
        if (trace !== undefined && trace.lines >= 2) evidence.push({ sample, trace });
      }
      if (evidence.length === 0) continue;
      const tolerated = Math.floor(evidence.length / TOLERATED_ONE_IN);
      for (const unit of LARGEST_FIRST) {
        let rejections = 0;
        for (const { sample, trace } of evidence) if (startsTooEarly(sample, trace, unit)) rejections++;
        if (rejections <= tolerated) {
          table.set(key, { unit, spans: evidence.length });
          break;
        }
      }
    }
    return table;
  }
}

function startsTooEarly(s: Sample, trace: TraceTimes, unit: DurationUnit): boolean {
  const start = s.time - s.value * US_PER_UNIT[unit];
  return start < trace.first - (trace.last - trace.first) - SLACK_US;
}
