import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { isEmptyFilter, matchesFilter, MissTally } from '../../analyze/filters.js';
import type { TraceTree } from '../../model/tree.js';
import { TraceCollector } from '../../model/collect-traces.js';
import { buildReportData, type ReportSort } from '../../render/report/report-data.js';
import { renderReportHtml } from '../../render/report/report-html.js';
import { cleanLines } from '../../render/sanitize.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, addOutputOptions, positiveInt, UsageError, type CommonFlags } from '../options.js';
import { exitCode, filterFrom, readAll, report } from '../read.js';
import { nothingFound } from '../read-traces.js';
import { applyWhere } from '../where.js';

interface ReportFlags extends CommonFlags {
  output?: string;
  limit: number;
  sort: ReportSort;
  maxSpans: number;
}

const SORTS: readonly ReportSort[] = ['duration', 'start', 'errors', 'spans'];

function sortArg(v: string): ReportSort {
  if (!(SORTS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${SORTS.join(', ')}`);
  return v as ReportSort;
}

export function reportCommand(ctx: CommandContext): Command {
  const cmd = new Command('report')
    .description('one self-contained HTML file: trace list, waterfalls with the critical path, errors, latency and the service map')
    .argument('[inputs...]', 'log or span files (.gz is read as such); none or - for stdin')
    .option('-o, --output <file>', 'write the report here (default: stdout, unless it is a terminal)')
    .option('--limit <n>', 'traces kept in detail, the first by --sort (the analyses cover every matching trace)', positiveInt, 1000)
    .option('--sort <by>', `which traces to keep first: ${SORTS.join(', ')}`, sortArg, 'duration' as ReportSort)
    .option('--max-spans <n>', 'spans kept per trace, in tree order', positiveInt, 20000)
    .addHelpText(
      'after',
      `
Examples:
  tracectl report app.log -o incident.html                   the 1,000 slowest traces, errors, latency, service map
  tracectl report --errors --since 1h *.log.gz -o errors.html the failing traces of the last hour
  kubectl logs -l app=shop --prefix | tracectl report > shop.html

The file opens from disk in a browser and makes no network request. Log text is shown as text, secrets
redacted as in the other commands (--no-redact shows them).`,
    );
  addInputOptions(cmd);
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  return cmd.action(async (inputs: string[], flags: ReportFlags) => {
    // A whole HTML page (a few MB of script and data) is of no use on a terminal, and hides the report.
    if (flags.output === undefined && ctx.io.stdoutIsTTY) throw new UsageError('report writes an HTML page: give -o FILE (or redirect stdout to a file)');
    const filter = filterFrom(flags, ctx.io);
    const io = await applyWhere(filter, inputs, flags, ctx.io);
    const collector = new TraceCollector();
    // The page shows each log line's other fields, as `tree --logs` does.
    const stats = await readAll(inputs, flags, io, { kind: 'traces', collector }, undefined, true);
    let total = 0;
    const tally = new MissTally(filter);
    const matching = function* (): Generator<TraceTree> {
      for (const tree of collector.trees({ events: true }, true)) {
        total++;
        if (!isEmptyFilter(filter)) tally.noteTree(tree);
        if (matchesFilter(tree, filter)) yield tree;
      }
    };
    const filters = describeFilters(flags);
    const sourcesText = inputs.length === 0 || (inputs.length === 1 && inputs[0] === '-') ? 'stdin' : inputs.length === 1 ? inputs[0]! : `${inputs.length} inputs`;
    const data = buildReportData(matching(), {
      limit: flags.limit,
      sort: flags.sort,
      maxSpans: flags.maxSpans,
      redact: flags.redact,
      title: cleanLines(`tracectl report: ${sourcesText}`),
      filters: cleanLines(filters),
    });
    const html = renderReportHtml(data);
    if (flags.output !== undefined) {
      try {
        writeFileSync(flags.output, html);
      } catch (err) {
        io.stderr.write(`tracectl: cannot write ${cleanLines(flags.output)}: ${cleanLines((err as Error).message)}\n`);
        ctx.exit(2);
        return;
      }
    } else io.stdout.write(html);
    report(stats, total, inputs, flags, io);
    if (data.matched === 0) nothingFound({ stats, total, matched: data.matched, filter, misses: tally.exportState() }, io, flags.quiet);
    else if (flags.output !== undefined && !flags.quiet) io.stderr.write(`tracectl: report of ${data.traces.length} ${data.traces.length === 1 ? 'trace' : 'traces'} written to ${cleanLines(flags.output)}\n`);
    ctx.exit(exitCode(stats, data.matched > 0));
  });
}

/** The filters as the command line gave them, for the report's header. */
function describeFilters(flags: ReportFlags): string {
  const parts: string[] = [];
  if (flags.service !== undefined) parts.push(`--service ${flags.service}`);
  if (flags.errors) parts.push('--errors');
  if (flags.since !== undefined) parts.push(`--since ${flags.since}`);
  if (flags.until !== undefined) parts.push(`--until ${flags.until}`);
  if (flags.minDuration !== undefined) parts.push(`--min-duration ${flags.minDuration}µs`);
  for (const w of flags.where ?? []) parts.push(`--where ${w}`);
  return parts.join(' ');
}
