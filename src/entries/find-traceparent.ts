import { parseTraceparent, type ParsedTraceparent } from './parse-ids.js';

const MAX_DEPTH = 6;
const MAX_KEYS = 256;

/**
 * A `traceparent` header anywhere in a record (any case, any nesting, any key that ends in it, such as
 * nginx's `http_traceparent`), for records whose trace id is in
 * no field the conventions name. Bounded in depth and keys visited, iterative, so hostile nesting cannot
 * make it slow or overflow the stack.
 */
export function findTraceparentDeep(record: Record<string, unknown>): ParsedTraceparent | undefined {
  const stack: { obj: Record<string, unknown>; depth: number }[] = [{ obj: record, depth: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const { obj, depth } = stack.pop()!;
    for (const key in obj) {
      if (++visited > MAX_KEYS) return undefined;
      const value = obj[key];
      // Go's http.Header, as Caddy logs it, holds each header as an array of its values.
      const text = typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? (value[0] as string) : undefined;
      if (text !== undefined && key.length >= 11 && key.length <= 64 && key.toLowerCase().endsWith('traceparent')) {
        const tp = parseTraceparent(text);
        if (tp) return tp;
      }
      if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
        stack.push({ obj: value as Record<string, unknown>, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
