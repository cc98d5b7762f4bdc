import type { ReportData as Data, ReportLatencyRow as LatencyRow, ReportTrace as Trace } from './report-data.js';

/**
 * The report page's script. It runs in the browser: report-html.ts writes `pageMain` into the page with
 * Function.prototype.toString, so its body must not name anything outside itself (no imports, no module
 * constants) — types aside (the `import type` above), which the compiler removes.
 *
 * Invariants: everything from the data is inserted with textContent or as SVG text, never as markup; no
 * element gets an href or src, so nothing from a log is a link; the page makes no network request.
 * Long lists (traces, a trace's spans) render only the rows in view.
 */
export function pageMain(): void {
  const ROW = 24; // px, every virtualized row
  const data = JSON.parse(document.getElementById('report-data')!.textContent ?? '{}') as Data;
  const byId = new Map<string, Trace>();
  for (const t of data.traces) byId.set(t.id, t);
  const main = document.getElementById('main')!;

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (cls !== undefined) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function duration(us: number): string {
    if (us < 1000) return `${Math.round(us)}µs`;
    if (us < 1e6) return `${+(us / 1000).toPrecision(3)}ms`;
    if (us < 60e6) return `${+(us / 1e6).toPrecision(3)}s`;
    return `${Math.floor(us / 60e6)}m${Math.round((us % 60e6) / 1e6)}s`;
  }
  function time(us: number): string {
    const d = new Date(Math.floor(us / 1000));
    return Number.isNaN(d.getTime()) ? '?' : d.toISOString().replace('T', ' ').replace('Z', '');
  }
  // Service colours: hues spread by the golden angle, kept out of the reds that mark errors.
  function colour(service: number): string {
    return `hsl(${30 + ((service * 137.508) % 300)}, 55%, 42%)`;
  }
  function go(hash: string): void {
    location.hash = hash;
  }

  // ---- header and navigation -------------------------------------------------------------------------
  const nav = document.getElementById('nav')!;
  const tabs: [string, string][] = [
    ['#traces', `Traces (${data.traces.length})`],
    ['#errors', `Errors (${data.errors.length})`],
    ['#latency', 'Latency'],
    ['#services', `Service map (${data.serviceMap.services.length})`],
  ];
  for (const [hash, label] of tabs) {
    const b = el('button', 'tab', label);
    b.setAttribute('data-tab', hash.slice(1));
    b.addEventListener('click', () => go(hash));
    nav.appendChild(b);
  }
  document.getElementById('title')!.textContent = data.title;
  const note = document.getElementById('note')!;
  note.textContent =
    `${data.matched} traces matched${data.filters ? ` (${data.filters})` : ''}; ` +
    (data.leftOut > 0 ? `the ${data.traces.length} first by ${data.sort} are shown, ${data.leftOut} left out (tracectl report --limit N shows more)` : `all shown, by ${data.sort}`);

  // ---- a virtualized list ----------------------------------------------------------------------------
  function virtualList(container: HTMLElement, count: () => number, draw: (i: number, row: HTMLElement) => void): () => void {
    container.classList.add('vlist');
    const spacer = el('div', 'spacer');
    container.appendChild(spacer);
    let frame = 0;
    const render = (): void => {
      frame = 0;
      const n = count();
      spacer.style.height = `${n * ROW}px`;
      const first = Math.max(0, Math.floor(container.scrollTop / ROW) - 5);
      const last = Math.min(n, Math.ceil((container.scrollTop + container.clientHeight) / ROW) + 5);
      spacer.replaceChildren();
      for (let i = first; i < last; i++) {
        const row = el('div', 'row');
        row.style.top = `${i * ROW}px`;
        draw(i, row);
        spacer.appendChild(row);
      }
    };
    container.addEventListener('scroll', () => {
      if (frame === 0) frame = requestAnimationFrame(render);
    });
    render();
    return render;
  }

  // ---- the trace list --------------------------------------------------------------------------------
  type Col = { key: string; label: string; value: (t: Trace) => string | number; text: (t: Trace) => string; cls: string };
  const columns: Col[] = [
    { key: 'id', label: 'Trace', value: (t) => t.id, text: (t) => t.shortId, cls: 'c-id' },
    { key: 'start', label: 'Start', value: (t) => t.start, text: (t) => time(t.start), cls: 'c-start' },
    { key: 'duration', label: 'Duration', value: (t) => t.duration, text: (t) => duration(t.duration), cls: 'c-num' },
    { key: 'spans', label: 'Spans', value: (t) => t.spanCount, text: (t) => String(t.spanCount), cls: 'c-num' },
    { key: 'errors', label: 'Errors', value: (t) => t.errors, text: (t) => String(t.errors), cls: 'c-num' },
    { key: 'services', label: 'Services', value: (t) => t.services.map((s) => data.services[s]).join(','), text: (t) => t.services.map((s) => data.services[s]).join(', '), cls: 'c-svc' },
    { key: 'root', label: 'Root', value: (t) => t.root, text: (t) => t.root, cls: 'c-root' },
  ];
  let sortKey = data.sort === 'start' ? 'start' : data.sort === 'errors' ? 'errors' : data.sort === 'spans' ? 'spans' : 'duration';
  let sortDir = sortKey === 'start' ? 1 : -1;
  let filterText = '';

  function traceList(): void {
    const view = el('section', 'view traces');
    const bar = el('div', 'toolbar');
    const filter = el('input', 'filter');
    filter.type = 'search';
    filter.placeholder = 'filter: trace id, service, root…';
    filter.value = filterText;
    bar.appendChild(filter);
    const count = el('span', 'count');
    bar.appendChild(count);
    view.appendChild(bar);
    const head = el('div', 'row head');
    for (const c of columns) {
      const h = el('span', `cell ${c.cls} sortable`, c.label + (c.key === sortKey ? (sortDir > 0 ? ' ▲' : ' ▼') : ''));
      h.setAttribute('data-sort', c.key);
      h.addEventListener('click', () => {
        if (sortKey === c.key) sortDir = -sortDir;
        else {
          sortKey = c.key;
          sortDir = c.key === 'start' || c.key === 'id' || c.key === 'services' || c.key === 'root' ? 1 : -1;
        }
        traceList();
      });
      head.appendChild(h);
    }
    view.appendChild(head);
    const list = el('div', 'list');
    view.appendChild(list);
    main.replaceChildren(view);
    let rows: Trace[] = [];
    const col = columns.find((c) => c.key === sortKey)!;
    const compute = (): void => {
      const needle = filterText.toLowerCase();
      rows = data.traces.filter((t) => needle === '' || t.id.includes(needle) || t.root.toLowerCase().includes(needle) || t.services.some((s) => data.services[s]!.toLowerCase().includes(needle)));
      rows.sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        return (x < y ? -1 : x > y ? 1 : 0) * sortDir || (a.id < b.id ? -1 : 1);
      });
      count.textContent = `${rows.length} of ${data.traces.length}`;
    };
    compute();
    const redraw = virtualList(
      list,
      () => rows.length,
      (i, row) => {
        const t = rows[i]!;
        row.classList.add('trace-row');
        if (t.errors > 0) row.classList.add('has-error');
        row.setAttribute('data-trace-id', t.id);
        for (const c of columns) row.appendChild(el('span', `cell ${c.cls}`, c.text(t)));
        row.addEventListener('click', () => go(`#trace/${encodeURIComponent(t.id)}`));
      },
    );
    filter.addEventListener('input', () => {
      filterText = filter.value;
      compute();
      list.scrollTop = 0;
      redraw();
    });
  }

  // ---- one trace: the waterfall ----------------------------------------------------------------------
  function traceView(t: Trace): void {
    const view = el('section', 'view trace');
    const top = el('div', 'toolbar');
    const back = el('button', 'back', '← traces');
    back.addEventListener('click', () => go('#traces'));
    top.appendChild(back);
    top.appendChild(el('span', 'trace-title', `${t.id}  ${duration(t.duration)}  ${t.spanCount} spans  ${t.errors} errors  ${time(t.start)}`));
    const reset = el('button', 'reset', 'Reset zoom');
    top.appendChild(reset);
    view.appendChild(top);
    if (t.spansLeftOut > 0) view.appendChild(el('div', 'warning', `${t.spansLeftOut} spans past the report's limit are left out (tracectl tree shows them all)`));
    for (const w of t.warnings) view.appendChild(el('div', 'warning', `⚠ ${w}`));
    const legend = el('div', 'legend', 'bars: span duration · dark stripe: on the critical path · red: error · click a span for details, double-click to zoom');
    view.appendChild(legend);
    const body = el('div', 'split');
    const left = el('div', 'waterfall');
    const axis = el('div', 'axis');
    const list = el('div', 'list');
    left.appendChild(axis);
    left.appendChild(list);
    const details = el('aside', 'details', 'Click a span to see its details.');
    body.appendChild(left);
    body.appendChild(details);
    view.appendChild(body);
    main.replaceChildren(view);

    const children = new Int32Array(t.spans.length);
    for (const s of t.spans) if (s.parent >= 0) children[s.parent]!++;
    const onPath = new Map<number, [number, number][]>();
    for (const [k, from, to] of t.critical) {
      let l = onPath.get(k);
      if (!l) onPath.set(k, (l = []));
      l.push([from, to]);
    }
    const collapsed = new Set<number>();
    let from = 0;
    let to = Math.max(1, t.duration);
    let shown: number[] = [];
    let selected = -1;
    const visible = (): void => {
      shown = [];
      let hideBelow = Infinity;
      for (let k = 0; k < t.spans.length; k++) {
        const s = t.spans[k]!;
        if (s.depth > hideBelow) continue;
        hideBelow = collapsed.has(k) ? s.depth : Infinity;
        shown.push(k);
      }
    };
    const drawAxis = (): void => {
      axis.replaceChildren(el('span', 'axis-label', 'span'));
      const scale = el('div', 'axis-scale');
      for (let i = 0; i <= 4; i++) {
        const tick = el('span', 'tick', duration(from + ((to - from) * i) / 4));
        tick.style.left = `${i * 25}%`;
        scale.appendChild(tick);
      }
      axis.appendChild(scale);
    };
    const pct = (us: number): number => Math.max(0, Math.min(100, ((us - from) / (to - from)) * 100));
    visible();
    drawAxis();
    const redraw = virtualList(
      list,
      () => shown.length,
      (i, row) => {
        const k = shown[i]!;
        const s = t.spans[k]!;
        row.classList.add('span-row');
        row.setAttribute('data-span', String(k));
        if (s.error) row.classList.add('has-error');
        if (onPath.has(k)) row.classList.add('critical');
        if (k === selected) row.classList.add('selected');
        const label = el('span', 'label');
        label.style.paddingLeft = `${Math.min(s.depth, 40) * 12}px`;
        const toggle = el('span', 'toggle', children[k]! > 0 ? (collapsed.has(k) ? '▸' : '▾') : ' ');
        if (children[k]! > 0) {
          toggle.addEventListener('click', (e) => {
            e.stopPropagation();
            if (collapsed.has(k)) collapsed.delete(k);
            else collapsed.add(k);
            visible();
            redraw();
          });
        }
        label.appendChild(toggle);
        const svc = el('span', 'svc', data.services[s.service]);
        svc.style.color = colour(s.service);
        label.appendChild(svc);
        label.appendChild(el('span', 'op', ` ${s.operation}`));
        if (s.error) label.appendChild(el('span', 'mark err', ' ✗'));
        for (const m of s.marks) label.appendChild(el('span', 'mark', ` ${m.split(':')[0]}`));
        row.appendChild(label);
        const lane = el('span', 'lane');
        const bar = el('span', 'bar');
        const x = pct(s.start);
        bar.style.left = `${x}%`;
        bar.style.width = `${Math.max(0.2, pct(s.start + s.duration) - x)}%`;
        bar.style.background = s.error ? '' : colour(s.service);
        if (s.error) bar.classList.add('err');
        lane.appendChild(bar);
        for (const [a, b] of onPath.get(k) ?? []) {
          const stripe = el('span', 'crit');
          stripe.style.left = `${pct(a)}%`;
          stripe.style.width = `${Math.max(0.2, pct(b) - pct(a))}%`;
          lane.appendChild(stripe);
        }
        for (const log of s.logs) {
          if (log[0] === null) continue;
          const dot = el('span', log[1] === 'error' || log[1] === 'fatal' ? 'dot err' : 'dot');
          dot.style.left = `${pct(log[0])}%`;
          lane.appendChild(dot);
        }
        row.appendChild(lane);
        row.appendChild(el('span', 'dur', duration(s.duration)));
        row.addEventListener('click', () => {
          selected = k;
          showDetails(t, k, details);
          redraw();
        });
        row.addEventListener('dblclick', () => {
          const pad = Math.max(1, s.duration * 0.05);
          from = Math.max(0, s.start - pad);
          to = Math.max(from + 1, s.start + s.duration + pad);
          drawAxis();
          redraw();
        });
      },
    );
    reset.addEventListener('click', () => {
      from = 0;
      to = Math.max(1, t.duration);
      drawAxis();
      redraw();
    });
  }

  function showDetails(t: Trace, k: number, box: HTMLElement): void {
    const s = t.spans[k]!;
    box.replaceChildren();
    box.appendChild(el('h3', undefined, `${data.services[s.service]} ${s.operation}`));
    const facts = el('dl');
    const fact = (name: string, value: string): void => {
      facts.appendChild(el('dt', undefined, name));
      facts.appendChild(el('dd', undefined, value));
    };
    fact('span id', s.id);
    fact('parent', s.parent >= 0 ? t.spans[s.parent]!.id : '(root)');
    fact('start', `+${duration(s.start)}`);
    fact('duration', duration(s.duration));
    if (s.kind) fact('kind', s.kind);
    if (s.error) fact('error', s.errorMessage ?? 'yes');
    for (const m of s.marks) fact('mark', m);
    let onPath = 0;
    for (const [j, a, b] of t.critical) if (j === k) onPath += b - a;
    if (onPath > 0) fact('critical path', `${duration(onPath)} of this span's time sets the trace's duration`);
    box.appendChild(facts);
    const paths = t.errorPaths.filter((p) => p.hops.includes(k));
    for (const p of paths) {
      box.appendChild(el('h4', undefined, 'Error path'));
      const ol = el('ol', 'error-path');
      for (const h of p.hops) ol.appendChild(el('li', h === k ? 'here' : undefined, `${data.services[t.spans[h]!.service]} ${t.spans[h]!.operation}`));
      box.appendChild(ol);
      if (p.message !== null) box.appendChild(el('div', 'err', p.message));
    }
    if (s.attributes.length > 0) {
      box.appendChild(el('h4', undefined, 'Attributes'));
      const table = el('table', 'attrs');
      for (const [key, value] of s.attributes) {
        const tr = el('tr');
        tr.appendChild(el('th', undefined, key));
        tr.appendChild(el('td', undefined, value));
        table.appendChild(tr);
      }
      box.appendChild(table);
    }
    box.appendChild(el('h4', undefined, `Log lines (${s.logs.length})`));
    const logs = el('ol', 'logs');
    for (const [at, level, message, stack, source, fields] of s.logs) {
      const li = el('li', level === 'error' || level === 'fatal' ? 'log err' : 'log');
      li.appendChild(el('span', 'at', at === null ? '?' : `+${duration(at)}`));
      li.appendChild(el('span', 'level', level.toUpperCase()));
      li.appendChild(el('span', 'msg', message));
      if (fields !== '') li.appendChild(el('span', 'fields', fields));
      if (source !== null) li.appendChild(el('span', 'source', source));
      if (stack !== null) li.appendChild(el('pre', 'stack', stack));
      logs.appendChild(li);
    }
    box.appendChild(logs);
  }

  // ---- errors, latency, service map ------------------------------------------------------------------
  function table(headers: string[], rows: (string | number)[][], numeric: boolean[], onRow?: (i: number) => void): HTMLTableElement {
    const t = el('table', 'grid');
    const head = el('tr');
    headers.forEach((h, i) => head.appendChild(el('th', numeric[i] ? 'num' : undefined, h)));
    t.appendChild(head);
    rows.forEach((r, i) => {
      const tr = el('tr');
      r.forEach((v, j) => tr.appendChild(el('td', numeric[j] ? 'num' : undefined, String(v))));
      if (onRow) {
        tr.classList.add('clickable');
        tr.addEventListener('click', () => onRow(i));
      }
      t.appendChild(tr);
    });
    return t;
  }

  function errorsView(): void {
    const view = el('section', 'view errors');
    view.appendChild(el('p', 'hint', 'Error origins (failing spans with no failing span below them), grouped by service, operation and message with ids and numbers folded. Click a row for its first example trace.'));
    if (data.errors.length === 0) view.appendChild(el('p', undefined, 'No errors.'));
    else {
      view.appendChild(
        table(
          ['Count', 'Traces', 'Service', 'Operation', 'First seen', 'Last seen', 'Message'],
          data.errors.map((g) => [g.count, g.traces, g.service, g.operation, time(g.firstSeen), time(g.lastSeen), g.example ?? g.message]),
          [true, true, false, false, false, false, false],
          (i) => {
            const id = data.errors[i]!.exampleTraceIds.find((x) => byId.has(x));
            if (id !== undefined) go(`#trace/${encodeURIComponent(id)}`);
          },
        ),
      );
    }
    main.replaceChildren(view);
  }

  function latencyView(): void {
    const view = el('section', 'view latency');
    const head = ['Count', 'Errors', 'Err%', 'Total', 'Self', 'Self%', 'Min', 'P50', 'P90', 'P95', 'P99', 'Max'];
    const cells = (r: LatencyRow): (string | number)[] => [r.count, r.errors, `${r.errorPct.toFixed(0)}%`, duration(r.total), duration(r.self), `${r.selfPct.toFixed(0)}%`, duration(r.min), duration(r.p50), duration(r.p90), duration(r.p95), duration(r.p99), duration(r.max)];
    const num = head.map(() => true);
    view.appendChild(el('h3', undefined, 'By service'));
    view.appendChild(table(['Service', ...head], data.latency.service.map((r) => [r.service ?? '', ...cells(r)]), [false, ...num]));
    view.appendChild(el('h3', undefined, 'By operation'));
    view.appendChild(table(['Service', 'Operation', ...head], data.latency.operation.map((r) => [r.service ?? '', r.operation ?? '', ...cells(r)]), [false, false, ...num]));
    view.appendChild(el('p', 'hint', 'Self time: a span\'s duration minus the time its children cover. Percentiles are nearest-rank.'));
    main.replaceChildren(view);
  }

  function servicesView(): void {
    const view = el('section', 'view services');
    const map = data.serviceMap;
    const names = map.services.map((s) => s.service);
    const index = new Map(names.map((n, i) => [n, i]));
    // Columns by the longest call chain from a service nobody calls (a cycle keeps its first column).
    const column = new Array<number>(names.length).fill(0);
    for (let round = 0; round < names.length; round++) {
      let moved = false;
      for (const e of map.edges) {
        const a = index.get(e.from);
        const b = index.get(e.to);
        if (a === undefined || b === undefined || a === b) continue;
        if (column[b]! < column[a]! + 1 && column[a]! + 1 < names.length) {
          column[b] = column[a]! + 1;
          moved = true;
        }
      }
      if (!moved) break;
    }
    const rowsIn = new Map<number, number>();
    const row = names.map((_, i) => {
      const r = rowsIn.get(column[i]!) ?? 0;
      rowsIn.set(column[i]!, r + 1);
      return r;
    });
    const W = 180;
    const H = 44;
    const GX = 190;
    const GY = 40;
    const width = (Math.max(0, ...column) + 1) * (W + GX) + 40;
    const height = (Math.max(0, ...rowsIn.values()) || 1) * (H + GY) + 40;
    const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'map' });
    const defs = svg('defs', {});
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
    marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#555' }));
    defs.appendChild(marker);
    root.appendChild(defs);
    const x = (i: number): number => 20 + column[i]! * (W + GX);
    const y = (i: number): number => 20 + row[i]! * (H + GY);
    for (const e of map.edges) {
      const a = index.get(e.from);
      const b = index.get(e.to);
      if (a === undefined || b === undefined) continue;
      const x1 = x(a) + W;
      const y1 = y(a) + H / 2;
      const x2 = x(b);
      const y2 = y(b) + H / 2;
      const back = x2 <= x1;
      const d = back ? `M ${x(a) + W / 2} ${y(a) + H} C ${x(a) + W / 2} ${y(a) + H + 60}, ${x(b) + W / 2} ${y(b) + H + 60}, ${x(b) + W / 2} ${y(b) + H}` : `M ${x1} ${y1} C ${x1 + GX / 2} ${y1}, ${x2 - GX / 2} ${y2}, ${x2} ${y2}`;
      root.appendChild(svg('path', { d, fill: 'none', stroke: e.errors > 0 ? '#c0392b' : '#555', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)', class: 'edge' }));
      const label = svg('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle', class: 'edge-label' });
      label.textContent = `${e.calls} calls${e.errors > 0 ? ` · ${e.errors} err` : ''} · p99 ${duration(e.p99)}`;
      root.appendChild(label);
    }
    map.services.forEach((s, i) => {
      const g = svg('g', { class: 'node' });
      g.appendChild(svg('rect', { x: x(i), y: y(i), width: W, height: H, rx: 6, fill: '#fff', stroke: s.errors > 0 ? '#c0392b' : colour(i), 'stroke-width': 2 }));
      const name = svg('text', { x: x(i) + W / 2, y: y(i) + 18, 'text-anchor': 'middle', class: 'node-name' });
      name.textContent = s.service.length > 24 ? `${s.service.slice(0, 23)}…` : s.service;
      g.appendChild(name);
      const sub = svg('text', { x: x(i) + W / 2, y: y(i) + 34, 'text-anchor': 'middle', class: 'node-sub' });
      sub.textContent = `${s.spans} spans${s.errors > 0 ? `, ${s.errors} errors` : ''}`;
      g.appendChild(sub);
      root.appendChild(g);
    });
    view.appendChild(root);
    view.appendChild(table(['From', 'To', 'Calls', 'Errors', 'P50', 'P99'], map.edges.map((e) => [e.from, e.to, e.calls, e.errors, duration(e.p50), duration(e.p99)]), [false, false, true, true, true, true]));
    main.replaceChildren(view);
  }

  // ---- routing ---------------------------------------------------------------------------------------
  function route(): void {
    const hash = location.hash;
    let tab = 'traces';
    if (hash.startsWith('#trace/')) {
      const t = byId.get(decodeURIComponent(hash.slice('#trace/'.length)));
      if (t) traceView(t);
      else traceList();
    } else if (hash === '#errors') {
      tab = 'errors';
      errorsView();
    } else if (hash === '#latency') {
      tab = 'latency';
      latencyView();
    } else if (hash === '#services') {
      tab = 'services';
      servicesView();
    } else traceList();
    for (const b of Array.from(nav.children)) b.classList.toggle('active', b.getAttribute('data-tab') === tab);
  }
  window.addEventListener('hashchange', route);
  route();
}
