// A loopback OTLP/HTTP receiver for tests (127.0.0.1, port 0; nothing leaves the machine): it records each
// request, gunzipped, and answers as told; decode() reads a protobuf request with opentelemetry-proto's
// own definitions (protobufjs).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { otlpTypes } from './otlp-proto-types.js';

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  delayMs?: number;
}

export interface Arrival {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body, gunzipped when sent so. */
  body: Buffer;
}

/** The receivers started so far; closeReceivers() (each test file's afterEach) closes them. */
export const servers: http.Server[] = [];
export async function closeReceivers(): Promise<void> {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
}

/** A receiver that answers the n-th request (from 0) with reply(n); 200 with an empty body when undefined. */
export async function receiver(reply: (n: number) => Reply | undefined = () => undefined): Promise<{ base: string; arrivals: Arrival[]; maxInFlight: () => number }> {
  const arrivals: Arrival[] = [];
  let inFlight = 0;
  let max = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    inFlight++;
    max = Math.max(max, inFlight);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const n = arrivals.length;
      arrivals.push({ at: Date.now(), path: req.url ?? '', headers: req.headers, body });
      const r = reply(n) ?? {};
      setTimeout(() => {
        inFlight--;
        if (res.destroyed) return;
        res.writeHead(r.status ?? 200, { 'content-type': 'application/x-protobuf', ...r.headers });
        res.end(r.body ?? '');
      }, r.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, arrivals, maxInFlight: () => max };
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
  events?: { timeUnixNano: string; name: string; attributes?: { key: string; value: Record<string, unknown> }[] }[];
  status?: { code?: number; message?: string };
}
export interface Request {
  resourceSpans: { resource: { attributes: { key: string; value: Record<string, unknown> }[] }; scopeSpans: { scope: { name: string }; spans: Span[] }[] }[];
}

const hex = (b64: string | undefined): string | undefined => (b64 === undefined || b64 === '' ? undefined : Buffer.from(b64, 'base64').toString('hex'));

/** A protobuf request decoded with the official definitions; ids as hex, 64-bit integers as strings. */
export async function decode(body: Buffer): Promise<Request> {
  const { ExportTraceServiceRequest } = await otlpTypes();
  const o = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String, bytes: String, defaults: false }) as Request;
  for (const r of o.resourceSpans) {
    for (const ss of r.scopeSpans) {
      for (const s of ss.spans) {
        s.traceId = hex(s.traceId)!;
        s.spanId = hex(s.spanId)!;
        const p = hex(s.parentSpanId);
        if (p === undefined) delete s.parentSpanId;
        else s.parentSpanId = p;
      }
    }
  }
  return o;
}

export const spansOf = (r: Request): Span[] => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));

