// `export --to`: a loopback OTLP/HTTP receiver (127.0.0.1, port 0; nothing leaves the machine) decodes
// what tracectl sends with protobufjs and opentelemetry-proto's own .proto files, and answers as real
// receivers do: success, 503 with Retry-After, 400, partial success, a slow answer, no answer at all.
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../cli/run-cli.js';
import { DEMO_ROOT_SPAN, otlpTypes } from './otlp-proto-types.js';
import { closeReceivers, decode, receiver, servers, spansOf, type Request } from './otlp-receiver.js';

const DEMO = fixture('demo/checkout.log');
afterEach(closeReceivers);

const DEMO_SPANS = 157; // `tracectl export` of it says so; the round-trip tests hold it to the input

async function send(args: string[], env: Record<string, string> = {}) {
  return runCli(['export', ...args, DEMO], { env: { NO_COLOR: '1', ...env } });
}

describe('export --to (OTLP/HTTP, protobuf)', () => {
  it('sends every span, gzipped, to /v1/traces; the official schema decodes ids, ns times, parents, attributes, events, status, resource', async () => {
    const rx = await receiver();
    const r = await send(['--to', rx.base]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`tracectl: export: ${DEMO_SPANS} spans sent to ${rx.base}/v1/traces in 1 request; 0 rejected, 0 failed`);
    expect(rx.arrivals).toHaveLength(1);
    const a = rx.arrivals[0]!;
    expect(a.path).toBe('/v1/traces');
    expect(a.headers['content-type']).toBe('application/x-protobuf');
    expect(a.headers['content-encoding']).toBe('gzip');
    const req = await decode(a.body);
    expect(req.resourceSpans.map((rs) => rs.resource.attributes.find((kv) => kv.key === 'service.name')!.value)).toEqual([
      { stringValue: 'gateway' },
      { stringValue: 'orders' },
      { stringValue: 'payments' },
    ]);
    const spans = spansOf(req);
    expect(spans).toHaveLength(DEMO_SPANS);
    // fixtures/demo/checkout.log:96 and its log lines 3 and 4.
    const root = spans.find((s) => s.spanId === '839f3e126a2671f8')!;
    expect(root).toMatchObject(DEMO_ROOT_SPAN);
    expect(root.attributes).toContainEqual({ key: 'http.status_code', value: { intValue: '201' } });
    expect(root.events!.slice(0, 2).map((e) => [e.timeUnixNano, e.name])).toEqual([
      ['1795629460840718000', 'request started'],
      ['1795629460841156000', 'checkout received'],
    ]);
    expect(root.events![0]!.attributes).toContainEqual({ key: 'level', value: { stringValue: 'info' } });
    // Line 92's child, and the failing card charge of trace 80901864… with its message.
    const client = spans.find((s) => s.spanId === 'befc96446e49d8c5')!;
    expect(client).toMatchObject({ parentSpanId: '839f3e126a2671f8', kind: 3, startTimeUnixNano: '1795629460841370000', endTimeUnixNano: '1795629460880301000' });
    const failed = spans.filter((s) => s.status?.code === 2);
    expect(failed.map((s) => s.status!.message)).toContain('card network timeout: issuer unavailable');
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(20);
  });

  it('bounds batches in spans and keeps at most --concurrency requests in flight', async () => {
    const rx = await receiver(() => ({ delayMs: 150 }));
    const r = await send(['--to', rx.base, '--batch-spans', '40', '--concurrency', '2']);
    expect(r.code, r.stderr).toBe(0);
    const sizes = await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body)).length));
    // Two requests in flight may arrive in either order: the batches, not their arrival order, are cut.
    expect([...sizes].sort((a, b) => b - a)).toEqual([40, 40, 40, 37]);
    expect(rx.maxInFlight()).toBe(2);
    expect(r.stderr).toContain(`${DEMO_SPANS} spans sent to ${rx.base}/v1/traces in 4 requests; 0 rejected, 0 failed`);
  });

  it('bounds batches in bytes', async () => {
    const rx = await receiver();
    const r = await send(['--to', rx.base, '--batch-bytes', '20000', '--no-gzip']);
    expect(r.code, r.stderr).toBe(0);
    expect(rx.arrivals.length).toBeGreaterThan(3);
    for (const a of rx.arrivals) {
      expect(a.headers['content-encoding']).toBeUndefined();
      // The bound is on the spans; the frame around them (resources, scopes) adds a little.
      expect(a.body.length).toBeLessThan(21_000);
    }
    const total = (await Promise.all(rx.arrivals.map(async (a) => spansOf(await decode(a.body)).length))).reduce((x, y) => x + y, 0);
    expect(total).toBe(DEMO_SPANS);
  });

  it('503 with Retry-After: waits as told, sends again, and everything arrives', async () => {
    const rx = await receiver((n) => (n === 0 ? { status: 503, headers: { 'retry-after': '1', 'content-type': 'text/plain' }, body: 'busy' } : undefined));
    const r = await send(['--to', rx.base]);
    expect(r.code, r.stderr).toBe(0);
    expect(rx.arrivals).toHaveLength(2);
    expect(rx.arrivals[1]!.at - rx.arrivals[0]!.at).toBeGreaterThanOrEqual(950);
    expect(spansOf(await decode(rx.arrivals[1]!.body))).toHaveLength(DEMO_SPANS);
    expect(r.stderr).toContain(`${DEMO_SPANS} spans sent to ${rx.base}/v1/traces in 2 requests, 1 retried; 0 rejected, 0 failed`);
  });

  it('400: not retried; the spans count as failed, the reason is shown, exit 3', async () => {
    const rx = await receiver(() => ({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'spans too old\u001b[31m' }));
    const r = await send(['--to', rx.base]);
    expect(r.code).toBe(3);
    expect(rx.arrivals).toHaveLength(1);
    expect(r.stderr).toContain('tracectl: export: HTTP 400: spans too old\\x1b[31m');
    expect(r.stderr).toContain(`0 spans sent to ${rx.base}/v1/traces in 1 request; 0 rejected, ${DEMO_SPANS} failed`);
  });

  it('partial success: the rejected spans and the reason are reported, exit 3', async () => {
    const { ExportTraceServiceResponse } = await otlpTypes();
    const body = ExportTraceServiceResponse.encode({ partialSuccess: { rejectedSpans: 7, errorMessage: '7 spans had no name' } }).finish();
    const rx = await receiver(() => ({ body }));
    const r = await send(['--to', rx.base]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('tracectl: export: partial success: 7 spans had no name');
    expect(r.stderr).toContain(`${DEMO_SPANS - 7} spans sent to ${rx.base}/v1/traces in 1 request; 7 rejected, 0 failed`);
  });

  it('a slow answer past --timeout is sent again', async () => {
    const rx = await receiver((n) => (n === 0 ? { delayMs: 3000 } : undefined));
    const r = await send(['--to', rx.base, '--timeout', '300ms']);
    expect(r.code, r.stderr).toBe(0);
    expect(rx.arrivals).toHaveLength(2);
    expect(r.stderr).toContain(`${DEMO_SPANS} spans sent to ${rx.base}/v1/traces in 2 requests, 1 retried; 0 rejected, 0 failed`);
  });

  it('no receiver: retried --retries times, then failed, exit 3', async () => {
    const rx = await receiver();
    const base = rx.base;
    const s = servers.pop()!;
    await new Promise((done) => s.close(done));
    const r = await send(['--to', base, '--retries', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ECONNREFUSED.*\(gave up after 2 attempts\)/);
    expect(r.stderr).toContain(`0 spans sent to ${base}/v1/traces in 2 requests, 1 retried; 0 rejected, ${DEMO_SPANS} failed`);
  });
});

describe('export --to env and --protocol http/json', () => {
  it('OTEL_EXPORTER_OTLP_ENDPOINT is a base for /v1/traces; OTEL_EXPORTER_OTLP_HEADERS are sent, never printed', async () => {
    const rx = await receiver(() => ({ status: 401, headers: { 'content-type': 'text/plain' }, body: 'bad token' }));
    const r = await send(['--to', 'env'], { OTEL_EXPORTER_OTLP_ENDPOINT: `${rx.base}/tenant-a/`, OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20s3cr3t-v4lue,x-scope-orgid=acme' });
    expect(rx.arrivals[0]!.path).toBe('/tenant-a/v1/traces');
    expect(rx.arrivals[0]!.headers.authorization).toBe('Bearer s3cr3t-v4lue');
    expect(rx.arrivals[0]!.headers['x-scope-orgid']).toBe('acme');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('HTTP 401: bad token');
    expect(r.stderr).not.toContain('s3cr3t');
  });

  it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as it is', async () => {
    const rx = await receiver();
    const r = await send(['--to', 'env'], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${rx.base}/custom/path`, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://192.0.2.1:4318' });
    expect(r.code, r.stderr).toBe(0);
    expect(rx.arrivals[0]!.path).toBe('/custom/path');
  });

  it('http/json: the same request as the otlp file format, JSON partial success read', async () => {
    const rx = await receiver(() => ({ headers: { 'content-type': 'application/json' }, body: '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"dropped 2"}}' }));
    const r = await send(['--to', rx.base, '--protocol', 'http/json', '--batch-spans', '1000']);
    expect(rx.arrivals[0]!.headers['content-type']).toBe('application/json');
    const sent = JSON.parse(rx.arrivals[0]!.body.toString('utf8')) as Request;
    expect(spansOf(sent)).toHaveLength(DEMO_SPANS);
    const file = await runCli(['export', '-q', DEMO]);
    const fileSpans = file.stdout.trim().split('\n').flatMap((l) => spansOf(JSON.parse(l) as Request));
    expect(new Set(spansOf(sent).map((s) => JSON.stringify(s)))).toEqual(new Set(fileSpans.map((s) => JSON.stringify(s))));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${DEMO_SPANS - 2} spans sent to ${rx.base}/v1/traces in 1 request; 2 rejected, 0 failed`);
  });

  it('--to with -o or --format is a usage error', async () => {
    expect((await send(['--to', 'http://127.0.0.1:9', '-o', 'x.json'])).stderr).toContain('--to and -o/--output: choose one');
    const r = await send(['--to', 'http://127.0.0.1:9', '--format', 'jaeger']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('choose its encoding with --protocol, not --format');
  });

  it('a --to that is not an http(s) URL is a usage error, before anything is read', async () => {
    const r = await send(['--to', 'grpc://collector:4317']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--to: only http and https URLs are supported');
  });
});
