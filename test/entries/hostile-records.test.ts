import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FieldLookup, parseFieldOverride } from '../../src/entries/field-lookup.js';
import { EntryNormalizer } from '../../src/entries/normalize-entry.js';
import { readFixture, T0 } from './ingest-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-entries-'));
const file = (name: string, lines: string[]): string => {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
};
const T = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('hostile keys are plain data', () => {
  it('__proto__ / constructor / prototype keys neither pollute nor become roles', async () => {
    const path = file('proto.jsonl', [
      `{"__proto__":{"traceId":"${T}","polluted":true},"msg":"proto"}`,
      `{"constructor":{"prototype":{"polluted":true},"name":"svc"},"msg":"ctor","trace_id":"${T}"}`,
      `{"hasOwnProperty":"x","toString":"y","valueOf":1,"msg":"shadowing","traceId":"${T}"}`,
      `{"service":{"__proto__":{"name":"evil"}},"msg":"service object with a __proto__ key"}`,
    ]);
    const { byLine, stats } = await readFixture(path);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).traceId).toBeUndefined();
    expect(byLine.get(1)?.traceId).toBeUndefined(); // the role is not read through __proto__
    expect(byLine.get(1)?.message).toBe('proto');
    expect([byLine.get(2)?.traceId, byLine.get(2)?.service]).toEqual([T, undefined]);
    expect([byLine.get(3)?.traceId, byLine.get(3)?.message]).toEqual([T, 'shadowing']);
    expect(byLine.get(4)?.service).toBeUndefined();
    expect(stats.balanced).toBe(true);
  });

  it('a --field override naming __proto__ is harmless', () => {
    const n = new EntryNormalizer({ fieldOverrides: [parseFieldOverride('traceId=__proto__.id')] });
    const e = n.normalize(JSON.parse(`{"msg":"x","__proto__":{"id":"${T}"}}`) as Record<string, unknown>, 's', 1);
    expect(e.traceId).toBe(T); // read as the own key it is in the JSON
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });
});

describe('deep nesting', () => {
  it('10,000 levels, in a named field and an unnamed one, cost nothing and crash nothing', async () => {
    const deep = (key: string) => `{"${key}":`.repeat(10_000) + `"${T}"` + '}'.repeat(10_000);
    const path = file('deep.jsonl', [
      `{"msg":"deep unnamed","traceId":"${T}","payload":${deep('a')}}`,
      `{"msg":"deep under trie keys","trace":${deep('trace')},"attributes":${deep('attributes')},"req":{"headers":${deep('headers')}}}`,
      `{"msg":"deep error","level":"error","err":${deep('err')},"time":"2024-05-01T10:00:00Z"}`,
      `{"msg":"deep traceparent search","x":${deep('traceparent')}}`,
    ]);
    const started = Date.now();
    const { byLine, stats } = await readFixture(path);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(byLine.get(1)?.traceId).toBe(T);
    expect(byLine.get(2)?.traceId).toBeUndefined();
    expect([byLine.get(3)?.error, byLine.get(3)?.errorMessage, byLine.get(3)?.time]).toEqual([true, 'deep error', T0]);
    expect(byLine.get(4)?.traceId).toBeUndefined();
    expect(stats.read).toBe(4);
    expect(stats.balanced).toBe(true);
  });

  it('a long message is clipped', () => {
    const e = new EntryNormalizer().normalize({ msg: 'x'.repeat(100_000) }, 's', 1);
    expect(e.message?.length).toBe(4097);
  });
});

describe('--field ROLE=PATH', () => {
  it('parses and refuses', () => {
    expect(parseFieldOverride('traceId=ctx.tid')).toEqual({ role: 'traceId', path: 'ctx.tid', how: 'plain' });
    expect(() => parseFieldOverride('traceId')).toThrow(/ROLE=PATH/);
    expect(() => parseFieldOverride('=x')).toThrow(/ROLE=PATH/);
    expect(() => parseFieldOverride('traceId=')).toThrow(/ROLE=PATH/);
    expect(() => parseFieldOverride('colour=x')).toThrow(/unknown role 'colour'/);
  });

  it('an override comes first for its role, in dotted and nested form alike', async () => {
    const path = file('override.jsonl', [
      `{"msg":"a","ctx":{"tid":"0af7651916cd43dd8448eb211c80319c"},"traceId":"${T}","svc":"billing","service":"ignored"}`,
      `{"msg":"b","ctx.tid":"0af7651916cd43dd8448eb211c80319c","traceId":"${T}"}`,
      `{"msg":"c","traceId":"${T}","when":"2024-05-01T10:00:01Z","time":"2024-05-01T10:00:00Z"}`,
    ]);
    const fieldOverrides = ['traceId=ctx.tid', 'service=svc', 'time=when'].map(parseFieldOverride);
    const { byLine } = await readFixture(path, { normalize: { fieldOverrides } });
    expect([byLine.get(1)?.traceId, byLine.get(1)?.service]).toEqual(['0af7651916cd43dd8448eb211c80319c', 'billing']);
    expect(byLine.get(2)?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect([byLine.get(3)?.traceId, byLine.get(3)?.time]).toEqual([T, T0 + 1_000_000]); // falls back to the table
    expect(new FieldLookup([parseFieldOverride('traceId=ctx.tid')])).toBeInstanceOf(FieldLookup);
  });

  it('timeUnit overrides the magnitude guess', async () => {
    const path = file('unit.jsonl', ['{"msg":"a","ts":1714557600123}', '{"msg":"b","ts":"1714557600123456"}']);
    const { byLine } = await readFixture(path, { normalize: { timeUnit: 'us' } });
    expect(byLine.get(1)?.time).toBe(1714557600123);
    expect(byLine.get(2)?.time).toBe(T0 + 123456);
  });
});
