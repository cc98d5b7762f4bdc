// `tracectl export`: each format read back by tracectl gives the input's trees, durations, errors and
// latency; the files have the shapes their own tools write (peer files in fixtures/peer); the protobuf
// output decodes with protobufjs and opentelemetry-proto's own definitions.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, peerdata, runCli } from './run-cli.js';
import { DEMO_ROOT_SPAN, otlpTypes } from '../export/otlp-proto-types.js';
import { hexSpanId } from '../../src/export/export-span.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEMO = fixture('demo/checkout.log');
const INCIDENTS = fixture('analyses/incidents.spans.jsonl');
const IDS = fixture('export/correlation-ids.log');

async function exported(format: string, input: string, extra: string[] = []): Promise<string> {
  const out = join(dir, `${format}-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCli(['export', '--format', format, '-o', out, ...extra, input]);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

/** What a command prints, stderr's ingest account left out (the line counts differ by design). */
async function stdoutOf(argv: string[]): Promise<string> {
  const r = await runCli([...argv, '-q']);
  return `${r.code}\n${r.stdout}`;
}

async function traceIds(input: string): Promise<string[]> {
  const r = await runCli(['group', '--json', '-q', input]);
  return r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { traceId: string }).traceId);
}

const KAFKA = peerdata('zipkin/zipkin-lens/testdata/messaging-kafka.json');
const YELP = peerdata('zipkin/zipkin-lens/testdata/yelp.json');

/** The text of each id-free command and of each trace's tree, with span ids spelled by `spell`. */
async function views(input: string, ids: string[], spell: (text: string) => string = (t) => t): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const cmd of [['latency'], ['latency', '--by', 'service'], ['slowest', '--top', '50'], ['errors', '--summary'], ['errors'], ['services'], ['critical-path', ids[0]!]]) {
    out[cmd.join(' ')] = spell(await stdoutOf([...cmd, input]));
  }
  for (const id of ids) out[`tree ${id}`] = spell(await stdoutOf(['tree', id, '--width', '140', input]));
  return out;
}

describe.each([
  ['demo/checkout.log: log lines and span records of 20 checkouts', DEMO],
  ["zipkin-lens's messaging-kafka.json: producer and consumer, errors, children outliving parents", KAFKA],
  ["zipkin-lens's yelp.json: RPCs as a CLIENT half and a shared SERVER half under one id", YELP],
])('round trip, %s', (_name, input) => {
  it.each(['otlp', 'jaeger', 'zipkin'])('%s: the same trees, latency, slowest, errors, critical path and service map', async (format) => {
    const file = await exported(format, input);
    const ids = await traceIds(input);
    expect(ids.length).toBeGreaterThan(0);
    expect(await traceIds(file)).toEqual(ids);
    // A server half shown as `<id>#2` under its client gets an id of its own in OTLP and Jaeger (as
    // Jaeger's SpanIDDeduper gives it); Zipkin shares the id again.
    const renamed = (text: string): string => (format === 'zipkin' ? text : text.replace(/\b[0-9a-f]{16}#2\b/g, (key) => hexSpanId(key)));
    expect(await views(file, ids)).toEqual(await views(input, ids, renamed));
  });
});

describe("read back, an export of logs: placeholders and inferred parents (fixtures/incident/kubectl)", () => {
  // Nine services' logs of twelve checkouts: nginx's access line is each trace's root, a placeholder
  // (`edge (no span id)`, exported with `tracectl.inferred`) under the caller's missing span; 7 of 9
  // parents are inferred from timing (exported with `tracectl.parent_inferred`); 5 traces fail.
  const INCIDENT = fixture('incident/kubectl');
  const rows = async (argv: string[]): Promise<unknown[]> =>
    (await runCli([...argv, '--json', '-q'])).stdout.trim().split('\n').map((l) => {
      const row = JSON.parse(l) as Record<string, unknown>;
      delete row.entries; // lines read: the export's one line a trace against the logs' lines
      return row;
    });
  // A placeholder's key (`inferred:edge`) is exported as its hex id. Not carried by the export: how many
  // of the inferred parents were chosen among overlapping spans.
  const unnoted = (text: string): string =>
    text.replace(/\binferred:[a-z-]+/g, (key) => hexSpanId(key)).replace(/ \(\d+ among overlapping spans: the one that started last taken\)/g, '');

  it.each(['otlp', 'jaeger', 'zipkin'])('%s: a trace of lines without a span id is its placeholder, not a blank row', async (format) => {
    // A worker that logs the trace id only: its placeholder is the trace's one span, its root and its error.
    const logs = join(dir, 'worker.log');
    writeFileSync(
      logs,
      [
        '{"time":"2025-03-14T09:25:00.100Z","level":"info","service":"worker","trace_id":"9a8b7c6d5e4f30211a2b3c4d5e6f7081","msg":"job started"}',
        '{"time":"2025-03-14T09:25:02.350Z","level":"error","service":"worker","trace_id":"9a8b7c6d5e4f30211a2b3c4d5e6f7081","msg":"job failed: upstream closed the connection"}',
        '',
      ].join('\n'),
    );
    const file = await exported(format, logs);
    const want = await rows(['group', '--errors', logs]);
    expect(want).toMatchObject([{ durationUs: 2_250_000, spans: 1, errors: 1, root: 'job started', rootService: 'worker' }]);
    expect(await rows(['group', '--errors', file])).toEqual(want);
  });

  it.each(['otlp', 'jaeger', 'zipkin'])('%s: group (with --errors), slowest, errors and every tree say what the logs said', async (format) => {
    const file = await exported(format, INCIDENT);
    const ids = await traceIds(INCIDENT);
    expect(ids).toHaveLength(12);
    const groups = await rows(['group', INCIDENT]);
    expect(groups.map((r) => [(r as { root: string }).root, (r as { rootService: string }).rootService])).toEqual(ids.map(() => ['(no span id)', 'edge']));
    expect(await rows(['group', file])).toEqual(groups);
    const failing = await rows(['group', '--errors', INCIDENT]);
    expect(failing.length).toBeGreaterThan(0);
    expect(await rows(['group', '--errors', file])).toEqual(failing);
    expect(await views(file, ids)).toEqual(await views(INCIDENT, ids, unnoted));
  });
});

describe('round trip of span ids that are not hex (analyses/incidents.spans.jsonl: s-a1, s-a2, …)', () => {
  it.each(['otlp', 'jaeger', 'zipkin'])('%s: the same answers, each id replaced by its hex id everywhere', async (format) => {
    const file = await exported(format, INCIDENTS);
    const ids = await traceIds(INCIDENTS);
    const spanIds = [...new Set([...readFileSync(INCIDENTS, 'utf8').matchAll(/"(?:spanId|parentSpanId)":"([^"]+)"/g)].map((m) => m[1]!))];
    expect(spanIds.length).toBeGreaterThan(10);
    // Longest first, so that s-a10 is not read as s-a1 followed by 0.
    spanIds.sort((a, b) => b.length - a.length);
    const spell = (text: string): string => spanIds.reduce((t, id) => t.split(id).join(hexSpanId(id)), text);
    expect(await views(file, ids)).toEqual(await views(INCIDENTS, ids, spell));
  });
});

describe('otlp', () => {
  it('writes one ExportTraceServiceRequest per line, grouped by service, ids hex, times in ns as strings', async () => {
    const lines = readFileSync(await exported('otlp', DEMO), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(20);
    const req = JSON.parse(lines.find((l) => l.includes('4bf92f3577b34da6a3ce929d0e0e4736'))!) as OtlpRequest;
    expect(req.resourceSpans.map((r) => r.resource.attributes[0])).toEqual(['gateway', 'orders', 'payments'].map((s) => ({ key: 'service.name', value: { stringValue: s } })));
    const spans = req.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans).toHaveLength(8);
    // fixtures/demo/checkout.log:96, the record of the gateway's server span: times in ms with µs digits.
    const root = spans.find((s) => s.spanId === '839f3e126a2671f8')!;
    expect(root).toMatchObject(DEMO_ROOT_SPAN);
    expect(root.status).toEqual({});
    expect(root.attributes).toContainEqual({ key: 'http.status_code', value: { intValue: '201' } });
    // Its log lines (3 and 4 of the file) are its events, in time order, with level and place.
    expect(root.events!.slice(0, 2)).toEqual([
      { timeUnixNano: '1795629460840718000', name: 'request started', attributes: [{ key: 'level', value: { stringValue: 'info' } }, { key: 'tracectl.source', value: { stringValue: `${DEMO}:3` } }] },
      { timeUnixNano: '1795629460841156000', name: 'checkout received', attributes: [{ key: 'level', value: { stringValue: 'info' } }, { key: 'tracectl.source', value: { stringValue: `${DEMO}:4` } }] },
    ]);
  });

  it('errors carry status code 2 and their message', async () => {
    const lines = readFileSync(await exported('otlp', DEMO, ['--errors']), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4); // the 4 failing checkouts (fixtures/demo/README.md)
    const spans = lines.flatMap((l) => (JSON.parse(l) as OtlpRequest).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const failed = spans.filter((s) => s.status.code === 2);
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(failed.map((s) => s.status.message)).toContain('card network timeout: issuer unavailable');
  });

  it('maps ids that are not hex to stable hex ids, keeping the original and marking inferred spans', async () => {
    const text = readFileSync(await exported('otlp', IDS), 'utf8');
    expect(readFileSync(await exported('otlp', IDS), 'utf8')).toBe(text); // the same ids every run
    const spans = (JSON.parse(text) as OtlpRequest).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans.map((s) => s.name)).toEqual(['GET /cart started', 'loading cart']);
    for (const s of spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      const attrs = Object.fromEntries(s.attributes.map((a) => [a.key, a.value]));
      expect(attrs['tracectl.original_trace_id']).toEqual({ stringValue: 'B7E1C1D2-3F4A-4B5C-8D9E-0F1A2B3C4D5E' });
      expect(attrs['tracectl.inferred']).toEqual({ boolValue: true });
    }
    expect(spans[0]!.traceId).toBe(spans[1]!.traceId);
    expect(spans[0]!.spanId).not.toBe(spans[1]!.spanId);
    expect(spans.map((s) => s.attributes.find((a) => a.key === 'tracectl.original_span_id')?.value)).toEqual([{ stringValue: 'inferred:api' }, { stringValue: 'inferred:cart' }]);
    // Read back: the same services, durations and errors (cart's span: 12 ms → 80 ms, an error).
    const back = await runCli(['latency', '--json', '-q', await exported('otlp', IDS)]);
    const direct = await runCli(['latency', '--json', '-q', IDS]);
    expect(back.stdout).toBe(direct.stdout);
  });

  it('otlp-proto: length-delimited requests that protobufjs decodes with the official definitions to what otlp writes', async () => {
    const { ExportTraceServiceRequest } = await otlpTypes();
    const bytes = readFileSync(await exported('otlp-proto', DEMO));
    const json = readFileSync(await exported('otlp', DEMO), 'utf8').trim().split('\n');
    const reader = (await import('protobufjs')).default.Reader.create(bytes);
    const decoded: unknown[] = [];
    while (reader.pos < reader.len) decoded.push(ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decodeDelimited(reader), { longs: String, bytes: String }));
    expect(decoded).toHaveLength(json.length);
    for (let i = 0; i < json.length; i++) expect(protoJson(decoded[i])).toEqual(protoJson(JSON.parse(json[i]!)));
  });
});

describe('jaeger', () => {
  it("has the fields and shapes of Jaeger's own JSON (jaeger's ui_01.json)", async () => {
    const doc = JSON.parse(readFileSync(await exported('jaeger', DEMO), 'utf8')) as { data: Record<string, unknown>[] };
    const peer = JSON.parse(readFileSync(peerdata('jaeger/internal/uimodel/converter/v1/json/fixtures/ui_01.json'), 'utf8')) as Record<string, unknown>;
    expect(doc.data).toHaveLength(20);
    const trace = doc.data.find((t) => t.traceID === '4bf92f3577b34da6a3ce929d0e0e4736')!;
    expect(Object.keys(trace).sort()).toEqual(Object.keys(peer).sort());
    const peerSpan = (peer.spans as Record<string, unknown>[])[0]!;
    const spans = trace.spans as Record<string, unknown>[];
    for (const s of spans) {
      expect(Object.keys(s).filter((k) => k !== 'flags').sort()).toEqual(Object.keys(peerSpan).sort());
      for (const k of Object.keys(peerSpan)) if (peerSpan[k] !== null) expect(typeof s[k], k).toBe(typeof peerSpan[k]);
      for (const t of s.tags as { key: string; type: string; value: unknown }[]) expect(['string', 'bool', 'int64', 'float64']).toContain(t.type);
    }
    const processes = trace.processes as Record<string, { serviceName: string; tags: unknown[] }>;
    expect(Object.values(processes).map((p) => p.serviceName)).toEqual(['gateway', 'orders', 'payments']);
    const root = spans.find((s) => s.spanID === '839f3e126a2671f8')!;
    expect(root).toMatchObject({ startTime: 1795629460840714, duration: 40109, references: [{ refType: 'CHILD_OF', traceID: '4bf92f3577b34da6a3ce929d0e0e4736', spanID: '00f067aa0ba902b7' }] });
    expect((root.logs as { timestamp: number; fields: unknown[] }[])[0]).toEqual({
      timestamp: 1795629460840718,
      fields: [{ key: 'event', type: 'string', value: 'request started' }, { key: 'level', type: 'string', value: 'info' }, { key: 'tracectl.source', type: 'string', value: `${DEMO}:3` }],
    });
    expect(processes[root.processID as string]!.serviceName).toBe('gateway');
  });
});

describe('zipkin', () => {
  it("has the fields and shapes of Zipkin's v2 spans (zipkin-lens testdata), tags as strings", async () => {
    const spans = JSON.parse(readFileSync(await exported('zipkin', DEMO), 'utf8')) as Record<string, unknown>[];
    expect(spans).toHaveLength(157);
    const peer = JSON.parse(readFileSync(peerdata('zipkin/zipkin-lens/testdata/yelp.json'), 'utf8')) as Record<string, unknown>[];
    const peerKeys = new Set(peer.flatMap((s) => Object.keys(s)));
    for (const s of spans) {
      for (const k of Object.keys(s)) expect(peerKeys, k).toContain(k);
      expect(typeof s.timestamp).toBe('number');
      for (const v of Object.values((s.tags ?? {}) as Record<string, unknown>)) expect(typeof v).toBe('string');
    }
    const root = spans.find((s) => s.id === '839f3e126a2671f8')!;
    expect(root).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', kind: 'SERVER', name: 'POST /checkout', timestamp: 1795629460840714, duration: 40109, localEndpoint: { serviceName: 'gateway' } });
    expect((root.tags as Record<string, string>)['http.status_code']).toBe('201');
    expect((root.annotations as unknown[])[0]).toEqual({ timestamp: 1795629460840718, value: 'request started' });
  });
});

describe('jaeger read back', () => {
  it("keeps each log line's level (a log's level field), not only error", async () => {
    const file = await exported('jaeger', DEMO);
    // fixtures/demo/checkout.log: trace 80901864…'s gateway logs "checkout failed" at warn (a failed checkout).
    const levels = async (input: string) => [...(await stdoutOf(['tree', '80901864', '--logs', input])).matchAll(/ (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /g)].map((m) => m[1]);
    const want = await levels(DEMO);
    expect(want).toContain('WARN');
    expect(want).toContain('INFO');
    expect(await levels(file)).toEqual(want);
  });
});

describe('zipkin shared halves', () => {
  type ZipkinRecord = { id: string; parentId?: string; kind?: string; shared?: boolean; timestamp?: number; duration?: number; localEndpoint?: { serviceName?: string }; tags?: Record<string, string> };
  const pairs = (records: ZipkinRecord[]): string[] =>
    [...new Set(records.filter((r) => r.shared === true && records.some((c) => c.id === r.id && c.kind === 'CLIENT')).map((r) => r.id))].sort();

  it("writes a SERVER span under the CLIENT span whose id it shared as a shared SERVER record again, as yelp.json has them", async () => {
    const input = JSON.parse(readFileSync(YELP, 'utf8')) as ZipkinRecord[];
    const out = JSON.parse(readFileSync(await exported('zipkin', YELP), 'utf8')) as ZipkinRecord[];
    // yelp.json: 16 records, 16 spans under 13 ids; three ids each have a CLIENT and a shared SERVER record.
    expect(pairs(input)).toEqual(['668ed78ad94b35a1', '7a778764a0d0b594', 'f5f268651b2a2b34']);
    expect(out).toHaveLength(16);
    expect(pairs(out)).toEqual(pairs(input));
    for (const id of pairs(input)) {
      const [ci, si] = ['CLIENT', 'SERVER'].map((k) => input.find((r) => r.id === id && r.kind === k)!);
      const [co, so] = ['CLIENT', 'SERVER'].map((k) => out.find((r) => r.id === id && r.kind === k)!);
      expect(co!.shared).toBeUndefined();
      expect(so!.shared).toBe(true);
      // Each half keeps its own timing, service and parent; the reader's zipkin.* attributes are not tags.
      expect([co!.timestamp, co!.duration, so!.timestamp, so!.duration]).toEqual([ci!.timestamp, ci!.duration, si!.timestamp, si!.duration]);
      expect(so!.localEndpoint?.serviceName).toBe(si!.localEndpoint?.serviceName);
      expect([co!.parentId, so!.parentId]).toEqual([ci!.parentId, ci!.parentId]);
      expect(Object.keys(so!.tags ?? {}).filter((k) => k.startsWith('zipkin.'))).toEqual([]);
    }
    expect(out.find((r) => r.id === '7a778764a0d0b594' && r.kind === 'CLIENT')!.localEndpoint).toEqual({ serviceName: 'mobile_api' });
  });

  it('keeps the halves through another format: zipkin → otlp → zipkin', async () => {
    const otlp = await exported('otlp', YELP);
    const out = JSON.parse(readFileSync(await exported('zipkin', otlp), 'utf8')) as ZipkinRecord[];
    expect(pairs(out)).toEqual(['668ed78ad94b35a1', '7a778764a0d0b594', 'f5f268651b2a2b34']);
  });

  it('writes a shared SERVER record without its client half shared again, also through otlp (#32)', async () => {
    // yelp.json's root: routing's SERVER record of an RPC whose caller did not report, `shared: true`.
    const lone = '2e8cfb154b59a41f';
    const input = JSON.parse(readFileSync(YELP, 'utf8')) as ZipkinRecord[];
    expect(input.filter((r) => r.id === lone).map((r) => [r.kind, r.shared])).toEqual([['SERVER', true]]);
    const direct = JSON.parse(readFileSync(await exported('zipkin', YELP), 'utf8')) as ZipkinRecord[];
    const viaOtlp = JSON.parse(readFileSync(await exported('zipkin', await exported('otlp', YELP)), 'utf8')) as ZipkinRecord[];
    for (const out of [direct, viaOtlp]) {
      const records = out.filter((r) => r.id === lone);
      expect(records.map((r) => [r.kind, r.shared, r.timestamp, r.duration, r.localEndpoint?.serviceName])).toEqual([['SERVER', true, 1571896375237354, 131848, 'routing']]);
      expect(Object.keys(records[0]!.tags ?? {}).filter((k) => k.startsWith('zipkin.'))).toEqual([]);
      // Only the RPC halves and this record are shared.
      expect(out.filter((r) => r.shared === true).map((r) => r.id).sort()).toEqual([...pairs(input), lone].sort());
    }
  });

  it('gives spans of logs ids of their own, never shared', async () => {
    const out = JSON.parse(readFileSync(await exported('zipkin', DEMO), 'utf8')) as ZipkinRecord[];
    expect(out.filter((r) => r.shared !== undefined)).toEqual([]);
    expect(new Set(out.map((r) => r.id)).size).toBe(out.length);
  });
});

describe('chrome', () => {
  it("has the Trace Event Format's required fields, a process per service, and lanes that nest", async () => {
    const doc = JSON.parse(readFileSync(await exported('chrome', DEMO), 'utf8')) as { traceEvents: ChromeEvent[]; displayTimeUnit: string };
    expect(doc.displayTimeUnit).toBe('ms');
    const events = doc.traceEvents;
    for (const e of events) {
      expect(['X', 'i', 'M']).toContain(e.ph);
      for (const k of ['name', 'ph', 'pid', 'tid'] as const) expect(e[k], k).toBeDefined();
      if (e.ph !== 'M') expect(typeof e.ts).toBe('number');
      if (e.ph === 'X') expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    const processes = events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => (e.args as { name: string }).name);
    expect(processes).toEqual(['gateway', 'orders', 'payments']);
    expect(events.filter((e) => e.ph === 'X')).toHaveLength(157);
    expect(events.filter((e) => e.ph === 'i').length).toBeGreaterThan(0);
    // On each thread, complete events must nest: sorted by start (longest first), each lies within the
    // open event below it or starts once it has ended.
    const lanes = new Map<string, ChromeEvent[]>();
    for (const e of events.filter((x) => x.ph === 'X')) lanes.set(`${e.pid}/${e.tid}`, [...(lanes.get(`${e.pid}/${e.tid}`) ?? []), e]);
    expect(lanes.size).toBeGreaterThan(3);
    for (const [lane, list] of lanes) {
      list.sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
      const open: ChromeEvent[] = [];
      for (const e of list) {
        while (open.length > 0 && open[open.length - 1]!.ts! + open[open.length - 1]!.dur! <= e.ts! && !(e.dur === 0 && open[open.length - 1]!.ts! + open[open.length - 1]!.dur! === e.ts!)) open.pop();
        const top = open[open.length - 1];
        if (top !== undefined) expect(e.ts! + e.dur!, `${lane}: ${e.name} inside ${top.name}`).toBeLessThanOrEqual(top.ts! + top.dur!);
        open.push(e);
      }
    }
  });
});

describe('filters', () => {
  it('--trace takes ids or prefixes, repeatable; a prefix that names nothing is said', async () => {
    const out = join(dir, 'two.jsonl');
    const r = await runCli(['export', '-o', out, '--trace', '4bf92f35', '--trace', '809018640fe20ef97a8bd875381a8e1a', '--trace', 'ffff0000', DEMO]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("--trace ffff0000: no trace id starts with it");
    expect(await traceIds(out)).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '809018640fe20ef97a8bd875381a8e1a']);
  });

  it('otlp-proto to a terminal without -o writes nothing and says how (exit 2); the JSON formats print', async () => {
    const tty = await runCli(['export', '--format', 'otlp-proto', DEMO], { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stdout).toBe('');
    expect(tty.stderr).toContain('otlp-proto is binary: give -o FILE');
    const json = await runCli(['export', '--format', 'zipkin', DEMO], { tty: true });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveLength(157);
  });

  it('nothing matched: exit 1 and no output but the frame', async () => {
    const r = await runCli(['export', '--format', 'jaeger', '--service', 'nope', DEMO]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ data: [] });
    expect(r.stderr).toContain('no traces match the filters (20 read)');
  });

  it('secret attribute values are redacted unless --no-redact', async () => {
    const redacted = readFileSync(await exported('otlp', fixture('secrets/leaky-service.log')), 'utf8');
    const plain = readFileSync(await exported('otlp', fixture('secrets/leaky-service.log'), ['--no-redact']), 'utf8');
    expect(redacted).toContain('[REDACTED]');
    expect(plain).not.toBe(redacted);
  });
});

interface OtlpRequest {
  resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { scope: unknown; spans: OtlpSpan[] }[] }[];
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: unknown }[];
  events?: unknown[];
  status: { code?: number; message?: string };
}
interface ChromeEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  args?: unknown;
}

/**
 * protobufjs's toObject and OTLP/JSON spell a few things differently: ids as base64 (bytes: String) vs
 * hex, enums and zero values omitted vs written. Both to one spelling: ids hex, empty values dropped.
 */
function protoJson(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => protoJson(x));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = protoJson(x, k);
      if (y === undefined || y === 0 || y === '' || (Array.isArray(y) && y.length === 0) || (typeof y === 'object' && y !== null && Object.keys(y).length === 0)) continue;
      out[k] = y;
    }
    return out;
  }
  if (typeof v === 'string' && /^(traceId|spanId|parentSpanId)$/.test(key) && !/^[0-9a-f]+$/.test(v)) return Buffer.from(v, 'base64').toString('hex');
  return v;
}

describe('export --format jaeger: one tag a key', () => {
  // The demo's log lines carry span kinds and errors: the span's own tags (span.kind, error,
  // otel.status_description) are written once, not again from an attribute of the same key.
  it('writes no span with two tags of one key', async () => {
    const r = await runCli(['export', '--format', 'jaeger', fixture('demo/checkout.log')]);
    const doc = JSON.parse(r.stdout) as { data: { spans: { spanID: string; tags: { key: string }[] }[] }[] };
    const spans = doc.data.flatMap((t) => t.spans);
    expect(spans.length).toBeGreaterThan(100);
    const twice = spans.filter((s) => new Set(s.tags.map((t) => t.key)).size !== s.tags.length).map((s) => s.spanID);
    expect(twice).toEqual([]);
    expect(spans.some((s) => s.tags.some((t) => t.key === 'span.kind'))).toBe(true);
  });
});
