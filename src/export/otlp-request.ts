// An ExportTraceServiceRequest is spans grouped by resource (service, host) and then by scope. Spans are
// encoded one at a time (their size is then known: the sender's batches are bounded in bytes) and the
// groups around them are written last, by the JSON writer or the protobuf encoder.
import type { ExportSpan } from './export-span.js';
import { scopeOf } from './otlp-attributes.js';

export interface EncodedSpan<T> {
  service: string;
  host?: string;
  scope: { name: string; version?: string };
  body: T;
}

export function encodedSpan<T>(span: ExportSpan, body: T): EncodedSpan<T> {
  const e: EncodedSpan<T> = { service: span.service, scope: scopeOf(span), body };
  if (span.host !== undefined) e.host = span.host;
  return e;
}

export interface ResourceGroup<T> {
  service: string;
  host?: string;
  scopes: { scope: { name: string; version?: string }; spans: T[] }[];
}

/** Spans grouped by resource, then scope, each group in first-seen order. */
export function groupSpans<T>(spans: readonly EncodedSpan<T>[]): ResourceGroup<T>[] {
  const resources = new Map<string, ResourceGroup<T> & { byScope: Map<string, T[]> }>();
  for (const s of spans) {
    const rkey = `${s.service}\u0000${s.host ?? ''}`;
    let r = resources.get(rkey);
    if (r === undefined) {
      r = { service: s.service, scopes: [], byScope: new Map() };
      if (s.host !== undefined) r.host = s.host;
      resources.set(rkey, r);
    }
    const skey = `${s.scope.name}\u0000${s.scope.version ?? ''}`;
    let list = r.byScope.get(skey);
    if (list === undefined) {
      list = [];
      r.byScope.set(skey, list);
      r.scopes.push({ scope: s.scope, spans: list });
    }
    list.push(s.body);
  }
  return [...resources.values()].map(({ byScope: _, ...group }) => group);
}
