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
//
// The root follows model/root-rule.ts. Its classes need to know which named parents are missing, and a
// parent's lines may come after its child's: a line naming a parent not yet seen is kept as a candidate
// under that parent's id (`unseen`) until the id turns up. Children logged before their parent are
// few and short-lived (a handful of entries per trace while its lines arrive), and a trace whose named
// parents all turn up holds no map.
import type { Entry } from '../entries/entry.js';
import { whereOf, type Span } from './span.js';
import { EMPTY_JOINED, joinedAdd, joinedAddAll, joinedDelete, joinedHas, joinedOf, joinedSize, joinedValues, type JoinedSet } from './joined-set.js';
import { EMPTY_LIST, listAdd, listHas, listOf, listSize, listValues, sortedValues, type SharedList } from './shared-lists.js';
import type { PackReader, PackWriter } from './packed.js';
import { shiftPlace } from '../core/places.js';
import type { Micros } from '../core/time.js';
import { PLAUSIBLE_FROM, PLAUSIBLE_UNTIL, timeRank } from './plausible-times.js';
import { inferredSpanId, PLACEHOLDER_OPERATION, UNKNOWN_SERVICE } from './spans-from-entries.js';
import { extraRecords, recordDigest } from './repeated-records.js';

/**
 * A text remembered with the place of the entry that said it, so "earliest" has one answer. For a root
 * candidate `time` is the start the line proves (time - duration, spans-from-entries.ts earliestOf), so
 * that candidates order as their spans' starts do; for the others it is the line's time.
 */
interface Candidate {
  text: string;
  /** The service that said it ('' when none did). */
  service: string;
  time: Micros | undefined;
  /**
   * The line's own time (atOf: its rank, and among one span's lines, the first) less `time`: a duration
   * or 0, a small integer where a second time would be one more boxed number per candidate.
   */
  lag: number;
  nanos: number;
  /** The span the line belongs to ('' for none): equal starts are ordered by it, as root-rule.ts does. */
  spanId: string;
  source: string;
  /** The line's number; RECORD_LINE for a span record. */
  line: number;
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Candidate.line of a span record, which comes before the lines of its span (compareCandidates). Not -1:
 * a worker numbers the lines of a piece it took over back from its part's start (shiftLines), below 0.
 */
const RECORD_LINE = -(2 ** 52);

/** A candidate's line time (Candidate.lag). */
const atOf = (c: Candidate): Micros | undefined => (c.time === undefined ? undefined : c.time + c.lag);

/** Candidate.lag of a line at `at` proving `start`. */
const lagOf = (start: Micros | undefined, at: Micros | undefined): number => (start === undefined || at === undefined ? 0 : at - start);

/** TraceSummary.flags: an entry had a duration or a span record was added (a span-based start is known). */
const HAS_DURATION = 1;
/** TraceSummary.flags: a line or record named a parent the trace holds (TraceTree.namesParents). */
const NAMES_PARENTS = 2;

/** The key of `unseen` under which spans naming themselves as parent wait: no span id is empty. */
const SELF = '';

/**
 * Where a time stands in the search for "earliest": a plausible time (plausible-times.ts) first, then any
 * other (a zero timestamp must not make its line the root), then none.
 */
const rankOf = timeRank;

/**
 * Rank of `at` (rankOf), then time, nanos, span id, at, a span record before a line (a record names its
 * span: merge-spans.ts), source, line, text, service: a total order.
 */
function compareCandidates(a: Candidate, b: Candidate): number {
  const aa = atOf(a);
  const ba = atOf(b);
  const ra = rankOf(aa);
  const rb = rankOf(ba);
  if (ra !== rb) return ra - rb;
  if (a.time !== b.time) return a.time === undefined ? 1 : b.time === undefined ? -1 : a.time - b.time;
  return (
    a.nanos - b.nanos ||
    cmpStr(a.spanId, b.spanId) ||
    (aa !== ba ? aa! - ba! : 0) ||
    (a.line === RECORD_LINE ? 0 : 1) - (b.line === RECORD_LINE ? 0 : 1) ||
    cmpStr(a.source, b.source) ||
    a.line - b.line ||
    cmpStr(a.text, b.text) ||
    cmpStr(a.service, b.service)
  );
}

const earlier = (a: Candidate | undefined, b: Candidate | undefined): Candidate | undefined =>
  a === undefined ? b : b === undefined ? a : compareCandidates(a, b) <= 0 ? a : b;

/**
 * Would a line's candidate (`time` its start, `at` its time) replace `current`? The same total order as
 * compareCandidates, without making the candidate first.
 */
function beats(current: Candidate | undefined, time: Micros | undefined, at: Micros | undefined, nanos: number, spanId: string, source: string, line: number, text: string, service: string): boolean {
  if (current === undefined) return true;
  const ca = atOf(current);
  const rc = rankOf(ca);
  const rt = rankOf(at);
  if (rc !== rt) return rt < rc;
  if (current.time !== time) return current.time === undefined || (time !== undefined && time < current.time);
  const d =
    nanos - current.nanos ||
    cmpStr(spanId, current.spanId) ||
    (at !== ca ? at! - ca! : 0) ||
    (current.line === RECORD_LINE ? 1 : 0) ||
    cmpStr(source, current.source) ||
    line - current.line ||
    cmpStr(text, current.text) ||
    cmpStr(service, current.service);
  return d < 0;
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
   * The root every command names (model/root-rule.ts): the operation (else the message) of the span the
   * rule picks; a placeholder's where it picks one; else the earliest message.
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
  /**
   * The earliest line naming a parent (its id as the text): a service with no span of its own keeps it,
   * a proxy's access line under the caller's traceparent (spans-from-entries.ts, assembleSpans).
   */
  parent: Candidate | undefined;
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

/**
 * The fields of a summary that most traces leave empty (corpus a: all but the failing tenth): span
 * records (records, their digests, rootSpan), failing spans, lines without a span id (looseServices,
 * looseErrors, placeholders), spans of "unknown", times outside the plausible years, parents not yet seen.
 * Held apart, they cost a summary one field until the first is set (docs/DECISIONS.md, D130).
 */
class Rare {
  records = 0;
  /** Spans with an error, and error lines that name no span. */
  errorSpans: Set<string> | undefined = undefined;
  /** Services of lines without a span id (each service's such lines are one placeholder span), and of those that failed. */
  looseServices: SharedList = EMPTY_LIST;
  looseErrors: SharedList = EMPTY_LIST;
  outsideRange: Range | undefined = undefined;
  /** Span ids none of whose lines so far named a service: spans of "unknown" (spans-from-entries.ts). */
  serviceless: JoinedSet = EMPTY_JOINED;
  /**
   * recordDigest of each span record, and of each failing one: records of one id that differ are spans
   * of their own (repeated-records.ts), so they count beyond the id's one.
   */
  recordDigests: JoinedSet = EMPTY_JOINED;
  failingRecords: JoinedSet = EMPTY_JOINED;
  /** Root class 0 (root-rule.ts): the earliest span record naming no parent. */
  rootSpan: Candidate | undefined = undefined;
  /**
   * Root class 1 once the trace is read: by each named parent not seen as a span id so far, the
   * earliest line or record naming it (under '', those naming themselves). Made at the first such
   * parent, emptied as they turn up.
   */
  unseen: Map<string, Candidate> | undefined = undefined;
  /** By service; made at the first line without a span id. */
  placeholders: Map<string, Placeholder> | undefined = undefined;
}

export class TraceSummary {
  readonly traceId: string;
  entries = 0;
  /** The fields most traces leave empty, made at the first that is set (Rare). */
  private rare: Rare | undefined;
  /** Services of lines with a span id and of records: a placeholder of another service is a root. */
  private spanServices: SharedList = EMPTY_LIST;
  /**
   * Times inside the plausible years, and outside them (Rare.outsideRange). The trace's times are the
   * first range's, or the second's when the first is empty. Each: first and last entry time or record
   * start/end, and the min of entries' time - (duration ?? 0) and records' starts (a span start only with
   * HAS_DURATION).
   */
  private readonly inside: Range = { first: undefined, last: undefined, earliest: undefined };
  /** HAS_DURATION, NAMES_PARENTS: two flags in one field (a field is 8 bytes of every summary). */
  private flags = 0;
  private spanIdSet: JoinedSet = EMPTY_JOINED;
  /** A trace touches a handful of services. */
  private serviceSet: SharedList = EMPTY_LIST;
  /** Root class 0 or 2 (by namesParents): the earliest-starting log line with a span id naming no parent. */
  private rootCandidate: Candidate | undefined;
  /**
   * Of the same lines, the earliest by its own time: when it is of rootCandidate's span, it is that
   * span's first line, which names it ("start" before a "done in 300 ms" that proves an earlier start).
   */
  private rootLine: Candidate | undefined;
  private firstMessage: Candidate | undefined;

  // The Rare fields, read and written as if they were the summary's own: reading one of a summary
  // without them gives its empty value, and writing an empty value makes nothing.
  get records(): number {
    return this.rare?.records ?? 0;
  }
  set records(n: number) {
    if (n !== 0 || this.rare !== undefined) this.more().records = n;
  }
  private get errorSpans(): Set<string> | undefined {
    return this.rare?.errorSpans;
  }
  private set errorSpans(v: Set<string> | undefined) {
    if (v !== undefined || this.rare !== undefined) this.more().errorSpans = v;
  }
  private get looseServices(): SharedList {
    return this.rare?.looseServices ?? EMPTY_LIST;
  }
  private set looseServices(v: SharedList) {
    if (v !== EMPTY_LIST || this.rare !== undefined) this.more().looseServices = v;
  }
  private get looseErrors(): SharedList {
    return this.rare?.looseErrors ?? EMPTY_LIST;
  }
  private set looseErrors(v: SharedList) {
    if (v !== EMPTY_LIST || this.rare !== undefined) this.more().looseErrors = v;
  }
  private get outsideRange(): Range | undefined {
    return this.rare?.outsideRange;
  }
  private get serviceless(): JoinedSet {
    return this.rare?.serviceless ?? EMPTY_JOINED;
  }
  private set serviceless(v: JoinedSet) {
    if (v !== EMPTY_JOINED || this.rare !== undefined) this.more().serviceless = v;
  }
  private get recordDigests(): JoinedSet {
    return this.rare?.recordDigests ?? EMPTY_JOINED;
  }
  private set recordDigests(v: JoinedSet) {
    if (v !== EMPTY_JOINED || this.rare !== undefined) this.more().recordDigests = v;
  }
  private get failingRecords(): JoinedSet {
    return this.rare?.failingRecords ?? EMPTY_JOINED;
  }
  private set failingRecords(v: JoinedSet) {
    if (v !== EMPTY_JOINED || this.rare !== undefined) this.more().failingRecords = v;
  }
  private get rootSpan(): Candidate | undefined {
    return this.rare?.rootSpan;
  }
  private set rootSpan(v: Candidate | undefined) {
    if (v !== undefined || this.rare !== undefined) this.more().rootSpan = v;
  }
  private get unseen(): Map<string, Candidate> | undefined {
    return this.rare?.unseen;
  }
  private set unseen(v: Map<string, Candidate> | undefined) {
    if (v !== undefined || this.rare !== undefined) this.more().unseen = v;
  }
  private get placeholders(): Map<string, Placeholder> | undefined {
    return this.rare?.placeholders;
  }
  private set placeholders(v: Map<string, Placeholder> | undefined) {
    if (v !== undefined || this.rare !== undefined) this.more().placeholders = v;
  }

  private more(): Rare {
    return (this.rare ??= new Rare());
  }

  constructor(traceId: string) {
    this.traceId = traceId;
  }

  /** The range of times outside the plausible years, made when first needed. */
  private outside(): Range {
    return (this.more().outsideRange ??= { first: undefined, last: undefined, earliest: undefined });
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
      if (d !== undefined && d > 0) this.flags |= HAS_DURATION;
    }
    if (entry.service !== undefined) this.serviceSet = listAdd(this.serviceSet, entry.service);
    const nanos = entry.nanos ?? 0;
    const rootText = entry.operation ?? entry.message;
    // A span's service is its first line's that names one, else "unknown" (spans-from-entries.ts).
    const service = entry.service ?? UNKNOWN_SERVICE;
    // A line without a span id joins its service's placeholder, which hangs under that service's
    // earliest span (spans-from-entries.ts): it names a root only where its service has no span id.
    const made = spanId ? this.addRootLine(entry, spanId, t, nanos, rootText ?? PLACEHOLDER_OPERATION, service) : undefined;
    if (rootText !== undefined) {
      const d = entry.duration;
      const start = t !== undefined && d !== undefined && d > 0 ? t - d : t;
      // One candidate object serves both slots when the same line wins both (the usual first line).
      if (beats(this.firstMessage, start, t, nanos, spanId ?? '', entry.source, entry.line, rootText, service)) {
        this.firstMessage = made?.text === rootText ? made : { time: start, lag: lagOf(start, t), nanos, spanId: spanId ?? '', source: entry.source, line: entry.line, text: rootText, service };
      }
    }
    if (spanId) {
      // A span is "unknown"'s while none of its lines names a service: a span seen before either had
      // such a line (it is not in the set) or is in it already.
      const known = joinedHas(this.spanIdSet, spanId);
      if (entry.service === undefined) {
        if (!known) this.serviceless = joinedAdd(this.serviceless, spanId);
      } else if (this.serviceless !== EMPTY_JOINED) this.serviceless = joinedDelete(this.serviceless, spanId);
      if (!known) this.addSpanId(spanId);
      this.spanServices = listAdd(this.spanServices, service);
    } else this.addLoose(entry, t, nanos);
  }

  /** A line of span `spanId` as a root candidate of class 1 (root-rule.ts), now or if its parent never shows. */
  private addRootLine(entry: Entry, spanId: string, t: Micros | undefined, nanos: number, text: string, service: string): Candidate | undefined {
    const parent = entry.parentSpanId;
    const d = entry.duration;
    const start = t !== undefined && d !== undefined && d > 0 ? t - d : t;
    if (!parent) {
      let made: Candidate | undefined;
      if (beats(this.rootLine, t, t, nanos, spanId, entry.source, entry.line, text, service)) {
        this.rootLine = made = { time: t, lag: 0, nanos, spanId, source: entry.source, line: entry.line, text, service };
      }
      if (!beats(this.rootCandidate, start, t, nanos, spanId, entry.source, entry.line, text, service)) return undefined;
      return (this.rootCandidate = start === t && made !== undefined ? made : { time: start, lag: lagOf(start, t), nanos, spanId, source: entry.source, line: entry.line, text, service });
    }
    const key = parent === spanId ? SELF : parent;
    if (key !== SELF && joinedHas(this.spanIdSet, parent)) {
      this.flags |= NAMES_PARENTS;
      return undefined;
    }
    const unseen = (this.unseen ??= new Map());
    if (!beats(unseen.get(key), start, t, nanos, spanId, entry.source, entry.line, text, service)) return undefined;
    const c = { time: start, lag: lagOf(start, t), nanos, spanId, source: entry.source, line: entry.line, text, service };
    unseen.set(key, c);
    return c;
  }

  /** A span id of the trace: its children are no roots. */
  private addSpanId(spanId: string): void {
    this.spanIdSet = joinedAdd(this.spanIdSet, spanId);
    if (this.unseen === undefined || !this.unseen.delete(spanId)) return;
    this.flags |= NAMES_PARENTS;
    if (this.unseen.size === 0) this.unseen = undefined;
  }

  /** A line without a span id, into its service's placeholder. */
  private addLoose(entry: Entry, t: Micros | undefined, nanos: number): void {
    const service = entry.service ?? UNKNOWN_SERVICE;
    let p = (this.placeholders ??= new Map()).get(service);
    if (p === undefined) this.placeholders.set(service, (p = { rank: 2, earliest: undefined, last: undefined, operation: undefined, message: undefined, parent: undefined }));
    if (t !== undefined) {
      const d = entry.duration;
      addTimes(p, rankOf(t), d !== undefined && d > 0 ? t - d : t, t);
    }
    const at = { time: t, lag: 0, nanos, spanId: '', source: entry.source, line: entry.line, service };
    if (entry.operation !== undefined && beats(p.operation, t, t, nanos, '', entry.source, entry.line, entry.operation, service)) p.operation = { ...at, text: entry.operation };
    if (entry.message !== undefined && beats(p.message, t, t, nanos, '', entry.source, entry.line, entry.message, service)) p.message = { ...at, text: entry.message };
    const parent = entry.parentSpanId;
    if (parent && beats(p.parent, t, t, nanos, '', entry.source, entry.line, parent, service)) p.parent = { ...at, text: parent };
  }

  /**
   * Count one span record of this trace. Its start and end widen the time range like entry times, and its
   * extent is exact, so the trace gets a span-based duration. A record of a placeholder (`inferred`: a
   * file tracectl exported, read back) counts as the placeholder did: a span of the trace, never a
   * service's span for the root rule, and a root of class 3 when it names no parent.
   */
  addSpan(span: Span): void {
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
    this.flags |= HAS_DURATION;
    this.serviceSet = listAdd(this.serviceSet, span.service);
    const parent = span.parentSpanId;
    const spanId = span.spanId;
    const c: Candidate = { time: span.start, lag: 0, nanos: span.startNanos ?? 0, spanId, source: whereOf(span) ?? '', line: RECORD_LINE, text: span.operation, service: span.service };
    if (this.serviceless !== EMPTY_JOINED) this.serviceless = joinedDelete(this.serviceless, spanId);
    if (span.inferred === true) {
      if (!parent) this.addPlaceholderRecord(span, c);
      else if (parent === spanId || !joinedHas(this.spanIdSet, parent)) {
        const unseen = (this.unseen ??= new Map());
        const key = parent === spanId ? SELF : parent;
        unseen.set(key, earlier(unseen.get(key), c)!);
      }
      this.addSpanId(spanId);
      return;
    }
    this.spanServices = listAdd(this.spanServices, span.service);
    if (!parent) this.rootSpan = earlier(this.rootSpan, c);
    else if (parent !== spanId && joinedHas(this.spanIdSet, parent)) this.flags |= NAMES_PARENTS;
    else {
      const key = parent === spanId ? SELF : parent;
      const unseen = (this.unseen ??= new Map());
      unseen.set(key, earlier(unseen.get(key), c)!);
    }
    this.addSpanId(spanId);
  }

  /** A recorded placeholder naming no parent: into its service's placeholder, as its lines were. */
  private addPlaceholderRecord(span: Span, c: Candidate): void {
    let p = (this.placeholders ??= new Map()).get(span.service);
    if (p === undefined) this.placeholders.set(span.service, (p = { rank: 2, earliest: undefined, last: undefined, operation: undefined, message: undefined, parent: undefined }));
    addTimes(p, rankOf(span.start), span.start, span.end);
    if (beats(p.operation, span.start, span.start, c.nanos, '', c.source, c.line, c.text, c.service)) p.operation = c;
  }

  /**
   * Lines of `source` are `by` further down than they were numbered: a worker thread read a part of the
   * file that starts after lines it could not count (parallel/read-parallel.ts). The places decide ties.
   */
  shiftLines(source: string, by: number): void {
    const done: Candidate[] = []; // one candidate may fill two slots
    const loose = [...(this.placeholders?.values() ?? [])].flatMap((p) => [p.operation, p.message, p.parent]);
    for (const c of [this.rootSpan, this.rootCandidate, this.rootLine, this.firstMessage, ...loose, ...(this.unseen?.values() ?? [])]) {
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
    this.flags |= other.flags;
    if (this.serviceless !== EMPTY_JOINED || other.serviceless !== EMPTY_JOINED) this.mergeServiceless(other);
    this.spanIdSet = joinedAddAll(this.spanIdSet, other.spanIdSet);
    this.recordDigests = joinedAddAll(this.recordDigests, other.recordDigests);
    this.failingRecords = joinedAddAll(this.failingRecords, other.failingRecords);
    for (const s of listValues(other.serviceSet)) this.serviceSet = listAdd(this.serviceSet, s);
    this.rootSpan = earlier(this.rootSpan, other.rootSpan);
    this.rootCandidate = earlier(this.rootCandidate, other.rootCandidate);
    this.rootLine = earlier(this.rootLine, other.rootLine);
    this.firstMessage = earlier(this.firstMessage, other.firstMessage);
    if (other.unseen !== undefined) {
      const unseen = (this.unseen ??= new Map());
      for (const [parent, c] of other.unseen) unseen.set(parent, earlier(unseen.get(parent), c)!);
    }
    if (this.unseen !== undefined) {
      for (const parent of [...this.unseen.keys()]) {
        if (parent === SELF || !joinedHas(this.spanIdSet, parent)) continue;
        this.unseen.delete(parent);
        this.flags |= NAMES_PARENTS;
      }
      if (this.unseen.size === 0) this.unseen = undefined;
    }
    if (other.placeholders) {
      const mine = (this.placeholders ??= new Map());
      for (const [service, o] of other.placeholders) {
        const p = mine.get(service);
        if (p === undefined) mine.set(service, { ...o });
        else {
          addTimes(p, o.rank, o.earliest, o.last);
          p.operation = earlier(p.operation, o.operation);
          p.message = earlier(p.message, o.message);
          p.parent = earlier(p.parent, o.parent);
        }
      }
    }
  }

  /**
   * A span is "unknown"'s when none of its lines in either part named a service: in one part's set and
   * either absent from the other part or in its set too. Before the span ids are merged.
   */
  private mergeServiceless(other: TraceSummary): void {
    const kept: string[] = [];
    for (const id of joinedValues(this.serviceless)) if (!joinedHas(other.spanIdSet, id) || joinedHas(other.serviceless, id)) kept.push(id);
    for (const id of joinedValues(other.serviceless)) if (!joinedHas(this.spanIdSet, id)) kept.push(id);
    this.serviceless = joinedOf(kept);
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
    w.num(this.flags);
    w.strs(this.errorSpans ?? [], this.errorSpans?.size ?? 0, true);
    // The span ids as the one string that holds them (a Set, rare, as its values): unpacked, it is the set
    // again without a string made per id and joined anew (~4,000 traces held in parts on two threads
    // at the end of `group` on corpus a).
    for (const set of [this.spanIdSet, this.recordDigests, this.failingRecords, this.serviceless]) packJoined(w, set);
    w.strs(listValues(this.serviceSet), listSize(this.serviceSet));
    w.strs(listValues(this.looseServices), listSize(this.looseServices));
    w.strs(listValues(this.looseErrors), listSize(this.looseErrors));
    w.strs(listValues(this.spanServices), listSize(this.spanServices));
    const packCandidate = (c: Candidate | undefined): void => {
      w.num(c === undefined ? 0 : 1);
      if (c === undefined) return;
      w.num(c.time);
      w.num(c.lag);
      w.num(c.nanos);
      w.num(c.line);
      w.str(c.spanId);
      w.str(c.source);
      w.str(c.text);
      w.str(c.service);
    };
    for (const c of [this.rootSpan, this.rootCandidate, this.rootLine, this.firstMessage]) packCandidate(c);
    w.num(this.unseen?.size ?? 0);
    for (const [parent, c] of this.unseen ?? []) {
      w.str(parent);
      packCandidate(c);
    }
    w.num(this.placeholders?.size ?? 0);
    for (const [service, p] of this.placeholders ?? []) {
      w.str(service);
      w.num(p.rank);
      w.num(p.earliest);
      w.num(p.last);
      packCandidate(p.operation);
      packCandidate(p.message);
      packCandidate(p.parent);
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
    s.flags = r.int();
    const errorSpans = r.strs();
    if (errorSpans.length > 0) s.errorSpans = new Set(errorSpans);
    s.spanIdSet = unpackJoined(r);
    s.recordDigests = unpackJoined(r);
    s.failingRecords = unpackJoined(r);
    s.serviceless = unpackJoined(r);
    s.serviceSet = listOf(r.strs());
    s.looseServices = listOf(r.strs());
    s.looseErrors = listOf(r.strs());
    s.spanServices = listOf(r.strs());
    const candidate = (): Candidate | undefined => {
      if (r.int() === 0) return undefined;
      const time = r.num();
      const lag = r.num() ?? 0;
      const nanos = r.int();
      const line = r.int();
      return { time, lag, nanos, line, spanId: r.str()!, source: r.str()!, text: r.str()!, service: r.str()! };
    };
    s.rootSpan = candidate();
    s.rootCandidate = candidate();
    s.rootLine = candidate();
    s.firstMessage = candidate();
    for (let k = r.int(); k > 0; k--) {
      const parent = r.str()!;
      (s.unseen ??= new Map()).set(parent, candidate()!);
    }
    for (let k = r.int(); k > 0; k--) {
      const service = r.str()!;
      const rank = r.int();
      const earliest = r.num();
      const last = r.num();
      (s.placeholders ??= new Map()).set(service, { rank, earliest, last, operation: candidate(), message: candidate(), parent: candidate() });
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

  /**
   * The services of the trace's spans, as its tree has them: those lines and records name, and
   * "unknown" when a span or a placeholder has no line naming one (spans-from-entries.ts).
   */
  private get serviceList(): SharedList {
    const unknown = joinedSize(this.serviceless) > 0 || listHas(this.looseServices, UNKNOWN_SERVICE);
    if (!unknown || listHas(this.serviceSet, UNKNOWN_SERVICE)) return this.serviceSet;
    return listAdd(Array.isArray(this.serviceSet) ? this.serviceSet : new Set(this.serviceSet), UNKNOWN_SERVICE);
  }

  services(): Iterable<string> {
    return listValues(this.serviceList);
  }

  /** The services, sorted: an array shared with other summaries, not to be written into. */
  sortedServices(): readonly string[] {
    return sortedValues(this.serviceList);
  }

  /** Failing spans, counting the placeholder of a service's lines without a span id as one. */
  get errors(): number {
    return (this.errorSpans?.size ?? 0) + listSize(this.looseErrors) + extraOf(this.failingRecords);
  }

  /**
   * root-rule.ts's rule, class by class, each while its times lie inside the plausible years (or no time
   * does): a span naming no parent where that is a root's word (a record; a log span where spans name
   * parents the trace holds); a span whose named parent never showed, or a proxy's access line under a
   * missing caller; a log span naming no parent; a placeholder that is a root; else the earliest of the
   * spans with far-off or no times; else the earliest message.
   */
  private get root(): Candidate | undefined {
    const loose = this.namedRootCandidate();
    const timed = (c: Candidate | undefined): boolean => c !== undefined && c.time !== undefined && (plausible(atOf(c)!) || this.inside.first === undefined);
    const named = (this.flags & NAMES_PARENTS) !== 0 ? earlier(this.rootSpan, loose) : this.rootSpan;
    if (timed(named)) return named;
    const missing = this.classOne();
    if (timed(missing)) return missing;
    if (timed(loose)) return loose;
    return this.earliestPlaceholder() ?? earlier(earlier(this.rootSpan, loose), missing) ?? this.firstMessage;
  }

  /**
   * rootCandidate named by its span's first line when rootLine is one of that span (the earliest line of
   * all is then its span's first). Else by its own line: a span whose first line is not the earliest of
   * all and whose earliest start comes from a later line is named by that line (D109).
   */
  private namedRootCandidate(): Candidate | undefined {
    const c = this.rootCandidate;
    const l = this.rootLine;
    if (c === undefined || l === undefined || c === l || c.spanId !== l.spanId) return c;
    return { ...c, text: l.text, service: l.service };
  }

  /**
   * The earliest root of class 1: a span naming a parent that never showed (but the caller a proxy's
   * access line names: assembleSpans hangs its callees under the line), or such an access line.
   */
  private classOne(): Candidate | undefined {
    let best: Candidate | undefined;
    const proxied = new Set<string>();
    for (const [service, p] of this.placeholders ?? []) {
      if (this.proxyOf(service, p) !== 'missing') continue;
      proxied.add(p.parent!.text);
      best = earlier(best, this.placeholderCandidate(service, p));
    }
    for (const [parent, c] of this.unseen ?? []) {
      if (parent === SELF || (!joinedHas(this.spanIdSet, parent) && !proxied.has(parent))) best = earlier(best, c);
    }
    return best;
  }

  /**
   * A placeholder whose service has no span and whose lines name a parent stands for a proxy's span
   * under that parent (assembleSpans, when timed): 'missing' when the parent is not in the trace (a
   * root of class 1), 'present' when it is (no root); undefined for any other placeholder.
   */
  private proxyOf(service: string, p: Placeholder): 'missing' | 'present' | undefined {
    if (p.parent === undefined || p.rank === 2 || listHas(this.spanServices, service)) return undefined;
    return joinedHas(this.spanIdSet, p.parent.text) ? 'present' : 'missing';
  }

  /** A placeholder as a root: named by its earliest operation, else its earliest message. */
  private placeholderCandidate(service: string, p: Placeholder): Candidate {
    const named = p.operation ?? p.message;
    const spanId = inferredSpanId(service);
    return { time: p.earliest, lag: 0, nanos: 0, spanId, source: named?.source ?? '', line: named?.line ?? 0, text: named?.text ?? PLACEHOLDER_OPERATION, service };
  }

  /**
   * The root of class 2: of the placeholders that are roots (their service has no span with an id, and
   * they stand for no proxy), the earliest (untimed ones last; ties to the service's name, as its span id
   * `inferred:<service>` orders in root-rule.ts).
   */
  private earliestPlaceholder(): Candidate | undefined {
    if (this.placeholders === undefined) return undefined;
    let best: [string, Placeholder] | undefined;
    for (const entry of this.placeholders) {
      const [service, p] = entry;
      if (listHas(this.spanServices, service) || this.proxyOf(service, p) !== undefined) continue;
      if (best === undefined) {
        best = entry;
        continue;
      }
      const [bestService, b] = best;
      const pe = p.earliest ?? Infinity;
      const be = b.earliest ?? Infinity;
      if (p.rank < b.rank || (p.rank === b.rank && (pe < be || (pe === be && service < bestService)))) best = entry;
    }
    return best === undefined ? undefined : this.placeholderCandidate(best[0], best[1]);
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
    return (this.flags & HAS_DURATION) !== 0 ? this.range.earliest : undefined;
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
