import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/analyze/critical-path.js';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import { plainPalette } from '../../src/render/palette.js';
import { ALL_SPANS_UP_TO, renderCriticalPathText } from '../../src/render/critical-path-output.js';

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

  it('draws the same path and ancestors whether or not the result names the nodes', () => {
    const withNodes = renderCriticalPathText(tree, cp, o);
    const byIds = renderCriticalPathText(tree, { ...cp, pathIndices: undefined }, o);
    expect(withNodes).toBe(byIds);
    expect(withNodes).toMatch(/… \d+ spans off the path not shown/);
  });
});
