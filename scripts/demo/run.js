#!/usr/bin/env node
// Demo: start gateway -> orders -> payments on loopback, send a bounded set of checkouts (some fail in
// payments with a 500, some are slow, one continues a caller's W3C trace, one is unsampled), and write
// every service's log lines and span records, in the order they were written, to one file — what
// `kubectl logs --prefix` of the three pods would give. Then shut everything down.
//
//   npm run build && node scripts/demo/run.js [OUT] [--prefix] [--requests N]
//
// OUT defaults to demo-out/checkout.log (not the committed fixture, which tests and the README read: to
// regenerate that, name it: node scripts/demo/run.js fixtures/demo/checkout.log). --prefix puts "[pod/NAME/CONTAINER] " before the lines of
// orders and payments (as when one pod's log was saved plainly and the others came from kubectl).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSystem } from './services.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function parseArgs(argv) {
  const opts = { out: resolve(root, 'demo-out/checkout.log'), prefix: false, requests: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--prefix') opts.prefix = true;
    else if (a === '--requests') opts.requests = Math.min(200, Math.max(1, Number(argv[++i]) || 20));
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.out = resolve(a);
  }
  return opts;
}

/** What request i does: every 5th fails in payments, every 7th is slow; two carry caller headers. */
function plan(i) {
  const body = { items: 1 + (i % 4) };
  if (i % 5 === 3) body.fail = true;
  if (i % 7 === 5) body.slowMs = 120 + 20 * (i % 3);
  const headers = { 'content-type': 'application/json' };
  // A caller that already has a trace (W3C), and one that decided not to sample (B3).
  if (i === 1) headers.traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  if (i === 8) headers.b3 = '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0';
  return { body, headers };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let lib;
  try {
    lib = await import('../../dist/instrument/index.js');
  } catch {
    console.error('demo: dist/instrument/index.js not found: run `npm run build` first');
    process.exitCode = 1;
    return;
  }
  const system = await startSystem(lib);
  const statuses = new Map();
  try {
    // Four clients at a time, so the services' lines interleave as they do in production.
    let next = 0;
    const client = async () => {
      while (next < opts.requests) {
        const { body, headers } = plan(next++);
        const r = await globalThis.fetch(`${system.gatewayUrl}/checkout`, { method: 'POST', headers, body: JSON.stringify(body) });
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    await system.flush();
  } finally {
    await system.stop();
  }
  const text = system.lines
    .map((l) => (opts.prefix && l.service !== 'gateway' ? `[pod/${l.pod}/${l.container}] ${l.text}` : l.text))
    .join('\n')
    // Stack traces name files by absolute path; keep this machine's layout out of the fixture.
    .replaceAll(`file://${root}/`, '')
    .replaceAll(`${root}/`, '');
  await mkdir(dirname(opts.out), { recursive: true });
  await writeFile(opts.out, text + '\n');
  const spans = system.lines.filter((l) => l.text.includes('"startTime"')).length;
  const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${n}x${s}`).join(' ');
  console.log(`demo: ${opts.requests} requests (${byStatus}); wrote ${system.lines.length} lines (${spans} span records) to ${opts.out}`);
}

main().catch((err) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
