import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the lint config is plain JavaScript without types
import { LAYERS } from '../../eslint.config.js';

/** The import directions of ARCHITECTURE.md, as lint enforces them (LAYERS in eslint.config.js). */
const layers = LAYERS as Record<string, string[]>;
const root = new URL('../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function lintAs(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer directions', () => {
  it('every folder of src/ has a place in LAYERS', () => {
    const folders = readdirSync(new URL('../../src', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual(Object.keys(layers).sort());
  });

  it('LAYERS has no cycle: the folders can be ordered so that each imports only earlier ones', () => {
    const placed: string[] = [];
    while (placed.length < Object.keys(layers).length) {
      const next = Object.keys(layers).find((f) => !placed.includes(f) && layers[f]!.every((d) => placed.includes(d)));
      expect(next, `a cycle among ${Object.keys(layers).filter((f) => !placed.includes(f)).join(', ')}`).toBeDefined();
      placed.push(next!);
    }
  });

  it.each([
    ['src/input/x.ts', "import type { Entry } from '../entries/entry.js';"],
    ['src/entries/x.ts', "import { buildTree } from '../model/build-tree.js';"],
    ['src/model/x.ts', "import type { IngestStats } from '../ingest/ingest-stats.js';"],
    ['src/render/x.ts', "import type { IngestStats } from '../ingest/ingest-stats.js';"],
    ['src/analyze/x.ts', "import { clean } from '../render/sanitize.js';"],
    ['src/core/x.ts', "import type { Span } from '../model/span.js';"],
    ['src/instrument/x.ts', "import { clean } from '../render/sanitize.js';"],
    ['src/model/deep/x.ts', "import { main } from '../../cli/main.js';"],
    // The threads read span data only through ingest (the thread plan, D66).
    ['src/parallel/x.ts', "import type { FormatResult } from '../formats/format-result.js';"],
  ])('lint refuses %s importing against the directions: %s', async (file, code) => {
    const messages = await lintAs(file, `${code}\nexport {};\n`);
    expect(messages.some((m) => m.startsWith('no-restricted-imports:'))).toBe(true);
  });

  it.each([
    ['src/entries/x.ts', "import type { Micros } from '../core/time.js';"],
    ['src/render/x.ts', "import type { Span } from '../model/span.js';"],
    ['src/cli/commands/x.ts', "import { buildTree } from '../../model/build-tree.js';"],
    ['src/model/x.ts', "import type { Entry } from '../entries/entry.js';"],
  ])('and accepts %s importing downward: %s', async (file, code) => {
    const messages = await lintAs(file, `${code}\nexport {};\n`);
    expect(messages.filter((m) => m.startsWith('no-restricted-imports:'))).toEqual([]);
  });
});
