/**
 * Every input line is accounted for: read = used + withoutTrace + joined + stack + notExamined + skipped, where `used` counts
 * log entries with a trace id and lines that held span data, `joined` counts partial pieces (CRI 'P',
 * Docker partials) that were joined into the line after them, and `skipped` counts lines set aside, by
 * reason, with the first few places so the user can go and look.
 */
import { shiftPlace } from '../core/places.js';
import type { RangedField } from '../core/time.js';
export interface SkipReason {
  count: number;
  examples: string[]; // "app.log:123"
}

/**
 * A duration unit read from what wrote the lines, not from the field's name (normalize-entry.ts): the
 * logger's signature (`logger`), or the timestamps (`spans`: the lines the decision rests on).
 */
export interface InferredUnit {
  service: string;
  field: string;
  unit: string;
  logger: string;
  count: number;
  spans?: number;
}

/** A duration field's values that read as no duration, by (service, field): how many, and the least of them as text. */
export interface UnreadDuration {
  service: string;
  field: string;
  count: number;
  /** The least value written (as JSON, cut): the same whatever the order the lines were counted in. */
  example: string;
}

export const MAX_EXAMPLES = 3;
const MAX_EXAMPLE_CHARS = 40;
/** (service, field) pairs whose inferred unit is reported, and id-like keys counted: a hostile log cannot grow either past it. */
export const MAX_UNIT_NOTES = 64;
export const MAX_WARNINGS = 20;

export class IngestStats {
  read = 0;
  used = 0;
  withoutTrace = 0;
  joined = 0;
  /** Lines of a stack trace joined to the text log line before them (stack-lines.ts). */
  stack = 0;
  /** Lines not parsed because they cannot hold what the command looks for (tree's id pre-check). */
  notExamined = 0;
  /** Of `used`, lines of a trace already complete (model/trace-completion.ts): counted, left out of the results. */
  late = 0;
  /** --follow: late lines were shown as updates of their traces (render/ingest-report.ts). */
  lateShown = false;
  readonly skipped = new Map<string, SkipReason>();
  /** Span records and entries the format readers produced, and what they warned about. */
  spans = 0;
  readonly warnings: string[] = [];
  warningCount = 0;
  /** Sources that could not be read (whole or in part): "file: reason". */
  readonly failedSources: string[] = [];
  interrupted = false;
  /** How many sources were read (a folder counts its files), once the command knows. */
  sources: number | undefined = undefined;
  /** Keys that look like a request's id in lines without a trace id, and in how many lines (id-like-fields.ts). */
  readonly idLikeKeys = new Map<string, number>();
  /** By service and field: which unit a duration was read in, and in how many lines. */
  readonly inferredUnits = new Map<string, InferredUnit>();
  /** The note unitInferred() counted last (a note of inferredUnits). */
  private lastUnitNote: InferredUnit | undefined;
  /** By service and field: duration values that read as no duration (unitless text, a clock it does not know). */
  readonly unreadDurations = new Map<string, UnreadDuration>();
  /**
   * By service and offset: lines whose own time had no offset and lay a whole zone off their envelope's,
   * read at the envelope's time (normalize-entry.ts zoneShift); `minutes` behind UTC.
   */
  readonly zoneShifts = new Map<string, { service: string; minutes: number; count: number }>();
  /** Values read as if absent because they lie outside the range their field allows (core/time.ts). */
  readonly outOfRange: Record<RangedField, number> = { duration: 0, time: 0 };

  /** NormalizeNotes: a used line's field held a value out of range. */
  setAside(field: RangedField, count = 1): void {
    this.outOfRange[field] += count;
  }

  /** NormalizeNotes: a duration read in the unit its logger writes. */
  unitInferred(service: string, field: string, unit: string, logger: string, spans?: number): void {
    // Lines of one service and field come in runs: the last note is counted without making its key.
    const last = this.lastUnitNote;
    if (last !== undefined && last.service === service && last.field === field && last.unit === unit) {
      last.count++;
      return;
    }
    const key = `${service}\u0000${field}\u0000${unit}`;
    const known = this.inferredUnits.get(key);
    if (known !== undefined) known.count++;
    else if (this.inferredUnits.size < MAX_UNIT_NOTES) this.inferredUnits.set(key, spans === undefined ? { service, field, unit, logger, count: 1 } : { service, field, unit, logger, count: 1, spans });
    this.lastUnitNote = this.inferredUnits.get(key);
  }

  /** NormalizeNotes: a used line's duration field held a value that reads as no duration. */
  durationUnread(service: string, field: string, value: unknown): void {
    const text = exampleText(value);
    const key = `${service}\u0000${field}`;
    const known = this.unreadDurations.get(key);
    if (known !== undefined) {
      known.count++;
      if (text < known.example) known.example = text;
    } else if (this.unreadDurations.size < MAX_UNIT_NOTES) this.unreadDurations.set(key, { service, field, count: 1, example: text });
  }

  /** NormalizeNotes: a line's time without an offset read at its envelope's. */
  zoneShifted(service: string, minutes: number): void {
    const key = `${service}\u0000${minutes}`;
    const known = this.zoneShifts.get(key);
    if (known !== undefined) known.count++;
    else if (this.zoneShifts.size < MAX_UNIT_NOTES) this.zoneShifts.set(key, { service, minutes, count: 1 });
  }

  idLikeKey(key: string): void {
    const n = this.idLikeKeys.get(key);
    if (n !== undefined) this.idLikeKeys.set(key, n + 1);
    else if (this.idLikeKeys.size < MAX_UNIT_NOTES) this.idLikeKeys.set(key, 1);
  }

  skip(reason: string, source: string, line: number): void {
    let r = this.skipped.get(reason);
    if (!r) {
      r = { count: 0, examples: [] };
      this.skipped.set(reason, r);
    }
    r.count++;
    if (r.examples.length < MAX_EXAMPLES) r.examples.push(`${source}:${line}`);
  }

  warn(message: string): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
  }

  get skippedTotal(): number {
    let n = 0;
    for (const r of this.skipped.values()) n += r.count;
    return n;
  }

  /**
   * Places in `source` are `by` lines further down than they were numbered (a worker's part of a file);
   * undefined: how far is not known, and the places say so.
   */
  shiftLines(source: string, by: number | undefined): void {
    for (const r of this.skipped.values()) r.examples = r.examples.map((p) => shiftPlace(p, source, by));
    for (let i = 0; i < this.warnings.length; i++) this.warnings[i] = shiftPlace(this.warnings[i]!, source, by);
  }

  /**
   * After merging the stats of parts read on other threads: examples and warnings in input order (source
   * order, then line) and cut to their limits, as one thread would have kept them.
   */
  restoreOrder(sourceOrder: readonly string[]): void {
    const rank = new Map(sourceOrder.map((s, i) => [s, i]));
    const key = (place: string): [number, number] => {
      const m = /^(.*?):(\d+)/.exec(place);
      return m ? [rank.get(m[1]!) ?? sourceOrder.length, Number(m[2])] : [sourceOrder.length, 0];
    };
    const cmp = (a: string, b: string) => {
      const [ra, la] = key(a);
      const [rb, lb] = key(b);
      return ra - rb || la - lb || (a < b ? -1 : a > b ? 1 : 0);
    };
    for (const r of this.skipped.values()) r.examples = r.examples.sort(cmp).slice(0, MAX_EXAMPLES);
    const warnings = this.warnings.sort(cmp).slice(0, MAX_WARNINGS);
    this.warnings.length = 0;
    this.warnings.push(...warnings);
  }

  /** The invariant the tests hold the pipeline to. */
  get balanced(): boolean {
    return this.read === this.used + this.withoutTrace + this.joined + this.stack + this.notExamined + this.skippedTotal;
  }

  merge(other: IngestStats): void {
    this.read += other.read;
    this.used += other.used;
    this.withoutTrace += other.withoutTrace;
    this.joined += other.joined;
    this.stack += other.stack;
    this.notExamined += other.notExamined;
    this.late += other.late;
    this.spans += other.spans;
    for (const [reason, r] of other.skipped) {
      const mine = this.skipped.get(reason);
      // Every part keeps its own first few; restoreOrder picks the first few of all.
      if (!mine) this.skipped.set(reason, { count: r.count, examples: [...r.examples] });
      else {
        mine.count += r.count;
        mine.examples.push(...r.examples);
      }
    }
    this.warnings.push(...other.warnings);
    this.warningCount += other.warningCount;
    for (const [key, n] of other.idLikeKeys) {
      const mine = this.idLikeKeys.get(key);
      if (mine !== undefined) this.idLikeKeys.set(key, mine + n);
      else if (this.idLikeKeys.size < MAX_UNIT_NOTES) this.idLikeKeys.set(key, n);
    }
    for (const [key, u] of other.inferredUnits) {
      const mine = this.inferredUnits.get(key);
      if (mine !== undefined) mine.count += u.count;
      else if (this.inferredUnits.size < MAX_UNIT_NOTES) this.inferredUnits.set(key, { ...u });
    }
    for (const [key, u] of other.unreadDurations) {
      const mine = this.unreadDurations.get(key);
      if (mine !== undefined) {
        mine.count += u.count;
        if (u.example < mine.example) mine.example = u.example;
      } else if (this.unreadDurations.size < MAX_UNIT_NOTES) this.unreadDurations.set(key, { ...u });
    }
    for (const [key, z] of other.zoneShifts) {
      const mine = this.zoneShifts.get(key);
      if (mine !== undefined) mine.count += z.count;
      else if (this.zoneShifts.size < MAX_UNIT_NOTES) this.zoneShifts.set(key, { ...z });
    }
    this.outOfRange.duration += other.outOfRange.duration;
    this.outOfRange.time += other.outOfRange.time;
    this.failedSources.push(...other.failedSources);
    this.interrupted ||= other.interrupted;
  }
}

function exampleText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_EXAMPLE_CHARS ? `${text.slice(0, MAX_EXAMPLE_CHARS - 1)}…` : text;
}
