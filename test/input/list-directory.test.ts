import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byLogOrder, listDirectory } from '../../src/input/list-directory.js';
import { podFromPath } from '../../src/input/pod-from-path.js';

describe('byLogOrder', () => {
  it.each([
    [['0.log', '0.log.20250314-093000', '1.log', '0.log.20250314-092500.gz'], ['0.log.20250314-092500.gz', '0.log.20250314-093000', '0.log', '1.log']],
    [['app.log', 'app.log.1', 'app.log.2.gz', 'app.log.10.gz'], ['app.log.10.gz', 'app.log.2.gz', 'app.log.1', 'app.log']],
    [['10.log', '2.log', '1.log'], ['1.log', '2.log', '10.log']],
    [['b.json', 'a.log.gz', 'a.log'], ['a.log', 'a.log.gz', 'b.json']],
  ])('%j → %j', (names, sorted) => {
    expect([...names].sort(byLogOrder)).toEqual(sorted);
  });
});

describe('listDirectory', () => {
  it('lists files depth first in log order, follows links to files, not to folders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracectl-dir-'));
    mkdirSync(join(dir, 'b'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', '0.log'), '');
    writeFileSync(join(dir, 'a', '0.log.20250314-092500.gz'), '');
    writeFileSync(join(dir, 'b', 'x.log'), '');
    writeFileSync(join(dir, 'top.log'), '');
    symlinkSync(join(dir, 'b', 'x.log'), join(dir, 'link.log'));
    symlinkSync(dir, join(dir, 'loop'));
    expect(listDirectory(dir)).toEqual({
      files: [join(dir, 'a', '0.log.20250314-092500.gz'), join(dir, 'a', '0.log'), join(dir, 'b', 'x.log'), join(dir, 'link.log'), join(dir, 'top.log')],
      unreadable: [],
      truncated: false,
    });
  });
});

describe('podFromPath', () => {
  it.each([
    ['/var/log/pods/shop_checkout-7d9c8b6f5-x2kq9_1f0c2a9e-3b4d-4c5e-8f6a-7b8c9d0e1f2a/checkout/0.log', { namespace: 'shop', pod: 'checkout-7d9c8b6f5-x2kq9', container: 'checkout' }],
    ['pods/kube-system_coredns-5d78c9869d-abcde_1f0c2a9e-3b4d-4c5e-8f6a-7b8c9d0e1f2a/coredns/3.log.20250314-092500.gz', { namespace: 'kube-system', pod: 'coredns-5d78c9869d-abcde', container: 'coredns' }],
    [`/var/log/containers/web-0_prod_nginx-${'a1'.repeat(32)}.log`, { namespace: 'prod', pod: 'web-0', container: 'nginx' }],
    ['/var/log/app/shop_checkout_notauid/checkout/0.log', undefined],
    ['/var/log/containers/web-0_prod_nginx.log', undefined],
    ['app.log', undefined],
  ])('%s', (path, place) => {
    expect(podFromPath(path)).toEqual(place);
  });
});
