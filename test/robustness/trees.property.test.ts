// Issue 6: every span appears exactly once in a tree, whatever the parent links say (cycles, self-parents,
// missing parents, duplicate ids), in the model and through the CLI.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree } from '../../src/model/build-tree.js';
import type { Span } from '../../src/model/span.js';
import type { TraceTree } from '../../src/model/tree.js';
import { runCli } from '../cli/run-cli.js';
import { genSpan, RUNS, spanLine, TRACE_IDS, type GenSpan } from './gen.js';

/** A trace as the model sees it: ids from a small pool, parents anywhere (or nowhere), any times. */
const modelSpans = fc.array(
  fc.record({
    id: fc.integer({ min: 0, max: 12 }),
    parent: fc.option(fc.integer({ min: 0, max: 14 }), { nil: undefined }), // 13, 14: never a span id
    start: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: -1e15, max: 1e16 }), fc.constantFrom(1714557610000000, 0, -1)),
    len: fc.integer({ min: -50, max: 100 }),
    kind: fc.constantFrom(undefined, 'client' as const, 'server' as const),
    host: fc.constantFrom('a', 'b'),
  }),
  { maxLength: 40 },
);

function check(tree: TraceTree, spans: readonly Span[]): void {
  // Exactly once: every input span (told apart by `where`, unique per span) is one node.
  expect(tree.nodes).toHaveLength(spans.length);
  expect(new Set(tree.nodes.map((n) => n.span.where)).size).toBe(spans.length);
  // The nodes are the pre-order walk of the roots, and links agree both ways.
  const walked: unknown[] = [];
  const stack = [...tree.roots].reverse();
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    walked.push(n);
    expect(n.depth).toBe(n.parent ? n.parent.depth + 1 : 0);
    for (let i = n.children.length - 1; i >= 0; i--) {
      expect(n.children[i]!.parent).toBe(n);
      stack.push(n.children[i]!);
    }
  }
  expect(walked).toEqual(tree.nodes);
  for (const n of tree.nodes) expect(n.span.end).toBeGreaterThanOrEqual(n.span.start);
  expect(tree.end).toBeGreaterThanOrEqual(tree.start);
  const keys = tree.nodes.map((n) => n.key ?? n.span.spanId);
  expect(new Set(keys).size).toBe(keys.length);
}

describe('property: every span exactly once in its tree (issue 6)', () => {
  it('buildTree, with and without --adjust-skew', () => {
    fc.assert(
      fc.property(modelSpans, fc.boolean(), (raw, adjustSkew) => {
        const spans: Span[] = raw.map((r, i) => {
          const s: Span = { traceId: 't', spanId: `s${r.id}`, service: 'svc', host: r.host, operation: 'op', start: r.start, end: r.start + r.len, error: false, attributes: {}, events: [], origin: 'record', where: `#${i}` };
          if (r.parent !== undefined) s.parentSpanId = `s${r.parent}`;
          if (r.kind) s.kind = r.kind;
          return s;
        });
        check(buildTree('t', spans, { adjustSkew }), spans);
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('through `tree --json`: as many spans as span records with a start in range were given, each once', async () => {
    const recordsOnly = fc.array(genSpan.map((s) => ({ ...s, asRecord: true, trace: 0 })), { minLength: 1, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(recordsOnly, async (spans) => {
        const input = spans.map(spanLine).join('\n') + '\n';
        // A record whose start (ms) is out of range (model/time.ts) is left out and counted.
        const dropped = (s: GenSpan) => typeof s.start === 'number' && !Number.isSafeInteger(Math.round(s.start * 1000));
        const kept = spans.filter((s) => !dropped(s)).length;
        const r = await runCli(['tree', TRACE_IDS[0], '--json', '--no-redact'], { stdin: input });
        if (kept === 0) return;
        expect(r.code, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout) as { spans: number; roots: Json[] };
        type Json = { spanId: string; children: Json[] };
        let count = 0;
        const stack = [...doc.roots];
        for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
          count++;
          stack.push(...n.children);
        }
        expect(count).toBe(kept);
        expect(doc.spans).toBe(kept);
      }),
      { numRuns: RUNS },
    );
  });
});
