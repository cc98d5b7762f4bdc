import type { Entry, Level } from './entry.js';
import { clipStack, exceptionLine } from './stack-lines.js';
import { LEVEL_RANK } from './entry.js';
import type { How, Role, Rule } from './conventions.js';
import { FieldLookup, Found, R, type FoundPlan } from './field-lookup.js';
import { parseTimeValue, type Instant, type TimeUnit } from '../core/parse-time.js';
import { levelFromName, levelFromOtelNumber, levelFromPinoNumber, levelFromSyslogNumber } from './parse-level.js';
import { parseDuration } from './parse-duration.js';
import { MAX_DURATION_US, plausibleDuration, type RangedField } from '../core/time.js';
import { bareNumber, guessDurationUnit, unitInName, unitKey, US_PER_UNIT, type DurationUnit, type UnitGuess, type UnitTable } from './duration-unit.js';
import { ddIdToHex, normalizeSpanId, normalizeTraceId, parseB3Single, parseTraceparent, traceFromGcp } from './parse-ids.js';
import { findTraceparentDeep } from './find-traceparent.js';
import { workloadFromPod, type EnvelopeInfo } from '../input/envelopes.js';
import type { FieldScanner } from './scan-fields.js';
import { extraFields } from './extra-fields.js';
import { renderTemplate } from './render-template.js';

export interface NormalizeOptions {
  fieldOverrides?: readonly Rule[];
  timeUnit?: TimeUnit;
  /**
   * Keep each record's other fields on its entry (Entry.fields). Only for commands that show log lines or
   * select by them: the field scanner, which builds no record, is then not used (source-processor.ts).
   */
  keepFields?: boolean;
  /**
   * Duration units decided from the timestamps, by service and field (ingest/sniff-units.ts): they beat a
   * logger's signature and the field conventions, never a unit in the field's name or given with --field.
   */
  durationUnits?: UnitTable;
}

/** Where the normalizer tells what it inferred rather than read (the run's report). */
export interface NormalizeNotes {
  /** A bare number in `field` of `service` was read in `unit`, the unit `logger` writes. */
  unitInferred(service: string, field: string, unit: DurationUnit, logger: string, spans?: number): void;
  /**
   * A bare number in a duration field whose unit the timestamps may decide (the sniff of units only:
   * ingest/sniff-units.ts), on line `line` of `source`; `prior`: the unit it is read in without them (the
   * conventions', else the logger's signature, else ms).
   */
  durationRead?(source: string, line: number, service: string, field: string, value: number, prior: DurationUnit): void;
  /** A used line's field held a value outside the range the field allows (core/time.ts); read as absent. */
  setAside(field: RangedField): void;
  /** A used line's duration field (`field`, of `service`) held `value`, which reads as no duration. */
  durationUnread?(service: string, field: string, value: unknown): void;
  /**
   * A line of `service` wrote its time without an offset, `minutes` behind UTC (negative: ahead) by its
   * envelope's time, which was taken instead (zoneShift).
   */
  zoneShifted?(service: string, minutes: number): void;
}

/** Plans kept for lines with wanted objects (shell shape × inner shapes: a few in a real log). */
const MAX_NESTED_PLANS = 1024;
const MAX_TEXT = 4096; // messages and operations are cut here: a tree row is no place for a 1 MiB message

/**
 * One parsed JSON object → a normalized Entry. Never throws: a field that does not parse is as if absent.
 * One instance per pipeline (it reuses its lookup buffers between records).
 */
export class EntryNormalizer {
  private readonly lookup: FieldLookup;
  private readonly found = new Found();
  /** sameSecondTime's answer, one object for every line. */
  private readonly instant: Instant = { us: 0, nanos: 0 };
  /** The one entry filled anew for every line when the sink keeps none (IngestSink.borrowsEntries). */
  private reused: Entry | undefined;
  /** The outcome of the lookup over scanned fields, by the field scanner's shape (scan-fields.ts). */
  private readonly plans: (FoundPlan | undefined)[] = [];
  /**
   * The same for lines with wanted objects (pino's `req`), by FieldLookup.nestedShapeKey: the shell's
   * shape and each object's inner shape. At most MAX_NESTED_PLANS: a hostile log cannot grow it.
   */
  private readonly nestedPlans = new Map<number, FoundPlan>();
  private plansOf: FieldScanner | undefined;
  /** The shape whose plan `found` holds (-1: none, or the lookup of a parsed record). */
  private foundShape = -1;
  private readonly timeUnit: TimeUnit | undefined;
  private readonly keepFields: boolean;
  /** The record normalize() is reading (undefined while normalizeFields() reads a scanned line). */
  private record: Record<string, unknown> | undefined;
  private readonly notes: NormalizeNotes | undefined;
  /** The unit build() inferred for the line's duration, told to `notes` once the line is known to be used. */
  private guessed: (UnitGuess & { spans?: number }) | undefined;
  /** options.durationUnits, when it decides any. */
  private readonly units: UnitTable | undefined;
  /** Do the notes take the durations the timestamps may decide (the sniff of units)? */
  private readonly probe: boolean;
  /** Per rule priority: may the timestamps decide a duration read by it (not a unit in its name or --field's)? */
  private readonly decidable: (boolean | undefined)[] = [];
  /**
   * The last (service, rule) decidedUnit() looked up and its answer: a service's lines come in runs, and a
   * key made and looked up for every line cost ~4% of reading a log whose durations were decided.
   */
  private unitService: string | undefined;
  private unitPriority = -1;
  private unitGuess: (UnitGuess & { spans?: number }) | undefined;
  /** The fields of the line build() read as absent for their range, told to `notes` as `guessed` is. */
  private asideDuration = false;
  private asideTime = false;
  /** The line's duration value when it read as no duration (READ: there was none such), told to `notes` as `guessed` is. */
  private unread: unknown = READ;
  /** build() met a message template to render without the record (templateMessage). */
  private unrendered = false;
  /** The minutes build() found the line's own time off its envelope's (zoneShift), 0: none; told as `guessed` is. */
  private shiftedBy = 0;

  constructor(options: NormalizeOptions = {}, notes?: NormalizeNotes) {
    this.lookup = new FieldLookup(options.fieldOverrides ?? []);
    this.timeUnit = options.timeUnit;
    this.keepFields = options.keepFields === true;
    this.notes = notes;
    this.units = options.durationUnits !== undefined && options.durationUnits.size > 0 ? options.durationUnits : undefined;
    this.probe = notes?.durationRead !== undefined;
  }

  /**
   * Every top-level key normalizeFields() may be given (the others never change an entry), each with
   * the tag normalizeFields() expects the field scanner to hand back.
   */
  keysRead(): [string, unknown][] {
    return [...this.lookup.rootKeys(), ...LOGGER_KEYS.map((k): [string, unknown] => [k, undefined])];
  }

  /** A parsed JSON object (a log line, or a record of a JSON array of them). */
  normalize(record: Record<string, unknown>, source: string, line: number, envelope?: EnvelopeInfo): Entry {
    this.foundShape = -1;
    this.record = record;
    this.lookup.lookup(record, this.found, accept, isLoggerRecord(record));
    const entry = this.build(source, line, envelope);
    this.record = undefined;
    if (entry.traceId === undefined) this.traceparentAnywhere(entry, record);
    if (entry.traceId === undefined) this.correlationId(entry);
    if (entry.traceId !== undefined && this.guessed !== undefined) this.noteUnit(entry);
    if (entry.traceId !== undefined) this.noteAside(entry);
    if (this.keepFields) {
      const used = this.rolePaths(entry);
      if (isLoggerRecord(record)) used.add('v'); // pino's format version: on every line, telling nothing
      const fields = extraFields(record, used);
      if (fields !== undefined) entry.fields = fields;
    }
    return entry;
  }

  /** The paths of the fields the last lookup read a role from (a request id only when it stood in as the trace id). */
  private rolePaths(entry: Entry): Set<string> {
    const used = new Set<string>();
    const w = this.found.winner;
    for (let r = 0; r < w.length; r++) {
      if (r === R.correlationId && entry.traceIdKind !== 'correlation') continue;
      if (r === R.service && this.found.howOf(R.service) === 'proxy-traefik') continue; // the router stays a field
      const path = Number.isFinite(w[r]) ? this.lookup.pathAt(w[r]!) : undefined;
      if (path !== undefined) used.add(path);
    }
    if (used.has('@mt')) used.add('@r'); // CLEF's renderings of the template's tokens: in the message
    return used;
  }

  /**
   * A log line as the field scanner read it: the keys of keysRead() it holds, in order. No trace id
   * found → undefined: the whole record must then be searched for a traceparent before a correlation id
   * may stand in (normalize() does both).
   */
  normalizeFields(fields: FieldScanner, source: string, line: number, envelope?: EnvelopeInfo, reuse = false): Entry | undefined {
    // Which field wins each role follows from the line's shape alone (the acceptor sees no more than
    // kinds and emptiness, and "logger-shaped" is a matter of keys): worked out once per shape, and
    // read from the same places in every line of it.
    if (fields !== this.plansOf) {
      this.plans.length = 0; // shapes are numbered per scanner
      this.nestedPlans.clear();
      this.plansOf = fields;
    }
    const shape = fields.shape;
    let plan = shape >= 0 ? this.plans[shape] : undefined;
    // A line with wanted objects: its shell's shape and its objects' inner shapes decide as a shape does
    // (corpus b's lines with pino's `req` were each looked up afresh: ~15% of reading them).
    const nestedKey = shape < 0 && fields.shellShape >= 0 ? this.lookup.nestedShapeKey(fields) : undefined;
    if (nestedKey !== undefined) plan = this.nestedPlans.get(nestedKey);
    if (plan !== undefined) {
      // A nested plan's inner winners are read from the objects of this line: restored every time.
      if (nestedKey !== undefined || this.foundShape !== shape || this.found.scanner !== fields) this.found.restore(plan, fields);
    } else {
      // A wanted key holds a JSON value, never undefined: present is as isLoggerRecord's "!== undefined".
      const loggerShaped = fields.has('hostname') || fields.has('pid') || fields.has('v');
      this.lookup.lookupFields(fields, this.found, accept, loggerShaped);
      if (shape >= 0) this.plans[shape] = this.found.plan();
      else if (nestedKey !== undefined && this.nestedPlans.size < MAX_NESTED_PLANS) this.nestedPlans.set(nestedKey, this.found.plan());
    }
    this.foundShape = shape;
    const entry = this.build(source, line, envelope, reuse);
    if (entry.traceId === undefined || this.unrendered) return undefined;
    if (this.guessed !== undefined) this.noteUnit(entry);
    this.noteAside(entry);
    return entry;
  }

  private build(source: string, line: number, envelope: EnvelopeInfo | undefined, reuse = false): Entry {
    const f = this.found;
    this.guessed = undefined;
    this.asideDuration = false;
    this.asideTime = false;
    this.unread = READ;
    this.unrendered = false;
    this.shiftedBy = 0;
    const entry = reuse ? clearEntry((this.reused ??= newEntry(source, line, envelope)), source, line, envelope) : newEntry(source, line, envelope);

    this.readIds(entry);
    this.readTime(entry, envelope);

    const levelValue = f.get(R.level);
    if (levelValue !== undefined) entry.level = readLevel(levelValue, f.howOf(R.message) === 'gelf' ? 'syslog-level' : f.howOf(R.level));

    const message = f.get(R.message);
    if (message !== undefined) {
      entry.message = f.howOf(R.message) === 'serilog-template' ? this.templateMessage(message) : textOf(message);
      // CLEF leaves `@l` out at Information, its most common level.
      if (levelValue === undefined && this.lookup.pathAt(f.winner[R.message]!)?.charCodeAt(0) === 0x40 /* @ */) entry.level = 'info';
    }

    let service = f.get(R.service);
    if (typeof service === 'object') service = (service as { name?: unknown }).name;
    const proxy = service !== undefined && f.howOf(R.service) === 'proxy-traefik';
    if (typeof service === 'string' && service.length > 0 && !proxy) entry.service = clip(service);
    else if (envelope?.pod) entry.service = workloadFromPod(envelope.pod);
    else if (proxy) entry.service = 'traefik'; // D127: the proxy's own span, unless its pod names the proxy

    const operation = f.get(R.operation);
    if (typeof operation === 'string') entry.operation = clip(operation);
    else {
      // Only then: pino's req.method and req.url are made into strings only when they are read.
      const method = f.get(R.method);
      const route = f.get(R.route);
      if (typeof method === 'string' && typeof route === 'string') entry.operation = clip(`${method} ${stripQuery(route)}`);
    }

    const duration = f.get(R.duration);
    if (duration !== undefined) {
      const how = f.howOf(R.duration);
      let unitUs: number = how === 'ns' || how === 'us' || how === 's' ? US_PER_UNIT[how] : US_PER_UNIT.ms;
      const decided = this.units !== undefined || this.probe ? this.decidedUnit(entry, how, duration, levelValue) : undefined;
      if (decided !== undefined) unitUs = decided;
      else if (how === 'plain' && typeof duration === 'number') {
        const guess = this.guessUnit(duration, levelValue);
        if (guess !== undefined) {
          unitUs = US_PER_UNIT[guess.unit];
          this.guessed = guess;
        }
      }
      const us = parseDuration(duration, unitUs);
      // A negative duration is a producer's slip and left out quietly; one past the range, either way, is counted.
      if (us !== undefined && plausibleDuration(us)) entry.duration = us;
      else if (us !== undefined && !(Math.abs(us) <= MAX_DURATION_US)) this.asideDuration = true;
      else if (us === undefined && !saysNone(duration)) this.unread = duration;
    }
    // A line stands at its end: a time that says when its duration began moves there.
    if (entry.duration !== undefined && entry.time !== undefined && f.howOf(R.time) === 'start') entry.time += entry.duration;

    this.readError(entry);
    return entry;
  }

  /**
   * A Serilog template rendered from the event's properties (render-template.ts): CLEF's are the
   * record's own keys, JsonFormatter's in `Properties`. A line the field scanner read has no record:
   * `unrendered` sends it to JSON.parse (normalizeFields gives no entry).
   */
  private templateMessage(template: unknown): string | undefined {
    if (typeof template !== 'string' || !template.includes('{')) return textOf(template);
    const record = this.record;
    if (record === undefined) {
      this.unrendered = true;
      return undefined;
    }
    const clef = this.lookup.pathAt(this.found.winner[R.message]!) === '@mt';
    const props = clef ? record : record.Properties;
    if (props === null || typeof props !== 'object') return clip(template);
    const p = props as Record<string, unknown>;
    const renderings = clef && Array.isArray(record['@r']) ? (record['@r'] as unknown[]) : undefined;
    return clip(renderTemplate(template, (name) => (Object.prototype.hasOwnProperty.call(p, name) ? p[name] : undefined), renderings));
  }

  /**
   * The clues' closures live here, not in build(): a closure over build's locals would make V8 allocate
   * their context on every call, for every line (~18 MB of garbage on 62.5 MB of logs).
   */
  private guessUnit(duration: number, level: unknown): UnitGuess | undefined {
    const f = this.found;
    return guessDurationUnit(duration, { has: (k) => this.hasKey(k), level, time: () => f.get(R.time) });
  }

  /**
   * The µs per unit the timestamps decided for this line's duration field and service, if any; tells the
   * sniff of units (NormalizeNotes.durationRead) of every bare number they may decide.
   */
  private decidedUnit(entry: Entry, how: How, value: unknown, level: unknown): number | undefined {
    const priority = this.found.winner[R.duration]!;
    const field = this.lookup.pathAt(priority) ?? 'duration';
    let decidable = this.decidable[priority];
    if (decidable === undefined) {
      decidable = !(this.lookup.isOverride(priority) && how !== 'plain') && !unitInName(field);
      this.decidable[priority] = decidable;
    }
    if (!decidable) return undefined;
    const n = bareNumber(value);
    if (n === undefined) return undefined;
    const service = entry.service ?? 'unknown';
    if (this.probe) {
      const prior = how === 'ns' || how === 'us' || how === 'ms' || how === 's' ? how : typeof value === 'number' ? (this.guessUnit(value, level)?.unit ?? 'ms') : 'ms';
      this.notes?.durationRead?.(entry.source, entry.line, service, field, n, prior);
    }
    if (service !== this.unitService || priority !== this.unitPriority) {
      const d = this.units?.get(unitKey(service, field));
      this.unitService = service;
      this.unitPriority = priority;
      this.unitGuess = d === undefined ? undefined : { unit: d.unit, logger: '', spans: d.spans };
    }
    if (this.unitGuess === undefined) return undefined;
    this.guessed = this.unitGuess;
    return US_PER_UNIT[this.unitGuess.unit];
  }

  /** Does the record being read have this top-level key? (LOGGER_KEYS and the table's keys only, for a scanned line.) */
  private hasKey(name: string): boolean {
    return this.record !== undefined ? this.record[name] !== undefined : this.found.scanner?.has(name) === true;
  }

  private noteAside(entry: Entry): void {
    if (this.asideDuration) this.notes?.setAside('duration');
    if (this.asideTime) this.notes?.setAside('time');
    if (this.unread !== READ) this.notes?.durationUnread?.(entry.service ?? 'unknown', this.durationField(), this.unread);
    if (this.shiftedBy !== 0) this.notes?.zoneShifted?.(entry.service ?? 'unknown', this.shiftedBy);
  }

  /** Lines with a trace id only: a line without one is read again by normalize(), or not used. */
  private noteUnit(entry: Entry): void {
    const g = this.guessed!;
    this.notes?.unitInferred(entry.service ?? 'unknown', this.durationField(), g.unit, g.logger, g.spans);
  }

  /** The path of the rule the duration was read by, for the report. */
  private durationField(): string {
    return this.lookup.pathAt(this.found.winner[R.duration]!) ?? 'duration';
  }

  private readIds(entry: Entry): void {
    const f = this.found;
    const traceValue = f.get(R.traceId);
    const traceHow = f.howOf(R.traceId);
    let b3: ReturnType<typeof parseB3Single>;
    let tpParent: string | undefined;
    if (traceValue !== undefined) {
      if (traceHow === 'traceparent') entry.traceId = parseTraceparent(traceValue)?.traceId;
      else if (traceHow === 'b3') entry.traceId = (b3 = parseB3Single(traceValue))?.traceId;
      else if (traceHow === 'dd-decimal') entry.traceId = ddIdToHex(traceValue);
      else if (traceHow === 'gcp-trace') entry.traceId = traceFromGcp(traceValue);
      else if (isTraceparentShaped(traceValue)) {
        // A traceparent in a field that holds plain ids elsewhere (--field traceId=http_traceparent).
        const tp = parseTraceparent(traceValue);
        entry.traceId = tp?.traceId;
        tpParent = tp?.parentId;
      } else entry.traceId = normalizeTraceId(traceValue);
    }
    const spanValue = f.get(R.spanId);
    if (spanValue !== undefined) {
      entry.spanId = f.howOf(R.spanId) === 'dd-decimal' ? ddIdToHex(spanValue, 16) : normalizeSpanId(spanValue);
    } else if (b3) {
      entry.spanId = b3.spanId;
    }
    const parentValue = f.get(R.parentSpanId);
    const parentHow = f.howOf(R.parentSpanId);
    if (parentValue !== undefined) {
      if (parentHow === 'traceparent') {
        // The caller's span id, from the incoming request's header: our parent, if it is the same trace.
        const tp = parseTraceparent(parentValue);
        if (tp && (entry.traceId === undefined || tp.traceId === entry.traceId) && tp.parentId !== entry.spanId) {
          entry.parentSpanId = tp.parentId;
        }
      } else if (parentHow === 'b3') {
        const p = parseB3Single(parentValue);
        // In a B3 header the span id is the caller's span when we logged a span id of our own. When our
        // span id came from this same header, its 4th field is the parent.
        if (p && p.spanId !== entry.spanId) entry.parentSpanId = p.spanId;
        else if (p?.parentSpanId !== undefined) entry.parentSpanId = p.parentSpanId;
      } else {
        entry.parentSpanId = normalizeSpanId(parentValue);
      }
    } else if (tpParent !== undefined && tpParent !== entry.spanId) {
      entry.parentSpanId = tpParent;
    }
    if (entry.traceId !== undefined) entry.traceIdKind = 'trace';
  }

  /** A request or correlation id stands in for a trace id when there is none. */
  private correlationId(entry: Entry): void {
    const corr = this.found.get(R.correlationId);
    const id = typeof corr === 'string' || typeof corr === 'number' ? String(corr).trim() : '';
    if (id.length > 0 && id.length <= 128) {
      entry.traceId = id;
      entry.traceIdKind = 'correlation';
    }
  }

  /**
   * No trace id in a field the table names: a traceparent somewhere else (e.g. ctx.incoming.headers),
   * found by a bounded scan of the whole record, beats a correlation id.
   */
  private traceparentAnywhere(entry: Entry, record: Record<string, unknown>): void {
    const tp = findTraceparentDeep(record);
    if (!tp) return;
    entry.traceId = tp.traceId;
    entry.traceIdKind = 'trace';
    if (entry.parentSpanId === undefined && tp.parentId !== entry.spanId) entry.parentSpanId = tp.parentId;
  }

  private readTime(entry: Entry, envelope: EnvelopeInfo | undefined): void {
    const k = this.found.field[R.time]!;
    if (k >= 0 && this.found.howOf(R.time) === 'plain') {
      // Straight from the line's bytes, when it is an ISO time in the second of the one before.
      const t = this.instant;
      if (this.found.scanner!.sameSecondTime(k, t)) {
        entry.time = t.us;
        if (t.nanos !== 0) entry.nanos = t.nanos;
        return this.withinSecond(entry, envelope);
      }
    }
    const v = this.found.get(R.time);
    if (v !== undefined) {
      const how = this.found.howOf(R.time);
      const unit = how === 'ns' || how === 'us' || how === 'ms' || how === 's' ? how : this.timeUnit;
      const t = parseTimeValue(v, unit);
      if (t) {
        entry.time = t.us;
        if (t.nanos !== 0) entry.nanos = t.nanos;
        if (envelope?.time !== undefined && typeof v === 'string') {
          const shift = zoneShift(v, t.us, envelope.time);
          if (shift !== 0) {
            entry.time = envelope.time;
            entry.nanos = undefined;
            this.shiftedBy = shift;
            return;
          }
        }
        return this.withinSecond(entry, envelope);
      }
      if (isNumeric(v)) this.asideTime = true;
    }
    if (envelope?.time !== undefined) entry.time = envelope.time;
  }

  /**
   * A time of whole seconds (nginx's $time_iso8601, logrus, zerolog by default) with an envelope's time
   * in that second (kubectl --timestamps, CRI): the envelope's is the finer reading of the same moment.
   * Without it, a line of an access log stands up to a second before the request it closes.
   */
  private withinSecond(entry: Entry, envelope: EnvelopeInfo | undefined): void {
    const e = envelope?.time;
    const t = entry.time!;
    if (e === undefined || t % 1_000_000 !== 0 || entry.nanos !== undefined || !(e > t && e < t + 1_000_000)) return;
    // Written in whole seconds, not a finer time that fell on one ("10:00:03.000Z" stays as it is).
    const v = this.found.get(R.time);
    if (typeof v === 'string' ? !/\d[.,]\d/.test(v) : typeof v === 'number' && Number.isInteger(v) && v < 1e11) entry.time = e;
  }

  private readError(entry: Entry): void {
    const f = this.found;
    if (entry.level !== undefined && LEVEL_RANK[entry.level] >= LEVEL_RANK.error) {
      entry.error = true;
      entry.errorMessage = entry.message;
    }
    const status = f.get(R.status);
    if (typeof status === 'number' || (typeof status === 'string' && /^\d{3}$/.test(status))) {
      const code = Number(status);
      if (code >= 100 && code <= 599) {
        entry.httpStatus = code;
        if (code >= 500) {
          entry.error = true;
          entry.errorMessage ??= `HTTP ${code}`;
        }
      }
    } else if (typeof status === 'string' && /^(error|failed|failure|fail|status_code_error)$/i.test(status)) {
      entry.error = true;
    }
    const err = f.get(R.error);
    if (err !== undefined && err !== false) {
      const how = f.howOf(R.error);
      if (how === 'outcome') {
        if (err === 'failure') entry.error = true;
      } else if (err === true || (typeof err === 'string' && err.length > 0 && !/^(false|none|null|0)$/i.test(err))) {
        entry.error = true;
        if (typeof err === 'string' && err.includes('\n')) {
          // A whole stack trace (structlog's `exception`): the line's own message says what failed, the
          // exception's line what was thrown; the trace is drawn under the line as a text line's stack is.
          entry.stack = clipStack(err);
          const thrown = exceptionLine(err);
          entry.errorMessage = clip(entry.message !== undefined && thrown !== undefined ? `${entry.message} (${thrown})` : (entry.message ?? thrown ?? err));
        } else if (typeof err === 'string') entry.errorMessage = clip(err);
      } else if (typeof err === 'object') {
        entry.error = true;
        const e = err as { message?: unknown; msg?: unknown; type?: unknown; name?: unknown };
        const msg = typeof e.message === 'string' ? e.message : typeof e.msg === 'string' ? e.msg : undefined;
        const type = typeof e.type === 'string' ? e.type : typeof e.name === 'string' ? e.name : undefined;
        if (msg !== undefined || type !== undefined) entry.errorMessage = clip(type && msg ? `${type}: ${msg}` : (msg ?? type)!);
      }
    }
    if (entry.error) entry.errorMessage ??= entry.message;
  }
}

/** A time string ending in an offset or Z (the ISO forms parseIsoTime reads). */
const WITH_OFFSET = /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const QUARTER_HOUR_US = 15 * 60_000_000;
/** The most a line's own time may trail or lead its envelope's and still be the same moment in a whole zone. */
export const ZONE_LAG_US = 5_000_000;
/** UTC−12 … UTC+14: the offsets in use. */
const MAX_ZONE_QUARTERS = 14 * 4;

/**
 * A line's time written without an offset (Python's asctime, logback's default, most text layouts) is read
 * as UTC; a service in another zone then stands hours off the rest. Its envelope (CRI, docker, kubectl
 * --timestamps) holds the moment in UTC: where the two differ by a whole number of quarter hours within
 * ±14 h (± ZONE_LAG_US), the line's time is local time, and the minutes it lies behind UTC are returned
 * (the envelope's time is then the line's); else 0. A time with an offset is what it says.
 */
export function zoneShift(text: string, lineUs: number, envelopeUs: number): number {
  // The times first: nearly every line lies within minutes of its envelope, and is done with here.
  const d = envelopeUs - lineUs;
  const quarters = Math.round(d / QUARTER_HOUR_US);
  if (quarters === 0 || Math.abs(quarters) > MAX_ZONE_QUARTERS || Math.abs(d - quarters * QUARTER_HOUR_US) > ZONE_LAG_US) return 0;
  const c = text.charCodeAt(0);
  if (c < 0x30 || c > 0x39 || text.charCodeAt(4) !== 0x2d /* - */ || WITH_OFFSET.test(text.trimEnd())) return 0;
  return quarters * 15;
}

/**
 * Rejects values that cannot be the role, so the next candidate field gets its chance. Of a string it
 * may ask only whether it is empty, and of a number nothing but that it is one: the field scanner passes
 * stand-ins for both (FieldScanner.standIn).
 */
/**
 * Every entry gets the same fields in the same order (absent ones undefined): one object shape, so
 * everything downstream reads entries through monomorphic property accesses.
 */
function newEntry(source: string, line: number, envelope: EnvelopeInfo | undefined): Entry {
  return {
    source, line, traceId: undefined, traceIdKind: undefined, spanId: undefined, parentSpanId: undefined,
    service: undefined, time: undefined, nanos: undefined, level: undefined, message: undefined,
    operation: undefined, duration: undefined, error: false, errorMessage: undefined, httpStatus: undefined,
    stack: undefined, envelope,
  };
}

/** `e` as newEntry would make it. */
function clearEntry(e: Entry, source: string, line: number, envelope: EnvelopeInfo | undefined): Entry {
  e.source = source;
  e.line = line;
  e.traceId = e.traceIdKind = e.spanId = e.parentSpanId = e.service = undefined;
  e.time = e.nanos = e.level = e.message = e.operation = e.duration = undefined;
  e.error = false;
  e.errorMessage = e.httpStatus = e.stack = undefined;
  e.envelope = envelope;
  return e;
}

function accept(role: Role, how: How, value: unknown, loggerShaped: boolean): boolean {
  switch (role) {
    case 'traceId':
    case 'spanId':
    case 'parentSpanId':
    case 'correlationId':
      return (typeof value === 'string' && value.length > 0) || typeof value === 'number';
    case 'service':
      if (how === 'bunyan-name') return typeof value === 'string' && loggerShaped;
      return typeof value === 'string' || (typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string');
    case 'operation':
      if (how === 'plain-name') return typeof value === 'string' && !loggerShaped;
      return typeof value === 'string' && value.length > 0;
    case 'message':
      return typeof value === 'string' || (typeof value === 'object' && typeof (value as { stringValue?: unknown }).stringValue === 'string');
    case 'time':
      // An object only as Cloud Logging's {seconds, nanos}.
      return typeof value === 'string' || typeof value === 'number' || (typeof value === 'object' && value !== null && 'seconds' in value);
    case 'level':
      return typeof value === 'string' || typeof value === 'number';
    case 'method':
    case 'route':
      return typeof value === 'string' && value.length > 0;
    case 'duration':
      return typeof value === 'number' || typeof value === 'string';
    case 'status':
      return typeof value === 'number' || typeof value === 'string';
    case 'error':
      return value !== false && value !== '';
  }
}

/** bunyan (`v`, `hostname`, `pid`) and pino (`pid`, `hostname`) put the logger's name in `name`. */
// `caller`, `logger` and `msg` (a key of the table already) are clues to a duration's unit (duration-unit.ts).
const LOGGER_KEYS = ['hostname', 'pid', 'v', 'caller', 'logger'];
function isLoggerRecord(record: Record<string, unknown>): boolean {
  return record.hostname !== undefined || record.pid !== undefined || record.v !== undefined;
}

function readLevel(v: unknown, how: How): Level | undefined {
  if (typeof v === 'string') {
    const byName = levelFromName(v);
    if (byName) return byName;
    if (!/^\d+$/.test(v)) return undefined;
    v = Number(v);
  }
  if (typeof v !== 'number') return undefined;
  if (how === 'otel-level') return levelFromOtelNumber(v);
  if (how === 'syslog-level') return v <= 7 ? levelFromSyslogNumber(v) : levelFromOtelNumber(v);
  return levelFromPinoNumber(v);
}

/** EntryNormalizer.unread when the line's duration was read, or said there was none. */
const READ = Symbol('read');

/**
 * A duration field's way of saying there is none: empty, null, or the `-` of nginx's
 * `$upstream_response_time` and Envoy's unset operators when no upstream was reached.
 */
function saysNone(v: unknown): boolean {
  return v === null || v === '' || v === '-';
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return clip(v);
  const sv = (v as { stringValue?: unknown }).stringValue;
  return typeof sv === 'string' ? clip(sv) : undefined;
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '…' : s;
}

/** "00-<32 hex>-<16 hex>-<2 hex>" at a glance; parseTraceparent decides. */
function isTraceparentShaped(v: unknown): v is string {
  return typeof v === 'string' && v.length === 55 && v.charCodeAt(2) === 0x2d && v.charCodeAt(35) === 0x2d && v.charCodeAt(52) === 0x2d;
}

function stripQuery(url: string): string {
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x3f /* ? */ || c === 0x23 /* # */) return url.slice(0, i);
  }
  return url;
}

/** A number, or a string that writes one: a time value that failed to parse only for its size. */
const NUMERIC = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || (typeof v === 'string' && v.length <= 400 && NUMERIC.test(v));
}
