import { fitLines } from '../../render/display-width.js';
import { Command, Option } from 'commander';
import { ServiceMapAccumulator } from '../../analyze/service-map.js';
import { renderServiceDot, renderServiceMermaid, renderServiceTable, serviceMapJson } from '../../render/service-map-output.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, addOutputOptions, outputSettings } from '../options.js';
import { addLiveOptions, type LiveFlags } from '../live-options.js';
import { followAnalysis } from '../follow.js';
import { exitCode } from '../read.js';
import { analyzeMatchingTraces, nothingFound } from '../read-traces.js';

type MapFormat = 'table' | 'dot' | 'mermaid' | 'json';

interface ServicesFlags extends LiveFlags {
  format: MapFormat;
}

export function servicesCommand(ctx: CommandContext): Command {
  const cmd = new Command('services')
    .description('the service map: an edge per calling -> called service, with calls, errors and p50/p99 of the called spans')
    .argument('[inputs...]', 'log or span files (.gz is read as such); none or - for stdin')
    .addOption(new Option('--format <fmt>', 'table, Graphviz dot, Mermaid (for Markdown pages), or JSON lines (same as --json)').choices(['table', 'dot', 'mermaid', 'json']).default('table'))
    .addHelpText(
      'after',
      `
Examples:
  tracectl services app.log spans.jsonl                     who calls whom, and how it goes
  tracectl services --format dot app.log | dot -Tsvg > services.svg
  tracectl services --format mermaid --errors app.log       paste between \`\`\`mermaid fences

An edge is a parent span and its child in another service; the child's duration is the call's latency.`,
    );
  addInputOptions(cmd);
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  addLiveOptions(cmd);
  return cmd.action(async (inputs: string[], flags: ServicesFlags) => {
    const { io } = ctx;
    const out = outputSettings(flags, io);
    const acc = new ServiceMapAccumulator();
    const table = (): string => renderServiceTable(acc.finish(), out.tableWidth, out.palette);
    const counts = flags.follow ? await followAnalysis(inputs, flags, io, { kind: 'services' }, acc, table) : await analyzeMatchingTraces(inputs, flags, io, { kind: 'services' }, acc);
    // Followed on a terminal: the board showed the table already.
    if (flags.follow && io.stdoutIsTTY && !flags.json && flags.format === 'table') return ctx.exit(exitCode(counts.stats, counts.matched > 0));
    const map = acc.finish();
    const found = map.services.length > 0;
    const format: MapFormat = flags.json ? 'json' : flags.format;
    if (found) {
      if (format === 'json') io.stdout.write(serviceMapJson(map));
      else if (format === 'dot') io.stdout.write(renderServiceDot(map));
      else if (format === 'mermaid') io.stdout.write(renderServiceMermaid(map));
      else io.stdout.write(fitLines(renderServiceTable(map, out.tableWidth, out.palette), out.tableWidth));
    } else nothingFound(counts, io, flags.quiet, 'the matching traces have no spans');
    ctx.exit(exitCode(counts.stats, found));
  });
}
