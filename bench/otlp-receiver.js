// The export row's loopback OTLP/HTTP receiver (127.0.0.1, a free port; nothing leaves the machine): it
// takes POST /v1/traces, gunzips, decodes each ExportTraceServiceRequest with opentelemetry-proto's own
// definitions (fixtures/peer/opentelemetry-proto, protobufjs) and counts the spans, answering 200 with an
// empty ExportTraceServiceResponse. It runs in the bench's own process, so its CPU shares the machine
// with the measured command, as a collector on the same host would.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

const PROTO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'peer', 'opentelemetry-proto') + '/';

/** Starts the receiver; `spans` and `requests` count what arrived, `close()` stops it. */
export async function startReceiver() {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith(PROTO) ? target : PROTO + target);
  await root.load(['opentelemetry/proto/collector/trace/v1/trace_service.proto'], { keepCase: false });
  const Request = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  const counts = { spans: 0, requests: 0, undecodable: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      counts.requests++;
      try {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        const decoded = Request.decode(body);
        for (const rs of decoded.resourceSpans) for (const ss of rs.scopeSpans) counts.spans += ss.spans.length;
        res.writeHead(200, { 'content-type': 'application/x-protobuf' });
        res.end();
      } catch {
        counts.undecodable++;
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('undecodable');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
