/**
 * Secrets are shown as [REDACTED] in text and JSON output unless --no-redact: logs are pasted into tickets
 * and chat, and a bearer token in a screenshot is a leaked token. The values of secret-looking keys, and
 * secret-looking text in any string value (core/secrets.ts, the rule tracectl/instrument follows too).
 */
import { keyHasSecretWord, REDACTED, redactSecretValues, SECRET_WORDS } from '../core/secrets.js';

const SECRET_WORD_SET = new Set(SECRET_WORDS);

export { REDACTED };

/** Keys seen, with their answer: a log repeats a few keys; the cache stays bounded. */
const known = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let secret = known.get(key);
  if (secret === undefined) {
    secret = keyHasSecretWord(key, SECRET_WORD_SET);
    if (known.size < 10_000) known.set(key, secret);
  }
  return secret;
}

/** `text` with secret values (credentials, JWTs, URL passwords, secret `name=value` pairs) replaced. */
export function redactText(text: string, enabled: boolean): string {
  return enabled ? redactSecretValues(text, isSecretKey) : text;
}

/**
 * A copy with secret-looking keys' values, and secret text in strings, replaced at any depth (bounded:
 * attribute values can nest). `__proto__` keys are copied as plain data, never as prototypes.
 */
export function redactObject(value: unknown, enabled: boolean, maxDepth = 16): unknown {
  if (!enabled) return value;
  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactSecretValues(v, isSecretKey);
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
