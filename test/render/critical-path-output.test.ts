import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/analyze/critical-path.js';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { plainPalette } from '../../src/render/palette.js';
import { ALL_SPANS_UP_TO, criticalPathJsonChunks, renderCriticalPathText } from '../../src/render/critical-path-output.js';
import { isoMicros } from '../../src/render/format.js';
import { stringifyJson } from '../../src/render/json-text.js';

function sp(id: string, parent: string | undefined, start: number, end: number): Span {
  const s: Span = { traceId: 't1', spanId: id, service: 'svc', operation: `op-${id}`, start, end, error: false, attributes: {}, events: [], origin: 'record' };
  if (parent !== undefined) s.parentSpanId = parent;
  return s;
}

describe('critical path text of a large trace', () => {
  // r |------------------------------------------------------|  0..100,000
  //     a chain 30 deep under r, and 3,000 short leaves beside it (off the path)
  const spans = [sp('r', undefined, 0, 100_000)];
  let parent = 'r';
  for (let i = 0; i < 30; i++) {
    spans.push(sp(`c${i}`, parent, 1000 + i, 90_000 - i));
    parent = `c${i}`;
  }
  for (let i = 0; i < 3000; i++) spans.push(sp(`l${i}`, 'r', 10 * i, 10 * i + 1));
  const tree = buildTree('t1', spans);
  const cp = criticalPath(tree);
  const o = { width: 120, tableWidth: 120, palette: plainPalette };

  it('names the node of each span on the path, in first-appearance order', () => {
    expect(tree.nodes.length).toBeGreaterThan(ALL_SPANS_UP_TO);
    expect(cp.pathIndices?.map((k) => tree.nodes[k]!.key ?? tree.nodes[k]!.span.spanId)).toEqual([...new Set(cp.sections.map((s) => s.key ?? s.spanId))]);
  });

  it('--json in chunks is JSON.stringify of the whole document, byte for byte (issue 30)', () => {
    const reference = stringifyJson({
      traceId: tree.traceId, start: isoMicros(tree.start), startUs: tree.start, durationUs: tree.end - tree.start,
      rootSpanId: cp.rootSpanId ?? null, roots: cp.roots, pathUs: cp.sections.reduce((a, s) => a + (s.to - s.from), 0),
      sections: cp.sections.map((s, i) => ({ index: i + 1, spanId: s.spanId, ...(s.key !== undefined ? { key: s.key } : {}), service: s.service, operation: s.operation, from: isoMicros(s.from), fromUs: s.from, toUs: s.to, offsetUs: s.from - tree.start, lengthUs: s.to - s.from })),
      perSpan: cp.perSpan.map((t) => ({ spanId: t.spanId, ...(t.key !== undefined ? { key: t.key } : {}), service: t.service, operation: t.operation, onPathUs: t.micros })),
      leftOut: cp.leftOut,
      ...(cp.errors !== undefined ? { errors: cp.errors } : {}),
    }) + '\n';
    expect(cp.perSpan.length).toBeGreaterThan(100);
    expect([...criticalPathJsonChunks(tree, cp)].join('')).toBe(reference);
  });

  it('draws the same path and ancestors whether or not the result names the nodes', () => {
    const withNodes = renderCriticalPathText(tree, cp, o);
    const byIds = renderCriticalPathText(tree, { ...cp, pathIndices: undefined }, o);
    expect(withNodes).toBe(byIds);
    expect(withNodes).toMatch(/… \d+ spans off the path not shown/);
  });
});
