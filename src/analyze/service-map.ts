// Who calls whom: an edge per (calling service -> called service), read off parent/child links where the
// service changes. The called span's duration is the latency the caller saw (as far as the callee's spans
// say), and its error flag counts as a failed call. Rendering (table, dot, mermaid) belongs to src/render.
//
//   web  GET /checkout                 web -> cart   (1 call)
//   ├─ cart  GetCart                   web -> pay    (1 call, 1 error)
//   │  └─ cart  load                   (same service: no edge)
//   └─ pay  Charge   error
import { IndexedTree } from '../model/indexed-tree.js';
import type { TraceTree } from '../model/tree.js';
import type { Micros } from '../core/time.js';
import { distribution } from './percentiles.js';
import { compareStrings } from './top-n.js';
import { appendAll, mergeByKey, removeValue } from './merge-by-key.js';

export interface ServiceEdge {
  from: string;
  to: string;
  calls: number;
  errors: number;
  /** Over the called spans' durations. */
  p50: Micros;
  p99: Micros;
}

export interface ServiceNode {
  service: string;
  spans: number;
  errors: number;
  /** Spans of this service that are roots of their trace (entry points). */
  roots: number;
}

export interface ServiceMap {
  /** Sorted by service name. */
  services: ServiceNode[];
  /** Sorted by calls desc, then from, then to. */
  edges: ServiceEdge[];
}

interface EdgeAcc {
  from: string;
  to: string;
  errors: number;
  durations: number[];
}

/** What a ServiceMapAccumulator holds, as plain data that can cross threads. */
export interface ServiceMapState {
  services: [string, ServiceNode][];
  edges: [string, EdgeAcc][];
}

export class ServiceMapAccumulator {
  private readonly services = new Map<string, ServiceNode>();
  private readonly edges = new Map<string, EdgeAcc>();

  exportState(): ServiceMapState {
    return { services: [...this.services], edges: [...this.edges] };
  }

  /**
   * Adds what another accumulator (over other traces) holds: counts add, call durations join, and
   * finish() sorts both lists under total orders, so the map is the one a single accumulator gives.
   */
  absorb(state: ServiceMapState): void {
    mergeByKey(this.services, state.services, (svc, theirs) => {
      svc.spans += theirs.spans;
      svc.errors += theirs.errors;
      svc.roots += theirs.roots;
    });
    mergeByKey(this.edges, state.edges, (e, theirs) => {
      appendAll(e.durations, theirs.durations);
      e.errors += theirs.errors;
    });
  }

  add(tree: TraceTree): void {
    // By node index (IndexedTree), in the nodes' order: no SpanNode object is made.
    const nodes = new IndexedTree(tree);
    for (let k = 0; k < nodes.count; k++) {
      const s = nodes.span(k);
      let svc = this.services.get(s.service);
      if (!svc) {
        svc = { service: s.service, spans: 0, errors: 0, roots: 0 };
        this.services.set(s.service, svc);
      }
      svc.spans++;
      if (s.error) svc.errors++;
      const up = nodes.parent(k);
      if (up < 0) {
        svc.roots++;
        continue;
      }
      const from = nodes.span(up).service;
      if (from === s.service) continue;
      const key = `${from}\u0000${s.service}`;
      let e = this.edges.get(key);
      if (!e) {
        e = { from, to: s.service, errors: 0, durations: [] };
        this.edges.set(key, e);
      }
      e.durations.push(s.end - s.start);
      if (s.error) e.errors++;
    }
  }

  /** Takes back what add(tree) added for a trace (a followed trace whose update is added in its place). */
  withdraw(tree: TraceTree): void {
    const nodes = new IndexedTree(tree);
    for (let k = 0; k < nodes.count; k++) {
      const s = nodes.span(k);
      const svc = this.services.get(s.service);
      if (svc === undefined) continue;
      svc.spans--;
      if (s.error) svc.errors--;
      const up = nodes.parent(k);
      if (up < 0) svc.roots--;
      if (svc.spans === 0) this.services.delete(s.service);
      if (up < 0) continue;
      const from = nodes.span(up).service;
      if (from === s.service) continue;
      const key = `${from}\u0000${s.service}`;
      const e = this.edges.get(key);
      if (e === undefined) continue;
      removeValue(e.durations, s.end - s.start);
      if (s.error) e.errors--;
      if (e.durations.length === 0) this.edges.delete(key);
    }
  }

  finish(): ServiceMap {
    const services = [...this.services.values()].sort((a, b) => compareStrings(a.service, b.service));
    const edges: ServiceEdge[] = [];
    for (const e of this.edges.values()) {
      const d = distribution(e.durations);
      edges.push({ from: e.from, to: e.to, calls: d.count, errors: e.errors, p50: d.p50, p99: d.p99 });
    }
    edges.sort((a, b) => b.calls - a.calls || compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
    return { services, edges };
  }
}

export function serviceMap(trees: Iterable<TraceTree>): ServiceMap {
  const acc = new ServiceMapAccumulator();
  for (const t of trees) acc.add(t);
  return acc.finish();
}
