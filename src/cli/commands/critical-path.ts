import { fitLines } from '../../render/display-width.js';
import { Command } from 'commander';
import { criticalPath } from '../../analyze/critical-path.js';
import { IndexedTree } from '../../model/indexed-tree.js';
import { resolveTraceId } from '../../model/resolve-trace-id.js';
import type { TraceTree } from '../../model/tree.js';
import { criticalPathJsonChunks, renderCriticalPathText } from '../../render/critical-path-output.js';
import { clean } from '../../render/sanitize.js';
import { EXIT, writeChunks } from '../io.js';
import { loadTrace, reportTreeWarnings } from '../load-trace.js';
import type { CommandContext } from '../main.js';
import { addInputOptions, addOutputOptions, outputSettings, type CommonFlags } from '../options.js';

interface CriticalPathFlags extends CommonFlags {
  adjustSkew?: boolean;
  all?: boolean;
  root?: string;
}

export function criticalPathCommand(ctx: CommandContext): Command {
  const cmd = new Command('critical-path')
    .description("what set one trace's duration: the chain of spans the root waited on, section by section")
    .argument('<traceId>', 'trace id, or a unique prefix of one')
    .argument('[inputs...]', 'log or span files; none or - for stdin')
    .option('--root <span>', 'follow the path under this span (an id, a duplicate\'s id#n, or a unique prefix) instead of the main root (the earliest naming no parent)')
    .option('--all', 'in a trace of over 2,000 spans, still draw every span (default: the path and its ancestors)')
    .option('--adjust-skew', "shift spans whose host clock disagrees with their parent's (Jaeger's adjustment) before computing")
    .addHelpText(
      'after',
      `
Examples:
  tracectl critical-path 4bf92f35 app.log                   sections, time per span, and the tree
  tracectl critical-path 4bf92f35 --adjust-skew app.log spans.jsonl
  tracectl critical-path 4bf92f35 --json app.log | jq '.perSpan[0]'
  tracectl critical-path 4bf92f35 --root 5e0c7a1d app.log   the path under another root (or any span)

The walk follows Jaeger's: from the root's end, step into the child that finished last before the
current point. Children are clipped to their parent; asynchronous children (FOLLOWS_FROM, a consumer
under a producer, any child tree marks ↷ async) are not waited for and are left out. Children that end together are taken by start,
then the longer first, then the lower span id (Jaeger: the first in its input).
With several roots (spans whose parent is missing), the one that names the trace is followed (as in
Jaeger's trace name: the earliest span naming no parent, then the earliest whose parent is missing)
and the output says
how many there were (Jaeger's UI puts every root's path one after the other; older versions followed
the span without references). --root SPAN follows another root, or the subtree of any span.`,
    );
  addInputOptions(cmd);
  addOutputOptions(cmd);
  return cmd.action(async (traceId: string, inputs: string[], flags: CriticalPathFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    const loaded = await loadTrace(traceId, inputs, flags, io);
    if (!loaded.tree) return ctx.exit(loaded.code);
    const tree = loaded.tree;
    let root: number | undefined;
    if (flags.root !== undefined) {
      const found = findSpan(tree, flags.root);
      if (found.kind !== 'found') {
        const roots = new IndexedTree(tree).roots().map((k) => tree.spans[tree.layout.spanIndex[k]!]!);
        const listed = roots.slice(0, 10).map((s) => `  ${clean(s.spanId)}  ${clean(s.service)} ${clean(s.operation)}`);
        if (found.kind === 'ambiguous') io.stderr.write(`tracectl: --root '${clean(flags.root)}' matches ${found.count} spans; give more of the id:\n  ${found.candidates.map(clean).join('\n  ')}\n`);
        else io.stderr.write(`tracectl: no span '${clean(flags.root)}' in trace ${clean(tree.traceId)}; its roots:\n${listed.join('\n')}\n`);
        return ctx.exit(found.kind === 'ambiguous' ? EXIT.usage : EXIT.noResults);
      }
      root = found.node;
    }
    const cp = criticalPath(tree, root !== undefined ? { root } : {});
    if (flags.json) await writeChunks(io.stdout, criticalPathJsonChunks(tree, cp, out.redact));
    else io.stdout.write(fitLines(renderCriticalPathText(tree, cp, { width: out.width, tableWidth: out.tableWidth, palette: out.palette, all: flags.all ?? false, redact: out.redact }), out.tableWidth));
    reportTreeWarnings(tree, io, flags.quiet);
    if (cp.errors !== undefined) io.stderr.write(`tracectl: critical path of ${clean(tree.traceId)} not computed: ${cp.errors.map(clean).join('; ')}\n`);
    ctx.exit(cp.sections.length === 0 && loaded.code === EXIT.ok ? EXIT.noResults : loaded.code);
  });
}

/**
 * The node a --root value names: a span id, or the key a duplicate id got (`id#2`), whole or as a unique
 * prefix, any case (the rules of trace ids, resolve-trace-id.ts).
 */
function findSpan(tree: TraceTree, query: string): { kind: 'found'; node: number } | { kind: 'ambiguous'; candidates: string[]; count: number } | { kind: 'none' } {
  const nodes = new IndexedTree(tree);
  const keys: string[] = [];
  for (let k = 0; k < nodes.count; k++) keys.push(nodes.key(k));
  const res = resolveTraceId(query, keys);
  if (res.kind !== 'found') return res;
  return { kind: 'found', node: keys.indexOf(res.id) };
}
