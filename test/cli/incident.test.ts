import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/corpus/generate.js';
import { fixture, runCli } from './run-cli.js';

// fixtures/incident (README there): nine services, each logging as a popular logger does, behind
// `kubectl logs --prefix --timestamps` and as the kubelet's CRI files; truth.json says what happened.
const I = (p: string) => fixture(`incident/${p}`);

interface TruthSpan { service: string; style: string; spanId: string | null; parentSpanId?: string; startUs: number; durationUs: number; error: boolean }
interface Truth {
  requests: { traceId: string; customer: string; durationMs: number; error: boolean; origin: string | null; spans: TruthSpan[] }[];
  slow: { traceId: string; durationMs: number };
  customers: Record<string, string[]>;
  failures: { traceId: string; origin: string }[];
  lines: { total: number; withTraceId: number; stack: number; files: number };
}
const truth = JSON.parse(readFileSync(I('truth.json'), 'utf8')) as Truth;

interface JsonSpan { spanId: string; service: string; startUs: number; durationUs: number; error: boolean; children?: JsonSpan[]; events?: { message: string; fields?: Record<string, unknown> }[] }
function spansOf(tree: { roots: JsonSpan[] }): JsonSpan[] {
  const out: JsonSpan[] = [];
  const stack = [...tree.roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    out.push(s);
    stack.push(...(s.children ?? []));
  }
  return out;
}

const jsonLines = (text: string) => text.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
// Loggers that write milliseconds put a span up to 1.5 ms early (a floored time less a rounded duration);
// the kubelet stamps a line under a millisecond after the logger.
const MS_RESOLUTION_US = 2000;

describe('a nine-logger incident (fixtures/incident)', () => {
  it('the generator is seeded: the same arguments give the fixture byte for byte', () => {
    const files = generate({ requests: 12, seed: 7 });
    const onDisk: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name !== 'README.md') onDisk.push(relative(I(''), p));
      }
    };
    walk(I(''));
    expect(onDisk.sort()).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files)) expect(readFileSync(I(name), 'utf8'), name).toBe(text);
  });

  for (const layout of ['kubectl', 'var']) {
    it(`${layout}: every style's lines land in their trace with the right service, start and duration`, async () => {
      const styles = new Set<string>();
      for (const req of truth.requests) {
        const r = await runCli(['tree', req.traceId, '--json', '-q', I(layout)]);
        expect(r.code, r.stderr).toBe(0);
        const spans = spansOf(JSON.parse(r.stdout) as { roots: JsonSpan[] });
        expect(spans).toHaveLength(req.spans.length);
        for (const want of req.spans) {
          // nginx's access log names no span: its line makes a span of its own, found by service.
          const got = want.spanId !== null ? spans.find((s) => s.spanId === want.spanId) : spans.find((s) => s.service === want.service);
          const what = `${req.traceId.slice(0, 8)} ${want.service} (${want.style})`;
          expect(got, what).toBeDefined();
          expect(got!.service, what).toBe(want.service);
          expect(Math.abs(got!.startUs - want.startUs), `${what} start`).toBeLessThanOrEqual(MS_RESOLUTION_US);
          expect(Math.abs(got!.startUs + got!.durationUs - (want.startUs + want.durationUs)), `${what} end`).toBeLessThanOrEqual(MS_RESOLUTION_US);
          expect(got!.error, `${what} error`).toBe(want.error);
          styles.add(want.style);
        }
      }
      expect(styles.size).toBe(9);
    });
  }

  it("puts each request's gateway span under nginx's access line, which names the caller's span (D81)", async () => {
    for (const req of truth.requests) {
      const edge = req.spans.find((s) => s.service === 'edge')!;
      type Node = Omit<JsonSpan, 'children'> & { parentSpanId: string | null; children: Node[] };
      const tree = JSON.parse((await runCli(['tree', req.traceId, '--json', '-q', I('kubectl')])).stdout) as { roots: Node[] };
      expect(tree.roots.map((r) => [r.service, r.parentSpanId]), req.traceId).toEqual([['edge', edge.parentSpanId]]);
      const gateway = tree.roots[0]!.children.find((c) => c.service === 'gateway');
      expect(gateway?.parentSpanId, req.traceId).toBe('inferred:edge');
    }
  });

  it('accounts for every line: log lines with a trace id used, stack traces joined, banners counted', async () => {
    const r = await runCli(['group', I('var')]);
    const { total, withTraceId, stack, files } = truth.lines;
    expect(r.stderr).toMatch(new RegExp(`${total} lines read from ${files} sources: ${withTraceId} used, \\d+ without a trace id, ${stack} stack-trace lines joined to their log line, \\d+ skipped; ${truth.requests.length} traces`));
    const m = /(\d+) without a trace id, \d+ stack-trace lines joined to their log line, (\d+) skipped/.exec(r.stderr)!;
    expect(withTraceId + Number(m[1]) + stack + Number(m[2])).toBe(total);
  });

  it('slowest --top 1 is the planted slow request, its duration within 5%', async () => {
    for (const layout of ['kubectl', 'var']) {
      const r = await runCli(['slowest', '--top', '1', '--json', '-q', I(layout)]);
      const [top] = jsonLines(r.stdout);
      expect(top!.traceId).toBe(truth.slow.traceId);
      expect(Math.abs((top!.durationUs as number) / 1000 - truth.slow.durationMs)).toBeLessThanOrEqual(truth.slow.durationMs * 0.05);
    }
  });

  it('--where customer_id=… finds exactly that customer\'s requests, on every command over many traces', async () => {
    for (const [customer, ids] of Object.entries(truth.customers)) {
      const group = await runCli(['group', '--json', '-q', '--where', `customer_id=${customer}`, I('kubectl')]);
      expect(jsonLines(group.stdout).map((x) => x.traceId).sort(), customer).toEqual([...ids].sort());
    }
    const ids = truth.customers.cus_4242!;
    const slowest = await runCli(['slowest', '--json', '-q', '--where', 'customer_id=cus_4242', I('var')]);
    expect(jsonLines(slowest.stdout).map((x) => x.traceId).sort()).toEqual([...ids].sort());
    // Two expressions: this customer's requests that failed, whatever line says which.
    const failed = truth.failures.map((f) => f.traceId).filter((id) => ids.includes(id));
    const errors = await runCli(['group', '--json', '-q', '--where', 'customer_id=cus_4242', '--where', 'level>=error', I('kubectl')]);
    expect(jsonLines(errors.stdout).map((x) => x.traceId).sort()).toEqual(failed.sort());
    const services = await runCli(['services', '--json', '-q', '--where', 'customer_id=cus_4242', I('kubectl')]);
    expect(services.code).toBe(0);
  });

  it('--where reads each logger\'s fields: a zap duration, a logback MDC key, a text line\'s message', async () => {
    // fraud's zap latency is in seconds: only the slow request's check took over a second.
    const slow = await runCli(['group', '--json', '-q', '--where', 'service=fraud', '--where', 'duration>=1s', I('kubectl')]);
    expect(jsonLines(slow.stdout).map((x) => x.traceId)).toEqual([truth.slow.traceId]);
    // The stock-outs, from the Sleuth text line's message.
    const stock = truth.failures.filter((f) => f.origin === 'inventory').map((f) => f.traceId);
    const text = await runCli(['group', '--json', '-q', '--where', 'msg~^Reservation failed', I('kubectl')]);
    expect(jsonLines(text.stdout).map((x) => x.traceId)).toEqual(stock);
    const order = await runCli(['group', '--json', '-q', '--where', 'order_id!=', '--where', 'service=orders', I('kubectl')]);
    expect(jsonLines(order.stdout)).toHaveLength(truth.requests.length);
  });

  it('tree --logs shows each line\'s other fields after its message, redacted; --fields picks; --json carries them', async () => {
    const id = truth.failures[0]!.traceId;
    const text = await runCli(['tree', id, '--logs', '-q', I('kubectl')]);
    const rows = text.stdout.split('\n');
    const at = rows.findIndex((l) => l.includes('request errored'));
    expect(rows[at]).toContain('customer_id=cus_4242');
    expect(rows[at]).toContain('req.headers.authorization=[REDACTED]');
    // pino's err.stack, like logback's stack_trace, is drawn under its line, not as a field.
    expect(rows[at]).not.toContain('err.stack');
    // Under a span with children the tree's branch line runs on beside the stack.
    const stackRow = (k: number): string => rows[k]!.replace(/^[\s│]+/, '').trim();
    expect(stackRow(at + 1)).toBe('Error: failed with status code 502');
    expect(stackRow(at + 2)).toBe('at onResFinished (/app/node_modules/pino-http/logger.js:129:39)');
    expect(text.stdout).toContain('... 48 common frames omitted');
    const picked = await runCli(['tree', id, '--logs', '--fields', 'customer_id', '-q', I('kubectl')]);
    expect(picked.stdout).not.toContain('req.headers');
    expect(picked.stdout.split('\n').find((l) => l.includes('request errored'))).toMatch(/request errored customer_id=cus_4242$/);
    // Naming fields asks for the lines they are shown with.
    expect((await runCli(['tree', id, '--fields', 'customer_id', '-q', I('kubectl')])).stdout).toBe(picked.stdout);
    const none = await runCli(['tree', id, '--logs', '--fields', 'none', '-q', I('kubectl')]);
    expect(none.stdout).not.toContain('customer_id=');
    const json = await runCli(['tree', id, '--logs', '--json', '-q', I('kubectl')]);
    const checkout = spansOf(JSON.parse(json.stdout) as { roots: JsonSpan[] }).find((s) => s.service === 'checkout')!;
    const done = checkout.events!.find((e) => e.message === 'request errored')!;
    expect(done.fields).toMatchObject({ customer_id: 'cus_4242', 'req.headers.host': 'checkout.shop.svc', 'req.headers.authorization': '[REDACTED]' });
    // Fields that took a role are not repeated: the method and status are the span's.
    expect(Object.keys(done.fields!)).not.toContain('req.method');
    expect(Object.keys(done.fields!)).not.toContain('res.statusCode');
  });
});
