import { describe, expect, it } from 'vitest';
import { CUT_KEY, extraFields, MAX_FIELD_BYTES, MAX_FIELDS } from '../../src/entries/extra-fields.js';

describe('a line\'s other fields', () => {
  it('leave out the fields that took a role, flatten objects to dotted keys, keep arrays whole', () => {
    const record = { time: 't', msg: 'm', trace_id: 'x', customer_id: 'cus_1', req: { method: 'GET', headers: { host: 'h' } }, tags: ['a', 1], ok: true, none: null };
    expect(extraFields(record, new Set(['time', 'msg', 'trace_id', 'req.method']))).toEqual({ customer_id: 'cus_1', 'req.headers.host': 'h', tags: '["a",1]', ok: true, none: null });
  });

  it('an object a role was read from keeps its other members (pino err: stack, code)', () => {
    const record = { err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x', code: 'E1' } };
    expect(extraFields(record, new Set(['err']))).toEqual({ 'err.stack': 'Error: boom\n    at x', 'err.code': 'E1' });
  });

  it(`are bounded: at most ${MAX_FIELDS} fields and ${MAX_FIELD_BYTES} characters, the rest counted in one marker`, () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const f = extraFields(many, new Set())!;
    expect(Object.keys(f)).toHaveLength(MAX_FIELDS + 1);
    expect(f[CUT_KEY]).toBe('+8 fields');
    const big = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`v${i}`, 'x'.repeat(2000)]));
    const g = extraFields(big, new Set())!;
    const chars = Object.entries(g).filter(([k]) => k !== CUT_KEY).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
    expect(chars).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(g.v0).toMatch(/^x{511}…$/); // a value is cut at 512 characters
    expect(g[CUT_KEY]).toMatch(/^\+\d+ fields$/);
  });

  it('__proto__ is a key like any other, and nothing is polluted', () => {
    const record = JSON.parse('{"__proto__":{"polluted":1},"a":{"__proto__":"x"}}') as Record<string, unknown>;
    const f = extraFields(record, new Set())!;
    expect(Object.keys(f)).toEqual(['__proto__.polluted', 'a.__proto__']);
    expect(Object.getPrototypeOf(f)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('nesting past 8 levels is one JSON value, and a deep record cannot overflow the stack', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const f = extraFields({ deep }, new Set())!;
    const [key] = Object.keys(f);
    expect(key).toBe('deep' + '.d'.repeat(8));
  });
});
