import { describe, expect, it } from 'vitest';
import { colorPalette, plainPalette } from '../../src/render/palette.js';
import { CLI_TABLE3_MAX_ROWS, renderAligned, renderTable, renderTableInPieces, renderWithCliTable3, type Column } from '../../src/render/table.js';

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

describe('renderTable', () => {
  it('the direct layout gives the same text as cli-table3 (plain and coloured, cut to fit or not)', () => {
    for (const width of [Infinity, 120, 70]) {
      for (const palette of [plainPalette, colorPalette()]) {
        const r = rows(60);
        const widths = [32, 8, 11, 20].map((w, i) => Math.max(w, columns[i]!.header.length));
        expect(renderAligned(columns, r, widths, palette)).toBe(renderWithCliTable3(columns, r, widths, palette));
        // and through the public entry, below and above the cli-table3 limit
        const small = renderTable(columns, r, width, palette);
        expect(small.split('\n')[0]).toContain('TRACE');
      }
    }
  });

  it('trims line ends as cli-table3 does: empty last cells, trailing spaces and non-breaking spaces', () => {
    const r = [
      ['a', '1ms', 'api', ''],
      ['b', '2ms', '', ''],
      ['c', '3ms', 'db', 'ends in space '],
      ['d', '4ms', 'web', 'ends in nbsp:\u00a0'],
      ['e', '', '', '\u00a0'],
    ];
    const widths = [5, 8, 10, 14]; // the last column as wide as its widest cell: nothing padded after it
    for (const palette of [plainPalette, colorPalette()]) {
      expect(renderAligned(columns, r, widths, palette)).toBe(renderWithCliTable3(columns, r, widths, palette));
    }
  });

  it('switches to the direct layout for large tables and stays linear (100,000 rows)', () => {
    const out = renderTable(columns, rows(100_000), 120, plainPalette);
    expect(out.split('\n')).toHaveLength(100_002);
  });

  it('in pieces, gives renderTable\'s text line for line, decorated rows included, on both sides of the cli-table3 limit', () => {
    for (const n of [0, 1, 7, CLI_TABLE3_MAX_ROWS, CLI_TABLE3_MAX_ROWS + 1, 2_345]) {
      for (const width of [Infinity, 70]) {
        for (const palette of [plainPalette, colorPalette()]) {
          const r = rows(n);
          let calls = 0;
          const source = { count: n, cells: (i: number) => (calls++, r[i]!) };
          const pieces = [...renderTableInPieces(columns, source, width, palette, 100)];
          const whole = renderTable(columns, r, width, palette);
          expect(pieces.join('')).toBe(whole);
          // written in pieces of at most 100 rows past the limit, at once below it
          expect(pieces.length).toBe(n > CLI_TABLE3_MAX_ROWS ? Math.ceil(n / 100) : 1);
          expect(calls).toBe(n > CLI_TABLE3_MAX_ROWS ? 2 * n : n);
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
