import type { Level } from './entry.js';

// A Map, not an object: a level is untrusted text, and "constructor" or "toString" must find nothing
// (an object would give Object.prototype's functions as levels). Map.get also hashes the string as it
// is, where a property lookup made each line's level string an internalized one first.
const NAMES = new Map<string, Level>(Object.entries({
  trace: 'trace', verbose: 'trace', vrb: 'trace', trc: 'trace', trce: 'trace',
  debug: 'debug', dbg: 'debug', dbug: 'debug', fine: 'debug',
  info: 'info', information: 'info', informational: 'info', inf: 'info', notice: 'info', log: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error', fail: 'error', // fail: .NET's console tag for Error
  fatal: 'fatal', critical: 'fatal', crit: 'fatal', panic: 'fatal', emerg: 'fatal', emergency: 'fatal',
  alert: 'fatal', ftl: 'fatal', dpanic: 'fatal',
} satisfies Record<string, Level>));

/** Level names in any case ("WARNING", "Information"), and OTel's "ERROR2"-style severity texts. */
export function levelFromName(s: string): Level | undefined {
  const exact = NAMES.get(s); // most levels are written in lower case already
  if (exact !== undefined) return exact;
  const lower = s.toLowerCase();
  const hit = NAMES.get(lower);
  if (hit !== undefined) return hit;
  const m = /^([a-z]+)\d$/.exec(lower);
  return m ? NAMES.get(m[1]!) : undefined;
}

/** pino and bunyan numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
export function levelFromPinoNumber(n: number): Level | undefined {
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  if (n >= 1) return 'trace';
  return undefined;
}

/** OTel severityNumber: 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL. */
export function levelFromOtelNumber(n: number): Level | undefined {
  if (n >= 21) return 'fatal';
  if (n >= 17) return 'error';
  if (n >= 13) return 'warn';
  if (n >= 9) return 'info';
  if (n >= 5) return 'debug';
  if (n >= 1) return 'trace';
  return undefined;
}

/** Syslog severities 0 (emerg) … 7 (debug), for a numeric `severity` field. */
export function levelFromSyslogNumber(n: number): Level | undefined {
  if (n <= 2) return 'fatal';
  if (n === 3) return 'error';
  if (n === 4) return 'warn';
  if (n <= 6) return 'info';
  if (n === 7) return 'debug';
  return undefined;
}
