// Golden files for CLI text output: `expectGolden(stdout, 'latency-by-service')` compares with
// test/cli/golden/latency-by-service.txt. UPDATE_GOLDEN=1 rewrites the files instead: review the diff before
// committing, since a golden file is a hand-checked expectation, not a recording.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

const dir = new URL('./golden/', import.meta.url).pathname;

export function expectGolden(actual: string, name: string): void {
  const file = `${dir}${name}.txt`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** NDJSON output as values. */
export const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
