/**
 * A log record's other fields: those that took no role (not the time, level, message, ids, service,
 * duration… the role table read), kept for `tree --logs`, `--json` and `--where`.
 *
 * Nested objects are flattened to dotted keys (pino's `req: {headers: {host}}` → `req.headers.host`), so
 * text, JSON and `--where` name a field the same way; arrays stay one value, written as JSON. Bounded:
 * at most MAX_FIELDS fields and MAX_FIELD_BYTES characters of keys and values in all, each value cut at
 * MAX_VALUE_CHARS; what is left out is said by one more field, CUT_KEY (`…`), whose value counts it.
 * The result has no prototype: a `__proto__` key is a field like any other.
 */
export type FieldValue = string | number | boolean | null;
export type Fields = Record<string, FieldValue>;

export const MAX_FIELDS = 32;
export const MAX_FIELD_BYTES = 4096;
const MAX_VALUE_CHARS = 512;
const MAX_DEPTH = 8;
/** The marker field for fields left out: `…=+12 fields`. */
export const CUT_KEY = '…';

/** The members of an object a role was read from that the role stands for. */
const ROLE_OBJECT_KEYS = new Set(['message', 'msg', 'type', 'name']);

/** The fields of `record` whose dotted paths are not in `used`; undefined when there are none. */
export function extraFields(record: Record<string, unknown>, used: ReadonlySet<string>): Fields | undefined {
  const out = Object.create(null) as Fields;
  let count = 0;
  let chars = 0;
  let cut = 0;
  // Iterative: a record nests as deep as its producer liked; past MAX_DEPTH an object is one JSON value.
  const stack: { obj: Record<string, unknown>; keys: string[]; i: number; prefix: string; depth: number; role: boolean }[] = [
    { obj: record, keys: Object.keys(record), i: 0, prefix: '', depth: 0, role: false },
  ];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.i >= f.keys.length) {
      stack.pop();
      continue;
    }
    const k = f.keys[f.i++]!;
    const path = f.prefix + k;
    if (f.role && ROLE_OBJECT_KEYS.has(k)) continue;
    const v = f.obj[k];
    const object = v !== null && typeof v === 'object' && !Array.isArray(v);
    // A role read from an object (pino's `err`, a `service` object) took its name and message only: its
    // other members (err.stack, err.code) are still the line's fields.
    if (used.has(path) && !object) continue;
    if (object && f.depth < MAX_DEPTH) {
      stack.push({ obj: v as Record<string, unknown>, keys: Object.keys(v), i: 0, prefix: path + '.', depth: f.depth + 1, role: used.has(path) });
      continue;
    }
    if (used.has(path)) continue;
    const value = valueOf(v);
    if (value === undefined) continue;
    const size = path.length + (typeof value === 'string' ? value.length : 8);
    if (count >= MAX_FIELDS || chars + size > MAX_FIELD_BYTES) {
      cut++;
      continue;
    }
    Object.defineProperty(out, path, { value, enumerable: true, writable: true, configurable: true });
    count++;
    chars += size;
  }
  if (cut > 0) out[CUT_KEY] = `+${cut} field${cut === 1 ? '' : 's'}`;
  return count > 0 || cut > 0 ? out : undefined;
}

function valueOf(v: unknown): FieldValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  let s: string;
  if (typeof v === 'string') s = v;
  else {
    try {
      s = JSON.stringify(v) ?? '';
    } catch {
      s = '[…]';
    }
  }
  return s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS - 1) + '…' : s;
}
