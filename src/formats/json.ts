/**
 * Small guards for walking untrusted parsed JSON. Span files come from other tools and hand edits, so
 * every field may be missing, null or of the wrong type; these turn "wrong type" into "absent".
 */

import type { SpanEvent } from '../model/span.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, or a finite number written as a string (ids and names are sometimes numbers). */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A finite number, also from a numeric string (int64 fields are strings in protobuf JSON). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * A prototype-less object for attributes built from untrusted keys: a key named `__proto__` becomes an
 * ordinary own property instead of replacing the prototype.
 */
export function newAttributes(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/**
 * One shared, frozen empty attribute set. A null-prototype object lives in V8's dictionary mode, a few
 * hundred bytes even when empty; a trace of a million spans without tags should not pay that a million
 * times. Nothing writes into a span's attributes after reading (merges and shifts copy them).
 */
export const NO_ATTRIBUTES: Record<string, unknown> = Object.freeze(Object.create(null) as Record<string, unknown>);

/**
 * One shared, frozen empty event list, for the same reason: most span records carry no logs. Nothing
 * appends to a span's events after reading (merges and shifts copy the list); a push would throw.
 */
export const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];

/** The attribute set to keep on a span: the shared empty one when nothing was set. */
export function settledAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  for (const _ in attributes) return attributes;
  return NO_ATTRIBUTES;
}

/** How deep nested attribute values (kvlist, arrays, Jaeger/Zipkin objects) are followed before cutting. */
export const MAX_VALUE_DEPTH = 8;

/** Copy a plain JSON value with a depth bound, so a hostile nesting cannot blow the stack later. */
export function boundedCopy(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_VALUE_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => boundedCopy(v, depth + 1));
  const out = newAttributes();
  for (const [k, v] of Object.entries(value)) out[k] = boundedCopy(v, depth + 1);
  return out;
}
