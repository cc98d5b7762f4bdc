/**
 * `--where EXPR`: keeps the traces with a log line or span that matches. One expression is
 *
 *   field=value   field!=value   field>N  field>=N  field<N  field<=N   field~regex
 *
 * A field is a log line's other fields (dotted for nested objects: `req.headers.host`), a span's
 * attributes, or a role: service, level, msg (message), operation, status (HTTP status), error,
 * traceId, spanId, parentSpanId, duration (ms; `duration>=1.5s` takes a unit). `error` is a boolean
 * (`error=true`), but `error~regex` tests the error's text; so does `~` on a field the error role reads
 * (`err.message`, `exception`: ERROR_TEXT_FIELDS), which the role took out of the line's fields. Any other
 * field a role was read from (`status_code`, `res.statusCode`, `trace_id`: conventions.ts) is not among the
 * line's other fields either: a line without that field answers with the role's value. A line's envelope
 * answers pod, container, namespace and stream when the line has no field of that name. A line or span matches
 * `field!=value` only when it has the field. Numbers compare as numbers; a level compares by rank
 * (`level>=warn`). Several expressions must each be met, by the same or by different lines of a trace.
 *
 * A regex is run by V8's linear-time engine when the runtime has it (no backtracking, so hostile input
 * cannot make it slow; backreferences and lookarounds are refused); else patterns with a quantified
 * group that holds a quantifier (`(a+)+`) or backreferences are refused, and a regex reads at most
 * MAX_TESTED characters of a value.
 */
import { setFlagsFromString } from 'node:v8';
import type { Entry } from '../entries/entry.js';
import { LEVEL_RANK, type Level } from '../entries/entry.js';
import { parseDuration } from '../entries/parse-duration.js';
import { CONVENTIONS, type Role } from '../entries/conventions.js';
import type { Span, SpanEvent } from './span.js';

export type WhereOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

/** One parsed expression; plain data, so worker threads can be given it. */
export interface WhereTerm {
  field: string;
  op: WhereOp;
  value: string;
}

export class WhereError extends Error {}

const MAX_PATTERN = 512;
export const MAX_TESTED = 4096;
const EXPR = /^([^\s=!<>~]+)\s*(!=|>=|<=|=|>|<|~)(.*)$/s;

/** `customer_id=cus_42` → a term; a bad expression throws WhereError with the reason. */
export function parseWhere(text: string): WhereTerm {
  const m = EXPR.exec(text.trim());
  if (!m) throw new WhereError(`--where '${text}': expected field=value, field!=value, field>=N (>, <, <=) or field~regex`);
  const field = FIELD_ALIASES[m[1]!] ?? m[1]!;
  const op = m[2] as WhereOp;
  const value = m[3]!.trim();
  if (op !== '=' && op !== '!=' && value.length === 0) throw new WhereError(`--where '${text}': nothing after '${op}'`);
  if (op === '>' || op === '>=' || op === '<' || op === '<=') {
    if (numberOf(field, value) === undefined) throw new WhereError(`--where '${text}': '${value}' is not a number${field === 'duration' ? ' or a duration (1.5s, 300ms)' : field === 'level' ? ' or a level' : ''}`);
  }
  if (op === '~') compileRegex(value, text);
  return { field, op, value };
}

const FIELD_ALIASES: Record<string, string> = { message: 'msg', name: 'operation', http_status: 'status', trace_id: 'traceId', span_id: 'spanId' };

/** The terms compiled once, then tested on lines and spans. */
export class WhereMatcher {
  private readonly tests: ((get: (field: string) => unknown) => boolean)[];

  constructor(readonly terms: readonly WhereTerm[]) {
    this.tests = terms.map(compile);
  }

  /** Bit i set when the entry meets term i. */
  entry(e: Entry): number {
    return this.meets((f) => entryField(e, f));
  }

  /** Bit i set when the span, or one of its events, meets term i. */
  span(s: Span): number {
    let bits = this.meets((f) => spanField(s, f));
    for (const ev of s.events) bits |= this.meets((f) => eventField(ev, s, f));
    return bits;
  }

  /** The bits of every term: a trace with all of them matches. */
  get all(): number {
    return (1 << this.tests.length) - 1;
  }

  private meets(get: (field: string) => unknown): number {
    let bits = 0;
    for (let i = 0; i < this.tests.length; i++) if (this.tests[i]!(get)) bits |= 1 << i;
    return bits;
  }
}

/** At most 30 expressions: they are tracked as bits of a number. */
export const MAX_WHERE = 30;

/**
 * The where-field of each role a field's spelling names (conventions.ts): the spellings whose value the
 * role reads unchanged in meaning. Not duration (its spellings have units of their own; `duration` is in
 * ms), level (a spelling may hold a number of its own scale), nor time.
 */
const ROLE_FIELDS: Partial<Record<Role, string>> = {
  traceId: 'traceId', spanId: 'spanId', parentSpanId: 'parentSpanId', service: 'service', message: 'msg', operation: 'operation', status: 'status',
};

/** Ids are read as lowercase hex (parse-ids.ts): `traceId=4BF92F35…` is the same id. */
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
const BY_SPELLING: ReadonlyMap<string, string> = new Map(
  CONVENTIONS.flatMap((rule) => {
    const f = ROLE_FIELDS[rule.role];
    return f === undefined || f === rule.path ? [] : [[rule.path, f] as [string, string]];
  }),
);

/** The field `f` names, else, when the line or span has no such field, the role its spelling names. */
function withRoleOf(f: string, get: (field: string) => unknown): (field: string) => unknown {
  const role = BY_SPELLING.get(f);
  return role === undefined ? get : (field) => get(field) ?? (field === f ? get(role) : undefined);
}

/**
 * The error role's fields (conventions.ts) and the members it reads of an error object: the role takes
 * their text as the line's error message, so they are not among the line's other fields. `~` on one of
 * them tests that text when the field itself is not there (or, for `error`, is the role's boolean).
 */
const ERROR_TEXT_FIELDS = new Set(
  ['error', 'err', 'exception', '@x', 'exc_info', 'error.type', 'error.message'].flatMap((f) => [f, `${f}.message`, `${f}.msg`, `${f}.type`, `${f}.name`]),
);

/** The pseudo-field of a line's or span's error text (only where it has an error). */
const ERROR_TEXT = '\0error text';

function entryField(e: Entry, f: string): unknown {
  switch (f) {
    case 'service': return e.service;
    case 'level': return e.level;
    case 'msg': return e.message ?? e.errorMessage;
    case 'operation': return e.operation;
    case 'status': return e.httpStatus;
    case 'error': return e.error;
    case ERROR_TEXT: return e.error ? e.errorMessage : undefined;
    case 'traceId': return e.traceId;
    case 'spanId': return e.spanId;
    case 'parentSpanId': return e.parentSpanId;
    case 'duration': return e.duration !== undefined ? e.duration / 1000 : undefined;
  }
  const fields = e.fields;
  if (fields !== undefined && Object.prototype.hasOwnProperty.call(fields, f)) return fields[f];
  switch (f) {
    case 'pod': return e.envelope?.pod;
    case 'container': return e.envelope?.container;
    case 'namespace': return e.envelope?.namespace;
    case 'stream': return e.envelope?.stream;
  }
  return undefined;
}

function spanField(s: Span, f: string): unknown {
  switch (f) {
    case 'service': return s.service;
    // A span record has no level; one that failed is at error level (its events answer for themselves).
    case 'level': return s.error ? 'error' : undefined;
    case 'msg': return s.errorMessage;
    case 'operation': return s.operation;
    case 'status': return s.attributes['http.status_code'] ?? s.attributes['http.response.status_code'];
    case 'error': return s.error;
    case ERROR_TEXT: return s.error ? s.errorMessage : undefined;
    case 'traceId': return s.traceId;
    case 'spanId': return s.spanId;
    case 'parentSpanId': return s.parentSpanId;
    case 'duration': return (s.end - s.start) / 1000;
  }
  return Object.prototype.hasOwnProperty.call(s.attributes, f) ? s.attributes[f] : undefined;
}

function eventField(ev: SpanEvent, s: Span, f: string): unknown {
  switch (f) {
    case 'service': return s.service;
    case 'level': return ev.level;
    case 'msg': return ev.message;
    case ERROR_TEXT: return ev.level !== undefined && LEVEL_RANK[ev.level] >= LEVEL_RANK.error ? ev.message : undefined;
    case 'traceId': return s.traceId;
    case 'spanId': return s.spanId;
  }
  const a = ev.attributes;
  return a !== undefined && Object.prototype.hasOwnProperty.call(a, f) ? a[f] : undefined;
}

function compile(t: WhereTerm): (get: (field: string) => unknown) => boolean {
  const test = compileTerm(t);
  return BY_SPELLING.has(t.field) ? (get) => test(withRoleOf(t.field, get)) : test;
}

function compileTerm(t: WhereTerm): (get: (field: string) => unknown) => boolean {
  const { field, op, value } = t;
  if (op === '~') {
    const re = compileRegex(value, `${field}~${value}`);
    const errorText = ERROR_TEXT_FIELDS.has(field);
    return (get) => {
      let v = get(field);
      if (errorText && (v === undefined || typeof v === 'boolean')) v = get(ERROR_TEXT);
      if (v === undefined) return false;
      const s = textOf(v);
      return re.test(s.length > MAX_TESTED ? s.slice(0, MAX_TESTED) : s);
    };
  }
  if (op === '=' || op === '!=') {
    const n = numberOf(field, value);
    const folds = field === 'level' || ID_FIELDS.has(BY_SPELLING.get(field) ?? field);
    const want = folds ? value.toLowerCase() : value;
    const equal = (v: unknown): boolean =>
      typeof v === 'number' && n !== undefined ? v === n : (folds ? textOf(v).toLowerCase() : textOf(v)) === want;
    return op === '=' ? (get) => { const v = get(field); return v !== undefined && equal(v); } : (get) => { const v = get(field); return v !== undefined && !equal(v); };
  }
  const limit = numberOf(field, value)!;
  return (get) => {
    const v = numberOf(field, get(field));
    if (v === undefined) return false;
    return op === '>' ? v > limit : op === '>=' ? v >= limit : op === '<' ? v < limit : v <= limit;
  };
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** A value as a number to compare: a level by its rank, a duration in ms (a unit may be given), else a plain number. */
function numberOf(field: string, v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim().length === 0) return undefined;
  if (field === 'level') {
    const rank = LEVEL_RANK[v.toLowerCase() as Level];
    if (rank !== undefined) return rank;
  }
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  if (field === 'duration') {
    const us = parseDuration(v, 1000);
    if (us !== undefined) return us / 1000;
  }
  return undefined;
}

/** The flag of V8's linear-time engine (a name, since a literal flag lint does not know is refused). */
const LINEAR = 'l';
let linear: boolean | undefined;
/** V8's linear-time regex engine (flag `l`), when this runtime has it. */
function linearEngine(): boolean {
  if (linear === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      new RegExp('a', LINEAR);
      linear = true;
    } catch {
      linear = false;
    }
  }
  return linear;
}

/** A quantified group holding a quantifier, or a backreference: what makes a backtracking engine slow. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+?}](?:[^()\\]|\\.)*\)\s*[*+?{]/;
const BACKREFERENCE = /\\[1-9]|\\k</;

/**
 * `/regex/i`: a regex that ignores case (the only flag taken; a plain value is the regex itself). V8's
 * linear-time engine has no `i`: such a regex is refused nested quantifiers and backreferences.
 */
const CASELESS = /^\/(.*)\/i$/s;

function compileRegex(value: string, text: string): RegExp {
  const caseless = CASELESS.exec(value);
  const pattern = caseless ? caseless[1]! : value;
  const flags = caseless ? 'i' : '';
  if (pattern.length > MAX_PATTERN) throw new WhereError(`--where '${text.slice(0, 40)}…': a regex of at most ${MAX_PATTERN} characters`);
  // V8's linear-time engine takes no `i`: a caseless regex runs on the usual engine, under its guards.
  if (linearEngine() && !caseless) {
    try {
      return new RegExp(pattern, LINEAR);
    } catch (err) {
      throw new WhereError(`--where '${text}': ${linearReason(err as Error)}`);
    }
  }
  if (NESTED_QUANTIFIER.test(pattern) || BACKREFERENCE.test(pattern)) {
    throw new WhereError(`--where '${text}': nested quantifiers and backreferences are refused (they can take exponential time)`);
  }
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new WhereError(`--where '${text}': ${(err as Error).message}`);
  }
}

function linearReason(err: Error): string {
  return /linear time/.test(err.message) ? 'backreferences and lookarounds are not supported (regexes run in linear time)' : err.message;
}
