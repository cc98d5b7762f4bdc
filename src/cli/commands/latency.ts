import { fitLines } from '../../render/display-width.js';
import { Command, InvalidArgumentError } from 'commander';
import { matchesFilter, MissTally } from '../../analyze/filters.js';
import { whyNoneMatched } from '../../render/filter-misses.js';
import { LatencyAccumulator, latencyBreakdown, type LatencyBy, type LatencyReport } from '../../analyze/latency.js';
import { latencyRowJson, renderLatencyTable } from '../../render/latency-output.js';
import { clean } from '../../render/sanitize.js';
import { inferredNote } from '../../render/span-labels.js';
import { EXIT } from '../io.js';
import { loadTrace, reportTreeWarnings } from '../load-trace.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, addOutputOptions, outputSettings } from '../options.js';
import { addLiveOptions, type LiveFlags } from '../live-options.js';
import { followAnalysis } from '../follow.js';
import { exitCode, filterFrom } from '../read.js';
import { applyWhere } from '../where.js';
import { analyzeMatchingTraces, nothingFound } from '../read-traces.js';

interface LatencyFlags extends LiveFlags {
  by: LatencyBy;
  trace?: string;
}

/** 'service' and 'operation' are groupings; anything else names an attribute ('attr:service' forces one). */
export function parseLatencyBy(v: string): LatencyBy {
  if (v === 'service' || v === 'operation') return v;
  const attr = v.startsWith('attr:') ? v.slice(5) : v;
  if (attr === '') throw new InvalidArgumentError('expected service, operation, or an attribute name');
  return { attr };
}

export function latencyCommand(ctx: CommandContext): Command {
  const cmd = new Command('latency')
    .description('where the time goes: count, errors, total and self time, min/p50/p90/p95/p99/max per group')
    .argument('[inputs...]', 'log or span files (.gz is read as such); none or - for stdin')
    .option('--by <group>', "group by 'service', 'operation' (service + operation), or an attribute name (attr:NAME if it is called service/operation)", parseLatencyBy, 'service' as LatencyBy)
    .option('--trace <id>', "only this trace (an id or unique prefix): Jaeger's Trace Statistics")
    .addHelpText(
      'after',
      `
Examples:
  tracectl latency app.log                                  per service, across every trace
  tracectl latency --by operation --trace 4bf92f35 app.log   one trace's statistics, per operation
  tracectl latency --by http.status_code --service api --json app.log | jq '{value, p99Us}'

TOTAL sums durations (a group's nested spans count twice); SELF is time not covered by any child
(children clipped to their parent, overlaps counted once). SELF% is the share of all self time.
Percentiles are exact and nearest-rank: the ⌈q·n/100⌉-th smallest duration, an observed value.`,
    );
  addInputOptions(cmd);
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  addLiveOptions(cmd);
  return cmd.action(async (inputs: string[], flags: LatencyFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    let report: LatencyReport;
    let traceId: string | undefined;
    let parentsInferred: string | undefined;
    let code: number;
    if (flags.trace !== undefined) {
      const filter = filterFrom(flags, io);
      const readIo = await applyWhere(filter, inputs, flags, io);
      const loaded = await loadTrace(flags.trace, inputs, flags, readIo);
      if (!loaded.tree) return ctx.exit(loaded.code);
      reportTreeWarnings(loaded.tree, io, flags.quiet);
      if (!matchesFilter(loaded.tree, filter)) {
        if (!flags.quiet) {
          const tally = new MissTally(filter);
          tally.noteTree(loaded.tree);
          io.stderr.write(`tracectl: trace ${clean(loaded.tree.traceId)} does not match the filters: ${whyNoneMatched(tally.exportState(), filter)}\n`);
        }
        return ctx.exit(loaded.code === EXIT.ok ? EXIT.noResults : loaded.code);
      }
      traceId = loaded.tree.traceId;
      parentsInferred = inferredNote(loaded.tree);
      report = latencyBreakdown(loaded.tree, flags.by);
      code = report.rows.length > 0 ? loaded.code : loaded.code === EXIT.ok ? EXIT.noResults : loaded.code;
    } else {
      const acc = new LatencyAccumulator(flags.by);
      const spec = { kind: 'latency', by: flags.by } as const;
      const table = (): string => renderLatencyTable(acc.finish(), { width: out.tableWidth, palette: out.palette, redact: out.redact });
      const counts = flags.follow ? await followAnalysis(inputs, flags, io, spec, acc, table) : await analyzeMatchingTraces(inputs, flags, io, spec, acc);
      // Followed on a terminal: the board showed the table already.
      if (flags.follow && io.stdoutIsTTY && !flags.json) return ctx.exit(exitCode(counts.stats, counts.matched > 0));
      report = acc.finish();
      if (report.rows.length === 0) nothingFound(counts, io, flags.quiet, 'the matching traces have no spans');
      code = exitCode(counts.stats, report.rows.length > 0);
    }
    const o = { width: out.tableWidth, palette: out.palette, redact: out.redact, ...(traceId !== undefined ? { traceId } : {}), ...(parentsInferred !== undefined ? { parentsInferred } : {}) };
    if (flags.json) for (const r of report.rows) io.stdout.write(latencyRowJson(report, r, o) + '\n');
    else if (report.rows.length > 0) io.stdout.write(fitLines(renderLatencyTable(report, o), out.tableWidth));
    ctx.exit(code);
  });
}
