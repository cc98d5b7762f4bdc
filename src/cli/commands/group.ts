import { fitLines } from '../../render/display-width.js';
import { Command, Option } from 'commander';
import { GroupRows, type GroupSort } from '../../analyze/group-rows.js';
import { SummaryCollector } from '../../model/collect-summaries.js';
import { GroupJsonLines, groupTablePieces } from '../../render/group-output.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, addOutputOptions, outputSettings, positiveInt } from '../options.js';
import { addLiveOptions, type LiveFlags } from '../live-options.js';
import { followGroup } from '../follow.js';
import { exitCode, filterFrom, readAll, report } from '../read.js';
import { applyWhere } from '../where.js';
import { whyNoneMatched } from '../../render/filter-misses.js';
import { skippedLinesCaveat } from '../../render/ingest-report.js';

interface GroupFlags extends LiveFlags {
  sort: GroupSort;
  limit?: number;
}

export function groupCommand(ctx: CommandContext): Command {
  const cmd = new Command('group')
    .description('one row per trace: start, duration, entries, spans, services, errors, root operation')
    .argument('[inputs...]', 'log or span files (.gz is read as such); none or - for stdin')
    .addOption(new Option('--sort <key>', 'order of rows').choices(['start', 'duration', 'entries', 'errors']).default('start'))
    .option('--limit <n>', 'at most this many rows', positiveInt)
    .addHelpText(
      'after',
      `
Examples:
  kubectl logs deploy/api --prefix --timestamps | tracectl group
  kubectl logs -f deploy/api --prefix | tracectl group -f     a row per trace as it completes
  tracectl group --errors --sort duration --limit 20 app.log app.log.1.gz
  tracectl group --service payments --since 15m --json app.log | jq .durationUs`,
    );
  addInputOptions(cmd);
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  addLiveOptions(cmd);
  return cmd.action(async (inputs: string[], flags: GroupFlags) => {
    if (flags.follow) return ctx.exit(await followGroup(inputs, flags, ctx.io));
    const filter = filterFrom(flags, ctx.io);
    const io = await applyWhere(filter, inputs, flags, ctx.io);
    const out = outputSettings(flags, io);
    const collector = new SummaryCollector();
    const made = new GroupRows({ filter, sort: flags.sort });
    const stats = await readAll(inputs, flags, io, { kind: 'summaries', collector, rows: made });
    let rows = made.rows;
    if (flags.limit !== undefined) rows = rows.slice(0, flags.limit);
    if (flags.json) {
      // A write per row costs more than making the row: hand stdout a thousand rows at a time.
      const lines = new GroupJsonLines(out.redact);
      for (let i = 0; i < rows.length; i += 1000) io.stdout.write(lines.text(rows, i, Math.min(rows.length, i + 1000)));
    } else if (rows.length > 0) {
      for (const piece of groupTablePieces(rows, out.tableWidth, out.palette, out.redact)) io.stdout.write(fitLines(piece, out.tableWidth));
    }
    report(stats, made.traces, inputs, flags, io);
    if (rows.length === 0 && !flags.quiet) io.stderr.write(`${made.traces === 0 ? 'tracectl: no traces found' : `tracectl: ${whyNoneMatched(made.misses.exportState(), filter)}`}${skippedLinesCaveat(stats)}\n`);
    ctx.exit(exitCode(stats, rows.length > 0));
  });
}
