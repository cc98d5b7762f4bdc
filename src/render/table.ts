import Table from 'cli-table3';
import type { Palette } from './palette.js';
import { spaces, truncate } from './format.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Flexible columns give up width (from the right end of their text) when the table is too wide. */
  flex?: boolean;
  minWidth?: number;
}

/**
 * Columns separated by two spaces, no borders, like `kubectl get`: easy to read, to grep and to paste.
 * Cells must already be sanitised; the table only measures, truncates flexible columns so the whole row
 * fits `width`, and pads. cli-table3 does the layout; it is told the widths we computed so its own
 * wrapping never splits a cell across lines.
 */
export function renderTable(columns: readonly Column[], rows: readonly string[][], width: number, palette: Palette): string {
  // Widths in one pass over the rows (group has a row per trace: hundreds of thousands).
  const natural = columns.map((c) => c.header.length);
  for (const r of rows) measureRow(natural, r);
  const widths = fitWidths(columns, natural, width);
  if (rows.length > CLI_TABLE3_MAX_ROWS) return renderAligned(columns, rows, widths, palette);
  return renderWithCliTable3(columns, rows, widths, palette);
}

/** Widens `natural` to hold a row's cells. */
function measureRow(natural: number[], cells: readonly string[]): void {
  for (let i = 0; i < natural.length; i++) {
    const len = (cells[i] ?? '').length;
    if (len > natural[i]!) natural[i] = len;
  }
}

/** The widths to print at: the natural ones, flexible columns shrunk until a row fits `width`. */
function fitWidths(columns: readonly Column[], natural: readonly number[], width: number): number[] {
  const sep = 2;
  let total = natural.reduce((a, b) => a + b, 0) + sep * (columns.length - 1);
  const widths = [...natural];
  // Shrink the widest flexible column first, one step at a time, down to its minimum.
  while (total > width) {
    let best = -1;
    for (let i = 0; i < columns.length; i++) {
      const min = Math.max(columns[i]!.minWidth ?? 8, columns[i]!.header.length);
      if (columns[i]!.flex && widths[i]! > min && (best < 0 || widths[i]! > widths[best]!)) best = i;
    }
    if (best < 0) break;
    const cut = Math.min(total - width, widths[best]! - Math.max(columns[best]!.minWidth ?? 8, columns[best]!.header.length));
    widths[best]! -= cut;
    total -= cut;
  }
  return widths;
}

/** Rows given one at a time, by number, to a table written in pieces. */
export interface TableSource {
  count: number;
  /** The (sanitised) cells of row i; called twice per row, so it should be cheap and keep nothing. */
  cells(i: number): readonly string[];
  /** A finished line of row i (padded, cut) as it should print, e.g. coloured; the line as is by default. */
  decorate?(line: string, i: number): string;
}

/**
 * renderTable's text, in pieces of `batch` rows, for tables too long to hold: `group` has a row per trace,
 * and its whole table at once (every cell of every row, then the text) took ~33 MB and ~40% of the time
 * in the collector for 52,000 rows. The cells are made twice — once to measure, once to write — each
 * pass's garbage dying young. Joined, the pieces are renderTable's text with `decorate` applied per line.
 */
export function* renderTableInPieces(columns: readonly Column[], rows: TableSource, width: number, palette: Palette, batch = 1000): Generator<string> {
  const decorate = rows.decorate ?? ((line: string) => line);
  if (rows.count <= CLI_TABLE3_MAX_ROWS) {
    const all: string[][] = [];
    for (let i = 0; i < rows.count; i++) all.push([...rows.cells(i)]);
    const text = renderTable(columns, all, width, palette);
    if (rows.decorate === undefined) return yield text;
    const lines = text.split('\n');
    for (let i = 0; i < rows.count; i++) if (lines[i + 1] !== undefined) lines[i + 1] = decorate(lines[i + 1]!, i);
    return yield lines.join('\n');
  }
  const natural = columns.map((c) => c.header.length);
  for (let i = 0; i < rows.count; i++) measureRow(natural, rows.cells(i));
  const widths = fitWidths(columns, natural, width);
  const line = alignedLine(columns, widths);
  let out = line(columns.map((c) => palette.bold(c.header))) + '\n';
  for (let i = 0; i < rows.count; i++) {
    out += decorate(line(rows.cells(i).map((cell, k) => truncate(cell, widths[k]!))), i) + '\n';
    if ((i + 1) % batch === 0) {
      yield out;
      out = '';
    }
  }
  if (out !== '') yield out;
}

/**
 * cli-table3 lays a table out in time that grows faster than the number of rows (20,000 rows took 49 s
 * and 40,000 took 240 s here; docs/DECISIONS.md), and `group` can have hundreds of thousands. Past this
 * many rows the same layout is written directly: both paths give the same text (test/render/table.test.ts).
 */
export const CLI_TABLE3_MAX_ROWS = 500;

export function renderWithCliTable3(columns: readonly Column[], rows: readonly string[][], widths: readonly number[], palette: Palette): string {
  const table = new Table({
    head: columns.map((c) => palette.bold(c.header)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: [...widths],
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
    truncate: '…',
  });
  for (const row of rows) table.push(row.map((cell, i) => truncate(cell, widths[i]!)));
  // cli-table3 pads the last column too; trailing spaces only make diffs noisy.
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}

/**
 * The same layout in one pass: pad each (already sanitised, already cut) cell to its column's width. By
 * concatenation, with the padding strings made once: a row per trace runs to hundreds of thousands.
 */
export function renderAligned(columns: readonly Column[], rows: readonly string[][], widths: readonly number[], palette: Palette): string {
  const line = alignedLine(columns, widths);
  let out = line(columns.map((c) => palette.bold(c.header))) + '\n';
  for (const row of rows) out += line(row.map((cell, i) => truncate(cell, widths[i]!))) + '\n';
  return out;
}

/** One row's line at these widths: each cell padded, columns two spaces apart, no trailing space. */
function alignedLine(columns: readonly Column[], widths: readonly number[]): (cells: readonly string[]) => string {
  const right = columns.map((c) => c.align === 'right');
  return (cells) => {
    let out = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      const pad = spaces(widths[i]! - visibleLength(cell));
      out += (i > 0 ? '  ' : '') + (right[i] ? pad + cell : cell + pad);
    }
    // trimEnd only where there is something to trim (it copies the line); any whitespace, as trimEnd has it.
    const last = out.charCodeAt(out.length - 1);
    return last <= 0x20 || last >= 0x80 ? out.trimEnd() : out;
  };
}

const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(s: string): number {
  return s.includes('\u001b') ? s.replace(ANSI, '').length : s.length;
}
