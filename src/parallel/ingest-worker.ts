import { parentPort } from 'node:worker_threads';
import { EntryNormalizer } from '../entries/normalize-entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { processChunk, StrictError, type IngestOptions } from '../ingest/read-inputs.js';
import { SummaryCollector } from '../model/collect-summaries.js';
import type { FromWorker, ToWorker } from './job.js';

/**
 * A worker thread: processes the chunks it is handed exactly as the main thread would (same line
 * processor, same normalizer), into its own per-trace summaries and stats, and hands both back when told
 * to finish.
 */
let collector: SummaryCollector | undefined;
let options: IngestOptions | undefined;
let normalizer: EntryNormalizer | undefined;
let inFlight: Int32Array | undefined;
const stats = new IngestStats();

const port = parentPort!;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'init') {
      collector = new SummaryCollector();
      options = m.options;
      normalizer = new EntryNormalizer(options.normalize);
      inFlight = m.inFlight;
    } else if (m.type === 'chunk') {
      const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      processChunk({ bytes, firstLine: m.firstLine, lines: m.lines, ...(m.markers ? { markers: m.markers } : {}) }, m.source, collector!, options!, stats, normalizer!);
      Atomics.sub(inFlight!, 0, 1);
    } else {
      const state = collector!.exportState();
      send({ type: 'result', state, stats }, [state.nums.buffer as ArrayBuffer, state.refs.buffer as ArrayBuffer]);
      port.close();
    }
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err), strict: err instanceof StrictError });
  }
});
