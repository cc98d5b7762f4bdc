import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

// The mixed fixture set (fixtures/mixed/README.md): five sources, four logger styles, four envelopes.
const M = (f: string) => fixture(`mixed/${f}`);
const FILES = [M('web.log'), M('api.kubectl.log'), M('worker.docker.log'), M('payments.ecs.log.gz'), '-'];
const STDIN = readFileSync(M('cri.stdin.log'));

describe('tracectl group', () => {
  it('groups a mixed input by trace, every line accounted for', async () => {
    const r = await runCli(['group', '--width', '160', ...FILES], { stdin: STDIN });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(new URL('./golden/group-mixed.txt', import.meta.url), 'utf8'));
    // 24 lines: 17 used + 1 without a trace id + 1 partial joined + 5 skipped (4 not JSON, 1 blank)
    expect(r.stderr).toContain('24 lines read from 5 sources: 17 used, 1 without a trace id, 1 partial lines joined, 5 skipped; 4 traces');
    expect(r.stderr).toContain('4 not JSON: ');
    expect(r.stderr).toContain('fixtures/mixed/api.kubectl.log:1');
    expect(r.stderr).toContain('1 blank line: ');
  });

  it('--json gives one object per trace, checked by value', async () => {
    const r = await runCli(['group', '--json', '-q', ...FILES], { stdin: STDIN });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.traceId)).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '0af7651916cd43dd8448eb211c80319c',
      '0000000000000000a3ce929d0e0e4736',
      'req-7781',
    ]);
    const [a, b, c, d] = rows;
    // web 2 + api 2 + payments 2 entries; 3 spans; web, api and payments each logged an error
    expect(a).toMatchObject({ idKind: 'trace', entries: 6, spans: 3, errors: 3, services: ['api', 'payments', 'web'], root: 'GET /checkout', rootService: 'web' });
    expect(a.start).toBe('2024-05-01T10:00:01.000000Z');
    expect(a.durationUs).toBe(480_000);
    // web's 120 ms request; db-proxy's entries come from the CRI lines on stdin (one joined from two pieces)
    expect(b).toMatchObject({ entries: 6, spans: 3, errors: 0, services: ['api', 'db-proxy', 'web'], durationUs: 120_000 });
    // B3 64-bit id, padded to 128 bits; bunyan name = service; "900ms" duration string
    expect(c).toMatchObject({ entries: 3, spans: 1, services: ['worker'], durationUs: 900_000, root: 'job started' });
    // no span id: one placeholder span, as its tree shows
    expect(d).toMatchObject({ idKind: 'correlation', entries: 2, spans: 1, durationUs: 200_000 });
  });

  it('filters: --errors, --service, --min-duration, --since; --sort and --limit', async () => {
    const ids = async (...args: string[]) => {
      const r = await runCli(['group', '--json', '-q', ...args, ...FILES], { stdin: STDIN });
      return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).traceId as string);
    };
    expect(await ids('--errors')).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736']);
    expect(await ids('--service', 'worker')).toEqual(['0000000000000000a3ce929d0e0e4736']);
    expect(await ids('--min-duration', '400ms')).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '0000000000000000a3ce929d0e0e4736']);
    expect(await ids('--since', '2024-05-01T10:00:02Z')).toHaveLength(3);
    expect(await ids('--sort', 'duration', '--limit', '2')).toEqual(['0000000000000000a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736']);
  });

  it('counts hostile span ids and service lists exactly: empty, NUL-holding, prefixes of one another, dozens of services', async () => {
    const T = (n: number) => n.toString(16).padStart(32, '0');
    const lines: string[] = [];
    const at = (i: number) => new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString();
    // Trace 1: span ids that a joined string must keep apart.
    for (const [i, spanId] of ['00f067aa0ba902b7', '00f067aa0ba902b', 'f067aa0ba902b7', 'a\u0000b', 'a', 'b', '00f067aa0ba902b7', 'a'].entries()) {
      lines.push(JSON.stringify({ timestamp: at(i), traceId: T(1), spanId, serviceName: i % 2 ? 'api' : 'web', message: `m${i}` }));
    }
    // Trace 2: 40 services (past what a shared list holds), each twice; trace 3: the services of trace 1 in another order.
    for (let i = 0; i < 80; i++) lines.push(JSON.stringify({ timestamp: at(100 + i), traceId: T(2), spanId: `s${i % 40}`, serviceName: `svc-${i % 40}`, message: 'x' }));
    for (const [i, svc] of ['api', 'web', 'api'].entries()) lines.push(JSON.stringify({ timestamp: at(300 + i), traceId: T(3), spanId: `t${i}`, serviceName: svc, message: 'y' }));
    const r = await runCli(['group', '--json', '-'], { stdin: lines.join('\n') + '\n' });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; spans: number; entries: number; services: string[] });
    const byId = new Map(rows.map((x) => [x.traceId, x]));
    expect(byId.get(T(1))).toMatchObject({ entries: 8, spans: 6, services: ['api', 'web'] });
    expect(byId.get(T(2))).toMatchObject({ entries: 80, spans: 40 });
    expect(byId.get(T(2))!.services).toEqual(Array.from({ length: 40 }, (_, i) => `svc-${i}`).sort());
    expect(byId.get(T(3))).toMatchObject({ entries: 3, spans: 3, services: ['api', 'web'] });
  });

  it('exit 1 when no traces, 2 on a missing file while the others are still read', async () => {
    const none = await runCli(['group'], { stdin: 'plain text\n{"msg":"no ids"}\n' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no traces found');
    const missing = await runCli(['group', '--json', M('web.log'), M('nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout.trim().split('\n')).toHaveLength(2);
    expect(missing.stderr).toMatch(/nope\.log: no such file/);
  });

  it('--strict stops at the first line that is not JSON, with its place', async () => {
    const r = await runCli(['group', '--strict', M('api.kubectl.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('api.kubectl.log:1: not JSON (--strict)');
  });

  it('usage errors exit 2 with a message, never a stack', async () => {
    const r = await runCli(['group', '--min-duration', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a duration');
    expect(r.stderr).not.toContain('    at ');
  });

  it('colour only when asked or on a terminal, and never with NO_COLOR', async () => {
    const coloured = await runCli(['group', '--color', 'always', M('web.log')]);
    expect(coloured.stdout).toContain('\u001b[');
    const tty = await runCli(['group', M('web.log')], { tty: true, columns: 200, env: {} });
    expect(tty.stdout).toContain('\u001b[');
    const noColor = await runCli(['group', M('web.log')], { tty: true, columns: 200, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('--help shows real examples', async () => {
    const r = await runCli(['group', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kubectl logs deploy/api --prefix --timestamps | tracectl group');
  });
});
