/** Lines and characters of a stack kept on one entry; what is past them is counted, not kept. */
export const MAX_STACK_LINES = 200;
export const MAX_STACK_CHARS = 32 * 1024;

const INDENTED = /^[ \t]+\S/;
const HEADERS = /^(?:Caused by: |Suppressed: |Wrapped by: |Traceback \(most recent call last\):|During handling of the above exception|The above exception was the direct cause|goroutine \d+ (?:gp=\S+ m=\S+ mp=\S+ )?\[|Exception in thread "|\.\.\. \d+ (?:more|common frames omitted))/;
/** A JVM exception's first line under a text log line (logback's %ex): `java.lang.IllegalStateException: boom`. */
const JAVA_EXCEPTION = /^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)\b/;
/** Python's last traceback line, `ValueError: boom`, not indented: only right after an indented frame. */
const PYTHON_LAST = /^[A-Za-z_][\w.]*(?::\s.*)?$/;

/**
 * Is a line that is not a record the continuation of the log line before it — a stack trace's frame or
 * header, as the JVM, Python, Go and .NET print them (shared/guide/LOGGERS.md §10)? `stack`: the lines
 * joined so far.
 */
export function continuesStack(line: string, stack: readonly string[]): boolean {
  if (INDENTED.test(line) || HEADERS.test(line) || JAVA_EXCEPTION.test(line)) return true;
  // Python's last line ends the traceback it follows.
  return stack.length > 1 && stack[0]!.startsWith('Traceback') && INDENTED.test(stack[stack.length - 1]!) && PYTHON_LAST.test(line);
}
