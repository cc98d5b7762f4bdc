import type { Entry } from '../entries/entry.js';
import type { IngestSink } from '../ingest/ingest-options.js';
import { NO_ENTRIES, type DeliverySink, type SpanBatch } from '../ingest/packed-deliveries.js';
import type { Span } from '../model/span.js';

/** A chunk whose deliveries wait for the chunks before it; `deliver` is set once they are at hand. */
export interface Waiting {
  seq: number;
  deliver: ((sink: DeliverySink) => void) | undefined;
}

/**
 * What a chunk read here delivered, kept to be handed on in order. A span file gives a result per line
 * (a wrapper and its lists around one span): runs of results without entries are kept as one list of
 * their spans, so that the wrappers die young instead of living, and being copied by the collector,
 * until the chunks before are back.
 */
export class Recording implements IngestSink {
  private readonly calls: (Entry | SpanBatch)[] = [];
  private readonly isEntry: boolean[] = [];
  /** The run the last spans went to, while no entry has come since. */
  private run: SpanRun | undefined;

  entry(entry: Entry): void {
    this.calls.push(entry);
    this.isEntry.push(true);
    this.run = undefined;
  }

  spans(result: Parameters<IngestSink['spans']>[0]): void {
    if (result.entries.length > 0) {
      this.calls.push(result);
      this.isEntry.push(false);
      this.run = undefined;
      return;
    }
    if (result.spans.length === 0) return;
    if (this.run === undefined) {
      this.run = { spans: [], entries: NO_ENTRIES };
      this.calls.push(this.run);
      this.isEntry.push(false);
    }
    for (const span of result.spans) this.run.spans.push(span);
  }

  replay(sink: DeliverySink): void {
    for (let i = 0; i < this.calls.length; i++) {
      if (this.isEntry[i]) sink.entry(this.calls[i] as Entry);
      else sink.spans(this.calls[i] as SpanBatch);
    }
  }
}

/** Spans delivered one after another with no entry among them, handed on in one call. */
interface SpanRun extends SpanBatch {
  spans: Span[];
}

