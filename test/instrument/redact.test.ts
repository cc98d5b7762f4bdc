import { describe, expect, it } from 'vitest';
import { makeRedactor, REDACTED } from '../../src/instrument/index.js';
import { keyWords } from '../../src/instrument/redact.js';

describe('redaction of secret-looking keys', () => {
  const r = makeRedactor(undefined)!;

  it.each([
    'authorization', 'Authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'Set-Cookie',
    'password', 'db_password', 'passwordHash', 'passwd', 'secret', 'client_secret', 'clientSecret',
    'token', 'accessToken', 'refresh_token', 'GITHUB_TOKEN', 'api key', 'api_key', 'apiKey', 'apikey',
    'X-API-Key', 'private_key', 'privateKey', 'credit_card', 'creditCardNumber', 'card_number', 'cvv', 'jwt',
  ])('redacts %j', (key) => {
    expect(r.isSecret(key)).toBe(true);
  });

  it.each(['max_tokens', 'tokenizer', 'keyboard', 'author', 'items', 'userId', 'traceId', 'spanId', 'monkey', 'secretary'])(
    'keeps %j',
    (key) => {
      expect(r.isSecret(key)).toBe(false);
    },
  );

  it('splits keys into words', () => {
    expect(keyWords('creditCardNumber')).toEqual(['credit', 'card', 'number']);
    expect(keyWords('X-API-Key')).toEqual(['x', 'api', 'key']);
    expect(keyWords('HTTPSProxy')).toEqual(['https', 'proxy']);
  });

  it('is configurable: extra keys, patterns, own list, censor, off', () => {
    const extra = makeRedactor({ keys: ['ssn_hash', /^x-internal-/i], censor: '***' })!;
    expect(extra.isSecret('ssnHash')).toBe(true);
    expect(extra.isSecret('X-Internal-Route')).toBe(true);
    expect(extra.isSecret('password')).toBe(true);
    expect(extra.censor).toBe('***');
    const own = makeRedactor({ keys: ['email'], replaceDefaults: true })!;
    expect(own.isSecret('password')).toBe(false);
    expect(own.isSecret('user_email')).toBe(true);
    expect(makeRedactor(false)).toBeUndefined();
    expect(makeRedactor(true)!.censor).toBe(REDACTED);
  });
});
