import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../../src/instrument/index.js';
import { isSecretKey, redactObject, redactText } from '../../src/render/redact.js';

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

/** Text that is secret whatever its key: the CLI and the library show each case alike. */
const values = JSON.parse(readFileSync(new URL('../../fixtures/secrets/values.json', import.meta.url), 'utf8')) as { cases: [string, string][] };

describe('one rule for secret values', () => {
  it.each(values.cases)('%j', (raw, shown) => {
    expect([redactText(raw, true), library.text(raw)]).toEqual([shown, shown]);
  });
  it('--no-redact shows the text as written', () => {
    for (const [raw] of values.cases) expect(redactText(raw, false)).toBe(raw);
  });
  it('a string value inside attributes is redacted at any depth', () => {
    const shown = redactObject({ http: { url: 'https://u:pw12345@h/p?token=t0k3n' }, list: ['Bearer abcdefgh12'] }, true);
    expect(JSON.parse(JSON.stringify(shown))).toEqual({ http: { url: 'https://u:[REDACTED]@h/p?token=[REDACTED]' }, list: ['Bearer [REDACTED]'] });
  });
  it('scans hostile text in linear time: long runs of the patterns\' characters end', () => {
    const runs = ['a'.repeat(200_000) + '://' + 'b:'.repeat(50_000), '?'.repeat(100_000) + 'x'.repeat(100_000), 'eyJ' + 'a.'.repeat(100_000), 'bearer '.repeat(30_000)];
    for (const text of runs) expect(typeof redactText(text, true)).toBe('string');
  });
});
