#!/usr/bin/env node
// The span reporter's throughput and a burst, with the default options, writing to this process's
// stdout: run it with stdout on /dev/null (a file: synchronous writes) and into a pipe (asynchronous,
// with backpressure). Results go to stderr.
//
//   npm run build
//   node bench/instrument-sink.js > /dev/null
//   node bench/instrument-sink.js | cat > /dev/null
//   node bench/instrument-sink.js --spans 300000 --burst 2000
//
// sustained: spans ended as fast as the loop allows, `--per-turn` per turn of the event loop (a busy
//   service ending spans between its I/O), until `--spans`; the rate is spans written per second from
//   the first span to the last byte handed over (flush), and every span is accounted for.
// burst: `--burst` concurrent requests, each a server span with two children and two log lines, all
//   answered within the same few milliseconds (timers of 0–4 ms), as a load test's first wave.
import { performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SPANS = arg('spans', 200_000);
const PER_TURN = arg('per-turn', 200);
const BURST = arg('burst', 2000);

const lib = await import('../dist/instrument/index.js');
const say = (s) => process.stderr.write(s + '\n');

async function sustained() {
  const tracer = new lib.DistributedTracer({ serviceName: 'bench' });
  const t0 = performance.now();
  let ended = 0;
  while (ended < SPANS) {
    for (let i = 0; i < PER_TURN && ended < SPANS; i++, ended++) {
      const s = tracer.startSpan('GET /orders/:id', { kind: 'server', attributes: { 'http.method': 'GET', 'http.route': '/orders/:id' } });
      tracer.setTag(s, 'http.status_code', 200);
      tracer.endSpan(s);
    }
    await new Promise((r) => setImmediate(r));
  }
  await tracer.flush(60_000);
  const ms = performance.now() - t0;
  const st = tracer.stats();
  say(`sustained: ${SPANS} spans offered at ${PER_TURN}/turn in ${ms.toFixed(0)} ms: ${Math.round((st.written / ms) * 1000)} spans/s written; ` +
    `written ${st.written}, dropped ${st.dropped}, lost ${st.lost}, queued ${st.queued}`);
}

async function burst() {
  const tracer = new lib.DistributedTracer({ serviceName: 'bench' });
  const logger = new lib.TracedLogger({ serviceName: 'bench' });
  const request = (i) =>
    tracer.withSpan('POST /checkout', async () => {
      logger.info('checkout received', { items: i % 4 });
      await tracer.withSpan('db.insert', () => new Promise((r) => setTimeout(r, i % 5)));
      await tracer.withSpan('POST http://payments/charge', () => new Promise((r) => setTimeout(r, (i * 7) % 5)), { kind: 'client' });
      logger.info('checkout done', { items: i % 4 });
    }, { parent: null, kind: 'server' });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: BURST }, (_, i) => request(i)));
  await tracer.flush(60_000);
  const ms = performance.now() - t0;
  const st = tracer.stats();
  say(`burst: ${BURST} concurrent requests (${BURST * 3} spans, ${BURST * 2} log lines) in ${ms.toFixed(0)} ms: ` +
    `written ${st.written}, dropped ${st.dropped} (${((100 * st.dropped) / (BURST * 3)).toFixed(1)}%), lost ${st.lost}; logger ${JSON.stringify(logger.stats())}`);
}

await burst();
await sustained();
