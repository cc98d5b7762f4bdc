import { fitLines } from '../../render/display-width.js';
import { Command, Option } from 'commander';
import { SlowestCollector, TraceRanker } from '../../analyze/slowest.js';
import {
  renderSlowOperations,
  renderSlowSpans,
  renderSlowTraces,
  slowOperationJson,
  slowSpanJson,
  slowTraceJson,
} from '../../render/slowest-output.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, addOutputOptions, outputSettings, positiveInt } from '../options.js';
import { addLiveOptions, type LiveFlags } from '../live-options.js';
import { followAnalysis } from '../follow.js';
import { exitCode } from '../read.js';
import { analyzeMatchingTraces, nothingFound } from '../read-traces.js';

type SlowestBy = 'trace' | 'span' | 'operation';

interface SlowestFlags extends LiveFlags {
  top: number;
  by: SlowestBy;
}

export function slowestCommand(ctx: CommandContext): Command {
  const cmd = new Command('slowest')
    .description('the N slowest traces, spans, or operations (ranked by p99)')
    .argument('[inputs...]', 'log or span files (.gz is read as such); none or - for stdin')
    .option('--top <n>', 'how many to show', positiveInt, 10)
    .addOption(new Option('--by <grain>', 'rank whole traces, single spans, or service+operation pairs by p99').choices(['trace', 'span', 'operation']).default('trace'))
    .addHelpText(
      'after',
      `
Examples:
  tracectl slowest --top 10 app.log app.log.1.gz          the ten slowest traces
  tracectl slowest --by span --service payments app.log    slowest spans, with the path from the root
  tracectl slowest --by operation --since 1h --json app.log | jq 'select(.p99Us > 1e6)'

Traces and spans keep a bounded top N while reading; --by operation keeps one duration per span
(exact nearest-rank p50/p99). Ties rank by trace id, then start.`,
    );
  addInputOptions(cmd);
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  addLiveOptions(cmd);
  return cmd.action(async (inputs: string[], flags: SlowestFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    const ranker = flags.by === 'trace' ? new TraceRanker(flags.top) : new SlowestCollector(flags.top, [flags.by === 'span' ? 'spans' : 'operations']);
    const spec = { kind: 'slowest', top: flags.top, by: flags.by } as const;
    const table = (): string => (ranker instanceof TraceRanker ? renderSlowTraces(ranker.rows(), out.tableWidth, out.palette, out.redact) : flags.by === 'span' ? renderSlowSpans(ranker.spans(), out.tableWidth, out.palette, out.redact) : renderSlowOperations(ranker.operations(), out.tableWidth, out.palette, out.redact));
    const counts = flags.follow ? await followAnalysis(inputs, flags, io, spec, ranker, table) : await analyzeMatchingTraces(inputs, flags, io, spec, ranker);
    // Followed on a terminal: the board showed the ranking already. Piped, the final ranking follows the running rows.
    if (flags.follow && io.stdoutIsTTY && !flags.json) return ctx.exit(exitCode(counts.stats, counts.matched > 0));
    let rows = 0;
    if (ranker instanceof TraceRanker) {
      const list = ranker.rows();
      rows = list.length;
      if (flags.json) list.forEach((r, i) => io.stdout.write(slowTraceJson(r, i + 1, out.redact) + '\n'));
      else if (rows > 0) io.stdout.write(fitLines(renderSlowTraces(list, out.tableWidth, out.palette, out.redact), out.tableWidth));
    } else if (flags.by === 'span') {
      const list = ranker.spans();
      rows = list.length;
      if (flags.json) list.forEach((r, i) => io.stdout.write(slowSpanJson(r, i + 1, out.redact) + '\n'));
      else if (rows > 0) io.stdout.write(fitLines(renderSlowSpans(list, out.tableWidth, out.palette, out.redact), out.tableWidth));
    } else {
      const list = ranker.operations();
      rows = list.length;
      if (flags.json) list.forEach((r, i) => io.stdout.write(slowOperationJson(r, i + 1, out.redact) + '\n'));
      else if (rows > 0) io.stdout.write(fitLines(renderSlowOperations(list, out.tableWidth, out.palette, out.redact), out.tableWidth));
    }
    if (rows === 0) nothingFound(counts, io, flags.quiet, 'the matching traces have no spans');
    ctx.exit(exitCode(counts.stats, rows > 0));
  });
}
