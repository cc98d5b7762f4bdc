import { describe, expect, it } from 'vitest';
import { newTraceId, sampleByRatio } from '../../src/instrument/index.js';

describe('head sampling by trace id', () => {
  it('samples all at 1 and none at 0', () => {
    const id = newTraceId();
    expect(sampleByRatio(id, 1)).toBe(true);
    expect(sampleByRatio(id, 0)).toBe(false);
    expect(sampleByRatio(id, NaN)).toBe(false);
  });

  it('is deterministic per trace id, so every service agrees', () => {
    const id = newTraceId();
    const first = sampleByRatio(id, 0.5);
    for (let i = 0; i < 10; i++) expect(sampleByRatio(id, 0.5)).toBe(first);
    expect(sampleByRatio('0'.repeat(31) + '1', 0.001)).toBe(true);
    expect(sampleByRatio('f'.repeat(32), 0.999)).toBe(false);
  });

  it('keeps about the ratio', () => {
    const n = 20_000;
    let kept = 0;
    for (let i = 0; i < n; i++) if (sampleByRatio(newTraceId(), 0.25)) kept++;
    expect(kept / n).toBeGreaterThan(0.22);
    expect(kept / n).toBeLessThan(0.28);
  });
});
