// spansFromEntries, folded as the lines arrive: a trace's spans are kept as a few fields per span instead
// of every entry, for the commands that measure spans and show no log lines (slowest, latency, errors,
// services). The rules are spansFromEntries' rules, restated for one entry at a time:
//   "the first entry (in time order) that has X"  ->  the lowest (time, nanos, arrival) among entries with X
//   "the last entry that has X"                   ->  the highest
// (time ranked first, as compareEntries has it: inside the plausible years, outside them, none; start and
// end come from the entries of the lowest rank present). A property test holds the two to the same spans
// (test/model/span-fold.test.ts).
//
// "Arrival" is an entry's place in the input, given by the caller. With worker threads, parts of one trace
// are folded on different threads; each rule above is a minimum or maximum under a total order, so two
// folds of disjoint parts merge into the fold of the whole (merge()), provided arrivals are global.
//
// The folds of all traces of a collector lie in one FoldRows: a row per span, its numbers in typed arrays
// and its strings in pages of rows, which the young-generation collector never copies: an object per span
// (with an object per place it kept, each time a boxed double) is ~620 bytes a span, and folds live to
// the end, so every collection would copy them (docs/DECISIONS.md, D33).
import { mayInferParent } from './infer-parents.js';
import type { Entry } from '../entries/entry.js';
import type { Span } from './span.js';
import type { Micros } from '../core/time.js';
import type { PackReader, PackWriter } from './packed.js';
import { PlainBounds } from './build-tree.js';
import { assembleSpans, earliestOf, entryTime, finishSpan, NO_EVENTS, PLACEHOLDER_OPERATION, UNKNOWN_SERVICE, type SpanFacts } from './spans-from-entries.js';
import type { SpanColumns } from './span-columns.js';
import { timeRank } from './plausible-times.js';

/** No row (rows count from 0). */
const NONE = -1;
/** No place: places count from 1, so that the zeros of a new array of places are none. */
const NO_PLACE = 0;

// A row's places (each the place of the entry a field came from; see FoldRows.placeT), by slot. The slots
// from K_SERVICE to K_ERROR_TEXT are also the text slots of the values they rank.
const K_FIRST = 0; // the span's first entry: whereSource, whereLine
const K_START = 1;
const K_SERVICE = 2;
const K_HOST = 3;
const K_OPERATION = 4;
const K_MESSAGE = 5; // firstMessage
const K_PARENT = 6;
const K_ERROR_MESSAGE = 7;
const K_ERROR_TEXT = 8; // firstErrorText
const K_STATUS = 9; // httpStatus (a number, not a text)
const KEYS = 10;

// A row's strings, by slot (K_SERVICE … K_ERROR_TEXT as above).
const T_KEY = 0; // the span id, or for a loose row (entries without a span id) the service
const T_SOURCE = 1; // whereSource
const TEXTS = 9;

/** The text slots ranked by a place, in the order pack() and unpack() agree on. */
const RANKED_TEXTS = [K_SERVICE, K_HOST, K_OPERATION, K_MESSAGE, K_PARENT, K_ERROR_MESSAGE, K_ERROR_TEXT] as const;

/** Rows in a page of texts (FoldRows.pages). */
const PAGE_BITS = 10;
const PAGE_ROWS = 1 << PAGE_BITS;

/** Rows past which a trace finds a span id by a map rather than by walking its rows. */
const WALK_ROWS = 8;

/** `a` copied into a larger array of its kind (the cells past a's are set when used). */
function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/**
 * Span folds as rows. A place is an entry's place in time order: its time (untimed: +∞), sub-µs nanos,
 * then arrival — kept once per entry that won a field, and named by its number in every field it won
 * (most lines of a span win nothing; the first line wins nearly all).
 */
export class FoldRows {
  private rowCap: number;
  rows = 0;
  /** NaN: none yet. */
  start: Float64Array;
  end: Float64Array;
  startNanos: Float64Array;
  status: Float64Array;
  whereLine: Float64Array;
  error: Uint8Array;
  /** The next row of the same trace (NONE: the last). */
  next: Int32Array;
  /** KEYS places per row (NO_PLACE: no entry had the field). */
  keys: Int32Array;
  /**
   * TEXTS strings per row, in pages of PAGE_ROWS rows, never copied: one array grown by V8 as rows
   * come is copied again and again as it grows, and the copies raise the peak.
   */
  private readonly pages: (string | undefined)[][] = [];

  private placeCap: number;
  places = 1; // place 0 is NO_PLACE
  placeT: Float64Array;
  placeN: Float64Array;
  placeS: Float64Array;

  constructor(rows = 16) {
    // A row's numbers are set as it is made (row()), and its places are NO_PLACE, zero, as a new array
    // holds: the arrays' room not yet used is memory never touched, none to the system.
    this.rowCap = rows;
    this.start = new Float64Array(rows);
    this.end = new Float64Array(rows);
    this.startNanos = new Float64Array(rows);
    this.status = new Float64Array(rows);
    this.whereLine = new Float64Array(rows);
    this.error = new Uint8Array(rows);
    this.next = new Int32Array(rows);
    this.keys = new Int32Array(rows * KEYS);
    this.placeCap = rows * 2;
    this.placeT = new Float64Array(this.placeCap);
    this.placeN = new Float64Array(this.placeCap);
    this.placeS = new Float64Array(this.placeCap);
  }

  /** A place's number. */
  place(t: number, n: number, s: number): number {
    if (this.places === this.placeCap) {
      this.placeCap *= 2;
      this.placeT = grown(this.placeT, this.placeCap);
      this.placeN = grown(this.placeN, this.placeCap);
      this.placeS = grown(this.placeS, this.placeCap);
    }
    const p = this.places++;
    this.placeT[p] = t;
    this.placeN[p] = n;
    this.placeS[p] = s;
    return p;
  }

  /** `made` if the entry's place was made already, else it now. */
  placed(made: number, t: number, n: number, s: number): number {
    return made !== NO_PLACE ? made : this.place(t, n, s);
  }

  /** The time of place k (undefined for none, or an untimed entry's). */
  placeTime(k: number): number | undefined {
    if (k === NO_PLACE) return undefined;
    const t = this.placeT[k]!;
    return t === Infinity ? undefined : t;
  }

  /** Is the place (t, n, s) before place b? Never equal to it: every entry's arrival is its own. */
  before(t: number, n: number, s: number, b: number): boolean {
    const bt = this.placeT[b]!;
    if (t !== bt) {
      const ra = placeRank(t);
      const rb = placeRank(bt);
      return ra !== rb ? ra < rb : t < bt;
    }
    const bn = this.placeN[b]!;
    return n !== bn ? n < bn : s < this.placeS[b]!;
  }

  /** Is place a of `rows` before place b of this? */
  placeBefore(rows: FoldRows, a: number, b: number): boolean {
    return this.before(rows.placeT[a]!, rows.placeN[a]!, rows.placeS[a]!, b);
  }

  /** Place p of `rows` as a place of this (NO_PLACE stays NO_PLACE). */
  adopt(rows: FoldRows, p: number): number {
    if (p === NO_PLACE || rows === this) return p;
    return this.place(rows.placeT[p]!, rows.placeN[p]!, rows.placeS[p]!);
  }

  /** A new row, of a span whose first entry so far is at place `first`. */
  row(key: string, source: string, line: number, first: number): number {
    if (this.rows === this.rowCap) {
      const cap = (this.rowCap *= 2);
      this.start = grown(this.start, cap);
      this.end = grown(this.end, cap);
      this.startNanos = grown(this.startNanos, cap);
      this.status = grown(this.status, cap);
      this.whereLine = grown(this.whereLine, cap);
      this.error = grown(this.error, cap);
      this.next = grown(this.next, cap);
      this.keys = grown(this.keys, cap * KEYS);
    }
    const r = this.rows++;
    this.start[r] = NaN;
    this.end[r] = NaN;
    this.startNanos[r] = NaN;
    this.status[r] = NaN;
    this.whereLine[r] = line;
    this.error[r] = 0;
    this.next[r] = NONE;
    this.keys[r * KEYS + K_FIRST] = first; // its other places are NO_PLACE, as new arrays are
    if ((r & (PAGE_ROWS - 1)) === 0) this.pages.push(new Array<string | undefined>(PAGE_ROWS * TEXTS).fill(undefined));
    this.setText(r, T_KEY, key);
    this.setText(r, T_SOURCE, source);
    return r;
  }

  /** A new row, keyed `key`, that starts as row x of `rows` starts: its first entry's place, file and line (the rest comes by foldMerge). */
  rowLike(rows: FoldRows, x: number, key: string): number {
    return this.row(key, rows.textOf(x, T_SOURCE)!, rows.whereLine[x]!, this.adopt(rows, rows.keys[x * KEYS + K_FIRST]!));
  }

  /** Text slot `slot` of row r. */
  textOf(r: number, slot: number): string | undefined {
    return this.pages[r >>> PAGE_BITS]![(r & (PAGE_ROWS - 1)) * TEXTS + slot];
  }

  setText(r: number, slot: number, value: string | undefined): void {
    this.pages[r >>> PAGE_BITS]![(r & (PAGE_ROWS - 1)) * TEXTS + slot] = value;
  }

  /** Row r's facts as finishSpan reads them. */
  facts(r: number): SpanFacts {
    return {
      start: orUndefined(this.start[r]!), startNanos: orUndefined(this.startNanos[r]!), end: orUndefined(this.end[r]!),
      service: this.textOf(r, K_SERVICE), host: this.textOf(r, K_HOST), operation: this.textOf(r, K_OPERATION),
      firstMessage: this.textOf(r, K_MESSAGE), parentSpanId: this.textOf(r, K_PARENT), error: this.error[r] === 1,
      errorMessage: this.textOf(r, K_ERROR_MESSAGE), firstErrorText: this.textOf(r, K_ERROR_TEXT), firstErrorAt: this.placeTime(this.keys[r * KEYS + K_ERROR_TEXT]!),
      httpStatus: orUndefined(this.status[r]!), whereSource: this.textOf(r, T_SOURCE), whereLine: this.whereLine[r],
    };
  }
}

const orUndefined = (x: number): number | undefined => (x === x ? x : undefined);

/** timeRank of a place's time (untimed: +∞, last). */
const placeRank = (t: number): number => (t === Infinity ? 2 : timeRank(t));

/** The rank of row r's start and end (both come from entries of one rank); 3 when it has none yet. */
const rowRank = (R: FoldRows, r: number): number => {
  const end = R.end[r]!;
  return end !== end ? 3 : timeRank(end);
};

/**
 * Text slot `slot` of row r takes `value` if the entry at (t, n, s) comes before the one it came from
 * ("the first entry having X"). Returns the entry's place (`made`, or made now if it was needed).
 */
function takeFirst(R: FoldRows, r: number, slot: number, value: string, t: number, n: number, s: number, made: number): number {
  const at = r * KEYS + slot;
  const cur = R.keys[at]!;
  if (cur !== NO_PLACE && !R.before(t, n, s, cur)) return made;
  const k = R.placed(made, t, n, s);
  R.keys[at] = k;
  R.setText(r, slot, value);
  return k;
}

/**
 * Folds in an entry whose place in time order is (time, or +∞ when untimed; n; s); `time` and `early`
 * are entryTime(e) and earliestOf(e), which the caller has read already. `made`: the entry's place, if
 * made already (NO_PLACE otherwise: it is made only when some field keeps it).
 */
function foldAdd(R: FoldRows, r: number, e: Entry, time: Micros | undefined, early: Micros | undefined, n: number, s: number, made: number): void {
  const t = time ?? Infinity;
  let k = made;
  const at = r * KEYS;
  if (R.before(t, n, s, R.keys[at + K_FIRST]!)) {
    k = R.placed(k, t, n, s);
    R.keys[at + K_FIRST] = k;
    R.setText(r, T_SOURCE, e.source);
    R.whereLine[r] = e.line;
  }
  // Start and end from the entries of the lowest rank present (factsOf): a lower rank starts them anew.
  if (time !== undefined) {
    const rank = timeRank(time);
    const had = rowRank(R, r);
    if (rank <= had) {
      const start = R.start[r]!;
      if (rank < had || early! < start || (early === start && R.before(t, n, s, R.keys[at + K_START]!))) {
        R.start[r] = early!;
        k = R.placed(k, t, n, s);
        R.keys[at + K_START] = k;
        R.startNanos[r] = e.nanos ?? NaN;
      }
      if (rank < had || time > R.end[r]!) R.end[r] = time;
    }
  }
  if (e.service !== undefined) k = takeFirst(R, r, K_SERVICE, e.service, t, n, s, k);
  const pod = e.envelope?.pod;
  if (pod !== undefined) k = takeFirst(R, r, K_HOST, pod, t, n, s, k);
  if (e.operation !== undefined) k = takeFirst(R, r, K_OPERATION, e.operation, t, n, s, k);
  if (e.message !== undefined) k = takeFirst(R, r, K_MESSAGE, e.message, t, n, s, k);
  if (e.parentSpanId !== undefined) k = takeFirst(R, r, K_PARENT, e.parentSpanId, t, n, s, k);
  if (e.errorMessage !== undefined) k = takeFirst(R, r, K_ERROR_MESSAGE, e.errorMessage, t, n, s, k);
  if (e.error) {
    R.error[r] = 1;
    if (e.message !== undefined) k = takeFirst(R, r, K_ERROR_TEXT, e.message, t, n, s, k);
  }
  // the last entry with a status wins
  if (e.httpStatus !== undefined) {
    const cur = R.keys[at + K_STATUS]!;
    if (cur === NO_PLACE || !R.before(t, n, s, cur)) {
      R.status[r] = e.httpStatus;
      R.keys[at + K_STATUS] = R.placed(k, t, n, s);
    }
  }
}

/** Fold row o of O (other entries of the same span, arrivals disjoint from row r's) into row r of R. */
function foldMerge(R: FoldRows, r: number, O: FoldRows, o: number): void {
  const at = r * KEYS;
  const from = o * KEYS;
  const first = O.keys[from + K_FIRST]!;
  if (R.placeBefore(O, first, R.keys[at + K_FIRST]!)) {
    R.keys[at + K_FIRST] = R.adopt(O, first);
    R.setText(r, T_SOURCE, O.textOf(o, T_SOURCE));
    R.whereLine[r] = O.whereLine[o]!;
  }
  const theirRank = rowRank(O, o);
  const had = rowRank(R, r);
  if (theirRank <= had && theirRank < 3) {
    const oStart = O.start[o]!;
    const start = R.start[r]!;
    if (theirRank < had || oStart < start || (oStart === start && R.placeBefore(O, O.keys[from + K_START]!, R.keys[at + K_START]!))) {
      R.start[r] = oStart;
      R.keys[at + K_START] = R.adopt(O, O.keys[from + K_START]!);
      R.startNanos[r] = O.startNanos[o]!;
    }
    const oEnd = O.end[o]!;
    if (theirRank < had || oEnd > R.end[r]!) R.end[r] = oEnd;
  }
  for (const slot of RANKED_TEXTS) {
    const theirs = O.keys[from + slot]!;
    if (theirs === NO_PLACE) continue;
    const mine = R.keys[at + slot]!;
    if (mine !== NO_PLACE && !R.placeBefore(O, theirs, mine)) continue;
    R.keys[at + slot] = R.adopt(O, theirs);
    R.setText(r, slot, O.textOf(o, slot));
  }
  if (O.error[o] === 1) R.error[r] = 1;
  // the last entry with a status wins: o's when this one's comes first
  const theirs = O.keys[from + K_STATUS]!;
  const mine = R.keys[at + K_STATUS]!;
  if (theirs !== NO_PLACE && (mine === NO_PLACE || O.placeBefore(R, mine, theirs))) {
    R.status[r] = O.status[o]!;
    R.keys[at + K_STATUS] = R.adopt(O, theirs);
  }
}

function packPlace(w: PackWriter, R: FoldRows, p: number): void {
  if (p === NO_PLACE) return w.num(undefined);
  const t = R.placeT[p]!;
  w.num(t === Infinity ? -Infinity : t); // -Infinity never occurs as a time: it stands for "untimed"
  w.num(R.placeN[p]);
  w.num(R.placeS[p]);
}

function unpackPlace(r: PackReader, R: FoldRows): number {
  const t = r.num();
  if (t === undefined) return NO_PLACE;
  return R.place(t === -Infinity ? Infinity : t, r.int(), r.int());
}

function packRow(w: PackWriter, R: FoldRows, row: number): void {
  const at = row * KEYS;
  packPlace(w, R, R.keys[at + K_FIRST]!);
  w.str(R.textOf(row, T_SOURCE));
  w.num(R.whereLine[row]);
  w.num(orUndefined(R.start[row]!));
  packPlace(w, R, R.keys[at + K_START]!);
  w.num(orUndefined(R.startNanos[row]!));
  w.num(orUndefined(R.end[row]!));
  w.num(R.error[row]);
  w.num(orUndefined(R.status[row]!));
  packPlace(w, R, R.keys[at + K_STATUS]!);
  for (const slot of RANKED_TEXTS) {
    w.str(R.textOf(row, slot));
    packPlace(w, R, R.keys[at + slot]!);
  }
}

function unpackRow(r: PackReader, R: FoldRows, key: string): number {
  const first = unpackPlace(r, R);
  const row = R.row(key, r.str()!, r.int(), first);
  const at = row * KEYS;
  R.start[row] = r.num() ?? NaN;
  R.keys[at + K_START] = unpackPlace(r, R);
  R.startNanos[row] = r.num() ?? NaN;
  R.end[row] = r.num() ?? NaN;
  R.error[row] = r.int() === 1 ? 1 : 0;
  R.status[row] = r.num() ?? NaN;
  R.keys[at + K_STATUS] = unpackPlace(r, R);
  for (const slot of RANKED_TEXTS) {
    R.setText(row, slot, r.str());
    R.keys[at + slot] = unpackPlace(r, R);
  }
  return row;
}

/** The rows of the trace TraceFold.columns() fills, by place (scratch: one trace at a time). */
const PLACED: number[] = [];

/** One trace's spans, folded entry by entry. */
export class TraceFold {
  /** The trace's span rows, in the order their spans were first seen. */
  private head = NONE;
  private tail = NONE;
  private count = 0;
  /** Span id → row, once the trace has more than WALK_ROWS spans. */
  private index: Map<string, number> | undefined;
  /** Rows of entries without a span id, by service; made at the first (most traces have none). */
  private byService: Map<string, number> | undefined;
  private traceStart: Micros | undefined;

  /** `rows`: where the spans are kept, shared by the traces of one collector. */
  constructor(
    readonly traceId: string,
    private readonly rows: FoldRows = new FoldRows(),
  ) {}

  /** The row of span `id`, or NONE. */
  private find(id: string): number {
    if (this.index !== undefined) return this.index.get(id) ?? NONE;
    const R = this.rows;
    for (let r = this.head; r !== NONE; r = R.next[r]!) if (R.textOf(r, T_KEY) === id) return r;
    return NONE;
  }

  /** Row r, a new span of this trace, goes last. */
  private link(r: number, id: string): void {
    const R = this.rows;
    if (this.tail === NONE) this.head = r;
    else R.next[this.tail] = r;
    this.tail = r;
    this.count++;
    if (this.index !== undefined) this.index.set(id, r);
    else if (this.count > WALK_ROWS) {
      this.index = new Map();
      for (let x = this.head; x !== NONE; x = R.next[x]!) this.index.set(R.textOf(x, T_KEY)!, x);
    }
  }

  /** `arrival`: the entry's place in the input; every entry's is different, and later entries' larger. */
  add(e: Entry, arrival: number): void {
    // The entry's time and earliest time, read once for the trace and its span.
    const time = entryTime(e);
    const n = time === undefined ? 0 : (e.nanos ?? 0);
    const early = earliestOf(e);
    if (early !== undefined && (this.traceStart === undefined || early < this.traceStart)) this.traceStart = early;
    const R = this.rows;
    const spanId = e.spanId;
    const key = spanId ? spanId : (e.service ?? UNKNOWN_SERVICE);
    let r = spanId ? this.find(spanId) : (this.byService?.get(key) ?? NONE);
    let k = NO_PLACE; // the entry's place, made here for a new row
    if (r === NONE) {
      k = R.place(time ?? Infinity, n, arrival);
      r = R.row(key, e.source, e.line, k);
      if (spanId) this.link(r, spanId);
      else (this.byService ??= new Map()).set(key, r);
    }
    foldAdd(R, r, e, time, early, n, arrival, k);
  }

  /** Every row of the trace: its spans', then its loose entries'. */
  private *allRows(): Generator<number> {
    for (let r = this.head; r !== NONE; r = this.rows.next[r]!) yield r;
    if (this.byService !== undefined) yield* this.byService.values();
  }

  /** Lines of `source` are `by` further down than this fold was told (a worker's part of a file: read-range.ts). */
  shiftLines(source: string, by: number): void {
    const R = this.rows;
    for (const r of this.allRows()) if (R.textOf(r, T_SOURCE) === source) R.whereLine[r]! += by;
  }

  /** Fold in the fold of other entries of this trace (another thread's part). */
  merge(o: TraceFold): void {
    if (o.traceStart !== undefined && (this.traceStart === undefined || o.traceStart < this.traceStart)) this.traceStart = o.traceStart;
    const R = this.rows;
    const O = o.rows;
    for (let x = o.head; x !== NONE; x = O.next[x]!) {
      const id = O.textOf(x, T_KEY)!;
      let r = this.find(id);
      if (r === NONE) {
        r = R.rowLike(O, x, id);
        this.link(r, id);
      }
      foldMerge(R, r, O, x);
    }
    if (o.byService === undefined) return;
    const loose = (this.byService ??= new Map());
    for (const [service, x] of o.byService) {
      let r = loose.get(service);
      if (r === undefined) {
        r = R.rowLike(O, x, service);
        loose.set(service, r);
      }
      foldMerge(R, r, O, x);
    }
  }

  pack(w: PackWriter): void {
    const R = this.rows;
    w.str(this.traceId, true);
    w.num(this.traceStart);
    w.num(this.count);
    for (let r = this.head; r !== NONE; r = R.next[r]!) {
      w.str(R.textOf(r, T_KEY), true);
      packRow(w, R, r);
    }
    w.num(this.byService?.size ?? 0);
    for (const [service, r] of this.byService ?? []) {
      w.str(service);
      packRow(w, R, r);
    }
  }

  /** A fold pack() wrote, its rows put into `rows`. */
  static unpack(r: PackReader, rows: FoldRows = new FoldRows()): TraceFold {
    const t = new TraceFold(r.str()!, rows);
    t.traceStart = r.num();
    for (let k = r.int(); k > 0; k--) {
      const id = r.str()!;
      t.link(unpackRow(r, rows, id), id);
    }
    for (let k = r.int(); k > 0; k--) {
      const service = r.str()!;
      (t.byService ??= new Map()).set(service, unpackRow(r, rows, service));
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
    const R = this.rows;
    for (let r = this.head; r !== NONE; r = R.next[r]!) addBounds(b, R, r, fallback);
    if (this.byService !== undefined) for (const r of this.byService.values()) addBounds(b, R, r, fallback);
    return b.bounds();
  }

  /**
   * The trace's spans as columns, each span's fields as spans() makes them, and each span's parent the
   * span its parent id names (none when the id is missing, empty, its own, or names no span here): how
   * buildTree links spans whose ids are all different, as a trace's folds are (one per span id). The
   * places follow no order (spans() sorts; latency needs none). False, and `out` of no use, when the
   * trace has lines without a span id (their placeholders' parents depend on the spans' order: spans()
   * knows that rule), a span naming no parent among others (buildTree infers its parent from timing)
   * or more spans than `out` holds.
   */
  columns(out: SpanColumns): boolean {
    if (this.byService !== undefined || this.count > out.capacity) return false;
    const fallback = this.traceStart ?? 0;
    const R = this.rows;
    let i = 0;
    for (let r = this.head; r !== NONE; r = R.next[r]!) {
      const start = R.start[r]!;
      const end = R.end[r]!;
      const timed = start === start && end === end;
      out.set(i, timed ? start : fallback, timed ? end : fallback, R.error[r] === 1, R.textOf(r, K_SERVICE) ?? UNKNOWN_SERVICE, R.textOf(r, K_OPERATION) ?? R.textOf(r, K_MESSAGE) ?? PLACEHOLDER_OPERATION);
      PLACED[i++] = r;
    }
    out.length = i;
    let loose = -1; // the one span naming no parent, if any
    for (let k = 0; k < i; k++) {
      const named = R.textOf(PLACED[k]!, K_PARENT);
      if (named === undefined || named === '') {
        // buildTree may infer its parent from timing (infer-parents.ts): two such spans, or one another
        // span encloses, go the long way.
        if (i > 1 && loose !== -1) return false;
        loose = k;
        continue;
      }
      const p = this.find(named);
      if (p === NONE || p === PLACED[k]) continue;
      let j = 0;
      while (PLACED[j] !== p) j++; // p is one of this trace's rows, so among the i placed
      out.parent[k] = j;
    }
    if (i > 1 && loose !== -1 && mayInferParent(loose, i, out.start, out.end)) return false;
    return true;
  }

  /** The spans spansFromEntries(entries, {events: false}) would build from the same entries. */
  spans(): Span[] {
    const fallback = this.traceStart ?? 0;
    const R = this.rows;
    const real: Span[] = [];
    for (let r = this.head; r !== NONE; r = R.next[r]!) real.push(finishSpan(this.traceId, R.textOf(r, T_KEY)!, R.facts(r), fallback, NO_EVENTS));
    const loose: [string, Span][] = [];
    for (const [service, r] of this.byService ?? []) loose.push([service, finishSpan(this.traceId, `inferred:${service}`, R.facts(r), fallback, [])]);
    return assembleSpans(real, loose);
  }
}

/** A span's start and end as finishSpan gives them (untimed: the trace's fallback time). */
function addBounds(b: PlainBounds, R: FoldRows, r: number, fallback: Micros): void {
  const start = R.start[r]!;
  const end = R.end[r]!;
  if (start !== start || end !== end) b.add(fallback, fallback);
  else b.add(start, end);
}
