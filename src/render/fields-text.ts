import { isSecretKey, REDACTED, redactText } from './redact.js';
import { clean } from './sanitize.js';

/**
 * Which of a log line's fields to show: all of them, none, or the ones named (a name picks the field and
 * the fields below it: `req` picks `req.headers.host`).
 */
export type FieldPick = 'all' | 'none' | readonly string[];

/** `--fields a,b` / `all` / `none` as a FieldPick. */
export function parseFieldPick(v: string): FieldPick {
  const t = v.trim();
  if (t === 'all' || t === '') return 'all';
  if (t === 'none') return 'none';
  return t.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function picked(key: string, pick: FieldPick): boolean {
  if (pick === 'all') return true;
  if (pick === 'none') return false;
  return pick.some((p) => key === p || key.startsWith(p + '.'));
}

/** The picked fields of an object, redacted unless `redact` is false (secret keys, and secret text in values: as span attributes). */
export function pickFields(fields: Record<string, unknown>, pick: FieldPick, redact: boolean): Record<string, unknown> | undefined {
  if (pick === 'none') return undefined;
  const out = Object.create(null) as Record<string, unknown>;
  let n = 0;
  for (const k of Object.keys(fields)) {
    if (!picked(k, pick)) continue;
    const v = fields[k];
    const shown = !redact ? v : isSecretKey(k) ? REDACTED : typeof v === 'string' ? redactText(v, true) : v;
    Object.defineProperty(out, k, { value: shown, enumerable: true, writable: true, configurable: true });
    n++;
  }
  return n > 0 ? out : undefined;
}

/** Fields that hold a multi-line stack trace as one string (logback, zap, pino's err, ECS, structlog). */
const STACK_KEYS = ['stack_trace', 'stacktrace', 'err.stack', 'error.stack', 'error.stack_trace', 'exception', 'exc_info', 'stack'];

/**
 * The first picked field holding a multi-line stack trace, drawn under the line as a text line's stack is,
 * and the other fields without it.
 */
export function splitStack(fields: Record<string, unknown> | undefined): { stack?: string; rest: Record<string, unknown> | undefined } {
  if (fields === undefined) return { rest: undefined };
  for (const k of STACK_KEYS) {
    const v = fields[k];
    if (typeof v === 'string' && v.includes('\n') && Object.prototype.hasOwnProperty.call(fields, k)) {
      const rest = Object.create(null) as Record<string, unknown>;
      for (const other of Object.keys(fields)) if (other !== k) Object.defineProperty(rest, other, { value: fields[other], enumerable: true, writable: true, configurable: true });
      return { stack: v, rest };
    }
  }
  return { rest: fields };
}

/**
 * ` key=value key="two words"`: the fields after a log line's message, escaped by clean(). A value is
 * quoted when it is empty or holds a space, a quote or `=`, so the row reads back as logfmt.
 */
export function fieldsText(fields: Record<string, unknown> | undefined): string {
  if (fields === undefined) return '';
  let s = '';
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    const text = typeof v === 'string' ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
    const quoted = typeof v === 'string' && (text.length === 0 || /[\s"=]/.test(text)) ? JSON.stringify(text) : text;
    s += ` ${clean(k)}=${clean(quoted)}`;
  }
  return s;
}
