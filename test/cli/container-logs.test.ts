import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.js';

/** Container runtimes' log files (fixtures/kube/README.md has the truth; fixtures/kube/gen.py writes them). */
const CRI = fixture('kube/interleaved/pods');
const DOCKER = fixture('kube/interleaved/docker/c-json.log');
const SPLIT = { TRACECTL_CHUNK_BYTES: '2048', TRACECTL_THREADS_AFTER_BYTES: '0' };

interface TreeJson {
  roots: { events: { message: string; level: string; source: string }[] }[];
}

function events(stdout: string): string[][] {
  const tree = JSON.parse(stdout) as TreeJson;
  return tree.roots.flatMap((r) => r.events.map((e) => [e.level, e.message, e.source.split('/').pop()!]));
}

describe('partial lines are joined per stream', () => {
  it('CRI: a stderr line between the pieces of a long stdout line leaves both whole', async () => {
    const r = await runCli(['tree', 'e1e1', '--logs', '--json', CRI]);
    expect(r.code).toBe(0);
    expect(events(r.stdout)).toEqual([
      ['error', 'payment declined', '0.log:32'],
      ['info', 'cart snapshot', '0.log:34'],
    ]);
    expect(r.stderr).toContain('64 lines read from 1 source: 2 used, 0 without a trace id, 2 partial lines joined, 60 not examined (cannot hold the id), 0 skipped; 1 trace');
  });

  it('Docker json-file: the same, with pieces that lack their "\\n"', async () => {
    const r = await runCli(['tree', 'd0cd0cd0', '--logs', '--json', DOCKER]);
    expect(r.code).toBe(0);
    expect(events(r.stdout)).toEqual([
      ['info', 'big', 'c-json.log:3'],
      ['error', 'stderr boom', 'c-json.log:2'],
    ]);
    expect(r.stderr).toContain('3 lines read from 1 source: 2 used, 0 without a trace id, 1 partial lines joined, 0 skipped; 1 trace');
  });

  it.each([1, 2, 3])('%i threads over a file cut every 2 KiB give what one reader gives', async (threads) => {
    const one = await runCli(['group', '--json', CRI, DOCKER, '--threads', '1']);
    const split = await runCli(['group', '--json', CRI, DOCKER, '--threads', String(threads)], { env: SPLIT });
    expect(split.stdout).toBe(one.stdout);
    expect(split.stderr).toBe(one.stderr);
    expect(one.stderr).toContain('67 lines read from 2 sources: 64 used, 0 without a trace id, 3 partial lines joined, 0 skipped; 3 traces');
  });
});

describe('partial lines across a rotation', () => {
  const ROTATED = fixture('kube/rotated/pods');

  it('a line whose P piece ends the rotated file and whose F piece opens 0.log is read whole', async () => {
    const r = await runCli(['tree', '0ca0', '--logs', '--json', ROTATED]);
    expect(r.code).toBe(0);
    expect(events(r.stdout)).toEqual([
      ['info', 'start', '0.log.20261208-010008:1'],
      ['error', 'payment declined', '0.log:1'],
      ['info', 'end', '0.log:2'],
    ]);
    const errors = await runCli(['errors', ROTATED]);
    expect(errors.stdout).toContain('payment declined');
    expect(errors.stderr).toContain('4 lines read from 2 sources: 3 used, 0 without a trace id, 1 partial lines joined, 0 skipped; 1 trace');
  });

  it.each([1, 2, 3])('the same on %i threads, the files handed out in chunks', async (threads) => {
    const one = await runCli(['group', '--json', ROTATED, CRI, '--threads', '1']);
    const split = await runCli(['group', '--json', ROTATED, CRI, '--threads', String(threads)], { env: SPLIT });
    expect(split.stdout).toBe(one.stdout);
    expect(split.stderr).toBe(one.stderr);
    expect(one.stderr).toContain('68 lines read from 3 sources: 65 used, 0 without a trace id, 3 partial lines joined, 0 skipped; 3 traces');
  });
});

describe('a node\'s /var/log', () => {
  const VAR = fixture('kube/var/log');

  it('reads each file once: a /var/log/containers link and its target, X and X.gz; never a .tmp being written', async () => {
    const r = await runCli(['tree', '4bf92f35', '--logs', '--json', VAR]);
    expect(r.code).toBe(0);
    expect(events(r.stdout)).toEqual([
      ['info', 'oldest', '0.log.20261208-005000.gz:1'],
      ['info', 'rotated', '0.log.20261208-010000.gz:1'],
      ['info', 'live', '0.log:1'],
      ['error', 'card declined', '0.log:2'],
    ]);
    expect(r.stderr).toBe('tracectl: 4 lines read from 3 sources: 4 used, 0 without a trace id, 0 skipped; 1 trace\n');
    // The kept name of the live file is the one that places it after its rotated files.
    expect((JSON.parse(r.stdout) as TreeJson).roots[0]!.events[2]!.source).toContain('/var/log/pods/shop_orders-');
  });
});
