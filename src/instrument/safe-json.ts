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
 * Keys a redactor calls secret have their values replaced, at every depth.
 */
import type { Redactor } from './redact.js';

export interface SafeJsonOptions {
  redactor?: Redactor | undefined;
  maxDepth?: number;
}

const SKIP = Symbol('skip');
const DEFAULT_MAX_DEPTH = 10;

/** A JSON-safe copy of `value`. Never throws. */
export function toJsonSafe(value: unknown, opts: SafeJsonOptions = {}): unknown {
  const walker = new Walker(opts.redactor, opts.maxDepth ?? DEFAULT_MAX_DEPTH);
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

/** An Error's useful fields; the non-enumerable name, message and stack first. */
export function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  if (err.stack !== undefined) out.stack = err.stack;
  return out;
}

class Walker {
  private readonly ancestors = new Set<object>();

  constructor(
    private readonly redactor: Redactor | undefined,
    private readonly maxDepth: number,
  ) {}

  walk(v: unknown, depth: number): unknown {
    try {
      return this.walkUnsafe(v, depth);
    } catch {
      return '[Unserializable]';
    }
  }

  private walkUnsafe(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'bigint':
        return v.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return SKIP;
    }
    if (v === null) return null;
    const obj = v as object;
    if (this.ancestors.has(obj)) return '[Circular]';
    if (depth >= this.maxDepth) return '[Truncated]';
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

  private container(obj: object, depth: number): unknown {
    if (Array.isArray(obj)) {
      return obj.map((x) => {
        const w = this.walk(x, depth + 1);
        return w === SKIP ? null : w;
      });
    }
    if (obj instanceof Set) return [...obj].map((x) => this.orNull(this.walk(x, depth + 1)));
    if (obj instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of obj) this.put(out, String(k), () => x, depth);
      return out;
    }
    if (obj instanceof Error) {
      const out: Record<string, unknown> = {};
      Object.assign(out, errorFields(obj));
      for (const k of Object.keys(obj)) this.put(out, k, () => (obj as unknown as Record<string, unknown>)[k], depth);
      if ('cause' in obj && obj.cause !== undefined) this.put(out, 'cause', () => obj.cause, depth);
      return out;
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const replaced: unknown = toJSON.call(obj);
      return replaced === obj ? '[Circular]' : this.walk(replaced, depth + 1);
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) this.put(out, k, () => (obj as Record<string, unknown>)[k], depth);
    return out;
  }

  private put(out: Record<string, unknown>, key: string, get: () => unknown, depth: number): void {
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
