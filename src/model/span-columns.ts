// A small trace's spans as columns: the few fields `latency` reads of each span, with each span's parent
// as a place among them, filled from a trace folded from log lines (span-fold.ts, TraceFold.columns)
// without making a Span object. Span objects were most of latency's end on logs: ~26,000 traces a thread
// on corpus a, each span an object with an attributes object, sorted, then read once and dropped.
import type { Micros } from '../core/time.js';

export class SpanColumns {
  /** How many spans the columns hold now. */
  length = 0;
  readonly start: Float64Array;
  /** Never before start (spans() clamps it so). */
  readonly end: Float64Array;
  /** The parent's place, or -1: a root, or a parent id naming no span of the trace. */
  readonly parent: Int32Array;
  readonly error: Uint8Array;
  readonly service: string[] = [];
  readonly operation: string[] = [];

  constructor(readonly capacity: number) {
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.parent = new Int32Array(capacity);
    this.error = new Uint8Array(capacity);
  }

  /** Puts span i (the next free place) into the columns; its parent is set apart, once all places are known. */
  set(i: number, start: Micros, end: Micros, error: boolean, service: string, operation: string): void {
    this.start[i] = start;
    this.end[i] = Math.max(end, start);
    this.error[i] = error ? 1 : 0;
    this.service[i] = service;
    this.operation[i] = operation;
    this.parent[i] = -1;
  }
}
