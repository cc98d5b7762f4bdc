import { fitLines } from '../../render/display-width.js';
import { Command } from 'commander';
import { criticalPath } from '../../analyze/critical-path.js';
import { criticalPathJson, renderCriticalPathText } from '../../render/critical-path-output.js';
import { clean } from '../../render/sanitize.js';
import { EXIT } from '../io.js';
import { loadTrace, reportTreeWarnings } from '../load-trace.js';
import type { CommandContext } from '../main.js';
import { addInputOptions, addOutputOptions, outputSettings, type CommonFlags } from '../options.js';

interface CriticalPathFlags extends CommonFlags {
  adjustSkew?: boolean;
  all?: boolean;
}

export function criticalPathCommand(ctx: CommandContext): Command {
  const cmd = new Command('critical-path')
    .description("what set one trace's duration: the chain of spans the root waited on, section by section")
    .argument('<traceId>', 'trace id, or a unique prefix of one')
    .argument('[inputs...]', 'log or span files; none or - for stdin')
    .option('--all', 'in a trace of over 2,000 spans, still draw every span (default: the path and its ancestors)')
    .option('--adjust-skew', "shift spans whose host clock disagrees with their parent's (Jaeger's adjustment) before computing")
    .addHelpText(
      'after',
      `
Examples:
  tracectl critical-path 4bf92f35 app.log                   sections, time per span, and the tree
  tracectl critical-path 4bf92f35 --adjust-skew app.log spans.jsonl
  tracectl critical-path 4bf92f35 --json app.log | jq '.perSpan[0]'

The walk follows Jaeger's: from the root's end, step into the child that finished last before the
current point. Children are clipped to their parent; asynchronous children (FOLLOWS_FROM, a consumer
under a producer) are not waited for and are left out. With several roots, the longest is followed.`,
    );
  addInputOptions(cmd);
  addOutputOptions(cmd);
  return cmd.action(async (traceId: string, inputs: string[], flags: CriticalPathFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    const loaded = await loadTrace(traceId, inputs, flags, io);
    if (!loaded.tree) return ctx.exit(loaded.code);
    const tree = loaded.tree;
    const cp = criticalPath(tree);
    if (flags.json) io.stdout.write(criticalPathJson(tree, cp));
    else io.stdout.write(fitLines(renderCriticalPathText(tree, cp, { width: out.width, tableWidth: out.tableWidth, palette: out.palette, all: flags.all ?? false }), out.tableWidth));
    reportTreeWarnings(tree, io, flags.quiet);
    if (cp.errors !== undefined) io.stderr.write(`tracectl: critical path of ${clean(tree.traceId)} not computed: ${cp.errors.map(clean).join('; ')}\n`);
    ctx.exit(cp.sections.length === 0 && loaded.code === EXIT.ok ? EXIT.noResults : loaded.code);
  });
}
