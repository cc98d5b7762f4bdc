import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colour, decided once by the CLI and handed to renderers: no renderer asks whether stdout is a
 * terminal. `plainPalette` returns text unchanged, so renderers never branch on colour themselves.
 */
export interface Palette {
  enabled: boolean;
  dim(s: string): string;
  bold(s: string): string;
  error(s: string): string;
  warn(s: string): string;
  ok(s: string): string;
  accent(s: string): string;
  /** A stable colour per service name, so one service looks the same in every row. */
  service(name: string, text?: string): string;
  level(level: string | undefined, text: string): string;
  /** The critical path highlight. */
  critical(s: string): string;
}

const identity = (s: string): string => s;

export const plainPalette: Palette = {
  enabled: false,
  dim: identity,
  bold: identity,
  error: identity,
  warn: identity,
  ok: identity,
  accent: identity,
  service: (name, text) => text ?? name,
  level: (_l, text) => text,
  critical: identity,
};

export function colorPalette(level: 1 | 2 | 3 = 1): Palette {
  const c: ChalkInstance = new Chalk({ level });
  const hues = [c.cyan, c.magenta, c.yellow, c.green, c.blue, c.cyanBright, c.magentaBright, c.greenBright, c.blueBright, c.yellowBright];
  return {
    enabled: true,
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    error: (s) => c.red(s),
    warn: (s) => c.yellow(s),
    ok: (s) => c.green(s),
    accent: (s) => c.cyan(s),
    service: (name, text) => hues[hashString(name) % hues.length]!(text ?? name),
    level: (l, text) => (l === 'error' || l === 'fatal' ? c.red(text) : l === 'warn' ? c.yellow(text) : l === 'debug' || l === 'trace' ? c.dim(text) : text),
    critical: (s) => c.bold.red(s),
  };
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export type ColorMode = 'auto' | 'always' | 'never';

/**
 * The colour rules, in order: --color always/never; NO_COLOR (any value) turns it off; FORCE_COLOR turns
 * it on (0 turns it off); TERM=dumb and a non-terminal stdout turn it off.
 */
export function choosePalette(mode: ColorMode, env: Record<string, string | undefined>, isTTY: boolean): Palette {
  if (mode === 'never') return plainPalette;
  if (mode === 'always') return colorPalette();
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plainPalette;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? plainPalette : colorPalette();
  if (!isTTY || env.TERM === 'dumb') return plainPalette;
  return colorPalette();
}
