// What `tracectl group` keeps per trace while streaming: counters, sets of ids and a few "earliest so far"
// candidates — never the entries themselves, so memory stays flat however long a trace logs.
//
// Every field is a sum, a union, a min or a max under a total order, so merging summaries of any split of
// the input (files read in any order, chunks handed to worker threads) gives the same result as one pass.
//
// The trace's facts follow the rules its tree follows (build-tree.ts), so that `group` and the commands that
// build trees report one trace alike: a line without a span id belongs to its service's placeholder span
// (spans-from-entries.ts), which is one span and fails once; and times outside the plausible years
// (plausible-times.ts: a zero timestamp, seconds read as milliseconds) neither stretch the trace nor choose
// its root when any time inside them is known. Kept apart, as two ranges, they cost six numbers, not a
// list of times.
import type { Entry } from '../entries/entry.js';
import { whereOf, type Span } from './span.js';
import { EMPTY_JOINED, joinedAdd, joinedAddAll, joinedOf, joinedSize, joinedValues, type JoinedSet } from './joined-set.js';
import { EMPTY_LIST, listAdd, listHas, listOf, listSize, listValues, sortedValues, type SharedList } from './shared-lists.js';
import type { PackReader, PackWriter } from './packed.js';
import { shiftPlace } from '../core/places.js';
import type { Micros } from '../core/time.js';
import { PLAUSIBLE_FROM, PLAUSIBLE_UNTIL, timeRank } from './plausible-times.js';
import { PLACEHOLDER_OPERATION, UNKNOWN_SERVICE } from './spans-from-entries.js';
import { extraRecords, recordDigest } from './repeated-records.js';

/** A text remembered with the place of the entry that said it, so "earliest" has one answer. */
interface Candidate {
  text: string;
  /** The service that said it ('' when none did). */
  service: string;
  time: Micros | undefined;
  nanos: number;
  source: string;
  line: number;
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Where a time stands in the search for "earliest": a plausible time (plausible-times.ts) first, then any
 * other (a zero timestamp must not make its line the root), then none.
 */
const rankOf = timeRank;

/** Rank (rankOf), then time, nanos, source, line, text, service: a total order over candidates. */
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.time !== b.time) {
    const ra = rankOf(a.time);
    const rb = rankOf(b.time);
    if (ra !== rb) return ra - rb;
    return a.time! - b.time!;
  }
  return a.nanos - b.nanos || cmpStr(a.source, b.source) || a.line - b.line || cmpStr(a.text, b.text) || cmpStr(a.service, b.service);
}

const earlier = (a: Candidate | undefined, b: Candidate | undefined): Candidate | undefined =>
  a === undefined ? b : b === undefined ? a : compareCandidates(a, b) <= 0 ? a : b;

/** Would a candidate at this place replace `current`? The same total order as compareCandidates. */
function beats(current: Candidate | undefined, time: Micros | undefined, nanos: number, source: string, line: number, text: string, service: string): boolean {
  if (current === undefined) return true;
  if (current.time !== time) {
    const rc = rankOf(current.time);
    const rt = rankOf(time);
    if (rc !== rt) return rt < rc;
    return time! < current.time!;
  }
  return (nanos - current.nanos || cmpStr(source, current.source) || line - current.line || cmpStr(text, current.text) || cmpStr(service, current.service)) < 0;
}

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
   * The root every command names (analyze/main-root.ts, jaeger-ui's trace name): operation of the
   * earliest parentless span record or entry with a span id naming no parent (its operation, else its
   * message); with no span id at all, the earliest placeholder's; else the earliest message.
   */
  rootOperation?: string;
  /** The service of the span or entry rootOperation came from. */
  rootService?: string;
}

/** A time range kept as a min and a max; `earliest` counts `time - duration`. */
interface Range {
  first: Micros | undefined;
  last: Micros | undefined;
  earliest: Micros | undefined;
}

/**
 * The placeholder span of one service's lines without a span id (spans-from-entries.ts): its times, and
 * the earliest operation and message that name it. Where a trace has no span id at all, these are its
 * roots, and the earliest stands for the trace (analyze/main-root.ts).
 */
interface Placeholder {
  /** The lowest timeRank among its lines' times (2: none); earliest and last are of lines of that rank. */
  rank: number;
  earliest: Micros | undefined;
  last: Micros | undefined;
  operation: Candidate | undefined;
  message: Candidate | undefined;
}

/**
 * A placeholder's times take those of rank `rank` (spans-from-entries.ts, factsOf: a span's start and
 * end come from its lines of the lowest rank); a lower rank replaces them.
 */
function addTimes(p: Placeholder, rank: number, earliest: Micros | undefined, last: Micros | undefined): void {
  if (rank > p.rank) return;
  if (rank < p.rank) {
    p.rank = rank;
    p.earliest = earliest;
    p.last = last;
    return;
  }
  p.earliest = minOf(p.earliest, earliest);
  p.last = maxOf(p.last, last);
}

const plausible = (t: Micros): boolean => t >= PLAUSIBLE_FROM && t < PLAUSIBLE_UNTIL;

/** extraRecords of a set of digests; 0 at once for none. */
const extraOf = (digests: JoinedSet): number => (digests === EMPTY_JOINED ? 0 : extraRecords(joinedValues(digests)));

/** A joined set for another thread: the one string that holds it, or (a Set, rare) its values. */
function packJoined(w: PackWriter, set: JoinedSet): void {
  if (typeof set === 'string') w.str(set, true);
  else {
    w.str(undefined);
    w.strs(set, set.size, true);
  }
}

function unpackJoined(r: PackReader): JoinedSet {
  return r.str() ?? joinedOf(r.strs());
}

/** The range of a summary with no time outside the plausible years: never written. */
const EMPTY_RANGE: Readonly<Range> = Object.freeze({ first: undefined, last: undefined, earliest: undefined });

export class TraceSummary {
  readonly traceId: string;
  entries = 0;
  records = 0;
  /** Spans with an error, and error lines that name no span. */
  /** Created at the first failing span: most traces have none, and an empty Set still costs ~130 bytes. */
  private errorSpans: Set<string> | undefined;
  /** Services of lines without a span id (each service's such lines are one placeholder span), and of those that failed. */
  private looseServices: SharedList = EMPTY_LIST;
  private looseErrors: SharedList = EMPTY_LIST;
  /** Services of lines with a span id and of records: a placeholder of another service is a root. */
  private spanServices: SharedList = EMPTY_LIST;
  /**
   * Times inside the plausible years, and outside them. The trace's times are the first range's, or the
   * second's when the first is empty. Each: first and last entry time or record start/end, and the min of
   * entries' time - (duration ?? 0) and records' starts (a span start only if hasDuration).
   */
  private readonly inside: Range = { first: undefined, last: undefined, earliest: undefined };
  /** Made at the first time outside the plausible years: most traces have none (one object less a trace). */
  private outsideRange: Range | undefined;
  private hasDuration = false;
  private spanIdSet: JoinedSet = EMPTY_JOINED;
  /**
   * recordDigest of each span record, and of each failing one: records of one id that differ are spans
   * of their own (repeated-records.ts), so they count beyond the id's one.
   */
  private recordDigests: JoinedSet = EMPTY_JOINED;
  private failingRecords: JoinedSet = EMPTY_JOINED;
  /** A trace touches a handful of services. */
  private serviceSet: SharedList = EMPTY_LIST;
  private rootSpan: Candidate | undefined;
  private rootCandidate: Candidate | undefined;
  private firstMessage: Candidate | undefined;
  /** By service; made at the first line without a span id. */
  private placeholders: Map<string, Placeholder> | undefined;

  constructor(traceId: string) {
    this.traceId = traceId;
  }

  /** The range of times outside the plausible years, made when first needed. */
  private outside(): Range {
    return (this.outsideRange ??= { first: undefined, last: undefined, earliest: undefined });
  }

  /** Count one entry of this trace (the caller groups by trace id). Allocates only for a new candidate. */
  add(entry: Entry): void {
    this.entries++;
    const spanId = entry.spanId;
    if (!spanId) this.looseServices = listAdd(this.looseServices, entry.service ?? UNKNOWN_SERVICE);
    if (entry.error) {
      // A failure shows on every line of the span that failed (the error, "request completed 500", …):
      // count failing spans, so one failure is one error; lines without a span id, one per service.
      if (spanId) (this.errorSpans ??= new Set()).add(spanId);
      else this.looseErrors = listAdd(this.looseErrors, entry.service ?? UNKNOWN_SERVICE);
    }
    const t = entry.time ?? entry.envelope?.time;
    if (t !== undefined) {
      const r = plausible(t) ? this.inside : this.outside();
      if (r.first === undefined || t < r.first) r.first = t;
      if (r.last === undefined || t > r.last) r.last = t;
      const d = entry.duration;
      const early = d !== undefined && d > 0 ? t - d : t;
      if (r.earliest === undefined || early < r.earliest) r.earliest = early;
      if (d !== undefined && d > 0) this.hasDuration = true;
    }
    if (spanId) {
      this.spanIdSet = joinedAdd(this.spanIdSet, spanId);
      this.spanServices = listAdd(this.spanServices, entry.service ?? UNKNOWN_SERVICE);
    }
    if (entry.service !== undefined) this.serviceSet = listAdd(this.serviceSet, entry.service);
    const nanos = entry.nanos ?? 0;
    const rootText = entry.operation ?? entry.message;
    if (rootText !== undefined) {
      // One candidate object serves both slots when the same line wins both (the usual first line).
      let made: Candidate | undefined;
      const service = entry.service ?? '';
      // A line without a span id joins its service's placeholder, which hangs under that service's
      // earliest span (spans-from-entries.ts): it names a root only where the trace has no span id.
      if (spanId && !entry.parentSpanId && beats(this.rootCandidate, t, nanos, entry.source, entry.line, rootText, service)) {
        this.rootCandidate = made = { time: t, nanos, source: entry.source, line: entry.line, text: rootText, service };
      }
      if (beats(this.firstMessage, t, nanos, entry.source, entry.line, rootText, service)) {
        this.firstMessage = made ?? { time: t, nanos, source: entry.source, line: entry.line, text: rootText, service };
      }
    }
    if (!spanId) this.addLoose(entry, t, nanos);
  }

  /** A line without a span id, into its service's placeholder. */
  private addLoose(entry: Entry, t: Micros | undefined, nanos: number): void {
    const service = entry.service ?? UNKNOWN_SERVICE;
    let p = (this.placeholders ??= new Map()).get(service);
    if (p === undefined) this.placeholders.set(service, (p = { rank: 2, earliest: undefined, last: undefined, operation: undefined, message: undefined }));
    if (t !== undefined) {
      const d = entry.duration;
      addTimes(p, rankOf(t), d !== undefined && d > 0 ? t - d : t, t);
    }
    const at = { time: t, nanos, source: entry.source, line: entry.line, service };
    if (entry.operation !== undefined && beats(p.operation, t, nanos, entry.source, entry.line, entry.operation, service)) p.operation = { ...at, text: entry.operation };
    if (entry.message !== undefined && beats(p.message, t, nanos, entry.source, entry.line, entry.message, service)) p.message = { ...at, text: entry.message };
  }

  /**
   * Count one span record of this trace. Its start and end widen the time range like entry times, and its
   * extent is exact, so the trace gets a span-based duration. Placeholder (`inferred`) spans are not
   * records and are ignored.
   */
  addSpan(span: Span): void {
    if (span.inferred) return;
    this.records++;
    const digest = recordDigest(span);
    this.recordDigests = joinedAdd(this.recordDigests, digest);
    if (span.error) {
      (this.errorSpans ??= new Set()).add(span.spanId);
      this.failingRecords = joinedAdd(this.failingRecords, digest);
    }
    // A span without a start time (0) under a parent is placed at its parent's start when its tree is
    // built (build-tree.ts): it does not move the trace's start back to 1970 here either.
    if (span.start !== 0 || !span.parentSpanId) {
      const r = plausible(span.start) ? this.inside : this.outside();
      r.first = minOf(r.first, span.start);
      r.earliest = minOf(r.earliest, span.start);
    }
    const r = plausible(span.end) ? this.inside : this.outside();
    r.last = maxOf(r.last, span.end);
    this.hasDuration = true;
    this.spanIdSet = joinedAdd(this.spanIdSet, span.spanId);
    this.serviceSet = listAdd(this.serviceSet, span.service);
    this.spanServices = listAdd(this.spanServices, span.service);
    if (!span.parentSpanId) {
      const at = { time: span.start, nanos: span.startNanos ?? 0, source: whereOf(span) ?? '', line: 0 };
      this.rootSpan = earlier(this.rootSpan, { ...at, text: span.operation, service: span.service });
    }
  }

  /**
   * Lines of `source` are `by` further down than they were numbered: a worker thread read a part of the
   * file that starts after lines it could not count (parallel/read-parallel.ts). The places decide ties.
   */
  shiftLines(source: string, by: number): void {
    const done: Candidate[] = []; // one candidate may fill two slots
    const loose = [...(this.placeholders?.values() ?? [])].flatMap((p) => [p.operation, p.message]);
    for (const c of [this.rootSpan, this.rootCandidate, this.firstMessage, ...loose]) {
      if (c === undefined || done.includes(c)) continue;
      done.push(c);
      if (c.source === source) c.line += by;
      else c.source = shiftPlace(c.source, source, by);
    }
  }

  /** Fold in a summary of other entries of the same trace; `other` is left unchanged. */
  merge(other: TraceSummary): void {
    this.entries += other.entries;
    this.records += other.records;
    if (other.errorSpans) for (const id of other.errorSpans) (this.errorSpans ??= new Set()).add(id);
    for (const s of listValues(other.looseServices)) this.looseServices = listAdd(this.looseServices, s);
    for (const s of listValues(other.looseErrors)) this.looseErrors = listAdd(this.looseErrors, s);
    for (const s of listValues(other.spanServices)) this.spanServices = listAdd(this.spanServices, s);
    const pairs: [Range, Range][] = [[this.inside, other.inside]];
    if (other.outsideRange !== undefined) pairs.push([this.outside(), other.outsideRange]);
    for (const [mine, theirs] of pairs) {
      mine.first = minOf(mine.first, theirs.first);
      mine.last = maxOf(mine.last, theirs.last);
      mine.earliest = minOf(mine.earliest, theirs.earliest);
    }
    this.hasDuration ||= other.hasDuration;
    this.spanIdSet = joinedAddAll(this.spanIdSet, other.spanIdSet);
    this.recordDigests = joinedAddAll(this.recordDigests, other.recordDigests);
    this.failingRecords = joinedAddAll(this.failingRecords, other.failingRecords);
    for (const s of listValues(other.serviceSet)) this.serviceSet = listAdd(this.serviceSet, s);
    this.rootSpan = earlier(this.rootSpan, other.rootSpan);
    this.rootCandidate = earlier(this.rootCandidate, other.rootCandidate);
    this.firstMessage = earlier(this.firstMessage, other.firstMessage);
    if (other.placeholders) {
      const mine = (this.placeholders ??= new Map());
      for (const [service, o] of other.placeholders) {
        const p = mine.get(service);
        if (p === undefined) mine.set(service, { ...o });
        else {
          addTimes(p, o.rank, o.earliest, o.last);
          p.operation = earlier(p.operation, o.operation);
          p.message = earlier(p.message, o.message);
        }
      }
    }
  }

  /** Write this summary for another thread; unpack() makes an equal one from it. */
  pack(w: PackWriter): void {
    w.str(this.traceId, true);
    w.num(this.entries);
    w.num(this.records);
    for (const r of [this.inside, this.outsideRange ?? EMPTY_RANGE]) {
      w.num(r.first);
      w.num(r.last);
      w.num(r.earliest);
    }
    w.num(this.hasDuration ? 1 : 0);
    w.strs(this.errorSpans ?? [], this.errorSpans?.size ?? 0, true);
    // The span ids as the one string that holds them (a Set, rare, as its values): unpacked, it is the set
    // again without a string made per id and joined anew (~4,000 traces held in parts on two threads
    // at the end of `group` on corpus a).
    for (const set of [this.spanIdSet, this.recordDigests, this.failingRecords]) packJoined(w, set);
    w.strs(listValues(this.serviceSet), listSize(this.serviceSet));
    w.strs(listValues(this.looseServices), listSize(this.looseServices));
    w.strs(listValues(this.looseErrors), listSize(this.looseErrors));
    w.strs(listValues(this.spanServices), listSize(this.spanServices));
    const packCandidate = (c: Candidate | undefined): void => {
      w.num(c === undefined ? 0 : 1);
      if (c === undefined) return;
      w.num(c.time);
      w.num(c.nanos);
      w.num(c.line);
      w.str(c.source);
      w.str(c.text);
      w.str(c.service);
    };
    for (const c of [this.rootSpan, this.rootCandidate, this.firstMessage]) packCandidate(c);
    w.num(this.placeholders?.size ?? 0);
    for (const [service, p] of this.placeholders ?? []) {
      w.str(service);
      w.num(p.rank);
      w.num(p.earliest);
      w.num(p.last);
      packCandidate(p.operation);
      packCandidate(p.message);
    }
  }

  static unpack(r: PackReader): TraceSummary {
    const s = new TraceSummary(r.str()!);
    s.entries = r.int();
    s.records = r.int();
    for (const range of [s.inside, undefined]) {
      const first = r.num();
      const last = r.num();
      const earliest = r.num();
      if (range === undefined && first === undefined && last === undefined && earliest === undefined) continue;
      const into = range ?? s.outside();
      into.first = first;
      into.last = last;
      into.earliest = earliest;
    }
    s.hasDuration = r.int() === 1;
    const errorSpans = r.strs();
    if (errorSpans.length > 0) s.errorSpans = new Set(errorSpans);
    s.spanIdSet = unpackJoined(r);
    s.recordDigests = unpackJoined(r);
    s.failingRecords = unpackJoined(r);
    s.serviceSet = listOf(r.strs());
    s.looseServices = listOf(r.strs());
    s.looseErrors = listOf(r.strs());
    s.spanServices = listOf(r.strs());
    const candidate = (): Candidate | undefined => {
      if (r.int() === 0) return undefined;
      const time = r.num();
      const nanos = r.int();
      const line = r.int();
      return { time, nanos, line, source: r.str()!, text: r.str()!, service: r.str()! };
    };
    s.rootSpan = candidate();
    s.rootCandidate = candidate();
    s.firstMessage = candidate();
    for (let k = r.int(); k > 0; k--) {
      const service = r.str()!;
      const rank = r.int();
      const earliest = r.num();
      const last = r.num();
      (s.placeholders ??= new Map()).set(service, { rank, earliest, last, operation: candidate(), message: candidate() });
    }
    return s;
  }

  spanIds(): Iterable<string> {
    return joinedValues(this.spanIdSet);
  }

  /**
   * Spans the trace's tree holds: distinct span ids, a placeholder per service of lines without one, and
   * the records that share an id with another record but differ from it.
   */
  get spanCount(): number {
    return joinedSize(this.spanIdSet) + listSize(this.looseServices) + extraOf(this.recordDigests);
  }

  services(): Iterable<string> {
    return listValues(this.serviceSet);
  }

  /** The services, sorted: an array shared with other summaries, not to be written into. */
  sortedServices(): readonly string[] {
    return sortedValues(this.serviceSet);
  }

  /** Failing spans, counting the placeholder of a service's lines without a span id as one. */
  get errors(): number {
    return (this.errorSpans?.size ?? 0) + listSize(this.looseErrors) + extraOf(this.failingRecords);
  }

  /**
   * main-root.ts's rule: the earliest span naming no parent; a placeholder that is a root (its service
   * has no span with an id) before such a span whose time is far off (outside the plausible years
   * while other times lie inside them) or unknown; else the earliest message.
   */
  private get root(): Candidate | undefined {
    const real = earlier(this.rootSpan, this.rootCandidate);
    if (real !== undefined && real.time !== undefined && (plausible(real.time) || this.inside.first === undefined)) return real;
    return this.earliestPlaceholder() ?? real ?? this.firstMessage;
  }

  /**
   * The root a trace with no span id shows: the earliest placeholder (main-root.ts; untimed ones last;
   * ties, as the tree orders roots, to the longer, then to the service's name), named by its earliest
   * operation, else its earliest message.
   */
  private earliestPlaceholder(): Candidate | undefined {
    if (this.placeholders === undefined) return undefined;
    let best: [string, Placeholder] | undefined;
    const length = (p: Placeholder) => (p.earliest === undefined || p.last === undefined ? 0 : p.last - p.earliest);
    for (const entry of this.placeholders) {
      if (listHas(this.spanServices, entry[0])) continue; // hangs under its service's span: not a root
      if (best === undefined) {
        best = entry;
        continue;
      }
      const [service, p] = entry;
      const [bestService, b] = best;
      const pe = p.earliest ?? Infinity;
      const be = b.earliest ?? Infinity;
      const early = pe < be ? -1 : pe > be ? 1 : 0;
      const d = length(p) - length(b);
      if (early < 0 || (early === 0 && (d > 0 || (d === 0 && service < bestService)))) best = entry;
    }
    if (best === undefined) return undefined;
    const [service, p] = best;
    const named = p.operation ?? p.message;
    return named === undefined ? { time: p.earliest, nanos: 0, source: '', line: 0, text: PLACEHOLDER_OPERATION, service } : { ...named, service };
  }

  get rootOperation(): string | undefined {
    return this.root?.text;
  }

  /** The service of the root operation's span or line (undefined when it named none). */
  get rootService(): string | undefined {
    const s = this.root?.service;
    return s === '' ? undefined : s;
  }

  /** The range the trace's times come from: the plausible one, unless it is empty. */
  private get range(): Range {
    return this.inside.first !== undefined || this.inside.last !== undefined ? this.inside : (this.outsideRange ?? EMPTY_RANGE);
  }

  /** Earliest entry time or record start. */
  get firstTime(): Micros | undefined {
    return this.range.first;
  }

  /** Latest entry time or record end. */
  get lastTime(): Micros | undefined {
    return this.range.last;
  }

  get spanStart(): Micros | undefined {
    return this.hasDuration ? this.range.earliest : undefined;
  }

  get duration(): Micros | undefined {
    const start = this.spanStart;
    const last = this.lastTime;
    return start === undefined || last === undefined ? undefined : last - start;
  }

  toJSON(): TraceSummaryJSON {
    const out: TraceSummaryJSON = {
      traceId: this.traceId,
      entries: this.entries,
      records: this.records,
      errors: this.errors,
      spanIds: [...this.spanIds()].sort(cmpStr),
      services: [...this.services()].sort(cmpStr),
    };
    if (this.firstTime !== undefined) out.firstTime = this.firstTime;
    if (this.lastTime !== undefined) out.lastTime = this.lastTime;
    const { spanStart, duration, rootOperation, rootService } = this;
    if (spanStart !== undefined) out.spanStart = spanStart;
    if (duration !== undefined) out.duration = duration;
    if (rootOperation !== undefined) out.rootOperation = rootOperation;
    if (rootService !== undefined) out.rootService = rootService;
    return out;
  }
}
