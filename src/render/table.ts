import { cutToWidth, displayWidth, fitLine } from './display-width.js';
import type { Palette } from './palette.js';
import { spaces } from './format.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Flexible columns give up width (from the right end of their text) when the table is too wide. */
  flex?: boolean;
  minWidth?: number;
  /**
   * Where flexible columns at their minimum still leave the table too wide: this column is cut too, down
   * to this width (a trace id to the 8 characters a command accepts as a prefix). Flexible columns then
   * go down to their header's width.
   */
  cutTo?: number;
}

/**
 * Columns separated by two spaces, no borders, like `kubectl get`: easy to read, to grep and to paste.
 * Cells must already be sanitised; the table measures them by display width (display-width.ts: a CJK
 * character takes two columns, a combining mark none), cuts columns so the whole row fits `width`, and
 * pads. One layout for every size of table: cli-table3 lays out in time that grows with the square of
 * the rows (docs/DECISIONS.md, D3).
 */
export function renderTable(columns: readonly Column[], rows: readonly string[][], width: number, palette: Palette): string {
  return [...renderTableInPieces(columns, { count: rows.length, cells: (i) => rows[i]! }, width, palette, Infinity)].join('');
}

/** Widens `natural` to hold a row's cells. */
function measureRow(natural: number[], cells: readonly string[]): void {
  for (let i = 0; i < natural.length; i++) {
    const len = displayWidth(cells[i] ?? '');
    if (len > natural[i]!) natural[i] = len;
  }
}

/**
 * The widths to print at: the natural ones; where a row is wider than `width`, flexible columns shrunk
 * (widest first) to their minimum, then the columns with `cutTo` and the flexible ones further down to
 * their floors. What still does not fit is cut at the line's end (renderTableInPieces).
 */
export function fitWidths(columns: readonly Column[], natural: readonly number[], width: number): number[] {
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0) + SEPARATOR.length * (columns.length - 1);
  const header = columns.map((c) => displayWidth(c.header));
  const stages: ((c: Column, i: number) => number | undefined)[] = [
    (c, i) => (c.flex ? Math.max(c.minWidth ?? 8, header[i]!) : undefined),
    (c, i) => (c.flex ? header[i]! : c.cutTo !== undefined ? Math.max(c.cutTo, header[i]!) : undefined),
  ];
  for (const floorOf of stages) {
    const floors = columns.map(floorOf);
    // Shrink the widest column that may still give, down to its floor, one at a time.
    while (total > width) {
      let best = -1;
      for (let i = 0; i < columns.length; i++) {
        const floor = floors[i];
        if (floor !== undefined && widths[i]! > floor && (best < 0 || widths[i]! > widths[best]!)) best = i;
      }
      if (best < 0) break;
      const cut = Math.min(total - width, widths[best]! - floors[best]!);
      widths[best]! -= cut;
      total -= cut;
    }
  }
  return widths;
}

const SEPARATOR = '  ';

/** Rows given one at a time, by number, to a table written in pieces. */
export interface TableSource {
  count: number;
  /** The (sanitised) cells of row i; called twice per row, so it should be cheap and keep nothing. */
  cells(i: number): readonly string[];
  /** A finished line of row i (padded, cut) as it should print, e.g. coloured; the line as is by default. */
  decorate?(line: string, i: number): string;
}

/**
 * The table's text, in pieces of `batch` rows: `group` has a row per trace, and its whole table at once
 * (every cell of every row, then the text) took ~33 MB and ~40% of the time in the collector for 52,000
 * rows. The cells are made twice — once to measure, once to write — each pass's garbage dying young.
 */
export function* renderTableInPieces(columns: readonly Column[], rows: TableSource, width: number, palette: Palette, batch = 1000): Generator<string> {
  const decorate = rows.decorate ?? ((line: string) => line);
  const natural = columns.map((c) => displayWidth(c.header));
  for (let i = 0; i < rows.count; i++) measureRow(natural, rows.cells(i));
  const widths = fitWidths(columns, natural, width);
  const fits = widths.reduce((a, b) => a + b, 0) + SEPARATOR.length * (columns.length - 1) <= width;
  const aligned = alignedLine(columns, widths);
  const line = fits ? aligned : (cells: readonly string[]) => fitLine(aligned(cells), width);
  let out = line(columns.map((c) => palette.bold(c.header))) + '\n';
  for (let i = 0; i < rows.count; i++) {
    out += decorate(line(rows.cells(i)), i) + '\n';
    if ((i + 1) % batch === 0) {
      yield out;
      out = '';
    }
  }
  if (out !== '') yield out;
}

/**
 * One row's line at these widths: each cell cut to its column's display width and padded to it, columns
 * two spaces apart, no trailing space. By concatenation, with the padding strings made once, and each
 * cell measured once where it fits (most do): a row per trace runs to hundreds of thousands.
 */
function alignedLine(columns: readonly Column[], widths: readonly number[]): (cells: readonly string[]) => string {
  const right = columns.map((c) => c.align === 'right');
  // Cells cut before, per column: a large table repeats its services and operations on many rows.
  const cuts = columns.map(() => new Map<string, string>());
  const cutCell = (cell: string, i: number): string => {
    const seen = cuts[i]!;
    let cut = seen.get(cell);
    if (cut === undefined) {
      cut = cutToWidth(cell, widths[i]!);
      if (seen.size >= 4096) seen.clear();
      seen.set(cell, cut);
    }
    return cut;
  };
  return (cells) => {
    let out = '';
    for (let i = 0; i < cells.length; i++) {
      let cell = cells[i]!;
      let width = displayWidth(cell);
      if (width > widths[i]!) {
        cell = cutCell(cell, i);
        width = displayWidth(cell);
      }
      const pad = spaces(widths[i]! - width);
      out += (i > 0 ? SEPARATOR : '') + (right[i] ? pad + cell : cell + pad);
    }
    // trimEnd only where there is something to trim (it copies the line); any whitespace, as trimEnd has it.
    const last = out.charCodeAt(out.length - 1);
    return last <= 0x20 || last >= 0x80 ? out.trimEnd() : out;
  };
}
