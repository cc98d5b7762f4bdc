import { describe, expect, it } from 'vitest';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { plainPalette } from '../../src/render/palette.js';
import { renderTreeText, treeTextChunks } from '../../src/render/tree-text.js';

function sp(id: string, parent: string | undefined, start: number, end: number, o: { service?: string; op?: string; error?: boolean } = {}): Span {
  const s: Span = { traceId: 't1', spanId: id, service: o.service ?? 'db', operation: o.op ?? 'query', start, end, error: o.error ?? false, attributes: {}, events: [], origin: 'record' };
  if (parent !== undefined) s.parentSpanId = parent;
  return s;
}

// r  |----------------------------------------------|   api GET /orders, 0..1000
// q0..q8  |-| |-| ... nine similar leaves (a run that collapses)
// e                 |-----|                             an error, with a chain 26 deep under it
function sample(): Span[] {
  const spans = [sp('r', undefined, 0, 1000, { service: 'api', op: 'GET /orders' })];
  for (let i = 0; i < 9; i++) spans.push(sp(`q${i}`, 'r', 10 + i * 10, 15 + i * 10));
  spans.push(sp('e', 'r', 200, 300, { error: true }));
  let parent = 'e';
  for (let i = 0; i < 26; i++) {
    spans.push(sp(`c${i}`, parent, 210 + i, 290 - i, { service: 'svc', op: `step${i}` }));
    parent = `c${i}`;
  }
  return spans;
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trimEnd());

describe('tree text', () => {
  const tree = buildTree('t1', sample());

  it('collapses a long run of similar leaves, keeping the first two and the last', () => {
    const out = lines(renderTreeText(tree, { width: 200, palette: plainPalette }));
    expect(out[0]).toBe('t1  1ms  37 spans  3 services  1970-01-01T00:00:00.000Z');
    expect(out.slice(1, 6).map((l) => l.slice(0, 60).trimEnd())).toEqual([
      'api GET /orders',
      '├─ db query',
      '├─ db query',
      '├─ … 6 more db query (30µs in all; --expand shows them)',
      '├─ db query',
    ]);
    expect(out[6]).toMatch(/^└─ db query +100µs +\+200µs +█+ +✗ error$/);
    const expanded = lines(renderTreeText(tree, { width: 200, palette: plainPalette, expand: true }));
    expect(expanded.filter((l) => l.startsWith('├─ db query'))).toHaveLength(9);
  });

  it('stops indenting at depth 24 and says the depth instead', () => {
    const out = lines(renderTreeText(tree, { width: 200, palette: plainPalette }));
    const deep = out.filter((l) => /\[\d+\] svc/.test(l)).map((l) => l.trim().split(/ {2,}/)[0]);
    expect(deep).toEqual(['[25] svc step23', '[26] svc step24', '[27] svc step25']);
    // All three stand where the indentation stopped.
    expect(new Set(out.filter((l) => /\[\d+\] svc/.test(l)).map((l) => l.indexOf('[')))).toEqual(new Set([72]));
  });

  it('a run collapsed below depth 24 stands where the indentation stopped, without a branch', () => {
    const spans = sample();
    for (let i = 0; i < 9; i++) spans.push(sp(`z${i}`, 'c25', 230 + i, 231 + i, { service: 'cache', op: 'get' }));
    const out = lines(renderTreeText(buildTree('t1', spans), { width: 250, palette: plainPalette }));
    const run = out.find((l) => l.includes('… 6 more cache get'))!;
    expect(run.indexOf('…')).toBe(72);
    expect(run.slice(0, 72)).toMatch(/^[│ ]+$/);
    expect(out.filter((l) => /\[28\] cache get/.test(l))).toHaveLength(3); // the first two and the last, with their depth
  });

  it('cuts labels to the column and marks spans with hidden descendants under --depth', () => {
    const narrow = lines(renderTreeText(tree, { width: 60, palette: plainPalette }));
    expect(narrow.every((l) => l.length <= 60 + 40)).toBe(true);
    expect(narrow.some((l) => l.includes('…'))).toBe(true);
    const cut = lines(renderTreeText(tree, { width: 100, palette: plainPalette, depth: 1 }));
    expect(cut).toHaveLength(7 + 1); // header, root, 2 + collapsed + 1 leaves, the error; final newline
    expect(cut[6]).toMatch(/✗ error {2}\(\+26 below --depth\)$/);
  });

  it("marks each span by what it is: error, placeholder, missing parent; the others' rows carry no marker", () => {
    // Each label names one span, and labels repeat around them: a marker must follow its span, not its label.
    const spans = [sp('r', undefined, 0, 100, { service: 'api', op: 'GET /a' })];
    spans.push(sp('a', 'r', 10, 20, { service: 'db', op: 'q' }));
    spans.push(sp('b', 'r', 20, 30, { service: 'db', op: 'q', error: true }));
    const inferred = sp('c', 'r', 30, 40, { service: 'db', op: 'q' });
    inferred.inferred = true;
    spans.push(inferred, sp('d', 'gone', 40, 50, { service: 'db', op: 'q' }), sp('e', 'r', 50, 60, { service: 'db', op: 'q' }));
    const out = lines(renderTreeText(buildTree('t1', spans), { width: 120, palette: plainPalette }));
    const markerOf = (offset: string): string => {
      const row = out.find((l) => new RegExp(` \\+${offset} `).test(l))!;
      return row.slice(row.lastIndexOf('█') + 1).trim();
    };
    expect(markerOf('10µs')).toBe('');
    expect(markerOf('20µs')).toBe('✗ error');
    expect(markerOf('30µs')).toBe('~ inferred (lines without a span id)');
    expect(markerOf('40µs')).toBe('⚠ missing parent gone');
    expect(markerOf('50µs')).toBe('');
  });

  it('gives the same text in chunks as in one piece', () => {
    const chunks = [...treeTextChunks(tree, { width: 100, palette: plainPalette })];
    expect(Buffer.concat(chunks).toString('utf8')).toBe(renderTreeText(tree, { width: 100, palette: plainPalette }));
  });
});
