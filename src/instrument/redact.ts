/**
 * Which object keys hold secrets. A key is split into words (camelCase, snake_case, kebab-case,
 * spaces), and it is secret when its whole lowercased form, one of its words, or two adjacent words
 * joined is on the list:
 *
 *   "Authorization", "set-cookie", "db_password", "accessToken"  -> word match
 *   "apiKey", "x-api-key", "private_key", "creditCardNumber"     -> adjacent pair match
 *   "max_tokens", "tokenizer", "keyboard"                        -> not secret ("tokens" is not "token")
 *
 * Matching words rather than substrings keeps counts like `max_tokens` readable while catching the
 * usual spellings of a secret. Values are never inspected: a secret under an innocent key is not found.
 */

export const REDACTED = '[REDACTED]';

/** The one list of secret words, shared with the CLI's (src/render/redact.ts) through fixtures/secrets/keys.json. */
export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'jsessionid', 'sessionid',
  'password', 'passwd', 'passphrase', 'secret', 'token', 'jwt', 'bearer', 'credential', 'credentials',
  'apikey', 'privatekey', 'accesskey', 'secretkey', 'creditcard', 'cardnumber', 'ccnumber', 'cvv', 'cvc', 'ssn',
];

export interface RedactOptions {
  /** Extra keys (matched like the defaults) or patterns (tested against the raw key). */
  keys?: ReadonlyArray<string | RegExp>;
  /** Use only `keys`, not the defaults. */
  replaceDefaults?: boolean;
  /** Text that replaces a secret value; `[REDACTED]` by default. */
  censor?: string;
}

/** `false` turns redaction off; `true` or undefined means the defaults. */
export type RedactSetting = boolean | RedactOptions | undefined;

export interface Redactor {
  isSecret(key: string): boolean;
  censor: string;
}

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function normalizeListed(k: string): string {
  return k.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A redactor for a setting, or undefined when redaction is off. */
export function makeRedactor(setting: RedactSetting): Redactor | undefined {
  if (setting === false) return undefined;
  const opts: RedactOptions = setting === true || setting === undefined ? {} : setting;
  const words = new Set<string>(opts.replaceDefaults ? [] : DEFAULT_SECRET_KEYS);
  const patterns: RegExp[] = [];
  for (const k of opts.keys ?? []) {
    if (typeof k === 'string') words.add(normalizeListed(k));
    else patterns.push(k);
  }
  const cache = new Map<string, boolean>();
  const isSecret = (key: string): boolean => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const secret = matches(key, words, patterns);
    if (cache.size < 10_000) cache.set(key, secret); // keys repeat; a bounded cache is enough
    return secret;
  };
  return { isSecret, censor: opts.censor ?? REDACTED };
}

function matches(key: string, words: ReadonlySet<string>, patterns: readonly RegExp[]): boolean {
  for (const p of patterns) {
    p.lastIndex = 0;
    if (p.test(key)) return true;
  }
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
