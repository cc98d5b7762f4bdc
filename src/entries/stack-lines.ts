/** Lines and characters of a stack kept on one entry; what is past them is counted, not kept. */
export const MAX_STACK_LINES = 200;
export const MAX_STACK_CHARS = 32 * 1024;

/** Which lines continue a log line, shared with where sources are cut (input/continuation.ts). */
export { continuesStack } from '../input/continuation.js';

/**
 * The line of a stack trace that names what was thrown: Python's last (`httpx.ReadTimeout: timed out`,
 * after `Traceback (most recent call last):` and the frames), the JVM's and .NET's first
 * (`java.lang.IllegalStateException: boom`, then `\tat` frames); undefined when that line is blank.
 */
export function exceptionLine(stack: string): string | undefined {
  const lines = stack.trimEnd().split('\n');
  const line = (lines[0]!.startsWith('Traceback') ? lines[lines.length - 1]! : lines[0]!).trim();
  return line.length > 0 ? line : undefined;
}

/** A stack trace held in a field, kept within the bounds of a text line's stack. */
export function clipStack(stack: string): string {
  const lines = stack.trimEnd().split('\n');
  let chars = 0;
  let kept = 0;
  while (kept < lines.length && kept < MAX_STACK_LINES && chars + lines[kept]!.length <= MAX_STACK_CHARS) chars += lines[kept++]!.length + 1;
  return kept === lines.length ? lines.join('\n') : `${lines.slice(0, kept).join('\n')}\n… ${lines.length - kept} more lines`;
}
