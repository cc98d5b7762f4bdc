/**
 * Attribute keys that look secret are shown as [REDACTED] in text and JSON output unless --no-redact:
 * logs are pasted into tickets and chat, and a bearer token in a screenshot is a leaked token.
 *
 * The rule is tracectl/instrument's (src/instrument/redact.ts, which imports nothing from here and is
 * imported by nothing here): a key is split into words (camelCase, snake_case, kebab-case, dots,
 * spaces) and is secret when its whole form, one word, or two adjacent words joined is listed —
 * `db_password`, `X-API-Key`, `aws_access_key_id` are; `max_tokens`, `secretary`, `keyboard` are not.
 * Both are held to one table of cases, fixtures/secrets/keys.json.
 */
const SECRET_WORDS = new Set([
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'jsessionid', 'sessionid',
  'password', 'passwd', 'passphrase', 'secret', 'token', 'jwt', 'bearer', 'credential', 'credentials',
  'apikey', 'privatekey', 'accesskey', 'secretkey', 'creditcard', 'cardnumber', 'ccnumber', 'cvv', 'cvc', 'ssn',
]);

export const REDACTED = '[REDACTED]';

/** Keys seen, with their answer: a log repeats a few keys; the cache stays bounded. */
const known = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let secret = known.get(key);
  if (secret === undefined) {
    const words = key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 0);
    secret = SECRET_WORDS.has(words.join('')) || words.some((w, i) => SECRET_WORDS.has(w) || (i + 1 < words.length && SECRET_WORDS.has(w + words[i + 1]!)));
    if (known.size < 10_000) known.set(key, secret);
  }
  return secret;
}

/**
 * A copy with secret-looking keys' values replaced, at any depth (bounded, iterative: attribute values
 * can nest). `__proto__` keys are copied as plain data, never as prototypes.
 */
export function redactObject(value: unknown, enabled: boolean, maxDepth = 16): unknown {
  if (!enabled || value === null || typeof value !== 'object') return value;
  const copy = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) return '[…]';
    if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) {
      Object.defineProperty(out, k, {
        value: isSecretKey(k) ? REDACTED : copy((v as Record<string, unknown>)[k], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return copy(value, 0);
}
