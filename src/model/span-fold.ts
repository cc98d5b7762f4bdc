// spansFromEntries, folded as the lines arrive: a trace's spans are kept as a few fields per span instead
// of every entry, for the commands that measure spans and show no log lines (slowest, latency, errors,
// services). The rules are spansFromEntries' rules, restated for one entry at a time:
//   "the first entry (in time order) that has X"  ->  the lowest (time, nanos, arrival) among entries with X
//   "the last entry that has X"                   ->  the highest
// (entries without a time order after all timed ones, as compareEntries has it). A property test holds the
// two to the same spans (test/model/span-fold.test.ts).
//
// "Arrival" is an entry's place in the input, given by the caller. With worker threads, parts of one trace
// are folded on different threads; each rule above is a minimum or maximum under a total order, so two
// folds of disjoint parts merge into the fold of the whole (merge()), provided arrivals are global.
import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import type { Micros } from './time.js';
import type { PackReader, PackWriter } from './packed.js';
import { PlainBounds } from './build-tree.js';
import { assembleSpans, earliestOf, entryTime, finishSpan, NO_EVENTS, PLACEHOLDER_OPERATION, UNKNOWN_SERVICE, type SpanFacts } from './spans-from-entries.js';
import type { SpanColumns } from './span-columns.js';

/** An entry's place in time order: its time (untimed: +∞), sub-µs nanos, then arrival. */
interface Key {
  t: number;
  n: number;
  s: number;
}

const before = (a: Key, b: Key): boolean => placeBefore(a.t, a.n, a.s, b);

/** Is the place (t, n, s) before key b? Key's order, on the place's three numbers (no Key made for it). */
function placeBefore(t: number, n: number, s: number, b: Key): boolean {
  return t !== b.t ? t < b.t : n !== b.n ? n < b.n : s < b.s;
}

/** b's value replaces a's when b's key comes first ("the first entry having X"). */
const earlier = (a: Key | undefined, b: Key | undefined): boolean => b !== undefined && (a === undefined || before(b, a));

function packKey(w: PackWriter, k: Key | undefined): void {
  w.num(k?.t === Infinity ? -Infinity : k?.t); // -Infinity never occurs as a time: it stands for "untimed"
  if (k !== undefined) {
    w.num(k.n);
    w.num(k.s);
  }
}

function unpackKey(r: PackReader): Key | undefined {
  const t = r.num();
  if (t === undefined) return undefined;
  return { t: t === -Infinity ? Infinity : t, n: r.int(), s: r.int() };
}

/**
 * One span's facts so far. Each "first having" field keeps the key of the entry it came from. The
 * fields are named as SpanFacts names them, so that finishSpan reads a fold as it is (no facts object
 * per span at the end).
 *
 * A plain object made by one object literal (newFold), not a class instance: V8 tracks the survival of
 * objects made by a literal and, as nearly every fold lives to the end, soon allocates them straight in
 * the old generation, where objects made by `new` are copied by one young-generation collection after
 * another first (the scavenges of latency's read of corpus a on one thread, 3 runs each: 36 taking
 * ~290–325 ms → 24 taking ~225–250 ms).
 */
interface Fold extends SpanFacts {
  firstKey: Key;
  whereSource: string;
  whereLine: number;
  startKey: Key | undefined;
  serviceKey: Key | undefined;
  hostKey: Key | undefined;
  operationKey: Key | undefined;
  firstMessageKey: Key | undefined;
  parentSpanIdKey: Key | undefined;
  errorMessageKey: Key | undefined;
  firstErrorTextKey: Key | undefined;
  httpStatusKey: Key | undefined;
}

function newFold(source: string, line: number, k: Key): Fold {
  return {
    firstKey: k, whereSource: source, whereLine: line,
    start: undefined, startKey: undefined, startNanos: undefined, end: undefined,
    service: undefined, serviceKey: undefined, host: undefined, hostKey: undefined,
    operation: undefined, operationKey: undefined, firstMessage: undefined, firstMessageKey: undefined,
    parentSpanId: undefined, parentSpanIdKey: undefined, errorMessage: undefined, errorMessageKey: undefined,
    firstErrorText: undefined, firstErrorTextKey: undefined, error: false, httpStatus: undefined, httpStatusKey: undefined,
  };
}

/** Is key a before the place (t, n, s)? Never equal to it: every entry's arrival is its own. */
const keyBefore = (a: Key, t: number, n: number, s: number): boolean => !placeBefore(t, n, s, a);

/**
 * Folds in an entry whose place in time order is (time, or +∞ when untimed; n; s), as Key has it;
 * `time` and `early` are entryTime(e) and earliestOf(e), which the caller has read already. The Key
 * object is made only when some field keeps it: most lines of a span win nothing (the first line wins
 * nearly all), and a key a line was a third of what reading corpus a allocated. `made`: the entry's
 * Key, if made already.
 */
function foldAdd(f: Fold, e: Entry, time: Micros | undefined, early: Micros | undefined, n: number, s: number, made?: Key): void {
  const t = time ?? Infinity;
  let k = made; // the entry's Key, once made
  if (placeBefore(t, n, s, f.firstKey)) {
    f.firstKey = k ??= { t, n, s };
    f.whereSource = e.source;
    f.whereLine = e.line;
  }
  if (early !== undefined && (f.start === undefined || early < f.start || (early === f.start && placeBefore(t, n, s, f.startKey!)))) {
    f.start = early;
    f.startKey = k ??= { t, n, s };
    f.startNanos = e.nanos;
  }
  if (time !== undefined && (f.end === undefined || time > f.end)) f.end = time;
  if (e.service !== undefined && (f.serviceKey === undefined || placeBefore(t, n, s, f.serviceKey))) {
    f.service = e.service;
    f.serviceKey = k ??= { t, n, s };
  }
  const pod = e.envelope?.pod;
  if (pod !== undefined && (f.hostKey === undefined || placeBefore(t, n, s, f.hostKey))) {
    f.host = pod;
    f.hostKey = k ??= { t, n, s };
  }
  if (e.operation !== undefined && (f.operationKey === undefined || placeBefore(t, n, s, f.operationKey))) {
    f.operation = e.operation;
    f.operationKey = k ??= { t, n, s };
  }
  if (e.message !== undefined && (f.firstMessageKey === undefined || placeBefore(t, n, s, f.firstMessageKey))) {
    f.firstMessage = e.message;
    f.firstMessageKey = k ??= { t, n, s };
  }
  if (e.parentSpanId !== undefined && (f.parentSpanIdKey === undefined || placeBefore(t, n, s, f.parentSpanIdKey))) {
    f.parentSpanId = e.parentSpanId;
    f.parentSpanIdKey = k ??= { t, n, s };
  }
  if (e.errorMessage !== undefined && (f.errorMessageKey === undefined || placeBefore(t, n, s, f.errorMessageKey))) {
    f.errorMessage = e.errorMessage;
    f.errorMessageKey = k ??= { t, n, s };
  }
  if (e.error) {
    f.error = true;
    if (e.message !== undefined && (f.firstErrorTextKey === undefined || placeBefore(t, n, s, f.firstErrorTextKey))) {
      f.firstErrorText = e.message;
      f.firstErrorTextKey = k ??= { t, n, s };
    }
  }
  // the last entry with a status wins
  if (e.httpStatus !== undefined && (f.httpStatusKey === undefined || keyBefore(f.httpStatusKey, t, n, s))) {
    f.httpStatus = e.httpStatus;
    f.httpStatusKey = k ??= { t, n, s };
  }
}

/** Fold in the fold of other entries of the same span (arrivals disjoint from this one's). */
function foldMerge(f: Fold, o: Fold): void {
  if (before(o.firstKey, f.firstKey)) [f.firstKey, f.whereSource, f.whereLine] = [o.firstKey, o.whereSource, o.whereLine];
  if (o.start !== undefined && (f.start === undefined || o.start < f.start || (o.start === f.start && before(o.startKey!, f.startKey!)))) {
    [f.start, f.startKey, f.startNanos] = [o.start, o.startKey, o.startNanos];
  }
  if (o.end !== undefined && (f.end === undefined || o.end > f.end)) f.end = o.end;
  if (earlier(f.serviceKey, o.serviceKey)) [f.service, f.serviceKey] = [o.service, o.serviceKey];
  if (earlier(f.hostKey, o.hostKey)) [f.host, f.hostKey] = [o.host, o.hostKey];
  if (earlier(f.operationKey, o.operationKey)) [f.operation, f.operationKey] = [o.operation, o.operationKey];
  if (earlier(f.firstMessageKey, o.firstMessageKey)) [f.firstMessage, f.firstMessageKey] = [o.firstMessage, o.firstMessageKey];
  if (earlier(f.parentSpanIdKey, o.parentSpanIdKey)) [f.parentSpanId, f.parentSpanIdKey] = [o.parentSpanId, o.parentSpanIdKey];
  if (earlier(f.errorMessageKey, o.errorMessageKey)) [f.errorMessage, f.errorMessageKey] = [o.errorMessage, o.errorMessageKey];
  if (earlier(f.firstErrorTextKey, o.firstErrorTextKey)) [f.firstErrorText, f.firstErrorTextKey] = [o.firstErrorText, o.firstErrorTextKey];
  f.error ||= o.error;
  // the last entry with a status wins: o's when this one's comes first
  if (o.httpStatusKey !== undefined && (f.httpStatusKey === undefined || before(f.httpStatusKey, o.httpStatusKey))) {
    [f.httpStatus, f.httpStatusKey] = [o.httpStatus, o.httpStatusKey];
  }
}

function packFold(w: PackWriter, f: Fold): void {
  packKey(w, f.firstKey);
  w.str(f.whereSource);
  w.num(f.whereLine);
  w.num(f.start);
  packKey(w, f.startKey);
  w.num(f.startNanos);
  w.num(f.end);
  w.num(f.error ? 1 : 0);
  w.num(f.httpStatus);
  packKey(w, f.httpStatusKey);
  for (const [value, key] of textFields(f)) {
    w.str(value);
    packKey(w, key);
  }
}

function unpackFold(r: PackReader): Fold {
  const firstKey = unpackKey(r)!;
  const f = newFold(r.str()!, r.int(), firstKey);
  f.start = r.num();
  f.startKey = unpackKey(r);
  f.startNanos = r.num();
  f.end = r.num();
  f.error = r.int() === 1;
  f.httpStatus = r.num();
  f.httpStatusKey = unpackKey(r);
  [f.service, f.serviceKey] = [r.str(), unpackKey(r)];
  [f.host, f.hostKey] = [r.str(), unpackKey(r)];
  [f.operation, f.operationKey] = [r.str(), unpackKey(r)];
  [f.firstMessage, f.firstMessageKey] = [r.str(), unpackKey(r)];
  [f.parentSpanId, f.parentSpanIdKey] = [r.str(), unpackKey(r)];
  [f.errorMessage, f.errorMessageKey] = [r.str(), unpackKey(r)];
  [f.firstErrorText, f.firstErrorTextKey] = [r.str(), unpackKey(r)];
  return f;
}

/** The "first having" text fields with their keys, in the order packFold() and unpackFold() agree on. */
function textFields(f: Fold): [string | undefined, Key | undefined][] {
  return [
    [f.service, f.serviceKey], [f.host, f.hostKey], [f.operation, f.operationKey], [f.firstMessage, f.firstMessageKey],
    [f.parentSpanId, f.parentSpanIdKey], [f.errorMessage, f.errorMessageKey], [f.firstErrorText, f.firstErrorTextKey],
  ];
}

/** The folds of the trace TraceFold.columns() fills, by place (scratch: one trace at a time). */
const PLACED: (Fold | undefined)[] = [];

/** Two maps of folds as one (their order does not matter: assembleSpans sorts the spans). */
function mergeFolds(a: Map<string, Fold>, b: Map<string, Fold>): Map<string, Fold> {
  for (const [key, f] of b) {
    const mine = a.get(key);
    if (mine) foldMerge(mine, f);
    else a.set(key, f);
  }
  return a;
}

/** One trace's spans, folded entry by entry. */
export class TraceFold {
  private readonly bySpan = new Map<string, Fold>();
  /** Entries without a span id, by service; made at the first (most traces have none: ~100 bytes saved each). */
  private byService: Map<string, Fold> | undefined;
  private traceStart: Micros | undefined;

  constructor(readonly traceId: string) {}

  /** `arrival`: the entry's place in the input; every entry's is different, and later entries' larger. */
  add(e: Entry, arrival: number): void {
    // The entry's time and earliest time, read once for the trace and its span.
    const time = entryTime(e);
    const n = time === undefined ? 0 : (e.nanos ?? 0);
    const early = earliestOf(e);
    if (early !== undefined && (this.traceStart === undefined || early < this.traceStart)) this.traceStart = early;
    const map = e.spanId ? this.bySpan : (this.byService ??= new Map());
    const key = e.spanId ? e.spanId : (e.service ?? UNKNOWN_SERVICE);
    const fold = map.get(key);
    if (fold) foldAdd(fold, e, time, early, n, arrival);
    else {
      const k: Key = { t: time ?? Infinity, n, s: arrival };
      const f = newFold(e.source, e.line, k);
      foldAdd(f, e, time, early, n, arrival, k);
      map.set(key, f);
    }
  }

  /** Lines of `source` are `by` further down than this fold was told (a worker's part of a file: read-range.ts). */
  shiftLines(source: string, by: number): void {
    for (const map of [this.bySpan, this.byService]) {
      if (map === undefined) continue;
      for (const f of map.values()) if (f.whereSource === source) f.whereLine += by;
    }
  }

  /** Fold in the fold of other entries of this trace (another thread's part). */
  merge(o: TraceFold): void {
    if (o.traceStart !== undefined && (this.traceStart === undefined || o.traceStart < this.traceStart)) this.traceStart = o.traceStart;
    mergeFolds(this.bySpan, o.bySpan);
    if (o.byService !== undefined) this.byService = mergeFolds(this.byService ?? new Map(), o.byService);
  }

  pack(w: PackWriter): void {
    w.str(this.traceId, true);
    w.num(this.traceStart);
    for (const map of [this.bySpan, this.byService ?? new Map<string, Fold>()]) {
      w.num(map.size);
      for (const [key, f] of map) {
        w.str(key, map === this.bySpan);
        packFold(w, f);
      }
    }
  }

  static unpack(r: PackReader): TraceFold {
    const t = new TraceFold(r.str()!);
    t.traceStart = r.num();
    for (let k = r.int(); k > 0; k--) {
      const key = r.str()!;
      t.bySpan.set(key, unpackFold(r));
    }
    for (let k = r.int(); k > 0; k--) {
      const key = r.str()!;
      (t.byService ??= new Map()).set(key, unpackFold(r));
    }
    return t;
  }

  /**
   * plainBounds(this.spans()), without making the spans: each span's start and end as finishSpan gives
   * them. `slowest` ranks most traces by these alone (trace-analysis.ts).
   */
  bounds(): { start: Micros; end: Micros } | undefined {
    const fallback = this.traceStart ?? 0;
    const b = new PlainBounds();
    for (const map of [this.bySpan, this.byService]) {
      if (map === undefined) continue;
      for (const f of map.values()) {
        if (f.start === undefined || f.end === undefined) b.add(fallback, fallback);
        else b.add(f.start, f.end);
      }
    }
    return b.bounds();
  }

  /**
   * The trace's spans as columns, each span's fields as spans() makes them, and each span's parent the
   * span its parent id names (none when the id is missing, empty, its own, or names no span here): how
   * buildTree links spans whose ids are all different, as a trace's folds are (one per span id). The
   * places follow no order (spans() sorts; latency needs none). False, and `out` of no use, when the
   * trace has lines without a span id (their placeholders' parents depend on the spans' order: spans()
   * knows that rule) or more spans than `out` holds.
   */
  columns(out: SpanColumns): boolean {
    if (this.byService !== undefined || this.bySpan.size > out.capacity) return false;
    const fallback = this.traceStart ?? 0;
    let i = 0;
    for (const f of this.bySpan.values()) {
      const timed = f.start !== undefined && f.end !== undefined;
      out.set(i, timed ? f.start! : fallback, timed ? f.end! : fallback, f.error, f.service ?? UNKNOWN_SERVICE, f.operation ?? f.firstMessage ?? PLACEHOLDER_OPERATION);
      PLACED[i++] = f;
    }
    out.length = i;
    for (let k = 0; k < i; k++) {
      const named = PLACED[k]!.parentSpanId;
      if (named === undefined || named === '') continue;
      const p = this.bySpan.get(named);
      if (p === undefined || p === PLACED[k]) continue;
      let j = 0;
      while (PLACED[j] !== p) j++; // p is one of this trace's folds, so among the i placed
      out.parent[k] = j;
    }
    PLACED.fill(undefined, 0, i); // hold no fold past its trace
    return true;
  }

  /** The spans spansFromEntries(entries, {events: false}) would build from the same entries. */
  spans(): Span[] {
    const fallback = this.traceStart ?? 0;
    const real: Span[] = [];
    for (const [spanId, f] of this.bySpan) real.push(finishSpan(this.traceId, spanId, f, fallback, NO_EVENTS));
    const loose: [string, Span][] = [];
    for (const [service, f] of this.byService ?? []) loose.push([service, finishSpan(this.traceId, `inferred:${service}`, f, fallback, [])]);
    return assembleSpans(real, loose);
  }
}
