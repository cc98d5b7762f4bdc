import { describe, expect, it } from 'vitest';
import { resolveTraceId } from '../../src/model/resolve-trace-id.js';

const ids = ['4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4737', '4bf9aaaa', '00f067aa0ba902b7', 'Req-42', 'req-42'];

describe('resolveTraceId', () => {
  it.each([
    { query: '4bf92f3577b34da6a3ce929d0e0e4736', want: { kind: 'found', id: '4bf92f3577b34da6a3ce929d0e0e4736' } },
    { query: '00f0', want: { kind: 'found', id: '00f067aa0ba902b7' } },
    { query: '00F0', want: { kind: 'found', id: '00f067aa0ba902b7' } },
    { query: '  00f0\n', want: { kind: 'found', id: '00f067aa0ba902b7' } },
    { query: '4bf9a', want: { kind: 'found', id: '4bf9aaaa' } },
    { query: 'Req-42', want: { kind: 'found', id: 'Req-42' } }, // exact beats the other case
    { query: 'REQ-42', want: { kind: 'ambiguous', candidates: ['Req-42', 'req-42'], count: 2 } },
    { query: '4bf9', want: { kind: 'ambiguous', candidates: ['4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4737', '4bf9aaaa'], count: 3 } },
    { query: 'ffff', want: { kind: 'none' } },
    { query: '', want: { kind: 'none' } },
  ])('$query', ({ query, want }) => {
    expect(resolveTraceId(query, ids)).toEqual(want);
  });

  it('an exact id wins even when it is a prefix of others', () => {
    expect(resolveTraceId('abc', ['abcd', 'abc', 'abce'])).toEqual({ kind: 'found', id: 'abc' });
    expect(resolveTraceId('ABC', ['abcd', 'abc', 'abce'])).toEqual({ kind: 'found', id: 'abc' });
  });

  it('lists at most 10 sorted candidates, with the full count, and ignores repeated ids', () => {
    const many = Array.from({ length: 25 }, (_, i) => `a${String(24 - i).padStart(2, '0')}`);
    const r = resolveTraceId('a', [...many, ...many]);
    expect(r).toEqual({ kind: 'ambiguous', candidates: many.slice().sort().slice(0, 10), count: 25 });
    expect(resolveTraceId('a00', [...many, 'a00'])).toEqual({ kind: 'found', id: 'a00' });
  });
});
