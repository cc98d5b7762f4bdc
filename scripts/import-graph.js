// The import graph between the folders of src/, computed from the sources (no dependencies):
//   node scripts/import-graph.js
// Prints every folder-level edge with its count of import statements (how many of them import types
// only), the cycles between folders, and the edges that go against the directions ARCHITECTURE.md
// documents (ALLOWED below, from the lint config). Output is sorted, so two runs on the same tree print the same text; the
// exit code is 0 whatever the graph holds (this reports, lint enforces).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

// The directions lint enforces (LAYERS in eslint.config.js, ARCHITECTURE.md "Directions"): what each
// folder may import. `index` is src/index.ts, the library entry, which re-exports the pipeline.
const { LAYERS } = await import(new URL('../eslint.config.js', import.meta.url).href);
const ALLOWED = { ...LAYERS, index: ['core', 'input', 'entries', 'formats', 'ingest', 'model', 'analyze', 'render'] };

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function folderOf(file) {
  const parts = relative(src, file).split(sep);
  return parts.length === 1 ? 'index' : parts[0];
}

// Block and line comments are blanked first, so an import quoted in a comment is not counted (string
// contents are left: a specifier is a string).
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

// Static `import … from`, `export … from`, bare `import '…'` and `import('…')`.
const IMPORT = /\b(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const edges = new Map(); // "from to" -> { count, typeOnly }
for (const file of sourceFiles(src).sort()) {
  const from = folderOf(file);
  const text = withoutComments(readFileSync(file, 'utf8'));
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4];
    if (!spec.startsWith('.')) continue; // a package, not a folder of src/
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(src + sep)) continue;
    const to = folderOf(target);
    if (to === from) continue;
    const key = `${from} ${to}`;
    const edge = edges.get(key) ?? { from, to, count: 0, typeOnly: 0, files: new Set() };
    edge.count += 1;
    if (m[2]) edge.typeOnly += 1;
    edge.files.add(`${relative(src, file)} -> ${relative(src, target).replace(/\.js$/, '.ts')}`);
    edges.set(key, edge);
  }
}

const sorted = [...edges.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
const against = sorted.filter((e) => !(ALLOWED[e.from] ?? []).includes(e.to));

// Cycles: strongly connected components of more than one folder (Tarjan, iterative).
function components() {
  const out = new Map();
  for (const e of sorted) {
    if (!out.has(e.from)) out.set(e.from, []);
    if (!out.has(e.to)) out.set(e.to, []);
    out.get(e.from).push(e.to);
  }
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const result = [];
  let next = 0;
  for (const start of [...out.keys()].sort()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next);
    next += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [node, i] = top;
      const targets = out.get(node);
      if (i < targets.length) {
        top[1] += 1;
        const t = targets[i];
        if (!index.has(t)) {
          index.set(t, next);
          low.set(t, next);
          next += 1;
          stack.push(t);
          onStack.add(t);
          work.push([t, 0]);
        } else if (onStack.has(t)) {
          low.set(node, Math.min(low.get(node), index.get(t)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const scc = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          scc.push(member);
        } while (member !== node);
        if (scc.length > 1) result.push(scc.sort());
      }
    }
  }
  return result.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const pad = (text, width) => text + ' '.repeat(Math.max(0, width - text.length));
const label = (e) => `${e.count}${e.typeOnly > 0 ? ` (${e.typeOnly} type-only)` : ''}`;

console.log('folder-level imports in src/ (from -> to: import statements)');
for (const e of sorted) {
  const mark = against.includes(e) ? '  AGAINST' : '';
  console.log(`  ${pad(`${e.from} -> ${e.to}`, 22)} ${mark ? pad(label(e), 18) + mark : label(e)}`);
}

const cycles = components();
console.log('');
console.log(`cycles between folders: ${cycles.length === 0 ? 'none' : cycles.length}`);
for (const scc of cycles) {
  const inside = sorted.filter((e) => scc.includes(e.from) && scc.includes(e.to));
  console.log(`  {${scc.join(', ')}}: ${inside.map((e) => `${e.from} -> ${e.to}`).join(', ')}`);
}

console.log('');
console.log(`edges against the documented directions: ${against.length === 0 ? 'none' : against.length}`);
for (const e of against) {
  console.log(`  ${e.from} -> ${e.to}`);
  for (const f of [...e.files].sort()) console.log(`    ${f}`);
}
