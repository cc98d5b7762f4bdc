/**
 * Trace and span ids in W3C form: 128-bit trace ids (32 lowercase hex digits) and 64-bit span ids
 * (16 digits), from the operating system's CSPRNG. All zeros is the W3C "invalid" value, so it is
 * never returned (the chance is 2^-64 or less, but a loop is cheaper than an argument). The bytes are
 * taken from a pool filled 4 KiB at a time: one call into the CSPRNG per id cost more than the rest of
 * a span's recording.
 */
import { randomBytes } from 'node:crypto';

const ZEROS = /^0+$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

function randomHex(bytes: number): string {
  for (;;) {
    if (used + bytes > pool.length) {
      pool = randomBytes(POOL_BYTES);
      used = 0;
    }
    const hex = pool.toString('hex', used, used + bytes);
    used += bytes;
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
