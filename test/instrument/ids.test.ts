import { describe, expect, it } from 'vitest';
import { isValidSpanId, isValidTraceId, newSpanId, newTraceId } from '../../src/instrument/index.js';

describe('ids', () => {
  it('makes 128-bit trace ids and 64-bit span ids as lowercase hex, all distinct', () => {
    const traces = new Set(Array.from({ length: 1000 }, newTraceId));
    const spans = new Set(Array.from({ length: 1000 }, newSpanId));
    expect(traces.size).toBe(1000);
    expect(spans.size).toBe(1000);
    for (const t of traces) expect(t).toMatch(/^[0-9a-f]{32}$/);
    for (const s of spans) expect(s).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['4bf92f3577b34da6a3ce929d0e0e4736', true],
    ['0'.repeat(32), false],
    ['4BF92F3577B34DA6A3CE929D0E0E4736', false], // we only ever emit lowercase
    ['4bf92f3577b34da6', false],
    [42, false],
  ])('isValidTraceId(%j) is %s', (id, ok) => {
    expect(isValidTraceId(id)).toBe(ok);
  });

  it.each([
    ['00f067aa0ba902b7', true],
    ['0000000000000000', false],
    ['00f067aa0ba902b', false],
    ['00f067aa0ba902bz', false],
  ])('isValidSpanId(%j) is %s', (id, ok) => {
    expect(isValidSpanId(id)).toBe(ok);
  });
});
