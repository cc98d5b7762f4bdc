import { Command, InvalidArgumentError, Option } from 'commander';
import { parseFieldOverride } from '../entries/field-lookup.js';
import type { Rule } from '../entries/conventions.js';
import { parseDuration } from '../entries/parse-duration.js';
import { parseTimeValue, type TimeUnit } from '../core/parse-time.js';
import type { Micros } from '../core/time.js';
import type { SourceSpec } from '../input/open-source.js';
import { isDirectory, listDirectory, oncePerFile } from '../input/list-directory.js';
import type { IngestOptions } from '../ingest/read-inputs.js';
import { choosePalette, type ColorMode, type Palette } from '../render/palette.js';
import type { Io } from './io.js';
import { MAX_WHERE, parseWhere, type WhereTerm } from '../model/where.js';

/** Flags every reading command shares, as commander hands them over. */
export interface CommonFlags {
  strict?: boolean;
  maxLineBytes: number;
  timeUnit?: TimeUnit;
  field: Rule[];
  service?: string;
  errors?: boolean;
  since?: string;
  until?: string;
  minDuration?: Micros;
  where?: WhereTerm[];
  json?: boolean;
  color: ColorMode;
  quiet?: boolean;
  width?: number;
  redact: boolean;
  threads?: number;
}

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--strict', 'stop at the first line that is not a JSON object (exit 2)')
    .option('--max-line-bytes <n>', 'skip lines longer than this (bytes, or 64KiB, 16MiB, 1GiB); a line that opens a span document may be up to 512 MiB', byteSize, 1024 * 1024)
    .addOption(new Option('--time-unit <unit>', 'unit of numeric timestamps (default: guessed from magnitude)').choices(['s', 'ms', 'us', 'ns']))
    .option('--field <role=path[:unit]>', 'read a role from this field, e.g. traceId=req.headers.x-request-id; a duration or time in a unit: duration=latency:ns (s, ms, us, ns; repeatable)', collectField, [])
    .option('-q, --quiet', 'no summary of lines read and skipped on stderr')
    .option('--threads <n>', 'threads for reading large inputs (default: the machine\'s cores)', positiveInt);
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--service <name>', 'only traces that touch this service')
    .option('--errors', 'only traces with an error')
    .option('--since <time>', 'only traces starting at or after this (ISO time, or relative: 15m, 2h, 1d)')
    .option('--until <time>', 'only traces starting at or before this (ISO time, or relative)')
    .option('--min-duration <d>', 'only traces at least this long (500ms, 1.5s; a bare number is ms)', durationArg)
    .option('--where <expr>', 'only traces with a line or span where field=value, field!=value, field>=N (>, <, <=), field~regex (repeatable: all must hold)', collectWhere);
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'one JSON object per line (see README for the schema)')
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'))
    .option('--width <cols>', 'output width (default: the terminal, else 100)', positiveInt)
    .option('--no-redact', 'show values of keys that look secret (authorization, password, token, …)');
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)$/i;
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kib: 2 ** 10, kb: 1e3, m: 2 ** 20, mib: 2 ** 20, mb: 1e6, g: 2 ** 30, gib: 2 ** 30, gb: 1e9 };

/** A size: bytes, or with a unit as coreutils reads one (K, KiB = 1024; KB = 1000; M, MiB, MB, G, GiB, GB). */
function byteSize(v: string): number {
  const m = SIZE.exec(v.trim());
  const n = m ? Math.round(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a size in bytes, or with a unit: 64KiB, 16MiB, 1GiB (KB, MB, GB: powers of 1000)');
  return n;
}

function durationArg(v: string): Micros {
  const us = parseDuration(v, 1000);
  if (us === undefined || us < 0) throw new InvalidArgumentError(`expected a duration like 500ms or 1.5s`);
  return us;
}

function collectWhere(v: string, prev: WhereTerm[] | undefined): WhereTerm[] {
  const terms = prev ?? [];
  if (terms.length >= MAX_WHERE) throw new InvalidArgumentError(`at most ${MAX_WHERE} --where expressions`);
  try {
    return [...terms, parseWhere(v)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function collectField(v: string, prev: Rule[]): Rule[] {
  try {
    return [...prev, parseFieldOverride(v)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export { byteSize, positiveInt };

/** Inputs: none (or '-') means stdin. Reading a terminal would only wait: say so instead. */
export function sourcesFrom(inputs: readonly string[], io: Io): SourceSpec[] {
  if (inputs.length === 0) {
    if (io.stdinIsTTY) throw new UsageError('no input: give log files, or pipe logs in (kubectl logs … | tracectl …)');
    return [{ name: 'stdin', stdin: io.stdin }];
  }
  let stdinUsed = false;
  const names = inputs.flatMap((name): string[] => {
    if (name === '-') {
      if (stdinUsed) throw new UsageError("'-' (stdin) given twice");
      stdinUsed = true;
      return [name];
    }
    if (!isDirectory(name)) return [name];
    // A folder is read whole; what cannot be listed stays a source, which then fails with its reason.
    const listing = listDirectory(name);
    if (listing.truncated) throw new UsageError(`${name}: more than 100,000 entries below it; name a smaller folder`);
    return [...listing.files, ...listing.unreadable];
  });
  // Each file once (a folder of kubelet's logs names most of them twice), in order, stdin where it was given.
  const files = oncePerFile(names.filter((n) => n !== '-'));
  let next = 0;
  return names.flatMap((n): SourceSpec[] => {
    if (n === '-') return [{ name: 'stdin', stdin: io.stdin }];
    if (files[next] !== n) return [];
    next++;
    return [{ name: n }];
  });
}

export class UsageError extends Error {}

export function ingestOptionsFrom(flags: CommonFlags, io: Io): IngestOptions {
  return {
    maxLineBytes: flags.maxLineBytes,
    strict: flags.strict ?? false,
    normalize: { fieldOverrides: flags.field, timeUnit: flags.timeUnit },
    signal: io.signal,
  };
}

/** Output settings resolved once: colour, width, redaction. */
export interface OutputSettings {
  palette: Palette;
  /** Width for drawings (bars, axes): --width, else the terminal, else 100. */
  width: number;
  /**
   * Width every text row must fit: --width, else the terminal; piped output is not cut (people grep it).
   * Tables are laid out to it; other rows are cut with '…' (render/display-width.ts fitLines).
   */
  tableWidth: number;
  redact: boolean;
}

export function outputSettings(flags: CommonFlags, io: Io): OutputSettings {
  const palette = choosePalette(flags.color, io.env, io.stdoutIsTTY);
  const width = flags.width ?? (io.stdoutIsTTY && io.columns ? io.columns : 100);
  const tableWidth = flags.width ?? (io.stdoutIsTTY && io.columns ? io.columns : Infinity);
  return { palette, width, tableWidth, redact: flags.redact };
}

const RELATIVE = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const REL_US: Record<string, number> = { s: 1e6, m: 60e6, h: 3600e6, d: 86400e6, w: 604800e6 };

/** --since/--until: an ISO time, an epoch, or a span back from now ("15m"). */
export function timeArg(v: string | undefined, nowMs: number, flag: string): Micros | undefined {
  if (v === undefined) return undefined;
  const rel = RELATIVE.exec(v.trim());
  if (rel) return nowMs * 1000 - Number(rel[1]) * REL_US[rel[2]!]!;
  const t = parseTimeValue(v.trim());
  if (!t) throw new UsageError(`${flag}: cannot read '${v}' as a time (use ISO 8601 like 2024-05-01T10:00:00Z, or 15m, 2h)`);
  return t.us;
}
