import { fitLines } from '../../render/display-width.js';
import { Command } from 'commander';
import { timelineJsonChunks } from '../../render/tree-json.js';
import { renderTimelineText } from '../../render/timeline-text.js';
import { writeChunks } from '../io.js';
import { loadTrace, reportTreeWarnings } from '../load-trace.js';
import type { CommandContext } from '../main.js';
import { addInputOptions, addOutputOptions, outputSettings, type CommonFlags } from '../options.js';

interface TimelineFlags extends CommonFlags {
  adjustSkew?: boolean;
}

export function timelineCommand(ctx: CommandContext): Command {
  const cmd = new Command('timeline')
    .description("one trace as a waterfall: a row per span, bars on a shared time axis, log events as markers")
    .argument('<traceId>', 'trace id, or a unique prefix of one')
    .argument('[inputs...]', 'log or span files; none or - for stdin')
    .option('--adjust-skew', "shift spans whose host clock disagrees with their parent's (Jaeger's adjustment)")
    .addHelpText(
      'after',
      `
Examples:
  tracectl timeline 4bf92f35 app.log
  tracectl timeline 4bf92f35 --width 160 app.log spans.otlp.jsonl
  tracectl timeline 4bf92f35 --json app.log | jq '.spanList[] | select(.error)'`,
    );
  addInputOptions(cmd);
  addOutputOptions(cmd);
  return cmd.action(async (traceId: string, inputs: string[], flags: TimelineFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    const loaded = await loadTrace(traceId, inputs, flags, io);
    if (loaded.tree) {
      if (flags.json) await writeChunks(io.stdout, timelineJsonChunks(loaded.tree, { redact: out.redact }));
      else io.stdout.write(fitLines(renderTimelineText(loaded.tree, { width: out.width, palette: out.palette, limit: out.tableWidth, redact: out.redact }), out.tableWidth));
      reportTreeWarnings(loaded.tree, io, flags.quiet);
    }
    ctx.exit(loaded.code);
  });
}
