import { describe, expect, it } from 'vitest';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import type { SpanNode, TraceTree } from '../../src/model/tree.js';
import { stringifyJson } from '../../src/render/json-text.js';
import { spanJson, timelineJsonChunks, treeHeader, treeJsonChunks, type JsonOptions } from '../../src/render/tree-json.js';

const T0 = 1_714_557_600_000_000;

function sp(id: string, parent: string | undefined, start: number, end: number, extra: Partial<Span> = {}): Span {
  const s: Span = { traceId: 't1', spanId: id, service: 'api', operation: 'GET /orders', start: T0 + start, end: T0 + end, error: false, attributes: {}, events: [], origin: 'log', ...extra };
  if (parent !== undefined) s.parentSpanId = parent;
  return s;
}

// r  |------------------------------------------|  0..1000, two log lines, a secret attribute
// a    |--------|                                  error, a stack, DEL/bidi/C1 in its text
// b              |-----|                           its parent 'gone' is missing (a warning)
// c0..c29 a chain under a
function sample(): Span[] {
  const spans = [
    sp('r', undefined, 0, 1000, {
      attributes: { token: 'hunter2', 'http.route': '/orders/\u202e{id}' },
      events: [
        { time: T0 + 1, level: 'info', message: 'start', source: 'app.log', line: 3 },
        { message: 'no time \u007f\u009b[31m' },
      ],
    }),
    sp('a', 'r', 10, 300, { error: true, errorMessage: 'boom \u2028', events: [{ time: T0 + 20, level: 'error', message: 'failed', stack: 'Error: x\n    at f (a.js:1:1)' }] }),
    sp('b', 'gone', 400, 500, { service: 'db', operation: 'SELECT' }),
  ];
  let parent = 'a';
  for (let i = 0; i < 30; i++) {
    spans.push(sp(`c${i}`, parent, 20 + i, 290 - i, { kind: 'internal' }));
    parent = `c${i}`;
  }
  return spans;
}

/** The plain reference: the whole document built as one value and given to JSON.stringify. */
function treeReference(tree: TraceTree, o: JsonOptions): string {
  const nest = (n: SpanNode): Record<string, unknown> => ({ ...spanJson(n, tree, o), children: n.children.map(nest) });
  return stringifyJson({ ...treeHeader(tree, o), roots: tree.roots.map(nest) }) + '\n';
}
function timelineReference(tree: TraceTree, o: JsonOptions): string {
  return stringifyJson({ ...treeHeader(tree, o), spanList: tree.nodes.map((n) => spanJson(n, tree, { ...o, logs: true })) }) + '\n';
}

describe('tree and timeline JSON written in chunks (issue 30)', () => {
  const options: JsonOptions[] = [{ redact: true }, { redact: false, logs: true }, { redact: true, logs: true }];

  it('equals JSON.stringify of the whole document on a small tree, byte for byte', () => {
    const tree = buildTree('t1', sample());
    expect(tree.warnings.length).toBeGreaterThan(0);
    for (const o of options) {
      const chunks = [...treeJsonChunks(tree, o)];
      expect(chunks).toHaveLength(1);
      expect(chunks.join('')).toBe(treeReference(tree, o));
      expect([...timelineJsonChunks(tree, o)].join('')).toBe(timelineReference(tree, o));
    }
    // what the reference holds: nothing raw that a terminal acts on, no secret
    const text = [...treeJsonChunks(tree, { redact: true, logs: true })].join('');
    expect(text).not.toMatch(/[\u007f-\u009f\u202e\u2028]/);
    expect(text).not.toContain('hunter2');
    expect(text).toContain('\\u007f\\u009b[31m');
  });

  it('a tree past a chunk is cut into several, which join to the reference', () => {
    // 4,000 spans of ~400 characters and one span with 3,000 log lines: ~2.5 MB of text
    const spans = [sp('r', undefined, 0, 100_000, { events: Array.from({ length: 3000 }, (_, i) => ({ time: T0 + i, message: `line ${i} ${'m'.repeat(200)}` })) })];
    for (let i = 0; i < 4000; i++) spans.push(sp(`s${i}`, i % 2 === 0 ? 'r' : `s${i - 1}`, i, i + 10, { operation: `op ${i} ${'o'.repeat(300)}` }));
    const tree = buildTree('t1', spans);
    for (const o of options) {
      const chunks = [...treeJsonChunks(tree, o)];
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(treeReference(tree, o));
      const timeline = [...timelineJsonChunks(tree, o)];
      expect(timeline.length).toBeGreaterThan(1);
      expect(timeline.join('')).toBe(timelineReference(tree, o));
    }
  });
});
