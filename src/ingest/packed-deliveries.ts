/**
 * What a worker thread's reading of a chunk delivered to its sink — spans and entries, in the order they
 * came — packed to cross back to the main thread, which replays them into its own sink in that order.
 *
 * Why not structured cloning: a chunk of a span file holds ~4,000 spans, a million-span trace ~250 chunks,
 * and three strings of every span are unique (span id, parent id, "file:line"). Cloning an array of three
 * million such strings took ~0.8 s from send to receipt here, most of it on the receiving thread. Packed, a
 * span is four numbers and ten string references in two typed arrays (moved, not copied), strings that
 * repeat (trace id, service, operation, kind, host) are written once per chunk, and the unique ones, when
 * ASCII, go into one byte buffer that the main thread cuts into strings of their own (slices of one decoded
 * text were as fast, but kept every chunk's text alive: ~25 MB more on a million spans, and slower keys).
 *
 * Exactness: the replayed spans equal the originals field for field (an absent optional field may come
 * back present and undefined, or the fields in another order, which nothing tells apart), the shared empty attribute and event sets stay shared, and
 * attributes keep their null prototypes (structured cloning of the rare spans that have attributes,
 * events or links gives plain objects; they are copied back). Entries — plain data — are cloned as they are.
 */
import type { Entry } from '../entries/entry.js';
import { NO_ATTRIBUTES, NO_EVENTS, newAttributes } from '../formats/json.js';
import { smallInteger } from '../model/packed.js';
import type { Span, SpanEvent, SpanKind, SpanOrigin } from '../model/span.js';

export interface PackedDeliveries {
  /** Per span, SPAN_NUMS numbers: start, end, startNanos (NaN for undefined), flags, whereLine (NaN likewise). */
  nums: Float64Array;
  /** Per span, SPAN_REFS string references: ≥ 0 into `strings`, -1 undefined, ≤ -2 the text -2 - ref. */
  refs: Int32Array;
  strings: string[];
  /** The ASCII unique strings, back to back; text i ends at `textEnds[i]`. */
  text: Uint8Array;
  textEnds: Int32Array;
  /** In delivery order, 0 for a span and 1 for an entry. */
  order: Uint8Array;
  entries: Entry[];
  /** Attributes, events and links of the spans that have them, in span order (see the flags). */
  extras: unknown[];
}

const SPAN_REFS = 11;
const SPAN_NUMS = 5;

// flags
const ERROR = 1;
const FOLLOWS_SET = 2;
const FOLLOWS = 4;
const INFERRED_SET = 8;
const INFERRED = 16;
const HAS_ATTRIBUTES = 32;
const HAS_EVENTS = 64;
const HAS_LINKS = 128;

/** The worker's sink: packs every delivery as it comes. */
export class DeliveryPacker {
  private nums = new Float64Array(1 << 14);
  private refs = new Int32Array(1 << 15);
  private numCount = 0;
  private refCount = 0;
  private strings: string[] = [];
  private index = new Map<string, number>();
  private text = Buffer.allocUnsafe(1 << 16);
  private textBytes = 0;
  private textEnds = new Int32Array(1 << 14);
  private textCount = 0;
  private order = new Uint8Array(1 << 14);
  private orderCount = 0;
  private entryList: Entry[] = [];
  private extras: unknown[] = [];
  private readonly lastText: (string | undefined)[] = new Array<string | undefined>(8).fill(undefined);
  private readonly lastRef = new Int32Array(8);

  entry(entry: Entry): void {
    this.put(1);
    this.entryList.push(entry);
  }

  spans(result: { spans: readonly Span[]; entries: readonly Entry[] }): void {
    for (const s of result.spans) this.span(s);
    for (const e of result.entries) this.entry(e);
  }

  /** Everything packed since the last take(), ready to transfer; the packer starts afresh. */
  take(): PackedDeliveries {
    const out: PackedDeliveries = {
      nums: this.nums.slice(0, this.numCount),
      refs: this.refs.slice(0, this.refCount),
      strings: this.strings,
      text: new Uint8Array(this.text.subarray(0, this.textBytes)),
      textEnds: this.textEnds.slice(0, this.textCount),
      order: this.order.slice(0, this.orderCount),
      entries: this.entryList,
      extras: this.extras,
    };
    this.numCount = this.refCount = this.textBytes = this.textCount = this.orderCount = 0;
    this.strings = [];
    this.index = new Map();
    this.lastText.fill(undefined);
    this.entryList = [];
    this.extras = [];
    return out;
  }

  private span(s: Span): void {
    this.put(0);
    let flags = s.error ? ERROR : 0;
    if (s.parentIsFollowsFrom !== undefined) flags |= FOLLOWS_SET | (s.parentIsFollowsFrom ? FOLLOWS : 0);
    if (s.inferred !== undefined) flags |= INFERRED_SET | (s.inferred ? INFERRED : 0);
    if (s.attributes !== NO_ATTRIBUTES) {
      flags |= HAS_ATTRIBUTES;
      this.extras.push(s.attributes);
    }
    if (s.events !== NO_EVENTS) {
      flags |= HAS_EVENTS;
      this.extras.push(s.events);
    }
    if (s.links !== undefined) {
      flags |= HAS_LINKS;
      this.extras.push(s.links);
    }
    if (this.numCount + SPAN_NUMS > this.nums.length) this.nums = grown(this.nums);
    const n = this.nums;
    const i = this.numCount;
    n[i] = s.start;
    n[i + 1] = s.end;
    n[i + 2] = s.startNanos ?? NaN;
    n[i + 3] = flags;
    n[i + 4] = s.whereLine ?? NaN;
    this.numCount = i + SPAN_NUMS;
    if (this.refCount + SPAN_REFS > this.refs.length) this.refs = grown(this.refs);
    this.shared(s.traceId, 0);
    this.unique(s.spanId);
    this.unique(s.parentSpanId);
    this.shared(s.service, 1);
    this.shared(s.operation, 2);
    this.shared(s.kind, 3);
    this.shared(s.errorMessage, 4);
    this.shared(s.host, 5);
    this.shared(s.origin, 6);
    this.unique(s.where);
    this.shared(s.whereSource, 7);
  }

  private put(kind: number): void {
    if (this.orderCount === this.order.length) this.order = grown(this.order);
    this.order[this.orderCount++] = kind;
  }

  /**
   * A string that repeats across spans: written once per take(). `slot` remembers the last string of one
   * field: a span file's spans mostly repeat the one before's trace id, service and kind, and readers
   * share those strings, so an identity test saves most map lookups.
   */
  private shared(s: string | undefined, slot: number): void {
    let r = -1;
    if (s !== undefined) {
      if (this.lastText[slot] === s) r = this.lastRef[slot]!;
      else {
        r = this.index.get(s) ?? -1;
        if (r < 0) {
          r = this.strings.length;
          this.strings.push(s);
          this.index.set(s, r);
        }
        this.lastText[slot] = s;
        this.lastRef[slot] = r;
      }
    }
    this.refs[this.refCount++] = r;
  }

  /** A string seen once (an id, a place): into the byte text when ASCII, else into the table. */
  private unique(s: string | undefined): void {
    if (s === undefined) {
      this.refs[this.refCount++] = -1;
      return;
    }
    const len = s.length;
    if (this.textBytes + len > this.text.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.text.length * 2, this.textBytes + len));
      this.text.copy(bigger, 0, 0, this.textBytes);
      this.text = bigger;
    }
    // By hand: ids are short, and Buffer.write's own work per call costs more than the copy.
    const t = this.text;
    const at = this.textBytes;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        // Not ASCII: the table takes it (the bytes written so far are overwritten by the next text).
        this.refs[this.refCount++] = this.strings.length;
        this.strings.push(s);
        return;
      }
      t[at + i] = c;
    }
    this.textBytes = at + len;
    if (this.textCount === this.textEnds.length) this.textEnds = grown(this.textEnds);
    this.refs[this.refCount++] = -2 - this.textCount;
    this.textEnds[this.textCount++] = this.textBytes;
  }
}

/** The buffers of `p` that can move to another thread instead of being copied. */
export function transferables(p: PackedDeliveries): ArrayBuffer[] {
  return [p.nums.buffer, p.refs.buffer, p.text.buffer, p.textEnds.buffer, p.order.buffer] as ArrayBuffer[];
}

/** What a sink's spans() reads of a result: its warnings were counted as its chunk was read. */
export interface SpanBatch {
  spans: readonly Span[];
  entries: readonly Entry[];
}

/** What replay() hands on to: an ingest sink's two methods. */
export interface DeliverySink {
  entry(entry: Entry): void;
  spans(result: SpanBatch): void;
}

/** The entries of a batch of spans alone. */
export const NO_ENTRIES: readonly Entry[] = [];

/** Node's own Buffer slicer, without toString's argument handling (three calls a span add up). */
interface Slicer {
  latin1Slice(start: number, end: number): string;
}

/** Deliver what was packed into `sink`, in the original order: runs of spans in one call each. */
export function replay(p: PackedDeliveries, sink: DeliverySink): void {
  const bytes = Buffer.from(p.text.buffer, p.text.byteOffset, p.text.byteLength) as Buffer & Slicer;
  const { nums, refs, strings, textEnds, order, entries, extras } = p;
  const str = (r: number): string | undefined => {
    if (r >= 0) return strings[r];
    if (r === -1) return undefined;
    const t = -2 - r;
    return bytes.latin1Slice(t === 0 ? 0 : textEnds[t - 1]!, textEnds[t]!);
  };
  let n = 0;
  let r = 0;
  let e = 0;
  let x = 0;
  let run: Span[] = [];
  for (let k = 0; k < order.length; k++) {
    if (order[k] === 1) {
      if (run.length > 0) {
        sink.spans({ spans: run, entries: NO_ENTRIES });
        run = [];
      }
      sink.entry(entries[e++]!);
      continue;
    }
    const flags = nums[n + 3]!;
    const nanos = nums[n + 2]!;
    const attributes = flags & HAS_ATTRIBUTES ? (nullPrototyped(extras[x++]) as Record<string, unknown>) : NO_ATTRIBUTES;
    const events = flags & HAS_EVENTS ? (extras[x++] as SpanEvent[]).map(eventBack) : NO_EVENTS;
    // The fields and field order readSpanRecord gives, and then only the rarer fields this span has:
    // spans read here and spans read on the main thread share one hidden class, and four fields fewer
    // a span are ~30 MB less on a million spans.
    const span: Span = {
      traceId: str(refs[r]!)!,
      spanId: str(refs[r + 1]!)!,
      parentSpanId: str(refs[r + 2]!),
      service: str(refs[r + 3]!)!,
      operation: str(refs[r + 4]!)!,
      // Numbers read from the Float64Array as readSpanRecord's spans hold them (smallInteger): else V8
      // deprecates the hidden class both share, and every span read on this thread is migrated at its
      // first use, ~1 µs each (~0.45 s of the million-span `tree`, for line numbers as doubles).
      start: smallInteger(nums[n]!),
      end: smallInteger(nums[n + 1]!),
      kind: str(refs[r + 5]!) as SpanKind | undefined,
      error: (flags & ERROR) !== 0,
      errorMessage: str(refs[r + 6]!),
      host: str(refs[r + 7]!),
      attributes,
      events,
      origin: str(refs[r + 8]!) as SpanOrigin,
      whereSource: str(refs[r + 10]!),
      whereLine: Number.isNaN(nums[n + 4]!) ? undefined : smallInteger(nums[n + 4]!),
    };
    const where = str(refs[r + 9]!);
    if (where !== undefined) span.where = where;
    if (!Number.isNaN(nanos)) span.startNanos = smallInteger(nanos);
    if (flags & FOLLOWS_SET) span.parentIsFollowsFrom = (flags & FOLLOWS) !== 0;
    if (flags & INFERRED_SET) span.inferred = (flags & INFERRED) !== 0;
    if (flags & HAS_LINKS) span.links = extras[x++] as Span['links'];
    n += SPAN_NUMS;
    r += SPAN_REFS;
    run.push(span);
  }
  if (run.length > 0) sink.spans({ spans: run, entries: NO_ENTRIES });
}

/** Cloned events are plain objects already; their attributes get their null prototype back. */
function eventBack(e: SpanEvent): SpanEvent {
  if (e.attributes !== undefined) e.attributes = nullPrototyped(e.attributes) as Record<string, unknown>;
  return e;
}

/**
 * A cloned attribute value as the readers made it: every object with a null prototype (json.ts). Depth
 * needs no bound here: the readers cut values at MAX_VALUE_DEPTH before they were packed.
 */
function nullPrototyped(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(nullPrototyped);
  const out = newAttributes();
  for (const k of Object.keys(v)) out[k] = nullPrototyped((v as Record<string, unknown>)[k]);
  return out;
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
