import { Command, CommanderError } from 'commander';
import { StrictError } from '../ingest/read-inputs.js';
import { EXIT, type Io } from './io.js';
import { cleanLines } from '../render/sanitize.js';
import { UsageError } from './options.js';
import { groupCommand } from './commands/group.js';
import { treeCommand } from './commands/tree.js';
import { timelineCommand } from './commands/timeline.js';
import { slowestCommand } from './commands/slowest.js';
import { latencyCommand } from './commands/latency.js';
import { errorsCommand } from './commands/errors.js';
import { criticalPathCommand } from './commands/critical-path.js';
import { servicesCommand } from './commands/services.js';
import { reportCommand } from './commands/report.js';
import { exportCommand } from './commands/export.js';

/** What a command needs from the program: the process's Io, and a way to set the exit code. */
export interface CommandContext {
  io: Io;
  exit(code: number): void;
}

const EXAMPLES = `
Examples:
  kubectl logs deploy/api --prefix | tracectl group      one row per trace
  kubectl logs -f deploy/api | tracectl errors --summary -f   live: failures as their traces complete, until Ctrl-C
  tracectl group --errors --sort duration app.log        failing traces, slowest first
  tracectl tree 4bf92f35 app.log spans.otlp.jsonl        one trace's span tree (id prefix is enough)
  tracectl timeline 4bf92f35 app.log                     its waterfall
  tracectl slowest --top 10 *.log.gz                     the ten slowest traces
  tracectl latency --by service app.log                  where the time goes, per service
  tracectl errors --summary app.log                      error origins grouped across traces
  tracectl critical-path 4bf92f35 app.log                what set the trace's duration
  tracectl services --format mermaid app.log             the service map
  tracectl report app.log -o incident.html               all of it in one HTML file
  tracectl export --format jaeger -o t.json app.log      traces for Jaeger UI, Perfetto, an OTel collector

Exit codes: 0 results, 1 no traces found, 2 usage or I/O error, 3 export --to lost spans, 130 interrupted.
Run 'tracectl <command> --help' for a command's flags and examples.
`;

/** The whole program, with the process passed in. Resolves to the exit code; never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const ctx: CommandContext = { io, exit: (c) => (code = c) };
  const program = new Command('tracectl')
    .description('Correlate structured logs by trace id: span trees, timelines, latency, critical paths and error paths, without a tracing backend.')
    .version('0.1.0', '-V, --version')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      // Commander's errors quote what was typed (an unknown command, a flag's value): escaped as log text
      // is, since a command line can carry control characters as well as a log can.
      writeErr: (s) => void io.stderr.write(cleanLines(s)),
      outputError: (s, write) => write(s.startsWith('error:') ? `tracectl: ${s}` : s),
    })
    .showSuggestionAfterError();
  for (const make of [groupCommand, treeCommand, timelineCommand, slowestCommand, latencyCommand, errorsCommand, criticalPathCommand, servicesCommand, reportCommand, exportCommand]) {
    // addCommand does not pass on output settings (only .command() does): copy them, so help and
    // errors of subcommands go to the Io too.
    program.addCommand(make(ctx).copyInheritedSettings(program));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof StrictError) {
      io.stderr.write(`tracectl: ${cleanLines(err.message)}\n`);
      return EXIT.usage;
    }
    // A bug, not bad input: say so plainly; the stack only when asked for.
    const detail = io.env.TRACECTL_DEBUG && err instanceof Error ? `\n${err.stack}` : '';
    io.stderr.write(cleanLines(`tracectl: internal error: ${err instanceof Error ? err.message : String(err)} (please report it; TRACECTL_DEBUG=1 shows more)${detail}`) + '\n');
    return EXIT.usage;
  }
  return code;
}
