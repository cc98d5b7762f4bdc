/**
 * What counts as a secret in log data. One rule for the CLI's output (render/redact.ts) and for
 * tracectl/instrument (instrument/redact.ts); both are held to the tables in fixtures/secrets/.
 *
 * Keys: a key is split into words (camelCase, snake_case, kebab-case, dots, spaces) and is secret when its
 * whole form, one word, or two adjacent words joined is listed:
 *
 *   "Authorization", "set-cookie", "db_password", "accessToken"  -> a word is listed
 *   "apiKey", "x-api-key", "private_key", "creditCardNumber"     -> two adjacent words joined are listed
 *   "max_tokens", "tokenizer", "keyboard"                        -> kept ("tokens" is not "token")
 *
 * Matching words rather than substrings keeps counts like `max_tokens` readable while catching the usual
 * spellings of a secret.
 *
 * Values: some text is a secret whatever key holds it, and is cut out of any string (a message, an error,
 * an attribute value, an operation name):
 *
 *   "Authorization: Bearer abc.def-123"       -> "Authorization: Bearer [REDACTED]"   (also Basic, Digest…)
 *   "eyJhbGciOi….eyJzdWIi….sig"               -> "[REDACTED]"                          (a JWT)
 *   "https://bob:hunter2@db.example/x"         -> "https://bob:[REDACTED]@db.example/x"
 *   "GET /reset?token=abc&lang=en"            -> "GET /reset?token=[REDACTED]&lang=en" (a secret key's value)
 *   "login failed password=hunter2"           -> "login failed password=[REDACTED]"
 *
 * Every scan is linear in the text: each pattern's quantifiers are bounded or cannot overlap.
 */

export const REDACTED = '[REDACTED]';

/** Words (lowercase, separators removed) that make a key secret. */
export const SECRET_WORDS: readonly string[] = [
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'jsessionid', 'sessionid',
  'password', 'passwd', 'passphrase', 'secret', 'token', 'jwt', 'bearer', 'credential', 'credentials',
  'apikey', 'privatekey', 'accesskey', 'secretkey', 'creditcard', 'cardnumber', 'ccnumber', 'cvv', 'cvc', 'ssn',
];

/** Query parameters that carry a credential although their name is not a secret key elsewhere. */
const SECRET_QUERY_KEYS = new Set(['key', 'sig', 'signature', 'xamzsignature', 'xamzcredential', 'xamzsecuritytoken', 'xgoogsignature', 'xgoogcredential', 'code']);

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A listed key in the form `words` holds: lowercase, separators removed. */
export function normalizeKey(k: string): string {
  return k.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether `key` is secret by the word rule over `words` (normalized, see normalizeKey). */
export function keyHasSecretWord(key: string, words: ReadonlySet<string>): boolean {
  if (words.size === 0) return false;
  const parts = keyWords(key);
  if (words.has(parts.join(''))) return true;
  for (let i = 0; i < parts.length; i++) {
    const w = parts[i]!;
    if (words.has(w)) return true;
    const next = parts[i + 1];
    if (next !== undefined && words.has(w + next)) return true;
  }
  return false;
}

// An HTTP credential: the scheme, then a token of at least 8 characters that is not a plain lowercase
// word ("Basic authentication failed" stays).
const AUTH_SCHEME = /\b(bearer|basic|digest|negotiate)([ \t]+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
// A JWT: base64url header and payload (the header always opens with `{"`, which encodes as "eyJ"), and a signature.
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// Userinfo in a URL: scheme "://" user ":" password "@". Bounded parts keep the scan linear.
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)([^\s/?#@:]{0,256}):([^\s/?#@]{1,256})@/g;
// A `name=value` pair: in a query string, logfmt-like text or a form body.
const PAIR = /(^|[\s?&;,{(])([A-Za-z][A-Za-z0-9_.-]{0,63})=("?)([^&#\s"',;)}]+)/g;

/**
 * `text` with its secret values replaced by `censor`; `isSecretKey` decides a `name=value` pair (a query
 * parameter named like `sig` or `key` is secret too).
 */
export function redactSecretValues(text: string, isSecretKey: (key: string) => boolean, censor = REDACTED): string {
  if (text.length < 8) return text;
  let out = text;
  if (/bearer|basic|digest|negotiate/i.test(out)) {
    out = out.replace(AUTH_SCHEME, (whole: string, scheme: string, gap: string, token: string) => (/^[a-z]+$/.test(token) ? whole : scheme + gap + censor));
  }
  if (out.includes('eyJ')) out = out.replace(JWT, censor);
  if (out.includes('://')) out = out.replace(URL_USERINFO, (_w: string, scheme: string, user: string) => `${scheme}${user}:${censor}@`);
  if (out.includes('=')) {
    out = out.replace(PAIR, (whole: string, before: string, key: string, quote: string, value: string) => {
      if (value === censor) return whole;
      const secret = isSecretKey(key) || (before !== '' && '?&;'.includes(before) && SECRET_QUERY_KEYS.has(normalizeKey(key)));
      return secret ? `${before}${key}=${quote}${censor}` : whole;
    });
  }
  return out;
}
