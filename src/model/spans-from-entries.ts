// Log entries of one trace -> spans. A span id seen on several lines ("request started", "query done",
// "request completed in 120 ms") is one span; lines with a trace id but no span id are gathered into one
// placeholder span per service so that they still show up in the tree.
import type { Entry } from '../entries/entry.js';
import type { Span, SpanEvent } from './span.js';
import { compareInstants, type Micros } from '../core/time.js';
import { timeRank } from './plausible-times.js';
import { slackOf } from './infer-parents.js';

/**
 * Attribute set to `true` on a span none of whose entries carried a time. Such a span is placed at the
 * trace's earliest known time with zero length (start = end), so it sorts first and draws as a dot;
 * readers that care (renderers, `tree` warnings) check this flag instead of trusting its times.
 */
export const UNTIMED_ATTRIBUTE = 'tracectl.untimed';

/** Operation of a placeholder whose entries name no operation and carry no message. */
export const PLACEHOLDER_OPERATION = '(no span id)';

/** Span id of the placeholder that holds a service's entries without a span id. */
export const inferredSpanId = (service: string): string => `inferred:${service}`;

export const UNKNOWN_SERVICE = 'unknown';

/** The time an entry happened at; the envelope's timestamp (kubectl --timestamps, CRI) is the fallback. */
export const entryTime = (e: Entry): Micros | undefined => e.time ?? e.envelope?.time;

/**
 * Chronological order by rank (plausible-times.ts: times inside the plausible years, then times outside
 * them, then entries without a time); ties keep the input order (Array.prototype.sort is stable), so "the
 * first entry that says X" means the earliest one, whatever order the files were read in — as long as
 * times differ. A line stamped 1970 among a span's lines of today is thus not its first line.
 */
function compareEntries(a: Entry, b: Entry): number {
  const ta = entryTime(a);
  const tb = entryTime(b);
  const ra = timeRank(ta);
  const rb = timeRank(tb);
  if (ra !== rb) return ra - rb;
  if (ta === undefined || tb === undefined) return 0;
  return compareInstants(ta, a.nanos, tb, b.nanos);
}

/**
 * Earliest instant an entry proves the span was alive at. A line logged at t that reports a duration d
 * ("completed in 120 ms") means the work began at t - d:
 *
 *     t - d                 t
 *       |<------- d ------->|   <- the entry's own line is written here, at the end
 */
export function earliestOf(e: Entry): Micros | undefined {
  const t = entryTime(e);
  if (t === undefined) return undefined;
  return e.duration !== undefined && e.duration > 0 ? t - e.duration : t;
}

function toEvent(e: Entry): SpanEvent {
  const ev: SpanEvent = { message: e.message ?? e.errorMessage ?? '', source: e.source, line: e.line };
  const t = entryTime(e);
  if (t !== undefined) ev.time = t;
  if (e.nanos !== undefined) ev.nanos = e.nanos;
  if (e.level !== undefined) ev.level = e.level;
  if (e.stack !== undefined) ev.stack = e.stack;
  if (e.fields !== undefined) ev.attributes = e.fields;
  return ev;
}

/**
 * The events of a span built without them (`events: false`): commands that only measure spans do not need
 * an object per log line. Shared and frozen: merges and shifts copy events, nothing appends to them.
 */
export const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];

/** What a span's entries say, before the rules that make a Span of it (finishSpan). */
export interface SpanFacts {
  start: Micros | undefined;
  startNanos: number | undefined;
  end: Micros | undefined;
  service: string | undefined;
  host: string | undefined;
  operation: string | undefined;
  firstMessage: string | undefined;
  parentSpanId: string | undefined;
  error: boolean;
  errorMessage: string | undefined;
  firstErrorText: string | undefined;
  /** The time of the line that gave firstErrorText (when the failure was seen), if it had one. */
  firstErrorAt: Micros | undefined;
  httpStatus: number | undefined;
  /** The first entry's file and line (Span.whereSource, whereLine). */
  whereSource: string | undefined;
  whereLine: number | undefined;
}

/**
 * The facts of entries already sorted by compareEntries: the first entry that has each one. Start and end
 * come from the entries of the first one's rank only (plausible-times.ts, timeRank): a line of the span
 * stamped 1970 or 2200 among lines of today stretches it no more than it stretches the trace.
 */
function factsOf(sorted: Entry[]): SpanFacts {
  const first = sorted[0];
  const f: SpanFacts = {
    start: undefined, startNanos: undefined, end: undefined, service: undefined, host: undefined, operation: undefined,
    firstMessage: undefined, parentSpanId: undefined, error: false, errorMessage: undefined, firstErrorText: undefined,
    firstErrorAt: undefined, httpStatus: undefined, whereSource: first?.source, whereLine: first?.line,
  };
  const rank = first === undefined ? 2 : timeRank(entryTime(first));
  for (const e of sorted) {
    const t = entryTime(e);
    if (t !== undefined && timeRank(t) === rank) {
      const early = earliestOf(e)!;
      if (f.start === undefined || early < f.start) {
        f.start = early;
        f.startNanos = e.nanos;
      }
      if (f.end === undefined || t > f.end) f.end = t;
    }
    f.service ??= e.service;
    f.host ??= e.envelope?.pod;
    f.operation ??= e.operation;
    f.firstMessage ??= e.message;
    f.parentSpanId ??= e.parentSpanId;
    f.errorMessage ??= e.errorMessage;
    if (e.error) {
      f.error = true;
      if (f.firstErrorText === undefined && e.message !== undefined) {
        f.firstErrorText = e.message;
        f.firstErrorAt = t;
      }
    }
    // The last status seen is the response's; earlier ones may be upstream calls the span logged.
    if (e.httpStatus !== undefined) f.httpStatus = e.httpStatus;
  }
  return f;
}

/** A Span from its facts; times fall back to the trace's earliest when no entry had one. */
export function finishSpan(traceId: string, spanId: string, f: SpanFacts, fallbackTime: Micros, events: SpanEvent[]): Span {
  let { start, end } = f;
  const attributes: Record<string, unknown> = {};
  if (f.httpStatus !== undefined) attributes['http.status_code'] = f.httpStatus;
  if (start === undefined || end === undefined) {
    start = end = fallbackTime;
    attributes[UNTIMED_ATTRIBUTE] = true;
  }
  // A duration longer than the span's own lines can only push the start earlier, so end >= start holds.
  const span: Span = {
    traceId,
    spanId,
    service: f.service ?? UNKNOWN_SERVICE,
    operation: f.operation ?? f.firstMessage ?? PLACEHOLDER_OPERATION,
    start,
    end,
    error: f.error,
    attributes,
    events,
    origin: 'log',
  };
  if (f.startNanos !== undefined) span.startNanos = f.startNanos;
  if (f.parentSpanId !== undefined && f.parentSpanId !== '') span.parentSpanId = f.parentSpanId;
  if (f.error) {
    const msg = f.errorMessage ?? f.firstErrorText;
    if (msg !== undefined) span.errorMessage = msg;
    if (f.firstErrorAt !== undefined) span.errorAt = f.firstErrorAt;
  }
  if (f.host !== undefined) span.host = f.host;
  if (f.whereSource !== undefined) {
    span.whereSource = f.whereSource;
    span.whereLine = f.whereLine;
  }
  return span;
}

/**
 * Spans of ONE trace, rebuilt from its log entries. Rules:
 * - entries sharing a span id form one span; start = min(time, time - duration), end = max(time);
 * - service, operation (else first message), parent and error message come from the earliest entry
 *   that has them; error if any entry is one;
 * - entries with no span id go into a placeholder per service (`inferred: true`, id `inferred:<service>`)
 *   whose parent is the earliest real span of that service, or none (a root) when the service has no
 *   real span in this trace;
 * - host is the first envelope pod name (kubectl --prefix, stern), so two pods of one service count as two
 *   clocks for skew; without one, buildTree falls back to the service;
 * - a span without any timed entry sits at the trace's earliest known time (0 if the trace has none)
 *   with start = end and the UNTIMED_ATTRIBUTE flag.
 * Returned sorted by start, then span id. `events: false` leaves the log lines off the spans (see NO_EVENTS).
 */
export function spansFromEntries(entries: Entry[], options: { events?: boolean } = {}): Span[] {
  const withEvents = options.events ?? true;
  const traceId = entries.find((e) => e.traceId !== undefined)?.traceId ?? '';
  const bySpan = new Map<string, Entry[]>();
  const byService = new Map<string, Entry[]>(); // entries without a span id
  let traceStart: Micros | undefined;
  for (const e of entries) {
    const early = earliestOf(e);
    if (early !== undefined && (traceStart === undefined || early < traceStart)) traceStart = early;
    const map = e.spanId ? bySpan : byService;
    const key = e.spanId ? e.spanId : (e.service ?? UNKNOWN_SERVICE);
    const group = map.get(key);
    if (group) group.push(e);
    else map.set(key, [e]);
  }
  const fallback = traceStart ?? 0;

  const spans: Span[] = [];
  for (const [spanId, group] of bySpan) {
    const sorted = inTimeOrder(group);
    spans.push(finishSpan(traceId, spanId, factsOf(sorted), fallback, withEvents ? sorted.map(toEvent) : NO_EVENTS));
  }
  const loose: [string, Span][] = [];
  for (const [service, group] of byService) {
    const sorted = inTimeOrder(group);
    loose.push([service, finishSpan(traceId, inferredSpanId(service), factsOf(sorted), fallback, withEvents ? sorted.map(toEvent) : NO_EVENTS)]);
  }
  return assembleSpans(spans, loose);
}

/**
 * The trace's spans in order, with each service's loose lines (a placeholder per service) placed under that
 * service's earliest real span, or as a root when it has none.
 *
 * A proxy's access line that logs the incoming `traceparent` (nginx `$http_traceparent`) names the caller's
 * span as its parent but has no span id of its own: its service's placeholder, when the service has no
 * real span, keeps that parent (the caller's, so missing from the logs) and stands for the proxy's span.
 * The proxy forwards the header unchanged, so the span it called names the same missing parent: a real
 * span of another service naming it and starting within the placeholder (by infer-parents.ts' slack)
 * becomes the placeholder's child, also when it ends after it (the proxy timed out: D81, D126):
 *
 *     caller 8cf7… (not logged)
 *       edge   (access line, parent 8cf7…)  |=======================|
 *         gateway (parent 8cf7… → edge)       |=====================|
 */
export function assembleSpans(real: Span[], loose: readonly [string, Span][]): Span[] {
  real.sort(compareSpans);
  if (loose.length === 0) return real; // most traces: every line has a span id
  // Earliest real span per service: the obvious home for that service's loose lines. real is sorted, so
  // the first one met wins.
  const earliestReal = new Map<string, Span>();
  for (const s of real) if (!earliestReal.has(s.service)) earliestReal.set(s.service, s);
  const placeholders: Span[] = [];
  let proxies: Span[] | undefined;
  for (const [service, p] of loose) {
    p.service = service; // group key, so a placeholder never lands in 'unknown' by accident
    p.inferred = true;
    const named = p.parentSpanId;
    delete p.parentSpanId;
    const home = earliestReal.get(service);
    if (home) p.parentSpanId = home.spanId;
    else if (named !== undefined && p.attributes[UNTIMED_ATTRIBUTE] !== true) {
      p.parentSpanId = named;
      (proxies ??= []).push(p);
    }
    placeholders.push(p);
  }
  if (proxies !== undefined) adoptCallees(real, proxies);
  return real.concat(placeholders).sort(compareSpans);
}

/** Real spans naming a proxy placeholder's missing parent and starting within it hang under it (assembleSpans). */
function adoptCallees(real: Span[], proxies: Span[]): void {
  const ids = new Set<string>();
  for (const s of real) ids.add(s.spanId);
  for (const p of proxies) {
    const parent = p.parentSpanId!;
    if (ids.has(parent)) continue; // the caller is in the trace: nothing to stand in for
    for (const s of real) {
      if (s.parentSpanId !== parent || s.service === p.service || s.attributes[UNTIMED_ATTRIBUTE] === true) continue;
      // A callee that starts inside the proxy's span is the call it forwarded, whether it ended inside it
      // or after it: nginx gave up on it (504 at proxy_read_timeout, 499 when the client left) and the
      // upstream ran on (D126; the tree shows it ↷ async).
      const slack = Math.max(0, slackOf(s.start, s.end));
      if (s.start >= p.start - slack && s.start <= p.end) s.parentSpanId = p.spanId;
    }
  }
}

/** Entries in compareEntries order; log lines nearly always arrive so, and a check is cheaper than a sort. */
function inTimeOrder(group: Entry[]): Entry[] {
  for (let i = 1; i < group.length; i++) {
    if (compareEntries(group[i - 1]!, group[i]!) > 0) return group.sort(compareEntries);
  }
  return group;
}

function compareSpans(a: Span, b: Span): number {
  return compareInstants(a.start, a.startNanos, b.start, b.startNanos) || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}
