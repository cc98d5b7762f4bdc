import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../../src/instrument/index.js';
import { isSecretKey } from '../../src/render/redact.js';

/** The CLI and tracectl/instrument agree on every key of the one table (issue 29, item 5). */
const table = JSON.parse(readFileSync(new URL('../../fixtures/secrets/keys.json', import.meta.url), 'utf8')) as { secret: string[]; kept: string[] };
const library = makeRedactor(undefined)!;

describe('one secret rule', () => {
  it.each(table.secret)('%j is secret to both', (key) => {
    expect([isSecretKey(key), library.isSecret(key)]).toEqual([true, true]);
  });
  it.each(table.kept)('%j is kept by both', (key) => {
    expect([isSecretKey(key), library.isSecret(key)]).toEqual([false, false]);
  });
});
