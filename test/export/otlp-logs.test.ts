// `export --signals logs`: a trace's log lines as OTLP log records, each with its trace and span id, its
// level as severity and its other fields as attributes. Checked against the demo log's own lines (the
// truth: 231 log lines + 3 logs inside span records = 234 records), decoded with opentelemetry-proto's
// own logs schema, and sent to a loopback receiver at /v1/logs beside /v1/traces.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../cli/run-cli.js';
import { otlpTypes } from './otlp-proto-types.js';

const DEMO = fixture('demo/checkout.log');
const lines = readFileSync(DEMO, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const logLines = lines.filter((o) => typeof o.message === 'string');
const recordLogs = lines.flatMap((o) => (Array.isArray(o.logs) ? (o.logs as unknown[]) : []));

interface KV {
  key: string;
  value: Record<string, unknown>;
}
interface LogRecord {
  timeUnixNano: string;
  severityNumber?: number | string;
  severityText?: string;
  body: { stringValue: string };
  attributes?: KV[];
  traceId: string;
  spanId: string;
}
interface LogsRequest {
  resourceLogs: { resource: { attributes: KV[] }; scopeLogs: { scope: { name: string }; logRecords: LogRecord[] }[] }[];
}

const recordsOf = (r: LogsRequest): (LogRecord & { service: string })[] =>
  r.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((x) => ({ ...x, service: String(rl.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue) }))));
const attr = (r: LogRecord, key: string): unknown => {
  const v = r.attributes?.find((a) => a.key === key)?.value;
  return v === undefined ? undefined : (v.stringValue ?? v.intValue ?? v.boolValue);
};
const SEVERITY: Record<string, number> = { debug: 5, info: 9, warn: 13, error: 17 };

describe('export --signals logs (file)', () => {
  it('writes each log line once as a record with its ids, time, severity, body and fields', async () => {
    const said = await runCli(['export', '--signals', 'logs', DEMO]);
    expect(said.stderr).toContain(`exported 20 traces, ${logLines.length + recordLogs.length} log records as otlp`);
    const r = await runCli(['export', '--signals', 'logs', '-q', DEMO]);
    expect(r.code).toBe(0);
    const requests = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as LogsRequest);
    const records = requests.flatMap(recordsOf);
    expect(records).toHaveLength(logLines.length + recordLogs.length);
    // Every log line of the input, matched by its place: same ids, time, level, message and service.
    const byPlace = new Map(records.map((x) => [String(attr(x, 'tracectl.source')), x]));
    lines.forEach((o, i) => {
      if (typeof o.message !== 'string') return;
      const x = byPlace.get(`${DEMO}:${i + 1}`);
      expect(x, `line ${i + 1}`).toBeDefined();
      expect(x!.traceId).toBe(o.traceId);
      expect(x!.spanId).toBe(o.spanId);
      expect(x!.service).toBe(o.serviceName);
      expect(x!.body.stringValue).toBe(o.message);
      expect(x!.severityNumber).toBe(SEVERITY[o.level as string]);
      expect(x!.severityText).toBe((o.level as string).toUpperCase());
      expect(BigInt(x!.timeUnixNano)).toBe(BigInt(Date.parse(o.timestamp as string)) * 1_000_000n + BigInt((o.timestamp as string).slice(23, 26)) * 1000n);
      if (o.items !== undefined) expect(attr(x!, 'items')).toBe(String(o.items));
    });
    // Secrets are redacted in the fields as everywhere.
    expect(r.stdout).not.toContain('"hunter2"');
    expect(records.some((x) => attr(x, 'user.password') === '[REDACTED]')).toBe(true);
  });

  it('otlp-proto: the official logs schema decodes the same records', async () => {
    const json = (await runCli(['export', '--signals', 'logs', '-q', DEMO])).stdout.trim().split('\n').map((l) => JSON.parse(l) as LogsRequest);
    const { ExportLogsServiceRequest } = await otlpTypes();
    // Length-delimited requests, one per trace with log lines.
    const reader = (await import('protobufjs')).default.Reader.create(Buffer.from(await binary(['export', '--signals', 'logs', '--format', 'otlp-proto', '-q', DEMO])));
    const decoded: LogsRequest[] = [];
    while (reader.pos < reader.len) decoded.push(toObject(ExportLogsServiceRequest, ExportLogsServiceRequest.decodeDelimited(reader)));
    expect(decoded).toHaveLength(json.length);
    expect(decoded.flatMap(recordsOf).map(key).sort()).toEqual(json.flatMap(recordsOf).map(key).sort());
  });

  it('refuses what a file cannot hold', async () => {
    const both = await runCli(['export', '--signals', 'traces,logs', DEMO]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--signals traces,logs needs --to');
    const jaeger = await runCli(['export', '--signals', 'logs', '--format', 'jaeger', DEMO]);
    expect(jaeger.code).toBe(2);
    expect(jaeger.stderr).toContain('use --format otlp or otlp-proto');
    expect((await runCli(['export', '--signals', 'metrics', DEMO])).stderr).toContain('expected traces, logs, or traces,logs');
  });
});

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('export --to --signals traces,logs (OTLP/HTTP)', () => {
  it('sends spans to /v1/traces and log records to /v1/logs; partial success is counted per signal', async () => {
    const arrivals: { path: string; body: Buffer }[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        arrivals.push({ path: req.url ?? '', body: req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.url === '/v1/logs' ? '{"partialSuccess":{"rejectedLogRecords":"4","errorMessage":"too old"}}' : '{}');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await runCli(['export', '--to', `${base}/v1/traces`, '--signals', 'traces,logs', '--batch-spans', '100', '-q', DEMO]);
    const { ExportLogsServiceRequest } = await otlpTypes();
    const logs = arrivals.filter((a) => a.path === '/v1/logs').flatMap((a) => recordsOf(toObject(ExportLogsServiceRequest, ExportLogsServiceRequest.decode(a.body))));
    expect(logs).toHaveLength(logLines.length + recordLogs.length);
    expect(arrivals.filter((a) => a.path === '/v1/logs')).toHaveLength(Math.ceil(logs.length / 100));
    expect(arrivals.some((a) => a.path === '/v1/traces')).toBe(true);
    expect(r.stderr).toContain(`157 spans sent to ${base}/v1/traces`);
    // Each of the 3 logs requests (100 + 100 + 34 records) is answered with 4 rejected.
    expect(r.stderr).toContain(`${logs.length - 12} log records sent to ${base}/v1/logs in 3 requests; 12 rejected, 0 failed`);
    expect(r.stderr).toContain('partial success: too old');
    expect(r.code).toBe(3);
  });

  it('a --to path that does not end in /v1/traces cannot tell where logs go', async () => {
    const r = await runCli(['export', '--to', 'http://127.0.0.1:9/otlp', '--signals', 'logs', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--signals logs: give --to a base URL');
  });
});

function key(x: LogRecord): string {
  return JSON.stringify([x.traceId, x.spanId, x.timeUnixNano, x.body.stringValue, Number(x.severityNumber ?? 0)]);
}

/** A decoded request as plain data: ids as hex, 64-bit numbers as strings, enums as numbers. */
function toObject(type: import('protobufjs').Type, message: import('protobufjs').Message): LogsRequest {
  const o = type.toObject(message, { longs: String, bytes: String, enums: Number, defaults: false }) as LogsRequest;
  for (const rl of o.resourceLogs) for (const sl of rl.scopeLogs) for (const x of sl.logRecords) {
    x.traceId = Buffer.from(x.traceId, 'base64').toString('hex');
    x.spanId = Buffer.from(x.spanId, 'base64').toString('hex');
  }
  return o;
}

/** The program's stdout as bytes (runCli gives text). */
async function binary(argv: string[]): Promise<Uint8Array> {
  const { main } = await import('../../src/cli/main.js');
  const { Readable } = await import('node:stream');
  const parts: Buffer[] = [];
  await main(argv, {
    stdin: Readable.from([]),
    stdout: { write: (s) => (parts.push(typeof s === 'string' ? Buffer.from(s) : Buffer.from(s)), true) },
    stderr: { write: () => true },
    env: {},
    stdoutIsTTY: false,
    stdinIsTTY: false,
    columns: undefined,
    signal: new AbortController().signal,
    threads: 1,
    now: () => 0,
  });
  return Buffer.concat(parts);
}
