// The rows `--follow` prints as it goes, when stdout is a pipe or a file: one line per completed trace
// (group), failing trace's origin (errors) or trace entering the top N (slowest), in columns of fixed
// width, so `awk`, `cut` and `sort` read them as they come. Log text is cleaned and redacted as in the
// tables; a column that would overflow is cut with '…', never allowed to shift the ones after it.
//
// A trace id marked '+' is an update: the whole trace again, with the lines that came after it was shown
// (late lines). Where the trace was no longer kept, the update is its late lines alone, and the row says
// so at its end: FRAGMENT_NOTE.
//
//   group             TRACE  START  DURATION  ENTRIES  SPANS  ERRORS  SERVICES  ROOT
//   errors            TIME  TRACE  ORIGIN (service operation)  MESSAGE
//   errors --summary  ROW  COUNT  ORIGIN  MESSAGE                 running totals, then the final table
//   slowest           ROW  RANK  DURATION  TRACE  START  ROOT     running ranks, then the final table
//
// The board (a terminal) is the command's own table with a status line under it (liveStatus).
import type { GroupRow } from '../analyze/group-rows.js';
import type { ErrorGroup } from '../analyze/error-paths.js';
import type { SlowTraceRow } from '../analyze/slowest.js';
import type { TraceErrors } from './errors-output.js';
import { cutToWidth, fitLine, padEndWidth, padStartWidth } from './display-width.js';
import { formatDuration, formatTime, withThousands } from './format.js';
import { redactText } from './redact.js';
import { clean } from './sanitize.js';

/** How a completed trace is shown: the first time, again whole (an update), or its late lines alone. */
export type Shown = 'first' | 'update' | 'fragment';

/** Ends the row of a fragment: never to be read as the whole trace. */
export const FRAGMENT_NOTE = '[fragment: late lines only]';

const withNote = (last: string, shown: Shown): string => (shown === 'fragment' ? `${last} ${FRAGMENT_NOTE}`.trimStart() : last);

/** A cell of width `w`: cut with '…' when longer, padded when shorter. */
function cell(text: string, w: number, right = false): string {
  const cut = cutToWidth(text, w);
  return right ? padStartWidth(cut, w) : padEndWidth(cut, w);
}

const ID = 32;
const TIME = 26;
const DUR = 9;
const NUM = 7;
const SERVICES = 28;
const ORIGIN = 36;

export const LIVE_GROUP_HEADER = [cell('TRACE', ID + 1), cell('START', TIME), cell('DURATION', DUR, true), cell('ENTRIES', NUM, true), cell('SPANS', NUM, true), cell('ERRORS', NUM, true), cell('SERVICES', SERVICES), 'ROOT'].join('  ');

/** An update (the trace again, with its late lines) marked '+'. */
export function liveGroupLine(r: GroupRow, redact: boolean, shown: Shown = 'first'): string {
  const update = shown !== 'first';
  const root = [r.rootService, r.root === undefined ? undefined : redactText(r.root, redact)].filter((x) => x !== undefined).map(clean).join(' ');
  return [
    cell(clean(r.traceId) + (r.idKind === 'correlation' ? '*' : '') + (update ? '+' : ''), ID + 1),
    cell(formatTime(r.start), TIME),
    cell(formatDuration(r.duration ?? Number.NaN), DUR, true),
    cell(String(r.entries), NUM, true),
    cell(String(r.spans), NUM, true),
    cell(String(r.errors), NUM, true),
    cell(r.services.map(clean).join(','), SERVICES),
    withNote(root, shown),
  ].join('  ');
}

export const LIVE_ERRORS_HEADER = [cell('TIME', TIME), cell('TRACE', ID + 1), cell('ORIGIN', ORIGIN), 'MESSAGE'].join('  ');

/** A failing trace's origin, in one line. */
export function liveErrorLine(t: TraceErrors, redact: boolean, shown: Shown = 'first'): string {
  const o = t.paths[0]!.origin;
  const safe = (text: string): string => clean(redactText(text, redact));
  return [cell(formatTime(o.errorAt), TIME), cell(clean(t.traceId) + (shown !== 'first' ? '+' : ''), ID + 1), cell(`${clean(o.service)} ${safe(o.operation)}`, ORIGIN), withNote(o.message !== undefined ? safe(o.message) : '(no message)', shown)].join('  ');
}

/**
 * The first cell of a running row: a count or a rank so far, not the answer, which is the final table
 * printed at the end of input or on Ctrl-C (the command's own, as without --follow). `grep -v '^running'`
 * leaves the final table.
 */
const RUNNING = 'running';
const ROW = 7;

export const LIVE_SUMMARY_HEADER = [cell('ROW', ROW), cell('COUNT', NUM, true), cell('ORIGIN', ORIGIN), 'MESSAGE'].join('  ');

/** errors --summary: the group a failing trace's origin joined (or left), with its count so far. */
export function liveErrorGroupLine(g: ErrorGroup, redact: boolean): string {
  return [cell(RUNNING, ROW), cell(String(g.count), NUM, true), cell(`${clean(g.service)} ${clean(redactText(g.operation, redact))}`, ORIGIN), clean(redactText(g.message, redact))].join('  ');
}

/** A running row's JSON line (an object, without its newline) marked `"running":true`. */
export function markRunning(json: string): string {
  return json.replace(/}$/, ',"running":true}');
}

export const LIVE_SLOWEST_HEADER = [cell('ROW', ROW), cell('RANK', 4, true), cell('DURATION', DUR, true), cell('TRACE', ID + 1), cell('START', TIME), 'ROOT'].join('  ');

/** A trace that entered the top N, at its rank; `update`: a trace shown before, whole again with its late lines ('+'). */
export function liveSlowLine(r: SlowTraceRow, rank: number, redact: boolean, update = false): string {
  const root = [r.rootService, r.rootOperation === undefined ? undefined : redactText(r.rootOperation, redact)].filter((x) => x !== undefined).map(clean).join(' ');
  return [cell(RUNNING, ROW), cell(String(rank), 4, true), cell(formatDuration(r.duration), DUR, true), cell(clean(r.traceId) + (update ? '+' : ''), ID + 1), cell(formatTime(r.start), TIME), root].join('  ');
}

export interface LiveStatus {
  lines: number;
  linesPerSecond: number;
  open: number;
  late: number;
  ended: boolean;
}

/** The board's status line. */
export function liveStatus(s: LiveStatus): string {
  const rate = Number.isFinite(s.linesPerSecond) ? `${withThousands(Math.round(s.linesPerSecond))} lines/s` : '';
  return [`${withThousands(s.lines)} lines`, rate, `${withThousands(s.open)} open traces`, `${withThousands(s.late)} late lines`, s.ended ? 'ended' : 'following (Ctrl-C to stop)'].filter((x) => x !== '').join(' · ');
}

/**
 * A board: the cursor home, the screen cleared, the table cut to the window (its first rows, which are
 * the top ones), the status line last. `rows`: the window's height.
 */
export function liveBoard(table: string, status: string, width: number, rows: number): string {
  const lines = table.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const room = Math.max(1, rows - 2);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), `… ${lines.length - room + 1} more rows`] : lines;
  return '\x1b[H\x1b[2J' + shown.map((l) => fitLine(l, width)).join('\n') + '\n\n' + cutToWidth(status, width);
}
