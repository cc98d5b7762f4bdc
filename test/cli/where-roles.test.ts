import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, peerdata, runCli } from './run-cli.js';

// The incident of fixtures/incident (nine logger styles, as kubectl prints them and as kubelet's CRI
// files); truth.json says which requests failed and which services each went through.
const I = (p: string) => fixture(`incident/${p}`);
interface Truth {
  requests: { traceId: string; status: number; spans: { service: string }[] }[];
}
const truth = JSON.parse(readFileSync(I('truth.json'), 'utf8')) as Truth;
const ids = async (...where: string[]): Promise<string[]> => {
  const args = where.flatMap((w) => ['--where', w]);
  const r = await runCli(['group', '--json', '-q', ...args, where.some((w) => /^(stream|container|namespace)/.test(w)) ? I('var') : I('kubectl')]);
  return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { traceId: string }).traceId).sort();
};
const truthIds = (keep: (r: Truth['requests'][number]) => boolean) => truth.requests.filter(keep).map((r) => r.traceId).sort();

describe('--where on the fields a role was read from, and on the envelope', () => {
  it("a field a role took (pino-http's res.statusCode, nginx's status) answers with the role's value", async () => {
    const failed = truthIds((r) => r.status >= 500);
    expect(failed).toHaveLength(3);
    expect(await ids('res.statusCode>=500')).toEqual(failed);
    expect(await ids('statusCode>=500')).toEqual(failed);
    expect(await ids('res.statusCode=201')).toEqual(truthIds((r) => r.status === 201));
  });

  it('an id compares whatever its case, as ids are read', async () => {
    const one = truth.requests[0]!.traceId;
    expect(await ids(`traceId=${one.toUpperCase()}`)).toEqual([one]);
    expect(await ids(`trace_id=${one.toUpperCase()}`)).toEqual([one]);
  });

  it("the envelope's pod, container, namespace and stream", async () => {
    expect(await ids('pod~^payments-')).toEqual(truthIds((r) => r.spans.some((s) => s.service === 'payments')));
    expect(await ids('container=nginx')).toEqual(truthIds(() => true));
    expect(await ids('namespace=shop', 'stream=stdout')).toEqual(truthIds(() => true));
    expect(await ids('stream=stderr')).toEqual([]); // only banners, without trace ids, went to stderr
  });
});

describe('--where field~/regex/i', () => {
  it('ignores case; a plain regex does not', async () => {
    const exact = await ids('msg~^Reservation failed');
    expect(exact.length).toBeGreaterThan(0);
    expect(await ids('msg~/^reservation FAILED/i')).toEqual(exact);
    expect(await ids('msg~^reservation FAILED')).toEqual([]);
  });
});

describe('--where level on span records', () => {
  it('a failing span is at error level (Zipkin messaging-kafka.json: no log lines at all)', async () => {
    const file = peerdata('zipkin/zipkin-lens/testdata/messaging-kafka.json');
    const rows = async (...args: string[]) => (await runCli(['group', '--json', '-q', ...args, file])).stdout;
    const failing = await rows('--errors');
    expect(failing).toContain('"errors":3');
    expect(await rows('--where', 'level>=error')).toBe(failing);
    expect(await rows('--where', 'level=error')).toBe(failing);
    expect(await rows('--where', 'level>=fatal')).toBe('');
  });
});
