// What a followed command keeps of each trace it completed, so that a late line reopens the whole trace
// and its update describes all of it (D124): a trace's packed state (its fold, or group's summary),
// taken back when a late line of it arrives and merged with what comes after.
//
//   completed ──set──▶ kept (newest last) ──take (a late line)──▶ the collector again, merged
//                         │ past `traces` or `bytes`: the oldest forgotten
//                         ▼
//                      a late line of it then opens a fragment: the trace's late lines alone
//
// Bounded as the finished ids are (FINISHED_KEPT, oldest forgotten first), and by the bytes the states
// take, since one trace's state is KBs where a finished id is ~60 B (16 lines, 5 spans: a fold 2.8 KB, a
// group summary 1.3 KB, measured with --expose-gc; packedBytes estimates within 5%): memory stays flat on
// a stream of any length. A trace forgotten here but still among the finished ids is a fragment when it
// reopens.
import type { Packed } from './packed.js';
import type { Span } from './span.js';

/** Bytes of kept states, at most (an estimate: keptBytes). */
export const KEPT_BYTES = 64 * 1024 * 1024;

/** A state and its size, as keptBytes counts it. */
interface Kept<T> {
  state: T;
  bytes: number;
}

export class KeptTraces<T> {
  private readonly map = new Map<string, Kept<T>>();
  /** Sum of the kept states' bytes. */
  bytes = 0;
  /** States forgotten to stay within the bounds. */
  forgotten = 0;

  constructor(
    readonly maxTraces: number,
    readonly maxBytes: number = KEPT_BYTES,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Keeps `state` as the newest; the oldest are forgotten while either bound is passed. */
  set(id: string, state: T, bytes: number): void {
    this.take(id);
    this.map.set(id, { state, bytes });
    this.bytes += bytes;
    while (this.map.size > this.maxTraces || (this.bytes > this.maxBytes && this.map.size > 1)) {
      const [oldest, kept] = this.map.entries().next().value as [string, Kept<T>];
      this.map.delete(oldest);
      this.bytes -= kept.bytes;
      this.forgotten++;
    }
  }

  /** The state kept for `id`, no longer kept; undefined when none is (never kept, or forgotten). */
  take(id: string): T | undefined {
    const kept = this.map.get(id);
    if (kept === undefined) return undefined;
    this.map.delete(id);
    this.bytes -= kept.bytes;
    return kept.state;
  }
}

/**
 * Bytes a packed state holds on the heap and off it: its two arrays' contents, each string (two bytes a
 * character at most, and a header), and the objects around them (held to a measure with --expose-gc: D124).
 */
export function packedBytes(p: Packed): number {
  let bytes = PACKED_OVERHEAD + p.nums.byteLength + p.refs.byteLength;
  for (const s of p.strings) bytes += STRING_HEADER + 2 * s.length;
  return bytes;
}

/** A span record kept as the object it is: its fields and attributes, estimated. */
export function spanRecordBytes(spans: readonly Span[]): number {
  let bytes = 0;
  for (const s of spans) bytes += SPAN_RECORD + 2 * (s.spanId.length + (s.parentSpanId?.length ?? 0)) + 64 * Object.keys(s.attributes).length;
  return bytes;
}

/** The Packed object, its two typed arrays and their buffers, the strings' array. */
const PACKED_OVERHEAD = 320;
const STRING_HEADER = 16;
const SPAN_RECORD = 400;
