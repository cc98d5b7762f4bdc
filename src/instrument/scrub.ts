/**
 * URLs as this library writes them: scheme, host, port and path, without the userinfo, query and
 * fragment, which carry credentials and tokens too often to log:
 *
 *   "fetch failed: https://user:PASS@api.example.com:8443/v1/charge?token=abc#x"
 *     -> "fetch failed: https://api.example.com:8443/v1/charge"
 *
 * A URL in free text (an error message, a stack) is found by its "://"; the scan is linear, whatever
 * the text.
 */

/** Longest scheme looked for before a "://". */
const MAX_SCHEME = 32;

/** `text` with every URL in it cut down to scheme, host, port and path. */
export function scrubUrls(text: string): string {
  let i = text.indexOf('://');
  if (i < 0) return text;
  let out = '';
  let from = 0;
  while (i >= 0) {
    let s = i;
    while (s > from && i - s < MAX_SCHEME && isSchemeChar(text.charCodeAt(s - 1))) s--;
    while (s < i && !isLetter(text.charCodeAt(s))) s++;
    let e = i + 3;
    while (e < text.length && !endsUrl(text.charCodeAt(e))) e++;
    if (s < i) {
      out += text.slice(from, s) + cleanUrl(text.slice(s, i), text.slice(i + 3, e));
      from = e;
    }
    i = text.indexOf('://', s < i ? e : i + 3);
  }
  return out + text.slice(from);
}

/** A URL (absolute, or anything else) to show: scrubbed, and cut at "?" or "#" when it has no scheme. */
export function displayUrl(raw: string): string {
  const scrubbed = scrubUrls(raw);
  if (scrubbed !== raw || raw.includes('://')) return scrubbed;
  const q = raw.search(/[?#]/);
  return q >= 0 ? raw.slice(0, q) : raw;
}

function cleanUrl(scheme: string, rest: string): string {
  let authorityEnd = rest.length;
  for (let k = 0; k < rest.length; k++) {
    const c = rest.charCodeAt(k);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */ || c === 0x5c /* \ */) {
      authorityEnd = k;
      break;
    }
  }
  const authority = rest.slice(0, authorityEnd);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  let pathEnd = rest.length;
  for (let k = authorityEnd; k < rest.length; k++) {
    const c = rest.charCodeAt(k);
    if (c === 0x3f || c === 0x23) {
      pathEnd = k;
      break;
    }
  }
  let path = rest.slice(authorityEnd, pathEnd);
  // A URL inside the path ("/redirect/https://u:p@h") would keep its credentials: the path stops there.
  const nested = path.indexOf('://');
  if (nested >= 0) path = `${path.slice(0, path.lastIndexOf('/', nested) + 1)}…`;
  return `${scheme}://${host}${path}`;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/** Where a URL in free text ends: white space, quotes and angle brackets. */
function endsUrl(c: number): boolean {
  return c <= 0x20 || c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e || c === 0x60 || c === 0x7f;
}
