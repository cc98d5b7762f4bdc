import { readFileSync } from 'node:fs';
import type { Span } from '../../src/model/span.js';
import { readSpanDocument, type FormatResult } from '../../src/formats/read-span-document.js';

/** Peer files copied byte for byte into the repository (fixtures/peer/SOURCES.md). */
const ROOT = new URL('../../fixtures/peer/', import.meta.url);

export function peerText(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

/** Read a whole-JSON peer file through the dispatcher, as the CLI would for a one-document file. */
export function readPeer(path: string): FormatResult {
  const value: unknown = JSON.parse(peerText(path));
  const result = readSpanDocument(value, { source: path.split('/').pop() ?? path, line: 1 });
  if (!result) throw new Error(`${path}: not recognised as a span document`);
  return result;
}

/** Read an NDJSON peer file line by line; returns one result per line (undefined when not recognised). */
export function readPeerLines(path: string): (FormatResult | undefined)[] {
  return peerText(path)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => readSpanDocument(JSON.parse(l) as unknown, { source: path, line: i + 1 }));
}

export function byId(spans: readonly Span[], id: string): Span {
  const found = spans.filter((s) => s.spanId === id);
  if (found.length !== 1) throw new Error(`expected one span ${id}, found ${found.length}`);
  return found[0] as Span;
}

export const JAEGER_UI = 'jaeger-ui/packages/jaeger-ui/src/';
export const ZIPKIN = 'zipkin/zipkin-lens/testdata/';
