import { describe, expect, it } from 'vitest';
import { CompletingCollector } from '../../src/model/completing-collector.js';
import { PacedTake } from '../../src/model/paced-take.js';
import { TraceCompletion } from '../../src/model/trace-completion.js';
import { entry } from './make.js';

const S = 1_000_000;

/** Traces complete 1 s of log time after their last line; the room is a gate the test opens. */
function setUp(each: (id: string) => void = () => undefined) {
  const collector = new CompletingCollector(new TraceCompletion({ timeoutUs: S }), S, false, false);
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  const taken: string[] = [];
  const taker = new PacedTake(
    collector,
    false,
    () => collector.openIds(),
    (id, spans) => {
      each(id);
      taken.push(`${id}:${spans.length}`);
    },
    () => gate?.promise,
  );
  collector.onComplete = () => taker.completed();
  const close = () => {
    let open = () => undefined as void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    gate = { promise, open: () => ((gate = undefined), open()) };
  };
  const line = (traceId: string, at: number, spanId = `${traceId}1`) => collector.entry(entry({ traceId, spanId, service: 'api', time: at }));
  return { collector, taker, taken, line, close, open: () => gate?.open() };
}

describe('PacedTake', () => {
  it('takes completed traces one at a time, each once there is room; reading waits until all were', async () => {
    const t = setUp();
    t.line('a', 0);
    t.line('b', S / 2);
    t.close(); // the consumer is full
    t.line('c', 10 * S); // a and b complete at once
    expect(t.taken).toEqual([]);
    const reading = t.taker.ready();
    expect(reading).toBeInstanceOf(Promise);
    let readingWent = false;
    void reading!.then(() => (readingWent = true));
    t.open();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.taken).toEqual(['a:1', 'b:1']);
    expect(readingWent).toBe(true);
    // A line of a trace waiting its turn, or taken, is late: it never reaches the collector.
    t.line('a', 10 * S);
    expect(t.collector.late).toBe(1);
    await t.taker.end(); // c, still open, at the end
    expect(t.taken).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it('holds one trace at a time: a trace completed while one waits is taken after it, in turn', async () => {
    const t = setUp();
    t.line('a', 0);
    t.close();
    t.line('b', 10 * S); // a completes; waits for room
    t.line('c', 10 * S + 1);
    t.line('d', 20 * S); // b and c complete while a waits
    expect(t.taken).toEqual([]);
    t.open();
    await t.taker.ready();
    expect(t.taken).toEqual(['a:1', 'b:1', 'c:1']);
    await t.taker.end();
    expect(t.taken).toEqual(['a:1', 'b:1', 'c:1', 'd:1']);
  });

  it("passes the consumer's error to what reading waits for, and to the end", async () => {
    const t = setUp((id) => {
      if (id === 'b') throw new Error('cannot send b');
    });
    t.line('a', 0);
    t.line('b', S / 2);
    t.close();
    t.line('c', 10 * S);
    t.open();
    await expect(t.taker.ready()).rejects.toThrow('cannot send b');
    await expect(t.taker.end()).rejects.toThrow('cannot send b');
  });

  it('refuses a folding collector with a room: its folds are released at the end of a pass', () => {
    const folding = new CompletingCollector(new TraceCompletion({ timeoutUs: S }), S);
    expect(() => new PacedTake(folding, false, () => new Set(), () => undefined, () => undefined)).toThrow('without waiting');
  });
});
