/**
 * Which object keys hold secrets, and which text in a string value is one: the rule of core/secrets.ts,
 * which the CLI's output follows too. Callers may add keys (matched like the defaults) or patterns.
 */
import { keyHasSecretWord, keyWords, normalizeKey, REDACTED, redactSecretValues, SECRET_WORDS } from '../core/secrets.js';

export { keyWords, REDACTED };

export const DEFAULT_SECRET_KEYS: readonly string[] = SECRET_WORDS;

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
  /** A string value with its secret text (credentials, JWTs, URL passwords, secret pairs) replaced. */
  text(value: string): string;
  censor: string;
}

/** A redactor for a setting, or undefined when redaction is off. */
export function makeRedactor(setting: RedactSetting): Redactor | undefined {
  if (setting === false) return undefined;
  const opts: RedactOptions = setting === true || setting === undefined ? {} : setting;
  const words = new Set<string>(opts.replaceDefaults ? [] : DEFAULT_SECRET_KEYS);
  const patterns: RegExp[] = [];
  for (const k of opts.keys ?? []) {
    if (typeof k === 'string') words.add(normalizeKey(k));
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
  const censor = opts.censor ?? REDACTED;
  return { isSecret, text: (value) => redactSecretValues(value, isSecret, censor), censor };
}

function matches(key: string, words: ReadonlySet<string>, patterns: readonly RegExp[]): boolean {
  for (const p of patterns) {
    p.lastIndex = 0;
    if (p.test(key)) return true;
  }
  return keyHasSecretWord(key, words);
}
