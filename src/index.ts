// Library entry: the data types, for programs that want tracectl's model. The CLI lives in src/cli.
export type { Entry, Level } from './entries/entry.js';
export type { EnvelopeInfo } from './input/envelopes.js';
export type { Span, SpanEvent, SpanKind, SpanOrigin } from './model/span.js';
export type { TraceTree, SpanNode, TreeWarning } from './model/tree.js';
export type { Micros } from './core/time.js';
