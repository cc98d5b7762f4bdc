/**
 * Trace and span ids in W3C form: 128-bit trace ids (32 lowercase hex digits) and 64-bit span ids
 * (16 digits), from the operating system's CSPRNG. All zeros is the W3C "invalid" value, so it is
 * never returned (the chance is 2^-64 or less, but a loop is cheaper than an argument).
 */
import { randomBytes } from 'node:crypto';

const ZEROS = /^0+$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function randomHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!ZEROS.test(hex)) return hex;
  }
}

export function newTraceId(): string {
  return randomHex(16);
}

export function newSpanId(): string {
  return randomHex(8);
}

/** A trace id as this library emits it: 32 lowercase hex digits, not all zeros. */
export function isValidTraceId(id: unknown): id is string {
  return typeof id === 'string' && TRACE_ID.test(id) && !ZEROS.test(id);
}

/** A span id as this library emits it: 16 lowercase hex digits, not all zeros. */
export function isValidSpanId(id: unknown): id is string {
  return typeof id === 'string' && SPAN_ID.test(id) && !ZEROS.test(id);
}
