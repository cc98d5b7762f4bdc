// A service-like process using tracectl/instrument's defaults (stdout), for the tests in
// test/instrument/process.test.ts. MODE is the first argument; the child reports on stderr as one JSON
// line prefixed "report ".
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { setImmediate, setTimeout } from 'node:timers';

const lib = await import('../../../dist/instrument/index.js');
const mode = process.argv[2];
const count = Number(process.argv[3] ?? 2000);
const report = (o) => process.stderr.write(`report ${JSON.stringify(o)}\n`);
const turn = () => new Promise((r) => setImmediate(r));

/** Peak and current RSS in bytes, from /proc (VmHWM, VmRSS). */
function memory() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

/** One request's work: a server span with a child and a client span, two log lines. */
function request(tracer, logger, i) {
  return tracer.withSpan('POST /checkout', async () => {
    logger.info('checkout received', { items: i % 4, note: 'x'.repeat(64) });
    await tracer.withSpan('db.insert', () => new Promise((r) => setTimeout(r, i % 3)));
    await tracer.withSpan('POST http://payments/charge', () => undefined, { kind: 'client' });
    logger.info('checkout done', { items: i % 4 });
  }, { parent: null, kind: 'server' });
}

if (mode === 'stalled') {
  // stdout is a pipe nobody reads: `count` requests, 500 at a time.
  const tracer = new lib.DistributedTracer({ serviceName: 'svc' });
  const logger = new lib.TracedLogger({ serviceName: 'svc' });
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, k) => request(tracer, logger, i + k)));
    await turn();
  }
  const peak = memory().hwm;
  globalThis.gc?.(); // what is held, not what the collector has yet to take back
  report({ spans: count * 3, lines: count * 2, tracer: tracer.stats(), logger: logger.stats(), ...memory(), hwm: peak });
  process.exit(0);
} else if (mode === 'stalled-shutdown') {
  const tracer = new lib.DistributedTracer({ serviceName: 'svc' });
  for (let i = 0; i < count; i++) tracer.endSpan(tracer.startSpan(`op ${i}`, { attributes: { pad: 'x'.repeat(200) } }));
  await tracer.shutdown(1000);
  report({ spans: count, tracer: tracer.stats() });
  process.exit(0);
} else if (mode === 'exit') {
  const tracer = new lib.DistributedTracer({ serviceName: 'svc' });
  for (let i = 0; i < count; i++) tracer.endSpan(tracer.startSpan(`op ${i}`, { attributes: { pad: 'x'.repeat(200) } }));
  await tracer.shutdown();
  process.exit(0);
} else if (mode === 'sigterm') {
  // The README's handler, in a process kept alive by a listening server.
  const tracer = new lib.DistributedTracer({ serviceName: 'svc' });
  const server = createServer((req, res) => res.end());
  server.listen(0, '127.0.0.1', () => {
    for (let i = 0; i < count; i++) tracer.endSpan(tracer.startSpan(`op ${i}`, { attributes: { pad: 'x'.repeat(200) } }));
    report({ ready: true });
  });
  process.once('SIGTERM', async () => {
    server.close();
    await tracer.shutdown();
    process.exit(0);
  });
} else if (mode === 'burst') {
  const tracer = new lib.DistributedTracer({ serviceName: 'svc' });
  const logger = new lib.TracedLogger({ serviceName: 'svc' });
  await Promise.all(Array.from({ length: count }, (_, i) => request(tracer, logger, i)));
  await tracer.shutdown();
  report({ spans: count * 3, lines: count * 2, tracer: tracer.stats(), logger: logger.stats() });
} else {
  throw new Error(`unknown mode ${mode}`);
}
