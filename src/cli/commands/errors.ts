import { fitLines } from '../../render/display-width.js';
import { Command } from 'commander';
import { errorOrigin, ErrorSummary } from '../../analyze/error-paths.js';
import { addLiveOptions, type LiveFlags } from '../live-options.js';
import { followErrors } from '../follow.js';
import { errorSummaryOutput, renderTraceErrors, traceErrorsJson, traceErrorsOf } from '../../render/errors-output.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, addOutputOptions, outputSettings, positiveInt } from '../options.js';
import { exitCode, report } from '../read.js';
import { eachMatchingTrace, nothingFound } from '../read-traces.js';

interface ErrorsFlags extends LiveFlags {
  summary?: boolean;
  limit?: number;
}

export function errorsCommand(ctx: CommandContext): Command {
  const cmd = new Command('errors')
    .description('for each failing trace, the path from the root to where the failure started; --summary groups origins across traces')
    .argument('[inputs...]', 'log or span files (.gz is read as such); none or - for stdin')
    .option('--summary', 'origins grouped by service + operation + message (ids and numbers ignored), with counts and example traces')
    .option('--limit <n>', 'at most this many traces (or groups with --summary)', positiveInt)
    .addHelpText(
      'after',
      `
Examples:
  tracectl errors app.log                              every failing trace: where it started, how it spread
  tracectl errors --summary --since 1h *.log.gz         the distinct failures of the last hour, most frequent first
  tracectl errors --service payments --json app.log | jq -r '.origin.message'

A trace's origin is its deepest failing span (parents from the input or inferred); between spans at the
same depth, the one whose error line came first; with a trace id only, the service that failed first.
Ancestors that are errors too "failed with it"; other failing spans are listed as "also failed".
Traces are listed in the order they were first seen in the input.`,
    );
  addInputOptions(cmd);
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  addLiveOptions(cmd);
  return cmd.action(async (inputs: string[], flags: ErrorsFlags) => {
    const { io } = ctx;
    if (flags.follow) return ctx.exit(await followErrors(inputs, flags, io));
    const out = outputSettings(flags, io);
    let results = 0;
    let counts;
    if (flags.summary) {
      // Failing traces, in the order they were first seen: the summary's ties are decided by that order.
      const summary = new ErrorSummary();
      counts = await eachMatchingTrace(inputs, flags, io, (tree) => (errorOrigin(tree) !== undefined ? tree : undefined), (tree) => summary.add(tree));
      let groups = summary.groups();
      if (flags.limit !== undefined) groups = groups.slice(0, flags.limit);
      results = groups.length;
      io.stdout.write(errorSummaryOutput(groups, flags.json === true, out.tableWidth, out.palette, out.redact));
    } else {
      counts = await eachMatchingTrace(
        inputs,
        flags,
        io,
        (tree) => traceErrorsOf(tree),
        (t) => {
          if (flags.limit !== undefined && results >= flags.limit) return; // keep counting traces for the report
          if (flags.json) io.stdout.write(traceErrorsJson(t, out.redact).join(''));
          else io.stdout.write((results > 0 ? '\n' : '') + fitLines(renderTraceErrors(t, out.width, out.palette, out.redact), out.tableWidth));
          results++;
        },
      );
    }
    report(counts.stats, counts.total, inputs, flags, io);
    if (results === 0) nothingFound(counts, io, flags.quiet, `no errors in the ${counts.matched} matching ${counts.matched === 1 ? 'trace' : 'traces'}`);
    ctx.exit(exitCode(counts.stats, results > 0));
  });
}
