import { fitChunks } from '../../render/display-width.js';
import { Command } from 'commander';
import { treeJsonChunks } from '../../render/tree-json.js';
import { treeTextChunks } from '../../render/tree-text.js';
import { parseFieldPick, type FieldPick } from '../../render/fields-text.js';
import { writeChunks } from '../io.js';
import { loadTrace, reportTreeWarnings } from '../load-trace.js';
import type { CommandContext } from '../main.js';
import { addInputOptions, addOutputOptions, outputSettings, type CommonFlags } from '../options.js';

interface TreeFlags extends CommonFlags {
  logs?: boolean;
  depth?: number;
  expand?: boolean;
  adjustSkew?: boolean;
  fields: FieldPick;
}

export function treeCommand(ctx: CommandContext): Command {
  const cmd = new Command('tree')
    .description("one trace's span tree: service, operation, duration, offset, a bar on the trace's time axis, errors")
    .argument('<traceId>', 'trace id, or a unique prefix of one (as git takes commit ids)')
    .argument('[inputs...]', 'log or span files; none or - for stdin')
    .option('--logs', "show each span's log lines under it")
    .option('--fields <names>', "the log lines' other fields to show after the message (a,b; all; none); implies --logs", parseFieldPick, 'all' as FieldPick)
    .option('--depth <n>', 'show spans down to this depth (0 = roots only)', (v) => nonNegative(v))
    .option('--expand', 'show every sibling instead of collapsing long runs of similar ones')
    .option('--adjust-skew', "shift spans whose host clock disagrees with their parent's (Jaeger's adjustment)")
    .addHelpText(
      'after',
      `
Examples:
  tracectl tree 4bf92f35 app.log                      the tree, with errors and skew marked
  tracectl tree 4bf92f35 --logs app.log spans.jsonl   each span with its log lines and their fields
  tracectl tree 4bf92f35 --logs --fields customer_id,err app.log   only these fields after each message
  tracectl tree 4bf92f35 --json app.log | jq '.roots[0].durationUs'`,
    );
  addInputOptions(cmd);
  addOutputOptions(cmd);
  return cmd.action(async (traceId: string, inputs: string[], flags: TreeFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    // Fields are shown with the log lines: naming some asks for the lines.
    const logs = flags.logs ?? cmd.getOptionValueSource('fields') === 'cli';
    const loaded = await loadTrace(traceId, inputs, flags, io, logs && flags.fields !== 'none');
    if (loaded.tree) {
      if (flags.json) await writeChunks(io.stdout, treeJsonChunks(loaded.tree, { redact: out.redact, logs, fields: flags.fields }));
      else {
        const options = { width: out.width, palette: out.palette, logs, fields: flags.fields, redact: out.redact, depth: flags.depth, expand: flags.expand ?? false, limit: out.tableWidth };
        await writeChunks(io.stdout, fitChunks(treeTextChunks(loaded.tree, options), out.tableWidth));
      }
      reportTreeWarnings(loaded.tree, io, flags.quiet);
    }
    ctx.exit(loaded.code);
  });
}

export function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error('expected a whole number ≥ 0');
  return n;
}
