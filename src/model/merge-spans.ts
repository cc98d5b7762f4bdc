// Span records (a span file, OTLP, Jaeger, Zipkin) and spans rebuilt from log lines describe the same
// operations from two sides: the record knows exact times, the logs know what happened inside. When both
// name the same span, keep the record's shape and hang the log lines on it as events.
import type { Span, SpanEvent } from './span.js';
import { compareInstants } from '../core/time.js';

const keyOf = (s: Span): string => `${s.traceId}\u0000${s.spanId}`;

/**
 * Events in time order; events without a time after the timed ones. The sort is stable, so the record's
 * own events stay ahead of log lines at the same instant.
 */
function compareEvents(a: SpanEvent, b: SpanEvent): number {
  if (a.time === undefined || b.time === undefined) return (a.time === undefined ? 1 : 0) - (b.time === undefined ? 1 : 0);
  return compareInstants(a.time, a.nanos, b.time, b.nanos);
}

/**
 * One record span with the log spans that share its (trace id, span id). The record wins for times,
 * operation, service, kind, parent and origin; the logs add events, may turn the span into an error,
 * and fill in what the record lacks (error message, host, parent, attributes it does not set).
 */
function mergeOne(record: Span, logs: Span[]): Span {
  const merged: Span = { ...record, attributes: { ...record.attributes }, events: record.events.slice() };
  for (const log of logs) {
    for (const ev of log.events) merged.events.push(ev);
    for (const [k, v] of Object.entries(log.attributes)) if (!(k in merged.attributes)) merged.attributes[k] = v;
    if (log.error) {
      merged.error = true;
      if (merged.errorMessage === undefined && log.errorMessage !== undefined) merged.errorMessage = log.errorMessage;
    }
    if (merged.host === undefined && log.host !== undefined) merged.host = log.host;
    if (merged.parentSpanId === undefined && log.parentSpanId !== undefined) merged.parentSpanId = log.parentSpanId;
  }
  merged.events.sort(compareEvents);
  return merged;
}

/**
 * Records and log spans of the same trace(s), joined on (trace id, span id). Inputs are not mutated.
 *
 * When several records share an id (client and server halves of a Zipkin-style RPC), a log span goes to
 * the record of the same service, else to the first record with that id. Log spans with no record pass
 * through unchanged. Order: records in input order, then unmatched log spans in input order.
 *
 * A placeholder (`inferred`) log span keeps the parent spansFromEntries chose among log spans; a record of
 * the same service that starts earlier does not move it.
 */
export function mergeSpans(recordSpans: Span[], logSpans: Span[]): Span[] {
  const recordsByKey = new Map<string, Span[]>();
  for (const r of recordSpans) {
    const list = recordsByKey.get(keyOf(r));
    if (list) list.push(r);
    else recordsByKey.set(keyOf(r), [r]);
  }
  const logsFor = new Map<Span, Span[]>();
  const unmatched: Span[] = [];
  for (const log of logSpans) {
    const candidates = recordsByKey.get(keyOf(log));
    if (!candidates || log.inferred) {
      unmatched.push(log);
      continue;
    }
    const target = candidates.find((r) => r.service === log.service) ?? candidates[0];
    if (!target) {
      unmatched.push(log);
      continue;
    }
    const list = logsFor.get(target);
    if (list) list.push(log);
    else logsFor.set(target, [log]);
  }
  const out: Span[] = recordSpans.map((r) => {
    const logs = logsFor.get(r);
    return logs ? mergeOne(r, logs) : r;
  });
  for (const log of unmatched) out.push(log);
  return out;
}
