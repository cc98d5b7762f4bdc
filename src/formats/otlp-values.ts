import { asArray, asString, isObject, MAX_VALUE_DEPTH, newAttributes } from './json.js';

/**
 * OTLP `AnyValue` to a plain value. `intValue` is an int64 written as a string; it becomes a number only
 * when that is exact, otherwise it stays a string so large ids and counters are not silently rounded.
 * kvlist and array values nest, so the walk stops at MAX_VALUE_DEPTH.
 */
export function anyValueToPlain(value: unknown, depth = 0): unknown {
  if (!isObject(value)) return undefined;
  if (depth >= MAX_VALUE_DEPTH) return '[nested too deep]';
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return int64(value.intValue);
  if ('doubleValue' in value) return typeof value.doubleValue === 'string' ? Number(value.doubleValue) : value.doubleValue;
  if ('bytesValue' in value) return value.bytesValue;
  if ('arrayValue' in value) {
    const values = isObject(value.arrayValue) ? asArray(value.arrayValue.values) : [];
    return values.map((v) => anyValueToPlain(v, depth + 1));
  }
  if ('kvlistValue' in value) {
    return isObject(value.kvlistValue) ? attributesToObject(value.kvlistValue.values, depth + 1) : newAttributes();
  }
  return undefined;
}

function int64(raw: unknown): unknown {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : raw;
  }
  return raw;
}

/** `[{key, value: AnyValue}]` to a prototype-less object; entries without a string key are dropped. */
export function attributesToObject(list: unknown, depth = 0, into = newAttributes()): Record<string, unknown> {
  for (const kv of asArray(list)) {
    if (!isObject(kv)) continue;
    const key = asString(kv.key);
    if (key === undefined) continue;
    into[key] = anyValueToPlain(kv.value, depth);
  }
  return into;
}

/** The first string-valued attribute among `keys`. */
export function pickString(attributes: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = attributes[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

export const HOST_KEYS = ['host.name', 'service.instance.id', 'k8s.pod.name'] as const;
