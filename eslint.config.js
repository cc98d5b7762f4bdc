// Lint config: the recommended JS and TypeScript rules, plus the layering rules of ARCHITECTURE.md: only
// src/cli touches `process`, and each folder of src/ imports only the folders below it in LAYERS.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PROCESS = { name: 'process', message: 'Only src/cli touches process: take what you need as a parameter.' };
// The DOM's types are in the compiler's libs for the report page's script, which runs in a browser; the
// rest of src/ runs in Node and must not reach for them.
const PAGE_SCRIPT = 'src/render/report/page-script.ts';
const BROWSER = ['window', 'document', 'location', 'navigator', 'localStorage'].map((name) => ({ name, message: `${name} exists only in the report page (${PAGE_SCRIPT}).` }));

/** Each folder of src/ and the folders it may import. The data flows upward; core is the shared bottom. */
export const LAYERS = {
  core: [],
  input: ['core'],
  entries: ['core', 'input'],
  model: ['core', 'input', 'entries'],
  formats: ['core', 'input', 'entries', 'model'],
  analyze: ['core', 'model'],
  ingest: ['core', 'input', 'entries', 'formats', 'model'],
  parallel: ['core', 'input', 'entries', 'model', 'ingest', 'analyze'],
  render: ['core', 'model', 'analyze'],
  cli: ['core', 'input', 'entries', 'formats', 'model', 'ingest', 'parallel', 'analyze', 'render', 'export'],
  export: ['core', 'entries', 'model', 'analyze'],
  instrument: ['core'],
};

const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => {
  const forbidden = Object.keys(LAYERS).filter((f) => f !== folder && !allowed.includes(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((f) => ({
            group: [`**/${f}/**`, `**/${f}`],
            message: `src/${folder} may import only ${allowed.length > 0 ? allowed.join(', ') : 'nothing outside itself'} (LAYERS in eslint.config.js, ARCHITECTURE.md).`,
          })),
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/instrument/**', PAGE_SCRIPT],
    rules: { 'no-restricted-globals': ['error', PROCESS, ...BROWSER] },
  },
  {
    files: ['src/cli/**/*.ts', 'src/instrument/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', ...BROWSER] },
  },
  { files: [PAGE_SCRIPT], rules: { 'no-restricted-globals': ['error', PROCESS] } },
  ...layerRules,
  {
    files: ['bin/**/*.js', 'bench/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
