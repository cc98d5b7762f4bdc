import { describe, expect, it } from 'vitest';
import { makeRedactor, safeStringify, toJsonSafe } from '../../src/instrument/index.js';

describe('safe JSON', () => {
  it('marks cycles, but keeps an object seen twice side by side', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    const shared = { x: 1 };
    expect(toJsonSafe({ a, left: shared, right: shared })).toEqual({
      a: { name: 'a', self: '[Circular]' },
      left: { x: 1 },
      right: { x: 1 },
    });
    const arr: unknown[] = [1];
    arr.push(arr);
    expect(toJsonSafe(arr)).toEqual([1, '[Circular]']);
  });

  it('writes BigInt as a decimal string', () => {
    expect(safeStringify({ id: 12345678901234567890n })).toBe('{"id":"12345678901234567890"}');
  });

  it('writes an Error as name, message, stack, own fields and cause', () => {
    const cause = new TypeError('inner');
    const err = Object.assign(new RangeError('outer', { cause }), { code: 'E_RANGE' });
    const out = toJsonSafe(err) as Record<string, unknown>;
    expect(out).toMatchObject({ name: 'RangeError', message: 'outer', code: 'E_RANGE' });
    expect(String(out.stack)).toContain('RangeError: outer');
    expect(out.cause).toMatchObject({ name: 'TypeError', message: 'inner' });
  });

  it('survives throwing getters, throwing toJSON and hostile proxies', () => {
    const getter = { get boom(): never { throw new Error('no'); }, ok: 1 };
    const badToJson = { toJSON(): never { throw new Error('no'); } };
    const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
    expect(toJsonSafe({ getter, badToJson, proxy })).toEqual({
      getter: { boom: '[Unserializable]', ok: 1 },
      badToJson: '[Unserializable]',
      proxy: '[Unserializable]',
    });
  });

  it('handles the rest of JavaScript', () => {
    const out = toJsonSafe({
      u: undefined, f: () => 1, s: Symbol('x'), arr: [undefined, () => 1], nan: NaN, inf: -Infinity,
      d: new Date(0), bad: new Date(NaN), m: new Map([['k', 1n]]), set: new Set([1, 2]), buf: Buffer.from('abc'),
    });
    expect(out).toEqual({
      arr: [null, null], nan: 'NaN', inf: '-Infinity', d: '1970-01-01T00:00:00.000Z', bad: 'Invalid Date',
      m: { k: '1' }, set: [1, 2], buf: '[Buffer 3 bytes]',
    });
  });

  it('truncates very deep data', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(safeStringify(root, { maxDepth: 3 })).toBe('{"next":{"next":{"next":"[Truncated]"}}}');
  });

  it('redacts at every depth, and keeps "__proto__" as data', () => {
    const redactor = makeRedactor(undefined);
    const out = toJsonSafe({ user: { name: 'a', password: 'hunter2', tokens: [{ apiKey: 'k' }] } }, { redactor });
    expect(out).toEqual({ user: { name: 'a', password: '[REDACTED]', tokens: [{ apiKey: '[REDACTED]' }] } });
    const parsed: unknown = JSON.parse('{"__proto__":{"polluted":true}}');
    const safe = toJsonSafe(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(safe)).toBe(Object.prototype);
    expect(JSON.stringify(safe)).toBe('{"__proto__":{"polluted":true}}');
  });
});
