import { createRequire } from 'node:module';

/**
 * node:crypto adds ~2 MB to the resident memory of every run that loads it, and only export (hashed ids)
 * and report (the page's CSP hashes) need it: it is loaded on the first hash.
 */
const load = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | undefined;

/** The SHA-256 of `text` (UTF-8), as hex or base64. */
export function sha256(text: string, encoding: 'hex' | 'base64'): string {
  crypto ??= load('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(text, 'utf8').digest(encoding);
}
