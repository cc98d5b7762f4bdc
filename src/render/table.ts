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
  for (const r of rows) {
    for (let i = 0; i < natural.length; i++) {
      const len = (r[i] ?? '').length;
      if (len > natural[i]!) natural[i] = len;
    }
  }
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
  if (rows.length > CLI_TABLE3_MAX_ROWS) return renderAligned(columns, rows, widths, palette);
  return renderWithCliTable3(columns, rows, widths, palette);
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
  const right = columns.map((c) => c.align === 'right');
  const line = (cells: readonly string[]): string => {
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
  let out = line(columns.map((c) => palette.bold(c.header))) + '\n';
  for (const row of rows) out += line(row.map((cell, i) => truncate(cell, widths[i]!))) + '\n';
  return out;
}

const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(s: string): number {
  return s.includes('\u001b') ? s.replace(ANSI, '').length : s.length;
}
