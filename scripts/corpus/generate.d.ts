/** The incident's files by path below the output folder (scripts/corpus/generate.js). */
export function generate(options?: { requests?: number; seed?: number }): Record<string, string>;
