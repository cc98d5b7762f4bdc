/**
 * Attribute keys that look secret are shown as [REDACTED] in text and JSON output unless --no-redact:
 * logs are pasted into tickets and chat, and a bearer token in a screenshot is a leaked token.
 */
// Separators between words vary by logger: api_key, api-key, api.key, apiKey, "api key".
const SECRET_KEY = /(authorization|cookie|passw(or)?d|passwd|secret|token|api[-_. ]?key|private[-_. ]?key|access[-_. ]?key|credit[-_. ]?card|card[-_. ]?number|cvv|ssn|session[-_. ]?id|client[-_. ]?secret|credential|bearer|jwt)/i;

export const REDACTED = '[REDACTED]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
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
