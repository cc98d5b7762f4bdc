/** Microseconds in one of each unit a duration field can be read in. */
export const US_PER_UNIT = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 } as const;
export type DurationUnit = keyof typeof US_PER_UNIT;

/**
 * What a record says of the logger that wrote it, as far as a duration's unit goes. Asked lazily, cheapest
 * first: a plain log line's time value is otherwise never made (normalize-entry.ts reads it from bytes).
 */
export interface LoggerClues {
  /** Does the record have this top-level key (`msg`, `caller`, pino's `pid`, `hostname`, `v`)? */
  has(key: string): boolean;
  /** The raw values of the level and time fields. */
  level: unknown;
  time(): unknown;
}

export interface UnitGuess {
  unit: DurationUnit;
  /** The logger the clues point at, for the report. */
  logger: string;
}

const SLOG_LEVEL = /^(DEBUG|INFO|WARN|ERROR)([+-]\d+)?$/;
const LOGRUS_LEVEL = /^(trace|debug|info|warning|error|fatal|panic)$/;

/**
 * The unit of a bare number in a duration field whose name says none (`latency`, `duration`, `dur`…),
 * from what wrote the record; undefined means milliseconds, the unit of the Node, Python and JVM
 * loggers' duration fields.
 *
 * - zap's production encoder writes `ts` as float epoch seconds beside `caller` or a named logger's
 *   `logger` (Caddy's access log: `http.log.access`), and a time.Duration as float seconds
 *   (SecondsDurationEncoder).
 * - Go's encoding/json loggers write a time.Duration as integer nanoseconds: slog's JSONHandler (`msg`,
 *   an RFC 3339 `time`, levels DEBUG INFO WARN ERROR, `INFO+2`) and logrus's JSONFormatter (`msg`,
 *   `time`, lower-case levels with `warning`, and none of pino's keys).
 */
export function guessDurationUnit(value: number, c: LoggerClues): UnitGuess | undefined {
  if (c.has('caller') || c.has('logger')) {
    const t = c.time();
    if (typeof t === 'number' && t > 0 && t < 1e11) return { unit: 's', logger: 'zap' };
  }
  if (typeof c.level !== 'string' || !Number.isInteger(value) || !c.has('msg')) return undefined;
  const go = SLOG_LEVEL.test(c.level) ? 'Go slog JSON' : LOGRUS_LEVEL.test(c.level) && !c.has('pid') && !c.has('hostname') && !c.has('v') ? 'Go logrus JSON' : undefined;
  return go !== undefined && typeof c.time() === 'string' ? { unit: 'ns', logger: go } : undefined;
}

/** The unit a --field suffix names ("latency:ns"), or undefined. */
export function parseUnitName(name: string): DurationUnit | undefined {
  if (name === 'µs' || name === 'μs') return 'us';
  return name in US_PER_UNIT ? (name as DurationUnit) : undefined;
}

/**
 * A duration field's unit decided from the timestamps (ingest/unit-evidence.ts), by service and field
 * (unitKey); `spans`: how many lines in traces with other lines the decision rests on.
 */
export interface DecidedUnit {
  unit: DurationUnit;
  spans: number;
}
export type UnitTable = ReadonlyMap<string, DecidedUnit>;

export const unitKey = (service: string, field: string): string => `${service}\u0000${field}`;

/**
 * Does the field's name state its unit (`duration_ms`, `elapsedMs`, `latency_seconds`)? Such a field is
 * read in it, whatever the timestamps say; so is ECS's `event.duration`, nanoseconds by its specification.
 */
export function unitInName(path: string): boolean {
  return /(?:[._-](?:ms|us|ns|s|sec|secs|seconds|millis|micros|nanos)|(?:Ms|Us|Ns|Sec|Seconds|Millis|Micros|Nanos))$/.test(path) || /(?:^|\.)event\.duration$/.test(path);
}

/** A bare number, or a string writing one without a unit ("0.123", as nginx's `"$request_time"`). */
export function bareNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 40 || !/^\s*\d+(?:\.\d+)?\s*$/.test(v)) return undefined;
  return Number(v);
}
