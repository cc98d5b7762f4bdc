import { parentPort } from 'node:worker_threads';
import { EntryNormalizer } from '../entries/normalize-entry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { processChunk, StrictError, type IngestOptions } from '../ingest/read-inputs.js';
import { SummaryCollector } from '../model/collect-summaries.js';
import { DeliveryPacker, transferables } from '../ingest/packed-deliveries.js';
import type { FromWorker, ToWorker } from './job.js';

/**
 * A worker thread: processes the chunks it is handed exactly as the main thread would (same line
 * processor, same normalizer). For a `summaries` job into its own per-trace summaries, handed back with
 * its stats when told to finish; for a `deliveries` job, each chunk's spans and entries are packed and
 * handed back as soon as the chunk is done, and only the stats at the end.
 */
let summaries: SummaryCollector | undefined;
let packer: DeliveryPacker | undefined;
let options: IngestOptions | undefined;
let normalizer: EntryNormalizer | undefined;
let inFlight: Int32Array | undefined;
const stats = new IngestStats();

const port = parentPort!;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'init') {
      if (m.job === 'summaries') summaries = new SummaryCollector();
      else packer = new DeliveryPacker();
      options = m.options;
      normalizer = new EntryNormalizer(options.normalize);
      inFlight = m.inFlight;
    } else if (m.type === 'chunk') {
      const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      const chunk = { bytes, firstLine: m.firstLine, lines: m.lines, ...(m.markers ? { markers: m.markers } : {}) };
      processChunk(chunk, m.source, summaries ?? packer!, options!, stats, normalizer!);
      if (packer) {
        const packed = packer.take();
        send({ type: 'delivered', seq: m.seq, packed }, transferables(packed));
      }
      Atomics.sub(inFlight!, 0, 1);
    } else {
      const state = summaries?.exportState();
      send({ type: 'result', state, stats }, state ? [state.nums.buffer as ArrayBuffer, state.refs.buffer as ArrayBuffer] : []);
      port.close();
    }
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err), strict: err instanceof StrictError });
  }
});
