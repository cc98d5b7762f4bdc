import type { GroupRow } from '../analyze/group-rows.js';
import { formatDuration, formatTime, isoMicros } from './format.js';
import { terminalSafeJson } from './json-text.js';
import type { Palette } from './palette.js';
import { redactText } from './redact.js';
import { clean } from './sanitize.js';
import { renderTableInPieces, type Column } from './table.js';

const COLUMNS: Column[] = [
  { header: 'TRACE', cutTo: 8 },
  { header: 'START' },
  { header: 'DURATION', align: 'right' },
  { header: 'ENTRIES', align: 'right' },
  { header: 'SPANS', align: 'right' },
  { header: 'ERRORS', align: 'right' },
  { header: 'SERVICES', flex: true, minWidth: 10 },
  { header: 'ROOT', flex: true, minWidth: 10 },
];

/**
 * The table of `group`, in pieces to write one after another (a row per trace: hundreds of thousands;
 * renderTableInPieces), then the footnote when some ids are correlation ids.
 */
export function* groupTablePieces(rows: readonly GroupRow[], width: number, p: Palette, redact = true): Generator<string> {
  const cells = new GroupCells(redact);
  yield* renderTableInPieces(
    COLUMNS,
    {
      count: rows.length,
      cells: (i) => cells.of(rows[i]!),
      // Rows with errors in red; the header stays as it is.
      decorate: p.enabled ? (line, i) => (rows[i]!.errors > 0 ? p.error(line) : line) : undefined,
    },
    width,
    p,
  );
  if (rows.some((r) => r.idKind === 'correlation')) yield p.dim('* a correlation/request id, not a trace id: no span tree behind it\n');
}

/**
 * A row's cells. Each row's are made twice (renderTableInPieces measures, then writes) for tens of
 * thousands of rows, and most of their text repeats: a trace's services are a list shared with every
 * trace like it (shared-lists.ts), joined once per list here, and root operations are few, cleaned
 * once each.
 */
class GroupCells {
  private readonly services = new Map<readonly string[], string>();
  private readonly roots = new Map<string, string>();

  /** `redact`: secret text in a root operation (one taken from a log message) shown as [REDACTED]. */
  constructor(private readonly redact: boolean) {}

  of(r: GroupRow): string[] {
    return [
      clean(r.traceId) + (r.idKind === 'correlation' ? '*' : ''),
      formatTime(r.start),
      formatDuration(r.duration ?? NaN),
      String(r.entries),
      String(r.spans),
      r.errors > 0 ? String(r.errors) : '0',
      this.servicesOf(r.services),
      this.rootOf(r.rootService, r.root),
    ];
  }

  private servicesOf(list: readonly string[]): string {
    let text = this.services.get(list);
    if (text === undefined) this.services.set(list, (text = list.map(clean).join(',')));
    return text;
  }

  /** "service operation", as `slowest` shows a trace's root. */
  private rootOf(service: string | undefined, operation: string | undefined): string {
    const key = `${service ?? ''}\u0000${operation ?? ''}`;
    let text = this.roots.get(key);
    if (text === undefined) this.roots.set(key, (text = [service, operation === undefined ? undefined : redactText(operation, this.redact)].filter((x) => x !== undefined).map(clean).join(' ')));
    return text;
  }
}

/**
 * `group --json`, one object per trace per line. The schema (stable; README "JSON output"):
 *   traceId, idKind ('trace'|'correlation'), start (ISO 8601 UTC with µs, or null), startUs (epoch µs or
 *   null), durationUs (or null), entries, spans, errors, services (sorted), root (its operation, or null),
 *   rootService (or null)
 */
export function groupRowJson(r: GroupRow): string {
  return new GroupJsonLines().text([r], 0, 1).slice(0, -1);
}

/**
 * `group --json` lines for many rows (groupRowJson's text, each line ending in a newline), as one string
 * per call. Most of a row's JSON repeats: its services are a list shared with many rows (a frozen list per
 * set of services, model/shared-lists.ts) and its root is one of a few operations, so their JSON is made
 * once each (up to MAX_CACHED of each: a log of unique roots cannot grow the caches without end), and
 * the rows are appended to one string per call instead of made one by one and joined.
 */
export class GroupJsonLines {
  private readonly services = new Map<readonly string[], string>();
  private readonly roots = new Map<string, string>();
  private readonly rootServices = new Map<string, string>();

  /** `redact`: secret text in a root operation shown as [REDACTED]. */
  constructor(private readonly redact = true) {}

  /** The lines of rows[from, to). */
  text(rows: readonly GroupRow[], from: number, to: number): string {
    // Written out rather than JSON.stringify of an object made for each row: the same text (the tests
    // hold it to that), at half the cost.
    let out = '';
    for (let i = from; i < to; i++) {
      const r = rows[i]!;
      const start = isoMicros(r.start);
      out +=
        `{"traceId":${JSON.stringify(r.traceId)},"idKind":"${r.idKind}","start":${start === null ? 'null' : `"${start}"`},` +
        `"startUs":${jsonNumber(r.start)},"durationUs":${jsonNumber(r.duration)},"entries":${jsonNumber(r.entries)},"spans":${jsonNumber(r.spans)},` +
        `"errors":${jsonNumber(r.errors)},"services":${this.servicesOf(r.services)},"root":${r.root === undefined ? 'null' : this.rootOf(r.root, true)},` +
        `"rootService":${r.rootService === undefined ? 'null' : this.rootOf(r.rootService, false)}}\n`;
    }
    return terminalSafeJson(out);
  }

  private servicesOf(list: readonly string[]): string {
    let json = this.services.get(list);
    if (json === undefined) {
      json = JSON.stringify(list);
      if (this.services.size < MAX_CACHED) this.services.set(list, json);
    }
    return json;
  }

  /** A root operation (`operation`: its secret text redacted) or service as JSON, made once per distinct one. */
  private rootOf(root: string, operation: boolean): string {
    const cache = operation ? this.roots : this.rootServices;
    let json = cache.get(root);
    if (json === undefined) {
      json = JSON.stringify(operation ? redactText(root, this.redact) : root);
      if (cache.size < MAX_CACHED) cache.set(root, json);
    }
    return json;
  }
}

const MAX_CACHED = 4096;

/** A number as JSON.stringify writes it (null for undefined, NaN and ±Infinity). */
function jsonNumber(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? 'null' : String(x);
}
