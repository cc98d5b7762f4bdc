import { Command, InvalidArgumentError, Option } from 'commander';
import { unpaddedId, withoutLeadingZeros } from '../../entries/parse-ids.js';
import { exportTrace, type ExportOptions, type ExportTrace } from '../../export/export-span.js';
import { EndpointError, logsUrl, parseHeaders, printableUrl, protocolFrom, tracesUrl } from '../../export/otlp-endpoint.js';
import { OtlpHttpSender, type OtlpSignal, type SendReport } from '../../export/otlp-http.js';
import { SendQueue } from '../../export/send-queue.js';
import type { TraceTree } from '../../model/tree.js';
import { withThousands } from '../../render/format.js';
import { redactObject, redactText } from '../../render/redact.js';
import { clean } from '../../render/sanitize.js';
import { parseDuration } from '../../entries/parse-duration.js';
import { EXIT } from '../io.js';
import type { CommandContext } from '../main.js';
import { addFilterOptions, addInputOptions, byteSize, positiveInt, UsageError, type CommonFlags } from '../options.js';
import { exitCode, filterFrom, report } from '../read.js';
import { eachMatchingTrace, type EachTraceOptions, type TraceCounts } from '../read-traces.js';
import { addLiveOptions, type LiveFlags } from '../live-options.js';
import { followTraces } from '../follow.js';
import { fileWriter, openSink, type Format } from './export-files.js';

interface ExportFlags extends CommonFlags, LiveFlags {
  format: Format;
  output?: string;
  trace: string[];
  signals: OtlpSignal[];
  to?: string;
  protocol?: string;
  header: string[];
  gzip: boolean;
  batchSpans: number;
  batchBytes: number;
  concurrency: number;
  retries: number;
  timeout: number;
}

export function exportCommand(ctx: CommandContext): Command {
  const cmd = new Command('export')
    .description('write the rebuilt traces as OTLP, Jaeger, Zipkin or Chrome trace files, or send them to an OTLP/HTTP endpoint')
    .argument('[inputs...]', 'log or span files (.gz is read as such); none or - for stdin')
    .addOption(new Option('--format <format>', 'file format').choices(['otlp', 'otlp-proto', 'jaeger', 'zipkin', 'chrome']).default('otlp'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--trace <id>', 'only this trace (an id or a unique prefix; repeatable)', collect, [])
    .option('--signals <list>', 'traces, logs (the log lines as OTLP log records with their trace and span ids), or traces,logs with --to', signalList, ['traces'])
    .option('--to <url>', "send OTLP over HTTP to this endpoint (a base URL gets /v1/traces); 'env' reads OTEL_EXPORTER_OTLP_* variables")
    .addOption(new Option('--protocol <protocol>', 'with --to: the OTLP encoding (default: OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf)').choices(['http/protobuf', 'http/json']))
    .option('--header <key=value>', 'with --to: an HTTP header to send (repeatable; never printed)', collect, [])
    .option('--no-gzip', 'with --to: send bodies uncompressed')
    .option('--batch-spans <n>', 'with --to: at most this many spans a request', positiveInt, 512)
    .option('--batch-bytes <n>', 'with --to: at most about this many bytes a request (before gzip; or 512KiB, 4MiB)', byteSize, 4 * 1024 * 1024)
    .option('--concurrency <n>', 'with --to: requests in flight at once', positiveInt, 4)
    .option('--retries <n>', 'with --to: attempts after the first on 429, 502, 503, 504, timeouts and connection errors', nonNegativeInt, 5)
    .option('--timeout <d>', 'with --to: how long to wait for an answer (10s, 500ms)', timeoutArg, 10_000)
    .option('--no-redact', 'keep the values of keys that look secret (authorization, password, token, …)')
    .addHelpText(
      'after',
      `
Examples:
  tracectl export --format jaeger -o traces.json app.log         open in Jaeger UI: Search > Upload JSON
  tracectl export --format chrome --trace 4bf92f35 -o t.json app.log   open in ui.perfetto.dev or chrome://tracing
  tracectl export --errors --since 1h *.log.gz > failing.otlp.jsonl     OTLP/JSON, one request per line
  tracectl export --to http://collector:4318 app.log             push into an OTel collector, Jaeger or Tempo
  tracectl export --to http://collector:4318 --signals traces,logs app.log   the lines too, to /v1/logs
  OTEL_EXPORTER_OTLP_HEADERS='authorization=Bearer%20…' tracectl export --to env app.log

Formats: otlp (one ExportTraceServiceRequest per line, per trace), otlp-proto (the same as protobuf, each
request preceded by its length as a varint), jaeger ({"data":[…]}), zipkin (a v2 JSON array), chrome
(Trace Event Format). Ids that are not hex are replaced by a hash of them, kept as tracectl.original_*.
Exit 3 when --to could not deliver every span (the last line on stderr counts sent, rejected, failed).`,
    );
  addInputOptions(cmd);
  addFilterOptions(cmd);
  addLiveOptions(cmd);
  return cmd.action(async (inputs: string[], flags: ExportFlags) => {
    const { io } = ctx;
    if (flags.to !== undefined && flags.output !== undefined) throw new UsageError('--to and -o/--output: choose one');
    if (flags.to === undefined && flags.output === undefined && flags.format === 'otlp-proto' && io.stdoutIsTTY) {
      throw new UsageError('otlp-proto is binary: give -o FILE (or redirect stdout to a file)');
    }
    if (flags.to !== undefined && cmd.getOptionValueSource('format') === 'cli') throw new UsageError('--to sends OTLP: choose its encoding with --protocol, not --format');
    if (flags.to === undefined && flags.signals.length > 1) throw new UsageError('--signals traces,logs needs --to: a file holds one signal (export twice, or --signals logs)');
    if (flags.to === undefined && flags.signals[0] === 'logs' && flags.format !== 'otlp' && flags.format !== 'otlp-proto') {
      throw new UsageError('--signals logs writes OTLP log records: use --format otlp or otlp-proto');
    }
    let senders: { sender: OtlpHttpSender; where: string; signal: OtlpSignal }[] | undefined;
    try {
      // Ctrl-C ends the reading, and what was read is still sent: the senders are not aborted (a second
      // Ctrl-C leaves at once, cli/process.ts).
      senders = flags.to !== undefined ? flags.signals.map((signal) => makeSender(flags, signal, io.env, flags.follow ? FOLLOW_LINGER_MS : undefined)) : undefined;
    } catch (err) {
      if (err instanceof EndpointError) throw new UsageError(err.message);
      throw err;
    }
    const queries = flags.trace.map((q) => unpaddedId(q.trim().toLowerCase()));
    const options: ExportOptions = {
      redactAttributes: (a) => redactObject(a, flags.redact) as Record<string, unknown>,
      redactText: (t) => redactText(t, flags.redact),
    };
    filterFrom(flags, io); // a bad --since or --until is a usage error before -o creates the file
    const out = senders === undefined ? openSink(flags.output, io) : undefined;
    const writer = out !== undefined ? fileWriter(flags.format, flags.signals[0]!, out) : undefined;
    // A second Ctrl-C leaves without waiting: the file gets what is gathered and its document's end (jaeger,
    // zipkin, chrome), so that it opens with the traces written so far. Nothing is written after that.
    const leave = (): void => {
      writer?.end();
      out?.close();
    };
    if (out !== undefined) io.leaving?.addEventListener('abort', leave, { once: true });
    let traces = 0;
    let spans = 0;
    let records = 0; // log lines, as log records with --signals logs
    const named = new Set<number>();
    // Traces are written as they complete: in the order they were first seen, or with --follow in the
    // order they complete; on one source a trace complete by --trace-timeout is let go while reading goes
    // on (read-traces.ts). Sent, each trace goes to the senders in the order traces complete, once they
    // have room, and reading waits until every completed trace has gone (export/send-queue.ts,
    // model/paced-take.ts): at most (--concurrency + 1) × --batch-spans items each, one trace held.
    const queue = senders !== undefined ? new SendQueue(senders.map((s) => s.sender), flags.batchSpans * (flags.concurrency + 1), io.sendObserver) : undefined;
    const visit = (tree: TraceTree): ExportTrace | undefined => {
      if (queries.length > 0) {
        const k = queries.findIndex((q) => idMatches(tree.traceId, q));
        if (k < 0) return undefined;
        named.add(k);
      }
      return exportTrace(tree, options);
    };
    const release = (trace: ExportTrace): void => {
      traces++;
      spans += trace.spans.length;
      for (const span of trace.spans) records += span.events.length;
      if (queue !== undefined) queue.push(trace);
      else {
        writer!.trace(trace);
        if (flags.follow) out!.flush(); // a followed trace is out as soon as it completes
      }
    };
    let counts: TraceCounts;
    try {
      // Log records carry their line's other fields as attributes (read with JSON.parse, as tree --logs does).
      const reading: EachTraceOptions = { events: true, keepFields: flags.signals.includes('logs') };
      if (queue !== undefined) reading.pace = () => queue.ready();
      counts = flags.follow ? await followTraces(inputs, flags, io, visit, release, reading) : await eachMatchingTrace(inputs, flags, io, visit, release, reading);
      await queue?.drained();
      writer?.end();
    } finally {
      io.leaving?.removeEventListener('abort', leave);
      out?.close();
    }
    const { stats, total } = counts;
    report(stats, total, inputs, flags, io);
    for (let k = 0; k < queries.length; k++) if (!named.has(k)) io.stderr.write(`tracectl: --trace ${clean(flags.trace[k]!)}: no trace id starts with it\n`);
    let code = exitCode(stats, traces > 0);
    if (senders !== undefined) {
      for (const s of senders) {
        const sent = await s.sender.finish();
        io.stderr.write(sendSummary(sent, s.where, s.signal));
        if ((sent.failed > 0 || sent.rejected > 0) && code === EXIT.ok) code = EXIT.notDelivered;
      }
    } else if (!flags.quiet && traces > 0) {
      io.stderr.write(`tracectl: exported ${withThousands(traces)} ${traces === 1 ? 'trace' : 'traces'}, ${flags.signals[0] === 'logs' ? `${withThousands(records)} log records` : `${withThousands(spans)} spans`} as ${flags.format}${flags.output !== undefined ? ` to ${clean(flags.output)}` : ''}\n`);
    }
    if (traces === 0 && total > 0 && !flags.quiet) io.stderr.write(`tracectl: no traces match the filters (${total} read)\n`);
    ctx.exit(code);
  });
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function timeoutArg(v: string): number {
  const us = parseDuration(v, 1000);
  if (us === undefined || us <= 0) throw new InvalidArgumentError('expected a duration like 10s or 500ms');
  return Math.max(1, Math.round(us / 1000));
}

/** The same spellings `tree` accepts: a prefix of the id, of its unpadded 64-bit form, or without leading zeros. */
function idMatches(id: string, q: string): boolean {
  const l = id.toLowerCase();
  return l.startsWith(q) || unpaddedId(l).startsWith(q) || withoutLeadingZeros(l).startsWith(withoutLeadingZeros(q));
}

function signalList(v: string): OtlpSignal[] {
  const list = v.split(',').map((x) => x.trim());
  if (list.length === 0 || list.some((x) => x !== 'traces' && x !== 'logs') || new Set(list).size !== list.length) {
    throw new InvalidArgumentError('expected traces, logs, or traces,logs');
  }
  return list as OtlpSignal[];
}

/** A sender for one signal: its URL, and the variables for that signal (OTEL_EXPORTER_OTLP_TRACES_* or _LOGS_*) over the shared ones. */
/** Followed, a batch not yet full is sent this long after its first span: a quiet stream fills one slowly. */
const FOLLOW_LINGER_MS = 1000;

function makeSender(flags: ExportFlags, signal: OtlpSignal, env: Record<string, string | undefined>, lingerMs: number | undefined): { sender: OtlpHttpSender; where: string; signal: OtlpSignal } {
  const url = signal === 'logs' ? logsUrl(flags.to!, env) : tracesUrl(flags.to!, env);
  const own = signal === 'logs' ? 'OTEL_EXPORTER_OTLP_LOGS_' : 'OTEL_EXPORTER_OTLP_TRACES_';
  const headers = { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'), ...parseHeaders(env[`${own}HEADERS`], `${own}HEADERS`) };
  for (const h of flags.header) Object.assign(headers, parseHeaders(h, '--header'));
  const compression = env[`${own}COMPRESSION`] ?? env.OTEL_EXPORTER_OTLP_COMPRESSION;
  const sender = new OtlpHttpSender({
    url,
    headers,
    kind: signal,
    protocol: protocolFrom(flags.protocol, env, signal),
    gzip: flags.gzip && compression !== 'none',
    maxSpans: flags.batchSpans,
    maxBytes: flags.batchBytes,
    concurrency: flags.concurrency,
    retries: flags.retries,
    timeoutMs: flags.timeout,
    backoffMs: 500,
    ...(lingerMs !== undefined ? { lingerMs } : {}),
  });
  return { sender, where: printableUrl(url), signal };
}

function sendSummary(r: SendReport, where: string, signal: OtlpSignal): string {
  const lines = r.problems.map((p) => `tracectl: export: ${clean(p)}\n`);
  const retried = r.retried > 0 ? `, ${withThousands(r.retried)} retried` : '';
  lines.push(
    `tracectl: export: ${withThousands(r.sent)} ${signal === 'logs' ? 'log records' : 'spans'} sent to ${clean(where)} in ${withThousands(r.requests)} ${r.requests === 1 ? 'request' : 'requests'}${retried}; ${withThousands(r.rejected)} rejected, ${withThousands(r.failed)} failed\n`,
  );
  return lines.join('');
}
