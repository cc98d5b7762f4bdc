// spansFromEntries, folded as the lines arrive: a trace's spans are kept as a few fields per span instead
// of every entry, for the commands that measure spans and show no log lines (slowest, latency, errors,
// services). The rules are spansFromEntries' rules, restated for one entry at a time:
//   "the first entry (in time order) that has X"  ->  the lowest (time, nanos, arrival) among entries with X
//   "the last entry that has X"                   ->  the highest
// (entries without a time order after all timed ones, as compareEntries has it). A property test holds the
// two to the same spans (test/model/span-fold.test.ts).
import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import type { Micros } from './time.js';
import { assembleSpans, earliestOf, entryTime, finishSpan, NO_EVENTS, UNKNOWN_SERVICE, type SpanFacts } from './spans-from-entries.js';

/** An entry's place in time order: its time (untimed: +∞), sub-µs nanos, then arrival. */
interface Key {
  t: number;
  n: number;
  s: number;
}

const before = (a: Key, b: Key): boolean => (a.t !== b.t ? a.t < b.t : a.n !== b.n ? a.n < b.n : a.s < b.s);

/** One span's facts so far. Each "first having" field keeps the key of the entry it came from. */
class Fold {
  firstKey: Key;
  firstSource: string;
  firstLine: number;
  start: Micros | undefined;
  startKey: Key | undefined;
  startNanos: number | undefined;
  end: Micros | undefined;
  service: string | undefined;
  serviceKey: Key | undefined;
  host: string | undefined;
  hostKey: Key | undefined;
  operation: string | undefined;
  operationKey: Key | undefined;
  message: string | undefined;
  messageKey: Key | undefined;
  parent: string | undefined;
  parentKey: Key | undefined;
  errorMessage: string | undefined;
  errorMessageKey: Key | undefined;
  errorText: string | undefined;
  errorTextKey: Key | undefined;
  error = false;
  httpStatus: number | undefined;
  httpStatusKey: Key | undefined;

  constructor(e: Entry, k: Key) {
    this.firstKey = k;
    this.firstSource = e.source;
    this.firstLine = e.line;
  }

  add(e: Entry, k: Key): void {
    if (before(k, this.firstKey)) {
      this.firstKey = k;
      this.firstSource = e.source;
      this.firstLine = e.line;
    }
    const early = earliestOf(e);
    if (early !== undefined && (this.start === undefined || early < this.start || (early === this.start && before(k, this.startKey!)))) {
      this.start = early;
      this.startKey = k;
      this.startNanos = e.nanos;
    }
    const t = entryTime(e);
    if (t !== undefined && (this.end === undefined || t > this.end)) this.end = t;
    if (e.service !== undefined && (this.serviceKey === undefined || before(k, this.serviceKey))) [this.service, this.serviceKey] = [e.service, k];
    const pod = e.envelope?.pod;
    if (pod !== undefined && (this.hostKey === undefined || before(k, this.hostKey))) [this.host, this.hostKey] = [pod, k];
    if (e.operation !== undefined && (this.operationKey === undefined || before(k, this.operationKey))) [this.operation, this.operationKey] = [e.operation, k];
    if (e.message !== undefined && (this.messageKey === undefined || before(k, this.messageKey))) [this.message, this.messageKey] = [e.message, k];
    if (e.parentSpanId !== undefined && (this.parentKey === undefined || before(k, this.parentKey))) [this.parent, this.parentKey] = [e.parentSpanId, k];
    if (e.errorMessage !== undefined && (this.errorMessageKey === undefined || before(k, this.errorMessageKey))) {
      [this.errorMessage, this.errorMessageKey] = [e.errorMessage, k];
    }
    if (e.error) {
      this.error = true;
      if (e.message !== undefined && (this.errorTextKey === undefined || before(k, this.errorTextKey))) [this.errorText, this.errorTextKey] = [e.message, k];
    }
    if (e.httpStatus !== undefined && (this.httpStatusKey === undefined || before(this.httpStatusKey, k))) [this.httpStatus, this.httpStatusKey] = [e.httpStatus, k];
  }

  facts(): SpanFacts {
    return {
      start: this.start, startNanos: this.startNanos, end: this.end, service: this.service, host: this.host,
      operation: this.operation, firstMessage: this.message, parentSpanId: this.parent, error: this.error,
      errorMessage: this.errorMessage, firstErrorText: this.errorText, httpStatus: this.httpStatus, where: `${this.firstSource}:${this.firstLine}`,
    };
  }
}

/** One trace's spans, folded entry by entry. */
export class TraceFold {
  private readonly bySpan = new Map<string, Fold>();
  /** Entries without a span id, by service; made at the first (most traces have none: ~100 bytes saved each). */
  private byService: Map<string, Fold> | undefined;
  private traceStart: Micros | undefined;
  private seq = 0;

  constructor(readonly traceId: string) {}

  add(e: Entry): void {
    const t = entryTime(e);
    const k: Key = { t: t ?? Infinity, n: t === undefined ? 0 : (e.nanos ?? 0), s: this.seq++ };
    const early = earliestOf(e);
    if (early !== undefined && (this.traceStart === undefined || early < this.traceStart)) this.traceStart = early;
    const map = e.spanId ? this.bySpan : (this.byService ??= new Map());
    const key = e.spanId ? e.spanId : (e.service ?? UNKNOWN_SERVICE);
    const fold = map.get(key);
    if (fold) fold.add(e, k);
    else {
      const f = new Fold(e, k);
      f.add(e, k);
      map.set(key, f);
    }
  }

  /** The spans spansFromEntries(entries, {events: false}) would build from the same entries. */
  spans(): Span[] {
    const fallback = this.traceStart ?? 0;
    const real: Span[] = [];
    for (const [spanId, f] of this.bySpan) real.push(finishSpan(this.traceId, spanId, f.facts(), fallback, NO_EVENTS));
    const loose: [string, Span][] = [];
    for (const [service, f] of this.byService ?? []) loose.push([service, finishSpan(this.traceId, `inferred:${service}`, f.facts(), fallback, [])]);
    return assembleSpans(real, loose);
  }
}
