// What `tracectl group` keeps per trace while streaming: counters, sets of ids and a few "earliest so far"
// candidates — never the entries themselves, so memory stays flat however long a trace logs.
//
// Every field is a sum, a union, a min or a max under a total order, so merging summaries of any split of
// the input (files read in any order, chunks handed to worker threads) gives the same result as one pass.
import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import type { Micros } from './time.js';
import { earliestOf, entryTime } from './spans-from-entries.js';

/** A text remembered with the place of the entry that said it, so "earliest" has one answer. */
interface Candidate {
  text: string;
  time: Micros | undefined;
  nanos: number;
  source: string;
  line: number;
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Timed before untimed, then time, nanos, source, line, text: a total order over candidates. */
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.time !== b.time) {
    if (a.time === undefined) return 1;
    if (b.time === undefined) return -1;
    return a.time - b.time;
  }
  return a.nanos - b.nanos || cmpStr(a.source, b.source) || a.line - b.line || cmpStr(a.text, b.text);
}

const earlier = (a: Candidate | undefined, b: Candidate | undefined): Candidate | undefined =>
  a === undefined ? b : b === undefined ? a : compareCandidates(a, b) <= 0 ? a : b;

const minOf = (a: Micros | undefined, b: Micros | undefined): Micros | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxOf = (a: Micros | undefined, b: Micros | undefined): Micros | undefined => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/** Plain data for JSON output and tests. Sets come out sorted, so equal summaries print equal. */
export interface TraceSummaryJSON {
  traceId: string;
  entries: number;
  /** Span records added with addSpan (span files, OTLP, ...). */
  records: number;
  /** Error entries plus error span records (a record and its error lines each count). */
  errors: number;
  firstTime?: Micros; // earliest entry time or record start
  lastTime?: Micros; // latest entry time or record end
  /**
   * Earliest instant the input proves, counting `time - duration`; set only when an entry had a duration
   * or a span record was added (a record carries its own extent).
   */
  spanStart?: Micros;
  /** lastTime - spanStart, when spanStart is set: the request's length even if its first line is missing. */
  duration?: Micros;
  spanIds: string[];
  services: string[];
  /**
   * Operation of the earliest parentless span record; else operation (else message) of the earliest entry
   * naming no parent span; else the earliest message.
   */
  rootOperation?: string;
}

export class TraceSummary {
  readonly traceId: string;
  entries = 0;
  records = 0;
  errors = 0;
  firstTime: Micros | undefined;
  lastTime: Micros | undefined;
  /** min of entries' time - (duration ?? 0) and records' starts; a span start only if hasDuration. */
  private earliest: Micros | undefined;
  private hasDuration = false;
  readonly spanIds = new Set<string>();
  readonly services = new Set<string>();
  private rootSpan: Candidate | undefined;
  private rootCandidate: Candidate | undefined;
  private firstMessage: Candidate | undefined;

  constructor(traceId: string) {
    this.traceId = traceId;
  }

  /** Count one entry of this trace (the caller groups by trace id). */
  add(entry: Entry): void {
    this.entries++;
    if (entry.error) this.errors++;
    const t = entryTime(entry);
    this.firstTime = minOf(this.firstTime, t);
    this.lastTime = maxOf(this.lastTime, t);
    this.earliest = minOf(this.earliest, earliestOf(entry));
    if (t !== undefined && entry.duration !== undefined && entry.duration > 0) this.hasDuration = true;
    if (entry.spanId) this.spanIds.add(entry.spanId);
    if (entry.service !== undefined) this.services.add(entry.service);
    const at = { time: t, nanos: entry.nanos ?? 0, source: entry.source, line: entry.line };
    const rootText = entry.operation ?? entry.message;
    if (!entry.parentSpanId && rootText !== undefined) this.rootCandidate = earlier(this.rootCandidate, { ...at, text: rootText });
    if (entry.message !== undefined) this.firstMessage = earlier(this.firstMessage, { ...at, text: entry.message });
  }

  /**
   * Count one span record of this trace. Its start and end widen the time range like entry times, and its
   * extent is exact, so the trace gets a span-based duration. Placeholder (`inferred`) spans are not
   * records and are ignored.
   */
  addSpan(span: Span): void {
    if (span.inferred) return;
    this.records++;
    if (span.error) this.errors++;
    this.firstTime = minOf(this.firstTime, span.start);
    this.lastTime = maxOf(this.lastTime, span.end);
    this.earliest = minOf(this.earliest, span.start);
    this.hasDuration = true;
    this.spanIds.add(span.spanId);
    this.services.add(span.service);
    if (!span.parentSpanId) {
      const at = { time: span.start, nanos: span.startNanos ?? 0, source: span.where ?? '', line: 0 };
      this.rootSpan = earlier(this.rootSpan, { ...at, text: span.operation });
    }
  }

  /** Fold in a summary of other entries of the same trace; `other` is left unchanged. */
  merge(other: TraceSummary): void {
    this.entries += other.entries;
    this.records += other.records;
    this.errors += other.errors;
    this.firstTime = minOf(this.firstTime, other.firstTime);
    this.lastTime = maxOf(this.lastTime, other.lastTime);
    this.earliest = minOf(this.earliest, other.earliest);
    this.hasDuration ||= other.hasDuration;
    for (const id of other.spanIds) this.spanIds.add(id);
    for (const s of other.services) this.services.add(s);
    this.rootSpan = earlier(this.rootSpan, other.rootSpan);
    this.rootCandidate = earlier(this.rootCandidate, other.rootCandidate);
    this.firstMessage = earlier(this.firstMessage, other.firstMessage);
  }

  get rootOperation(): string | undefined {
    return (this.rootSpan ?? this.rootCandidate ?? this.firstMessage)?.text;
  }

  get spanStart(): Micros | undefined {
    return this.hasDuration ? this.earliest : undefined;
  }

  get duration(): Micros | undefined {
    const start = this.spanStart;
    return start === undefined || this.lastTime === undefined ? undefined : this.lastTime - start;
  }

  toJSON(): TraceSummaryJSON {
    const out: TraceSummaryJSON = {
      traceId: this.traceId,
      entries: this.entries,
      records: this.records,
      errors: this.errors,
      spanIds: [...this.spanIds].sort(cmpStr),
      services: [...this.services].sort(cmpStr),
    };
    if (this.firstTime !== undefined) out.firstTime = this.firstTime;
    if (this.lastTime !== undefined) out.lastTime = this.lastTime;
    const { spanStart, duration, rootOperation } = this;
    if (spanStart !== undefined) out.spanStart = spanStart;
    if (duration !== undefined) out.duration = duration;
    if (rootOperation !== undefined) out.rootOperation = rootOperation;
    return out;
  }
}
