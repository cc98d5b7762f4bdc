// Issue 30, item 12: URLs with credentials and queries must not reach a log line, a span's status, error
// event or stack, whatever path the error took (Node's own fetch puts the whole URL in its messages).
import { describe, expect, it } from 'vitest';
import { createTracedFetch, DistributedTracer, runWithContext, TracedLogger } from '../../src/instrument/index.js';
import { scrubUrls } from '../../src/instrument/scrub.js';

const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: undefined, serviceName: 'gateway', sampled: true };
const SECRETS = ['PASS', 'hunter2', 'tok_SECRET', 'frag_SECRET'];

function setup(doFetch?: typeof fetch) {
  const logs: string[] = [];
  const spans: string[] = [];
  const logger = new TracedLogger({ sink: (l) => logs.push(l) });
  const tracer = new DistributedTracer({ sink: (l) => spans.push(l), logger });
  const tf = createTracedFetch(doFetch ? { fetch: doFetch } : {});
  const call = (url: string) => runWithContext({ trace, logger, tracer }, () => tf(url));
  return { logs, spans, tracer, logger, call };
}

function expectNoSecret(text: string): void {
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('issue 30 item 12: no credentials or queries in what the library writes', () => {
  it("Node's fetch refusing a URL with credentials: the log line, status, event and stack are scrubbed", async () => {
    const s = setup();
    const err = await s.call('https://user:PASS@127.0.0.1:1/p?token=tok_SECRET#frag_SECRET').catch((e: unknown) => e);
    // The caller still gets Node's own error, unchanged.
    expect(String((err as Error).message)).toContain('PASS');
    await s.tracer.flush();
    const text = [...s.logs, ...s.spans].join('\n');
    expectNoSecret(text);
    const line = JSON.parse(s.logs[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ message: 'outgoing request failed', url: 'https://127.0.0.1:1/p' });
    expect(String(line.error)).toContain('https://127.0.0.1:1/p');
    const span = JSON.parse(s.spans[0]!) as { name: string; status: { message: string }; logs: Record<string, string>[] };
    expect(span.name).toBe('GET https://127.0.0.1:1/p');
    expect(span.status.message).toContain('https://127.0.0.1:1/p');
    expect(span.logs[0]!.stack).toContain('https://127.0.0.1:1/p');
  });

  it('an error of any fetch quoting the URL in its message, stack and cause', async () => {
    const s = setup(async (input) => {
      const cause = new Error(`connect to http://admin:hunter2@db.local:5432/x?sslkey=tok_SECRET failed`);
      throw new Error(`GET ${String(input)} failed`, { cause });
    });
    await expect(s.call('http://u:PASS@api.local/v1/charge?token=tok_SECRET')).rejects.toThrow();
    s.logger.error('charge failed', { err: new Error('upstream http://u:PASS@api.local/?k=tok_SECRET said no', { cause: new Error('see https://x:hunter2@h/') }) });
    await s.tracer.flush();
    const text = [...s.logs, ...s.spans].join('\n');
    expectNoSecret(text);
    expect(text).toContain('http://api.local/v1/charge');
    const logged = JSON.parse(s.logs[1]!) as { error: { message: string; cause: { message: string } } };
    expect(logged.error.message).toBe('upstream http://api.local/ said no');
    expect(logged.error.cause.message).toBe('see https://h/');
  });

  it('scrubUrls keeps scheme, host, port and path, in linear time on hostile text', () => {
    expect(scrubUrls('a https://user:p@ss@h.example:8443/v1/x?token=t#f b')).toBe('a https://h.example:8443/v1/x b');
    expect(scrubUrls('"postgres://u:pw@db/app?sslmode=require"')).toBe('"postgres://db/app"');
    expect(scrubUrls('https://h/redirect/https://u:pw@evil/')).toBe('https://h/redirect/…');
    expect(scrubUrls('no url: ://u:pw@h and 1https://u:pw@h/')).toBe('no url: ://u:pw@h and 1https://h/');
    expect(scrubUrls('plain text')).toBe('plain text');
    const hostile = 'a.'.repeat(200_000) + '://'.repeat(100_000);
    expect(scrubUrls(hostile).length).toBeLessThanOrEqual(hostile.length);
  });
});
