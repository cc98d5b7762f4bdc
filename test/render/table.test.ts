import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/display-width.js';
import { colorPalette, plainPalette } from '../../src/render/palette.js';
import { displaySlice } from './display-slice.js';
import { fitWidths, renderTable, renderTableInPieces, type Column } from '../../src/render/table.js';

const columns: Column[] = [
  { header: 'TRACE' },
  { header: 'DURATION', align: 'right' },
  { header: 'SERVICES', flex: true, minWidth: 10 },
  { header: 'ROOT', flex: true, minWidth: 10 },
];

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => [
    (i * 7919).toString(16).padStart(32, '0'),
    `${(i % 997) + 1}ms`,
    ['api', 'db', 'web'].slice(0, (i % 3) + 1).join(','),
    i % 5 === 0 ? 'GET /orders/{id} with a rather long operation name' : `op ${i}`,
  ]);

/** Non-ASCII cells: wide (CJK), emoji (ZWJ, skin tone, VS16), combining marks, zero-width characters. */
const unicodeRows = (n: number) =>
  Array.from({ length: n }, (_, i) => [
    ['注文サービス', 'pa😀😀😀', 'cafe\u0301', 'a\u200bb', '👩‍👩‍👧 family', '❤️ love', 'plain'][i % 7]!,
    `${(i % 997) + 1}ms`,
    ['api', '決済', 'web👍🏽'].slice(0, (i % 3) + 1).join(','),
    i % 4 === 0 ? '注文を確定する GET /orders/{id} 🇯🇵 with a rather long name' : `op ${i} ñ\u0303`,
  ]);

/** Each column's first display column at these widths. */
function columnStarts(widths: readonly number[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const w of widths) {
    starts.push(at);
    at += w + 2;
  }
  return starts;
}

describe('renderTable', () => {
  it('lays out columns two spaces apart, right-aligned numbers, no trailing space', () => {
    const text = renderTable(columns, [['a', '1ms', 'api', 'GET /x'], ['bb', '20ms', 'db', '']], Infinity, plainPalette);
    expect(text).toBe('TRACE  DURATION  SERVICES  ROOT\na           1ms  api       GET /x\nbb         20ms  db\n');
  });

  it('trims line ends: empty last cells, trailing spaces and non-breaking spaces', () => {
    const r = [
      ['a', '1ms', 'api', ''],
      ['c', '3ms', 'db', 'ends in space '],
      ['d', '4ms', 'web', 'ends in nbsp:\u00a0'],
    ];
    for (const line of renderTable(columns, r, Infinity, plainPalette).split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('stays linear (100,000 rows)', () => {
    const out = renderTable(columns, rows(100_000), 120, plainPalette);
    expect(out.split('\n')).toHaveLength(100_002);
  });

  it('aligns and fits non-ASCII rows by display width, small and large tables alike (3 and 600 rows)', () => {
    for (const n of [3, 600]) {
      for (const width of [Infinity, 70, 50]) {
        const r = unicodeRows(n);
        const text = renderTable(columns, r, width, plainPalette);
        const lines = text.slice(0, -1).split('\n');
        expect(lines).toHaveLength(n + 1);
        // The widths it used: the header's columns start where every row's do.
        const natural = columns.map((c, k) => Math.max(displayWidth(c.header), ...r.map((row) => displayWidth(row[k]!))));
        const widths = fitWidths(columns, natural, width);
        const starts = columnStarts(widths);
        for (const line of lines) {
          expect(displayWidth(line)).toBeLessThanOrEqual(width);
          expect(/[\ud800-\udfff]/u.test(line)).toBe(false);
          // Two spaces before every column but the first, at the same display column on every line.
          for (let k = 1; k < starts.length; k++) expect(displaySlice(line, starts[k]! - 2, starts[k]!)).toBe('  ');
        }
        // The first column's cells as they are, or cut with '…' at a grapheme boundary.
        for (let i = 0; i < n; i++) {
          const cell = displaySlice(lines[i + 1]!, 0, widths[0]!).trimEnd();
          expect(r[i]![0] === cell || (cell.endsWith('…') && r[i]![0]!.startsWith(cell.slice(0, -1)))).toBe(true);
        }
      }
    }
  });

  it('fits a narrow width: flexible columns first, then cutTo columns and flexible ones to their header, then the line', () => {
    const cols: Column[] = [{ header: 'TRACE', cutTo: 8 }, { header: 'DURATION', align: 'right' }, { header: 'ROOT', flex: true, minWidth: 10 }];
    expect(fitWidths(cols, [32, 8, 40], 60)).toEqual([32, 8, 16]);
    expect(fitWidths(cols, [32, 8, 40], 40)).toEqual([18, 8, 10]);
    expect(fitWidths(cols, [32, 8, 40], 28)).toEqual([8, 8, 8]);
    expect(fitWidths(cols, [32, 8, 40], 20)).toEqual([8, 8, 4]);
    const text = renderTable(cols, [['0123456789abcdef0123456789abcdef', '12ms', '注文サービス GET /orders']], 20, plainPalette);
    for (const line of text.slice(0, -1).split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(20);
    expect(text.split('\n')[1]).toBe('0123456…      12ms …');
  });

  it('in pieces, gives renderTable\'s text line for line, decorated rows included', () => {
    for (const n of [0, 1, 7, 500, 501, 1_234]) {
      for (const width of [Infinity, 70]) {
        for (const palette of [plainPalette, colorPalette()]) {
          const r = n % 2 === 0 ? rows(n) : unicodeRows(n);
          let calls = 0;
          const source = { count: n, cells: (i: number) => (calls++, r[i]!) };
          const pieces = [...renderTableInPieces(columns, source, width, palette, 100)];
          const whole = renderTable(columns, r, width, palette);
          expect(pieces.join('')).toBe(whole);
          // written in pieces of at most 100 rows, each row's cells made twice (measured, then written)
          expect(pieces.length).toBe(Math.max(1, Math.ceil(n / 100)));
          expect(calls).toBe(2 * n);
          const marked = (line: string, i: number) => (i % 3 === 0 ? `<${line}>` : line);
          const decorated = [...renderTableInPieces(columns, { ...source, decorate: marked }, width, palette, 100)].join('');
          const expected = whole
            .split('\n')
            .map((line, k) => (k >= 1 && k <= n ? marked(line, k - 1) : line))
            .join('\n');
          expect(decorated).toBe(expected);
        }
      }
    }
  });
});
