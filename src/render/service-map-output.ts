// `tracectl services` output: the service map as a table of edges, Graphviz dot, Mermaid, or JSON lines.
// Service names are log text: in dot and mermaid they never become identifiers (nodes are s0, s1, … in name
// order) and appear only inside quoted labels, escaped for that language, so a name like `a"];click x "evil`
// stays a label.
//
// JSON schema, one object per line (stable; durations in µs): first the services, then the edges:
//   {kind: 'service', service, spans, errors, roots (spans of it that are trace roots: entry points)}
//   {kind: 'edge', from, to, calls, errors, errorPct, p50Us, p99Us}   (over the called spans' durations;
//   percentiles nearest-rank)
import { stringifyJson } from './json-text.js';
import type { ServiceEdge, ServiceMap } from '../analyze/service-map.js';
import { formatDuration, percent } from './format.js';
import type { Palette } from './palette.js';
import { clean } from './sanitize.js';
import { renderTable, type Column } from './table.js';

const EDGE_COLUMNS: Column[] = [
  { header: 'FROM', flex: true },
  { header: 'TO', flex: true },
  { header: 'CALLS', align: 'right' },
  { header: 'ERRORS', align: 'right' },
  { header: 'ERR%', align: 'right' },
  { header: 'P50', align: 'right' },
  { header: 'P99', align: 'right' },
];

export function renderServiceTable(map: ServiceMap, width: number, p: Palette): string {
  const cells = map.edges.map((e) => [clean(e.from), clean(e.to), String(e.calls), String(e.errors), percent(e.errors, e.calls), formatDuration(e.p50), formatDuration(e.p99)]);
  let out = '';
  if (map.edges.length > 0) {
    out = renderTable(EDGE_COLUMNS, cells, width, p);
    if (p.enabled) {
      const lines = out.split('\n');
      map.edges.forEach((e, i) => {
        if (e.errors > 0 && lines[i + 1] !== undefined) lines[i + 1] = p.error(lines[i + 1]!);
      });
      out = lines.join('\n');
    }
  }
  const entry = map.services.filter((s) => s.roots > 0).map((s) => `${clean(s.service)} (${s.roots})`);
  const called = new Set(map.edges.flatMap((e) => [e.from, e.to]));
  const alone = map.services.filter((s) => !called.has(s.service)).map((s) => clean(s.service));
  const notes = [`${map.services.length} ${map.services.length === 1 ? 'service' : 'services'}, ${map.edges.length} ${map.edges.length === 1 ? 'edge' : 'edges'}; entry points (root spans): ${entry.join(', ') || 'none'}`];
  if (alone.length > 0) notes.push(`no calls to or from: ${alone.join(', ')}`);
  notes.push('latency is of the called spans; percentiles are nearest-rank');
  return out + p.dim(notes.join('\n') + '\n');
}

function edgeLabel(e: ServiceEdge): string {
  const errors = e.errors > 0 ? `, ${e.errors} ${e.errors === 1 ? 'error' : 'errors'}` : '';
  return `${e.calls} ${e.calls === 1 ? 'call' : 'calls'}${errors}, p50 ${formatDuration(e.p50)}, p99 ${formatDuration(e.p99)}`;
}

/** Node ids by service name: s0, s1, … in the map's (sorted) service order. */
function nodeIds(map: ServiceMap): Map<string, string> {
  const ids = new Map<string, string>();
  map.services.forEach((s, i) => ids.set(s.service, `s${i}`));
  for (const e of map.edges) for (const name of [e.from, e.to]) if (!ids.has(name)) ids.set(name, `s${ids.size}`);
  return ids;
}

/**
 * A DOT double-quoted string: control characters made visible by `clean` first, then backslashes and
 * quotes escaped. (In a label a lone backslash would start an escape such as \N or \l.)
 */
export function dotString(text: string): string {
  return `"${clean(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderServiceDot(map: ServiceMap): string {
  const ids = nodeIds(map);
  const lines = ['digraph services {', '  rankdir=LR;', '  node [shape=box];'];
  for (const [name, id] of ids) {
    const svc = map.services.find((s) => s.service === name);
    const failing = svc !== undefined && svc.errors > 0;
    lines.push(`  ${id} [label=${dotString(name)}${failing ? ', color=red' : ''}];`);
  }
  for (const e of map.edges) {
    lines.push(`  ${ids.get(e.from)!} -> ${ids.get(e.to)!} [label=${dotString(edgeLabel(e))}${e.errors > 0 ? ', color=red' : ''}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * Text for a Mermaid quoted label: visible escapes for control characters, then every character outside a
 * small safe set as a Mermaid entity code (#34; for "), so quotes, brackets, pipes, backticks, `<` and
 * markdown cannot end the label or inject syntax.
 */
export function mermaidText(text: string): string {
  return clean(text).replace(/[^A-Za-z0-9 _.,:/\-@µ]/gu, (ch) => `#${ch.codePointAt(0)!};`);
}

export function renderServiceMermaid(map: ServiceMap): string {
  const ids = nodeIds(map);
  const lines = ['flowchart LR'];
  for (const [name, id] of ids) lines.push(`  ${id}["${mermaidText(name)}"]`);
  map.edges.forEach((e) => lines.push(`  ${ids.get(e.from)!} -->|"${mermaidText(edgeLabel(e))}"| ${ids.get(e.to)!}`));
  const failing = map.edges.flatMap((e, i) => (e.errors > 0 ? [i] : []));
  if (failing.length > 0) lines.push(`  linkStyle ${failing.join(',')} stroke:red`);
  return lines.join('\n') + '\n';
}

export function serviceMapJson(map: ServiceMap): string {
  const lines: string[] = [];
  for (const s of map.services) lines.push(stringifyJson({ kind: 'service', service: s.service, spans: s.spans, errors: s.errors, roots: s.roots }));
  for (const e of map.edges) {
    lines.push(
      stringifyJson({ kind: 'edge', from: e.from, to: e.to, calls: e.calls, errors: e.errors, errorPct: Math.round((e.errors / e.calls) * 10000) / 100, p50Us: e.p50, p99Us: e.p99 }),
    );
  }
  return lines.map((l) => l + '\n').join('');
}
