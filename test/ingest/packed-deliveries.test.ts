import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/entries/entry.js';
import { NO_ATTRIBUTES, NO_EVENTS, newAttributes } from '../../src/formats/json.js';
import { readSpanDocument } from '../../src/formats/read-span-document.js';
import { DeliveryPacker, replay, transferables, type PackedDeliveries } from '../../src/ingest/packed-deliveries.js';
import { whereOf, type Span } from '../../src/model/span.js';

/** What a sink was handed, call by call. */
function record() {
  const calls: ({ entry: Entry } | { spans: Span[] })[] = [];
  return {
    calls,
    entry: (entry: Entry) => calls.push({ entry }),
    spans: (r: { spans: readonly Span[]; entries: readonly Entry[] }) => {
      calls.push({ spans: [...r.spans] });
      for (const entry of r.entries) calls.push({ entry });
    },
  };
}

/** The calls with runs of spans joined, as replay() makes them. */
function flattened(calls: ({ entry: Entry } | { spans: Span[] })[]): (Entry | Span[])[] {
  const out: (Entry | Span[])[] = [];
  for (const c of calls) {
    if ('entry' in c) out.push(c.entry);
    else if (Array.isArray(out[out.length - 1])) (out[out.length - 1] as Span[]).push(...c.spans);
    else if (c.spans.length > 0) out.push([...c.spans]);
  }
  return out;
}

/** Across a thread, as the worker sends it: transferred buffers, cloned rest. */
const across = (p: PackedDeliveries): PackedDeliveries => structuredClone(p, { transfer: transferables(p) });

const span = (over: Partial<Span>): Span => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  parentSpanId: undefined,
  parentIsFollowsFrom: undefined,
  service: 'api',
  operation: 'GET /x',
  start: 1_714_557_600_000_000,
  end: 1_714_557_600_000_250,
  startNanos: undefined,
  kind: undefined,
  error: false,
  errorMessage: undefined,
  host: undefined,
  attributes: NO_ATTRIBUTES,
  events: NO_EVENTS,
  links: undefined,
  inferred: undefined,
  origin: 'record',
  where: 'app.log:1',
  ...over,
});

const entry = (line: number): Entry => ({ source: 'app.log', line, traceId: 'abc', error: false, message: `line ${line}`, envelope: { kinds: ['kubectl-prefix'], pod: 'api-1' } });

describe('packed deliveries', () => {
  it('replay gives the same spans and entries, in the same order, with shared empties kept shared', () => {
    const attrs = newAttributes();
    attrs['http.status_code'] = 500;
    attrs.nested = Object.assign(newAttributes(), { list: [1, Object.assign(newAttributes(), { deep: true })] });
    // A hostile key stays an own property, and prototypes stay null.
    Object.defineProperty(attrs, '__proto__', { value: 'not a prototype', enumerable: true, writable: true, configurable: true });
    const eventAttrs = Object.assign(newAttributes(), { 'exception.type': 'Timeout' });
    const spans = [
      span({}),
      span({ spanId: 'a1a1a1a1a1a1a1a1', parentSpanId: '00f067aa0ba902b7', kind: 'client', error: true, errorMessage: 'boom', host: 'node-1', startNanos: 250, attributes: attrs }),
      span({ spanId: 'çà-not-ascii', parentSpanId: 'also ‮ odd', where: 'журнал.log:3', events: [{ time: 5, message: 'retry', level: 'warn', attributes: eventAttrs }, { message: 'plain' }] }),
      span({ spanId: 'b2', parentIsFollowsFrom: true, links: [{ traceId: 't', spanId: 's', kind: 'follows_from' }], inferred: false, origin: 'jaeger', where: undefined }),
      span({ spanId: 'c3', inferred: true, parentIsFollowsFrom: false, service: 'web', operation: '' }),
      // A span record's place as file and line (readSpanRecord), no string.
      span({ spanId: 'd4', where: undefined, whereSource: 'спаны.jsonl', whereLine: 1_000_000 }),
      span({ spanId: 'e5', where: undefined, whereSource: 'спаны.jsonl', whereLine: 0 }),
    ];
    const packer = new DeliveryPacker();
    const original = record();
    const feed = (sink: { entry(e: Entry): void; spans(r: { spans: readonly Span[]; entries: readonly Entry[] }): void }) => {
      sink.entry(entry(1));
      sink.spans({ spans: spans.slice(0, 2), entries: [entry(2)] });
      sink.spans({ spans: spans.slice(2, 3), entries: [] });
      sink.spans({ spans: spans.slice(3), entries: [] });
      sink.entry(entry(9));
    };
    feed(packer);
    feed(original);
    const replayed = record();
    replay(across(packer.take()), replayed);
    expect(flattened(replayed.calls)).toEqual(flattened(original.calls));
    const out = replayed.calls.flatMap((c) => ('spans' in c ? c.spans : []));
    expect(out).toHaveLength(7);
    expect(out[0]!.attributes).toBe(NO_ATTRIBUTES);
    expect(out[0]!.events).toBe(NO_EVENTS);
    const a = out[1]!.attributes;
    expect(Object.getPrototypeOf(a)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(a, '__proto__')?.value).toBe('not a prototype');
    expect(Object.getPrototypeOf(a.nested)).toBeNull();
    expect(Object.getPrototypeOf((a.nested as { list: object[] }).list[1])).toBeNull();
    expect(Object.getPrototypeOf(out[2]!.events[0]!.attributes)).toBeNull();
    expect(out[2]!.events[1]).toEqual({ message: 'plain' });
    expect(out[2]!.spanId).toBe('çà-not-ascii');
    expect(out[2]!.where).toBe('журнал.log:3');
    expect(out[3]!.parentIsFollowsFrom).toBe(true);
    expect(out[3]!.inferred).toBe(false);
    expect(out[4]!.inferred).toBe(true);
    expect(out[4]!.parentIsFollowsFrom).toBe(false);
    expect(out[4]!.operation).toBe('');
    expect([out[5]!.where, out[5]!.whereSource, out[5]!.whereLine, whereOf(out[5]!)]).toEqual([undefined, 'спаны.jsonl', 1_000_000, 'спаны.jsonl:1000000']);
    expect(whereOf(out[6]!)).toBe('спаны.jsonl:0');
  });

  it('starts afresh after take(): a second chunk carries only its own deliveries', () => {
    const packer = new DeliveryPacker();
    packer.spans({ spans: [span({ spanId: 'first000first000' })], entries: [] });
    packer.take();
    packer.spans({ spans: [span({ spanId: 'second00second00', service: 'db' })], entries: [] });
    const r = record();
    replay(across(packer.take()), r);
    expect(r.calls).toHaveLength(1);
    expect((r.calls[0] as { spans: Span[] }).spans.map((s) => [s.spanId, s.service])).toEqual([['second00second00', 'db']]);
  });

  it('what the readers make round-trips exactly (OTLP with attributes, events and links)', () => {
    const otlp = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  parentSpanId: 'eee19b7ec3c1b173',
                  name: 'charge',
                  kind: 3,
                  startTimeUnixNano: '1544712660000000123',
                  endTimeUnixNano: '1544712661000000000',
                  attributes: [{ key: 'peer', value: { kvlistValue: { values: [{ key: 'host', value: { stringValue: 'db' } }] } } }],
                  events: [{ timeUnixNano: '1544712660500000000', name: 'retry', attributes: [{ key: 'n', value: { intValue: '2' } }] }],
                  links: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b100' }],
                  status: { code: 2, message: 'declined' },
                },
              ],
            },
          ],
        },
      ],
    };
    const result = readSpanDocument(otlp, { source: 'otlp.jsonl', line: 7 })!;
    expect(result.spans).toHaveLength(1);
    const packer = new DeliveryPacker();
    packer.spans(result);
    const r = record();
    replay(across(packer.take()), r);
    const back = (r.calls[0] as { spans: Span[] }).spans[0]!;
    expect(back).toEqual(result.spans[0]);
    expect(Object.getPrototypeOf(back.attributes)).toBe(Object.getPrototypeOf(result.spans[0]!.attributes));
    expect(Object.getPrototypeOf(back.attributes.peer)).toBe(Object.getPrototypeOf(result.spans[0]!.attributes.peer));
  });
});
