/**
 * zap's console encoder (its development config) as a record:
 *
 *   2026-12-07T03:00:00.123Z	INFO	checkout	api/handler.go:42	request done	{"trace_id": "4bf9…", "latency": "1.5ms"}
 *
 * uber-go/zap `zapcore/console_encoder.go`: time (ISO 8601 with ms, `Z0700`), level (capitals), the
 * logger's name and the caller when there are, the message, then the fields as one JSON object (the JSON
 * encoder, spaced), each part after a tab. Read only with that JSON tail, which holds the ids: the head
 * becomes `time`, `level`, `logger`, `caller` and `msg` beside the tail's fields, so the role table reads
 * the line as it reads zap's JSON. Undefined for anything else (the tail not JSON, no such head).
 */
const HEAD = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)\t(DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\t/;
const CALLER = /^\S+:\d+$/;
/** time, level, at most logger and caller, the message, the fields. */
const MAX_PARTS = 6;

export function parseZapConsole(line: string): Record<string, unknown> | undefined {
  if (line.charCodeAt(line.length - 1) !== 0x7d /* } */) return undefined;
  const head = HEAD.exec(line);
  if (head === null) return undefined;
  const open = line.lastIndexOf('\t{');
  if (open < head[0].length - 1) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(line.slice(open + 1));
  } catch {
    return undefined;
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return undefined;
  const middle = line.slice(head[0].length, open).split('\t');
  if (middle.length > MAX_PARTS - 3) return undefined;
  const record = fields as Record<string, unknown>;
  record.time = line.slice(0, line.indexOf('\t'));
  record.level = head[1];
  record.msg = middle.pop();
  const caller = middle.length > 0 && CALLER.test(middle[middle.length - 1]!) ? middle.pop() : undefined;
  if (caller !== undefined) record.caller = caller;
  if (middle.length === 1) record.logger = middle[0];
  else if (middle.length > 1) return undefined;
  return record;
}
