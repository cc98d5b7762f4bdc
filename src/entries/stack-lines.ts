/** Lines and characters of a stack kept on one entry; what is past them is counted, not kept. */
export const MAX_STACK_LINES = 200;
export const MAX_STACK_CHARS = 32 * 1024;

/** Which lines continue a log line, shared with where sources are cut (input/continuation.ts). */
export { continuesStack } from '../input/continuation.js';
