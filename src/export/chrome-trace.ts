// The Trace Event Format (JSON Object Format) that Perfetto UI and chrome://tracing open: a process per
// service, a complete (`X`) event per span, log lines as instant (`i`) events, `ts`/`dur` in microseconds.
// Events on one thread must nest: a span that overlaps a sibling without containing it goes on a lane
// (thread) of its own.
import type { ExportSpan, ExportTrace } from './export-span.js';

const micros = (ns: bigint): number => Number(ns / 1000n);

/** Process and lane numbers across the whole output, and the metadata events that name them. */
export class ChromeLanes {
  private readonly pids = new Map<string, number>();
  private nextTid = 1;

  /**
   * The events of one trace: metadata naming any new process and the trace's lanes, then its spans and
   * log lines. Lanes are per trace and service, so one trace's spans never share a lane with another's.
   */
  traceEvents(trace: ExportTrace): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const byService = new Map<string, ExportSpan[]>();
    for (const s of trace.spans) {
      const list = byService.get(s.service);
      if (list) list.push(s);
      else byService.set(s.service, [s]);
    }
    for (const [service, spans] of byService) {
      let pid = this.pids.get(service);
      if (pid === undefined) {
        pid = this.pids.size + 1;
        this.pids.set(service, pid);
        out.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: service } });
      }
      const lanes = assignLanes(spans);
      const tids = new Map<number, number>();
      for (let i = 0; i < spans.length; i++) {
        const lane = lanes[i]!;
        let tid = tids.get(lane);
        if (tid === undefined) {
          tid = this.nextTid++;
          tids.set(lane, tid);
          out.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: `trace ${trace.traceId.slice(0, 8)}${lane > 0 ? ` (${lane + 1})` : ''}` } });
        }
        const s = spans[i]!;
        const args: Record<string, unknown> = { traceId: s.traceId, spanId: s.spanId };
        if (s.parentSpanId !== undefined) args.parentSpanId = s.parentSpanId;
        if (s.kind !== undefined) args.kind = s.kind;
        if (s.error) args.error = s.errorMessage ?? true;
        for (const k of Object.keys(s.attributes)) args[k] = s.attributes[k];
        const start = micros(s.startNs);
        out.push({ name: s.operation, cat: s.error ? 'span,error' : 'span', ph: 'X', ts: start, dur: micros(s.endNs) - start, pid, tid, args });
        for (const e of s.events) {
          const eargs: Record<string, unknown> = {};
          if (e.level !== undefined) eargs.level = e.level;
          if (e.source !== undefined) eargs.source = e.source;
          for (const k of Object.keys(e.attributes)) eargs[k] = e.attributes[k];
          out.push({ name: e.message, cat: 'log', ph: 'i', s: 't', ts: micros(e.timeNs), pid, tid, args: eargs });
        }
      }
    }
    return out;
  }
}

/**
 * A lane for each span (same order as `spans`) such that the spans of a lane nest: each lies within the
 * one below it on its lane's stack or starts after it ends. Spans are placed longest-first among equal
 * starts, so a parent takes a lane before its children.
 *
 *     lane 0  [===== parent ==================]
 *               [= a =]   [=== b ===]
 *     lane 1          [=== c ===]              c overlaps b without containing it
 */
export function assignLanes(spans: readonly ExportSpan[]): number[] {
  const order = spans.map((_, i) => i).sort((a, b) => {
    const sa = spans[a]!;
    const sb = spans[b]!;
    return sa.startNs !== sb.startNs ? (sa.startNs < sb.startNs ? -1 : 1) : sa.endNs !== sb.endNs ? (sa.endNs > sb.endNs ? -1 : 1) : a - b;
  });
  const stacks: { start: number; end: number }[][] = [];
  const lanes = new Array<number>(spans.length).fill(0);
  for (const i of order) {
    const start = micros(spans[i]!.startNs);
    const end = micros(spans[i]!.endNs);
    let lane = 0;
    for (; lane < stacks.length; lane++) {
      const stack = stacks[lane]!;
      let top = stack[stack.length - 1];
      // Ended spans leave the stack; a zero-length span at a parent's end still lies within it.
      while (top !== undefined && top.end <= start && !(top.start <= start && end <= top.end)) {
        stack.pop();
        top = stack[stack.length - 1];
      }
      if (top === undefined || (top.start <= start && end <= top.end)) break;
    }
    if (lane === stacks.length) stacks.push([]);
    stacks[lane]!.push({ start, end });
    lanes[i] = lane;
  }
  return lanes;
}

export const CHROME_OPEN = '{"displayTimeUnit":"ms","traceEvents":[';
export const CHROME_CLOSE = ']}\n';
