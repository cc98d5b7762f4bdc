import { fitLines } from '../../render/display-width.js';
import { Command } from 'commander';
import { errorPaths, summarizeErrors } from '../../analyze/error-paths.js';
import { errorGroupJson, renderErrorSummary, renderTraceErrors, traceErrorsJson, type TraceErrors } from '../../render/errors-output.js';
import { writeChunks } from '../io.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, addOutputOptions, outputSettings, positiveInt, type CommonFlags } from '../options.js';
import { exitCode } from '../read.js';
import { MatchingTraces, nothingFound } from '../read-traces.js';

interface ErrorsFlags extends CommonFlags {
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
  return cmd.action(async (inputs: string[], flags: ErrorsFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    const traces = await MatchingTraces.read(inputs, flags, io);
    let results = 0;
    if (flags.summary) {
      let groups = summarizeErrors(traces);
      if (flags.limit !== undefined) groups = groups.slice(0, flags.limit);
      results = groups.length;
      if (flags.json) for (const g of groups) io.stdout.write(errorGroupJson(g, out.redact) + '\n');
      else if (groups.length > 0) io.stdout.write(fitLines(renderErrorSummary(groups, out.tableWidth, out.palette, out.redact), out.tableWidth));
    } else {
      for (const tree of traces) {
        if (flags.limit !== undefined && results >= flags.limit) continue; // keep counting traces for the report
        const paths = errorPaths(tree);
        if (paths.length === 0) continue;
        let errorSpans = 0;
        for (const n of tree.nodes) if (n.span.error) errorSpans++;
        const t: TraceErrors = { traceId: tree.traceId, start: tree.start, duration: tree.end - tree.start, spans: tree.nodes.length, errorSpans, paths };
        if (flags.json) await writeChunks(io.stdout, traceErrorsJson(t, out.redact));
        else io.stdout.write((results > 0 ? '\n' : '') + fitLines(renderTraceErrors(t, out.width, out.palette, out.redact), out.tableWidth));
        results++;
      }
    }
    traces.report();
    if (results === 0) nothingFound(traces, io, flags.quiet, `no errors in the ${traces.matched} matching ${traces.matched === 1 ? 'trace' : 'traces'}`);
    ctx.exit(exitCode(traces.stats, results > 0));
  });
}
