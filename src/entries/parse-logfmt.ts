/** Pairs kept from one logfmt line: a hostile line cannot make a record of thousands of keys. */
const MAX_PAIRS = 128;

/**
 * A logfmt line (`ts=2025-03-14T09:25:01Z level=info msg="request done" trace_id=4bf9… dur=12ms`) as a
 * record of strings, as go-logfmt, logrus's and slog's text handlers write it: values bare or quoted with
 * Go's escapes (\" \\ \n \t \r, \uXXXX), a bare key is `true`, dotted keys stay flat (the role table reads
 * "trace.id" either way). Undefined unless it starts with `key=` and holds two pairs at least, so prose
 * with an `=` in it is not taken for a record.
 */
export function parseLogfmt(line: string): Record<string, unknown> | undefined {
  const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let pairs = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) <= 0x20) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line.charCodeAt(i) > 0x20 && line[i] !== '=' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    if (key.length === 0) return undefined; // a quote or '=' where a key should start
    if (line[i] !== '=') {
      if (pairs === 0) return undefined;
      if (i < n && line.charCodeAt(i) > 0x20) return undefined;
      if (pairs < MAX_PAIRS) record[key] = true;
      continue;
    }
    i++; // '='
    let value: string;
    if (line[i] === '"') {
      const q = readQuoted(line, i);
      if (q === undefined) return undefined;
      value = q.value;
      i = q.end;
      if (i < n && line.charCodeAt(i) > 0x20) return undefined;
    } else {
      const from = i;
      while (i < n && line.charCodeAt(i) > 0x20) i++;
      value = line.slice(from, i);
    }
    if (++pairs <= MAX_PAIRS && !(key in record)) record[key] = value;
  }
  return pairs >= 2 ? { ...record } : undefined;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', '/': '/' };

function readQuoted(line: string, at: number): { value: string; end: number } | undefined {
  let out = '';
  let i = at + 1;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const e = line[i + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(line.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        i += 2;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return undefined; // unterminated
}
