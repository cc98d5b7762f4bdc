// Issue 6, terminal safety: text that came from a log reaches the terminal with its control sequences
// shown as visible escapes, in every text renderer (tables, tree lines, timelines, dot/mermaid, stderr).
// fixtures/hostile/control-chars.jsonl carries one class per span, in its service, operation, error
// message, log message and an attribute value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clean, cleanLines } from '../../src/render/sanitize.js';
import { fixture, runCli } from '../cli/run-cli.js';

const FILE = fixture('hostile/control-chars.jsonl');
const ID = 'c0c0c0c0';

/** Every class the issue names, with the characters the fixture uses and how they must look. */
const CLASSES: Record<string, { raw: string[]; shown: string[] }> = {
  'ESC / CSI': { raw: ['\u001b'], shown: ['\\x1b[31mred\\x1b[0m'] },
  OSC: { raw: ['\u001b', '\u0007'], shown: ['\\x1b]0;pwned\\x07'] },
  'other C0': { raw: ['\u0000', '\u0007', '\u0008', '\r'], shown: ['nul\\x00bel\\x07bs\\x08cr\\r'] },
  DEL: { raw: ['\u007f'], shown: ['del\\x7f'] },
  'C1 (8-bit CSI, NEL)': { raw: ['\u009b', '\u0085'], shown: ['csi\\x9b31m nel\\x85'] },
  'bidi overrides and isolates': { raw: ['\u202e', '\u202c', '\u2066', '\u2069', '\u061c'], shown: ['\\u202eevil\\u202c \\u2066iso\\u2069'] },
  'line and paragraph separators': { raw: ['\u2028', '\u2029'], shown: ['line\\u2028para\\u2029'] },
};

/** Anything a terminal could act on (\n ends our own rows and is allowed). */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u;

const TEXT_COMMANDS: string[][] = [
  ['group'],
  ['tree', ID, '--logs'],
  ['tree', ID, '--expand', '--width', '400'],
  ['timeline', ID, '--width', '400'],
  ['slowest'],
  ['slowest', '--by', 'span'],
  ['slowest', '--by', 'operation'],
  ['latency'],
  ['latency', '--by', 'operation'],
  ['latency', '--by', 'http.route'],
  ['errors'],
  ['errors', '--summary'],
  ['critical-path', ID],
  ['services'],
  ['services', '--format', 'dot'],
  ['services', '--format', 'mermaid'],
];

describe('terminal safety (issue 6)', () => {
  it.each(TEXT_COMMANDS.map((argv) => [argv.join(' '), argv]))('tracectl %s: no raw control character reaches stdout or stderr', async (_name, argv) => {
    for (const color of ['never', 'always']) {
      const r = await runCli([...(argv as string[]), '--color', color, FILE], { env: {}, tty: true, columns: 400 });
      expect(r.code, r.stderr).toBe(0);
      // With colour on, our own SGR sequences are the only escapes allowed: strip exactly those first.
      const out = color === 'always' ? r.stdout.replace(/\u001b\[[0-9;]*m/g, '') : r.stdout;
      expect(out).not.toMatch(UNSAFE);
      expect(r.stderr).not.toMatch(UNSAFE);
    }
  });

  it.each(Object.entries(CLASSES))('%s: shown as visible escapes in tree, timeline, tables and error messages', async (_name, c) => {
    const outputs = await Promise.all(
      [['tree', ID, '--logs', '--expand', '--width', '1000'], ['errors', '--summary'], ['latency', '--by', 'http.route'], ['group']].map((argv) => runCli([...argv, FILE], { columns: 1000 })),
    );
    const all = outputs.map((o) => o.stdout).join('\n');
    for (const shown of c.shown) expect(all).toContain(shown);
    for (const raw of c.raw) expect(all).not.toContain(raw);
  });

  it('file names and trace ids from the command line are escaped in diagnostics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracectl-term-'));
    const evil = join(dir, 'app\u001b]0;pwned\u0007.log');
    writeFileSync(evil, 'not json\n');
    const g = await runCli(['group', evil, join(dir, 'missing\u202e.log')]);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain(`not JSON: ${clean(evil)}:1`);
    expect(g.stderr).toContain('missing\\u202e.log: no such file');
    expect(g.stderr).not.toMatch(UNSAFE);
    const r = await runCli(['tree', 'ffff\u001b[2J', evil]);
    expect(r.stderr).toContain("'ffff\\x1b[2J'");
    expect(r.stderr).not.toMatch(UNSAFE);
  });

  it('a log line whose text is all control characters is skipped with its place, not echoed', async () => {
    const r = await runCli(['group'], { stdin: '\u001b]0;pwned\u0007\u001b[2J\n' });
    expect(r.stderr).toMatch(/1 not JSON: stdin:1/);
    expect(r.stdout + r.stderr).not.toMatch(UNSAFE);
  });

  // Issue 29, item 6: JSON is printed to terminals too (`tracectl tree --json` without a pipe to jq).
  // JSON.stringify writes DEL, C1, bidi controls and U+2028/9 raw; every JSON output escapes them.
  const JSON_COMMANDS: string[][] = [
    ['group'],
    ['tree', ID],
    ['tree', ID, '--logs'],
    ['timeline', ID],
    ['slowest'],
    ['slowest', '--by', 'span'],
    ['slowest', '--by', 'operation'],
    ['latency'],
    ['latency', '--by', 'operation'],
    ['latency', '--by', 'http.route'],
    ['latency', '--by', 'operation', '--trace', ID],
    ['errors'],
    ['errors', '--summary'],
    ['critical-path', ID],
    ['services'],
    ['services', '--format', 'json'],
  ];
  /** The UTF-8 bytes of what UNSAFE matches, \n (our own line ends) aside: C0 and DEL; C1 (C2 80–9F); E2 80 8E/8F/A8–AE, E2 81 A6–A9; D8 9C (U+061C). */
  const unsafeBytes = (b: Buffer): number[] => {
    const at: number[] = [];
    for (let i = 0; i < b.length; i++) {
      const x = b[i]!;
      if ((x < 0x20 && x !== 0x0a) || x === 0x7f) at.push(i);
      else if (x === 0xc2 && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) at.push(i);
      else if (x === 0xd8 && b[i + 1] === 0x9c) at.push(i);
      else if (x === 0xe2 && b[i + 1] === 0x80 && [0x8e, 0x8f, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae].includes(b[i + 2]!)) at.push(i);
      else if (x === 0xe2 && b[i + 1] === 0x81 && b[i + 2]! >= 0xa6 && b[i + 2]! <= 0xa9) at.push(i);
    }
    return at;
  };

  it.each(JSON_COMMANDS.map((argv) => [argv.join(' '), argv]))('tracectl %s --json: no raw control byte, the same data once parsed', async (_name, argv) => {
    const r = await runCli([...(argv as string[]), '--json', '-q', FILE], { tty: true, columns: 80 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(unsafeBytes(Buffer.from(r.stdout, 'utf8'))).toEqual([]);
    const docs = argv[0] === 'tree' || argv[0] === 'timeline' || argv[0] === 'critical-path' ? [r.stdout] : r.stdout.trimEnd().split('\n');
    const parsed = docs.map((d) => JSON.parse(d) as unknown);
    // The escapes stand for the characters themselves: parsed, the log's text is back as it was.
    const raw = JSON.stringify(parsed);
    const chars = ['\u009b', '\u202e', '\u2066', '\u2028', '\u007f'];
    // Every class where every span is shown; critical-path names only the spans on the path, and
    // errors --summary only each trace's origin (here the one whose text holds ESC sequences).
    if (argv.includes('--summary')) expect(raw).toContain('err-esc \\u001b[31mred');
    else if (argv[0] === 'critical-path') expect(chars.some((c) => raw.includes(c))).toBe(true);
    else for (const c of chars) expect(raw, JSON.stringify(c)).toContain(c);
  });
});

describe('invisible characters in JSON output (the same set as text shows escaped)', () => {
  // fixtures/hostile/invisible.log: a pino line whose service is `pay` U+200B `ments` and whose message
  // holds a tag character (U+E0041), a zero-width space, a word joiner and a BOM.
  const INVISIBLE = fixture('hostile/invisible.log');
  const RAW = /[\u200b-\u200f\u2060\ufeff]|\u{e0041}/u;
  it.each([['group'], ['tree', '7a7a', '--logs'], ['slowest'], ['timeline', '7a7a'], ['latency'], ['services', '--format', 'json']])('tracectl %s --json', async (...argv) => {
    const r = await runCli([...argv, ...(argv[0] === 'services' ? [] : ['--json']), '-q', INVISIBLE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('pay\\u200bments');
    const docs = argv[0] === 'tree' || argv[0] === 'timeline' ? [r.stdout] : r.stdout.trimEnd().split('\n');
    expect(JSON.stringify(docs.map((d) => JSON.parse(d) as unknown))).toContain('pay\u200bments');
  });

  it('tree --logs --json: the message\'s tag character as its two surrogates, parsed back whole', async () => {
    const r = await runCli(['tree', '7a7a', '--logs', '--json', '-q', INVISIBLE]);
    expect(r.stdout).toContain('tag \\udb40\\udc41 zw\\u200b\\u2060 bom\\ufeff');
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain('tag \u{e0041} zw\u200b\u2060 bom\ufeff');
  });
});

/** Bytes a terminal acts on, read from the UTF-8 bytes themselves: C0 but LF, DEL, and C1 (0xc2 0x80–0x9f). */
function rawControlBytes(text: string): number[] {
  const b = Buffer.from(text, 'utf8');
  const found: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) found.push(c);
    else if (c === 0xc2 && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) found.push(b[i + 1]!);
  }
  return found;
}

describe('terminal safety of the command line (issue 30)', () => {
  const EVIL = 'x\u001b]0;pwned\u0007\u001b[2J\u009b31m';
  it.each([
    ['--sort', ['group', '--sort', EVIL]],
    ['--color', ['group', '--color', EVIL]],
    ['--field', ['group', '--field', EVIL]],
    ['--field with a role', ['group', '--field', `duration=${EVIL}:parsecs`]],
    ['--time-unit', ['group', '--time-unit', EVIL]],
    ['an unknown command', [EVIL]],
    ['an unknown option', ['group', `--${EVIL}`]],
    ['--since', ['group', '--since', EVIL]],
    ['--until', ['group', '--until', EVIL]],
    ['--top', ['slowest', '--top', EVIL]],
  ])('%s: quoted back escaped, no raw control byte on stderr', async (_name, argv) => {
    const r = await runCli(argv as string[], { stdin: '' });
    expect(r.code).toBe(2);
    expect(rawControlBytes(r.stderr)).toEqual([]);
    expect(r.stderr).toContain('\\x1b');
  });

  it('escapes zero-width and tag characters, so two names that print alike differ on screen', () => {
    expect(clean('a\u200bb\u200cc\u200dd\u2060e\ufefff')).toBe('a\\u200bb\\u200cc\\u200dd\\u2060e\\ufefff');
    expect(clean('api\u{e0041}\u{e007f}')).toBe('api\\u{e0041}\\u{e007f}');
    // A joiner inside an emoji sequence draws one emoji, and stays; next to anything else it is escaped.
    expect(clean('👩\u200d👩\u200d👧 ❤️\u200d🔥 👋🏽\u200d😀')).toBe('👩\u200d👩\u200d👧 ❤️\u200d🔥 👋🏽\u200d😀');
    expect(clean('a\u200d😀 😀\u200db \u200d😀')).toBe('a\\u200d😀 😀\\u200db \\u200d😀');
    // Other astral characters, and surrogates that are no tag, stay as they are.
    expect(clean('😀 \u{e0100} \udb40')).toBe('😀 \u{e0100} \udb40');
    expect(cleanLines('one\u001b\ntwo\u200b')).toBe('one\\x1b\ntwo\\u200b');
  });

  it('group: a service name with a zero-width space is shown escaped in the table', async () => {
    const line = (service: string, trace: string) =>
      JSON.stringify({ time: '2024-05-01T10:00:00Z', trace_id: trace, span_id: 'a000000000000001', service, msg: 'hi' });
    const r = await runCli(['group'], { stdin: `${line('checkout', 'a'.repeat(32))}\n${line('check\u200bout', 'b'.repeat(32))}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check\\u200bout');
    expect(r.stdout).not.toMatch(UNSAFE);
  });
});
