/**
 * JSON that cannot throw. Application data handed to a logger is arbitrary: cycles, BigInt, Errors
 * (whose fields are not enumerable), throwing getters and toJSON methods, Proxies. Each becomes
 * something readable instead of an exception on the request path:
 *
 *   cycle            -> "[Circular]"      (only a real cycle: an object seen twice side by side is kept)
 *   bigint           -> "123"             (decimal string; ids often are bigints)
 *   Error            -> {name, message, stack, ...own fields, cause}
 *   Date             -> ISO string, or "Invalid Date"
 *   Map / Set        -> object / array
 *   Buffer, typed    -> "[Buffer 42 bytes]"
 *   function, symbol, undefined -> dropped from objects, null in arrays (as JSON.stringify does)
 *   too deep         -> "[Truncated]"
 *   anything throwing -> "[Unserializable]"
 *
 * The work and the output are bounded, with a visible marker where data was cut: strings past
 * `maxStringLength` end in "…[+N chars]", objects past `maxKeys` keys get a "…" key saying how many
 * more there were, arrays past it a last item "[… N more items]", and once about `maxBytes` of output
 * has been made every further value is "[Truncated]". A graph of shared references (an object seen many
 * times, each time as a new branch) therefore costs at most `maxBytes`, not its exponential unfolding.
 *
 * Keys a redactor calls secret have their values replaced, at every depth, and so has secret text in any
 * string (a bearer credential, a JWT, a URL's password, `token=…`). Error texts (message and
 * stack) pass through `scrubUrls`: Node puts whole URLs, credentials and queries included, in them.
 */
import type { Redactor } from './redact.js';
import { scrubUrls } from './scrub.js';

export interface SafeJsonOptions {
  redactor?: Redactor | undefined;
  maxDepth?: number;
  /** Keys of an object, or items of an array, Map or Set, kept. */
  maxKeys?: number;
  /** Characters kept of a string. */
  maxStringLength?: number;
  /** About how many characters of JSON the copy may make. */
  maxBytes?: number;
}

const SKIP = Symbol('skip');
const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_MAX_KEYS = 500;
export const DEFAULT_MAX_STRING = 16 * 1024;
export const DEFAULT_MAX_BYTES = 64 * 1024;
export const TRUNCATED = '[Truncated]';

/** A JSON-safe copy of `value`. Never throws. */
export function toJsonSafe(value: unknown, opts: SafeJsonOptions = {}): unknown {
  const walker = new Walker(opts);
  const out = walker.walk(value, 0);
  return out === SKIP ? null : out;
}

/** `JSON.stringify(toJsonSafe(value))`, falling back to a quoted marker if even that fails. */
export function safeStringify(value: unknown, opts: SafeJsonOptions = {}): string {
  try {
    return JSON.stringify(toJsonSafe(value, opts)) ?? 'null';
  } catch {
    return '"[Unserializable]"';
  }
}

/** An Error's useful fields; the non-enumerable name, message and stack first, URLs scrubbed. */
export function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: field(() => String(err.name)), message: field(() => scrubUrls(String(err.message))) };
  const stack = field(() => (err.stack === undefined ? undefined : scrubUrls(String(err.stack))));
  if (stack !== undefined) out.stack = stack;
  return out;
}

function field(get: () => string | undefined): string | undefined {
  try {
    return get();
  } catch {
    return '[Unserializable]';
  }
}

/** `s` cut to `max` characters, with a marker saying how many were cut. */
export function clipString(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…[+${s.length - max} chars]` : s;
}

/** Whether `v` is an Error; false for a Proxy whose traps throw. */
export function isError(v: unknown): v is Error {
  try {
    return v instanceof Error;
  } catch {
    return false;
  }
}

class Walker {
  private readonly ancestors = new Set<object>();
  private readonly redactor: Redactor | undefined;
  private readonly maxDepth: number;
  private readonly maxKeys: number;
  private readonly maxString: number;
  /** Characters of output still allowed. */
  private budget: number;

  constructor(opts: SafeJsonOptions) {
    this.redactor = opts.redactor;
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
    this.maxString = opts.maxStringLength ?? DEFAULT_MAX_STRING;
    this.budget = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  walk(v: unknown, depth: number): unknown {
    if (this.budget <= 0) return TRUNCATED;
    try {
      return this.walkUnsafe(v, depth);
    } catch {
      return '[Unserializable]';
    }
  }

  private walkUnsafe(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case 'string':
        return this.text(v);
      case 'boolean':
        this.budget -= 5;
        return v;
      case 'number':
        this.budget -= 8;
        return Number.isFinite(v) ? v : String(v);
      case 'bigint':
        return this.text(v.toString());
      case 'undefined':
      case 'function':
      case 'symbol':
        return SKIP;
    }
    this.budget -= 4;
    if (v === null) return null;
    const obj = v as object;
    if (this.ancestors.has(obj)) return '[Circular]';
    if (depth >= this.maxDepth) return TRUNCATED;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
    if (obj instanceof ArrayBuffer) return `[ArrayBuffer ${obj.byteLength} bytes]`;
    this.ancestors.add(obj);
    try {
      return this.container(obj, depth);
    } finally {
      this.ancestors.delete(obj);
    }
  }

  private text(s: string): string {
    const out = clipString(this.redactor ? this.redactor.text(s) : s, this.maxString);
    this.budget -= out.length + 2;
    return out;
  }

  private container(obj: object, depth: number): unknown {
    if (Array.isArray(obj)) return this.items(obj, obj.length, depth);
    if (obj instanceof Set) return this.items(obj, obj.size, depth);
    if (obj instanceof Map) {
      const out: Record<string, unknown> = {};
      let n = 0;
      for (const [k, x] of obj) {
        if (this.full(out, n, obj.size)) break;
        this.put(out, String(k), () => x, depth);
        n++;
      }
      return out;
    }
    if (isError(obj)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(errorFields(obj))) this.put(out, k, () => x, depth);
      this.keys(out, obj, Object.keys(obj), depth);
      if ('cause' in obj && obj.cause !== undefined) this.put(out, 'cause', () => obj.cause, depth);
      return out;
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const replaced: unknown = toJSON.call(obj);
      return replaced === obj ? '[Circular]' : this.walk(replaced, depth + 1);
    }
    const out: Record<string, unknown> = {};
    this.keys(out, obj, Object.keys(obj), depth);
    return out;
  }

  private keys(out: Record<string, unknown>, obj: object, keys: readonly string[], depth: number): void {
    for (let i = 0; i < keys.length; i++) {
      if (this.full(out, i, keys.length)) return;
      const k = keys[i]!;
      this.put(out, k, () => (obj as Record<string, unknown>)[k], depth);
    }
  }

  /** Whether to stop after `done` of `total` entries; if so, says how many were left out. */
  private full(out: Record<string, unknown>, done: number, total: number): boolean {
    if (done < this.maxKeys && this.budget > 0) return false;
    setOwn(out, '…', `${total - done} more keys`);
    return true;
  }

  private items(list: Iterable<unknown>, total: number, depth: number): unknown[] {
    const out: unknown[] = [];
    for (const x of list) {
      if (out.length >= this.maxKeys || this.budget <= 0) {
        out.push(`[… ${total - out.length} more items]`);
        break;
      }
      out.push(this.orNull(this.walk(x, depth + 1)));
    }
    return out;
  }

  private put(out: Record<string, unknown>, key: string, get: () => unknown, depth: number): void {
    this.budget -= key.length + 4;
    if (this.redactor?.isSecret(key)) {
      setOwn(out, key, this.redactor.censor);
      return;
    }
    let x: unknown;
    try {
      x = get(); // a getter may throw
    } catch {
      setOwn(out, key, '[Unserializable]');
      return;
    }
    const w = this.walk(x, depth + 1);
    if (w !== SKIP) setOwn(out, key, w);
  }

  private orNull(w: unknown): unknown {
    return w === SKIP ? null : w;
  }
}

/** `out[key] = v`, except that a "__proto__" key from parsed input stays a plain property. */
function setOwn(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  else out[key] = v;
}
