// Issue 29, item 4: every text renderer fits `--width` by display width (CJK and emoji two columns,
// combining marks and zero-width characters none), cuts by grapheme cluster, and keeps table columns
// aligned, for small tables and large ones alike. fixtures/unicode/: services and operations in CJK,
// emoji (ZWJ family, VS16), combining marks and a zero-width space; 3 traces, and 600.
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/display-width.js';
import { axis } from '../../src/render/timeline-text.js';
import { displaySlice } from '../render/display-slice.js';
import { fixture, runCli } from './run-cli.js';

const SMALL = fixture('unicode/services.spans.jsonl');
const MANY = fixture('unicode/many-services.spans.jsonl');
const ID = 'a0a0';

const COMMANDS: string[][] = [
  ['group'],
  ['slowest'],
  ['slowest', '--by', 'span'],
  ['slowest', '--by', 'operation'],
  ['latency'],
  ['latency', '--by', 'operation'],
  ['errors'],
  ['errors', '--summary'],
  ['services'],
  ['tree', ID],
  ['tree', ID, '--expand'],
  ['timeline', ID],
  ['critical-path', ID],
];

const lines = (text: string) => text.replace(/\n$/, '').split('\n');
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * Checks a table's rows against its header: a left-aligned column's cell starts where its header does,
 * a right-aligned one ends where its header ends, with two spaces before each column (only columns whose
 * header is shown whole: a line cut at the width loses its last ones).
 */
function expectAligned(table: string[], right: ReadonlySet<string>): void {
  const header = table[0]!;
  const found: { name: string; from: number; to: number }[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
    const from = displayWidth(header.slice(0, m.index));
    if (m[0].endsWith('…')) break;
    found.push({ name: m[0], from, to: from + displayWidth(m[0]) });
  }
  expect(found.length).toBeGreaterThan(2);
  for (const line of table.slice(1)) {
    for (const [k, c] of found.entries()) {
      if (right.has(c.name)) {
        // the cell's last character at the header's end, and two spaces after it
        expect(displaySlice(line, c.to - 1, c.to).trim(), `${c.name} in ${JSON.stringify(line)}`).not.toBe('');
        if (k < found.length - 1) expect(displaySlice(line, c.to, c.to + 2)).toBe('  ');
      } else {
        // two spaces before the cell, and the cell starting at the header's start
        if (k > 0) expect(displaySlice(line, c.from - 2, c.from), `${c.name} in ${JSON.stringify(line)}`).toBe('  ');
        expect(displaySlice(line, c.from, c.from + 2).trimStart(), `${c.name} in ${JSON.stringify(line)}`).not.toBe('');
      }
    }
  }
}

describe('--width on non-ASCII input (issue 29)', () => {
  it.each(COMMANDS.map((argv) => [argv.join(' '), argv]))('tracectl %s: every line fits the width, no split characters', async (_name, argv) => {
    for (const width of [40, 50, 60, 80, 120]) {
      for (const file of argv[0] === 'tree' || argv[0] === 'timeline' || argv[0] === 'critical-path' ? [SMALL] : [SMALL, MANY]) {
        const r = await runCli([...argv, '--width', String(width), file]);
        expect(r.code, r.stderr).toBe(0);
        for (const line of lines(r.stdout)) {
          expect(displayWidth(line), `${width}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
          expect(LONE_SURROGATE.test(line)).toBe(false);
        }
      }
    }
  });

  it('honours the terminal width the same way, coloured', async () => {
    for (const argv of COMMANDS) {
      const r = await runCli([...argv, '--color', 'always', SMALL], { tty: true, columns: 60, env: {} });
      for (const line of lines(r.stdout)) expect(displayWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(60);
    }
  });

  it('group keeps its columns aligned by display width at 3 and 600 rows, wide or cut to fit', async () => {
    const right = new Set(['DURATION', 'ENTRIES', 'SPANS', 'ERRORS']);
    for (const file of [SMALL, MANY]) {
      for (const width of [200, 120, 60]) {
        const r = await runCli(['group', '--width', String(width), file]);
        const table = lines(r.stdout);
        expect(table).toHaveLength(file === SMALL ? 4 : 601);
        expectAligned(table, right);
      }
    }
    // Wide enough: every service name whole, CJK and emoji included.
    const wide = await runCli(['group', '--width', '200', SMALL]);
    expect(wide.stdout).toContain('fam👩‍👩‍👧,search🔍,注文サービス');
    expect(wide.stdout).toContain('cafe\u0301-api');
    expect(wide.stdout).toContain('GET /注文/{id}\n');
  });

  it('slowest and latency tables stay aligned on non-ASCII rows', async () => {
    const slow = await runCli(['slowest', '--width', '200', MANY]);
    expectAligned(lines(slow.stdout).slice(0, 11), new Set(['#', 'DURATION', 'SPANS', 'ERRORS']));
    const lat = await runCli(['latency', '--by', 'operation', '--width', '200', MANY]);
    expectAligned(lines(lat.stdout).slice(0, 7), new Set(['COUNT', 'ERRORS', 'ERR%', 'TOTAL', 'SELF', 'SELF%', 'P50', 'P90', 'P95', 'P99', 'MAX', 'MIN', 'AVG']));
  });

  it('timeline --width 50 has no colliding axis labels', async () => {
    const r = await runCli(['timeline', ID, '--width', '50', SMALL]);
    const axisLine = lines(r.stdout)[1]!;
    // the bar leaves room for the error markers: 10 columns, room for the two ends only
    expect(axisLine.trim().split(/ +/)).toEqual(['0', '120ms']);
    const wider = await runCli(['timeline', ID, '--width', '90', SMALL]);
    expect(lines(wider.stdout)[1]!.trim().split(/ +/)).toEqual(['0', '30ms', '60ms', '120ms']);
  });

  it('axis labels never touch, at any width', () => {
    for (const total of [1, 999, 2_460_000, 4_910_000, 59_990_000, 3_599_000_000]) {
      for (let width = 10; width <= 120; width++) {
        const text = axis(total, width);
        expect(text.length).toBeLessThanOrEqual(width);
        const labels = text.trim().split(/ +/);
        expect(labels[0]).toBe('0');
        for (const l of labels) expect(l).toMatch(/^(0|-?[\d.]+(µs|ms|s)|\d+m\d\ds|\d+h\d\dm)$/);
      }
    }
  });
});
