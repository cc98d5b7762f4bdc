import { summarizeTrace } from '../analyze/slowest.js';
import { JsonPieces, stringifyJson } from './json-text.js';
import type { SpanNode, TraceTree, TreeWarning } from '../model/tree.js';
import { isoMicros } from './format.js';
import { redactObject, redactText } from './redact.js';
import { pickFields, type FieldPick } from './fields-text.js';

export interface JsonOptions {
  redact: boolean;
  logs?: boolean;
  /** Which of a log line's fields each event carries as `fields` (default all). */
  fields?: FieldPick;
}

/** A log line's other fields (or a span event's attributes), picked and redacted, as `fields`. */
function fieldsOf(attributes: Record<string, unknown> | undefined, o: JsonOptions): { fields?: Record<string, unknown> } {
  const fields = attributes !== undefined ? pickFields(attributes, o.fields ?? 'all', o.redact) : undefined;
  return fields !== undefined ? { fields } : {};
}

/** A span's own fields, as `tree --json` and `timeline --json` share them (documented in the README). */
export function spanJson(node: SpanNode, tree: TraceTree, o: JsonOptions): Record<string, unknown> {
  const s = node.span;
  const out: Record<string, unknown> = {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? (node.parentInferred ? node.parent?.span.spanId : undefined) ?? null,
    service: s.service,
    operation: redactText(s.operation, o.redact),
    start: isoMicros(s.start),
    startUs: s.start,
    offsetUs: s.start - tree.start,
    durationUs: s.end - s.start,
    depth: node.depth,
    error: s.error,
  };
  if (s.errorMessage !== undefined) out.errorMessage = redactText(s.errorMessage, o.redact);
  if (s.kind !== undefined) out.kind = s.kind;
  if (s.inferred) out.inferred = true;
  if (node.parentInferred) out.parentInferred = true;
  if (node.missingParent !== undefined) out.missingParent = node.missingParent;
  if (node.cutParent !== undefined) out.cutParent = node.cutParent;
  if (node.skew) out.skew = node.skew;
  if (node.asyncEndsAfter !== undefined) out.asyncEndsAfterUs = node.asyncEndsAfter;
  if (node.shift !== undefined) out.shiftUs = node.shift;
  if (node.outOfRange) out.outOfRange = true;
  if (node.noStartTime) out.noStartTime = true;
  out.origin = s.origin;
  if (Object.keys(s.attributes).length > 0) out.attributes = redactObject(s.attributes, o.redact);
  if (o.logs) out.events = s.events.map((e) => eventJson(e, tree, o));
  return out;
}

function eventJson(e: SpanNode['span']['events'][number], tree: TraceTree, o: JsonOptions): Record<string, unknown> {
  return {
    time: isoMicros(e.time),
    offsetUs: e.time !== undefined ? e.time - tree.start : null,
    level: e.level ?? null,
    message: redactText(e.message, o.redact),
    ...(e.stack !== undefined ? { stack: redactText(e.stack, o.redact) } : {}),
    ...fieldsOf(e.attributes, o),
    ...(e.source !== undefined ? { source: `${e.source}:${e.line ?? 0}` } : {}),
  };
}

/** The fields of a tree's document before its spans, warnings last: the trace's facts as `slowest` and `group` give them (summarizeTrace: one rule). */
export function treeHeader(tree: TraceTree, o: JsonOptions): Record<string, unknown> {
  const facts = summarizeTrace(tree);
  return {
    traceId: tree.traceId,
    start: isoMicros(tree.start),
    startUs: tree.start,
    durationUs: tree.end - tree.start,
    spans: tree.nodes.length,
    errors: facts.errorCount,
    rootService: facts.rootService ?? null,
    rootOperation: facts.rootOperation === undefined ? null : redactText(facts.rootOperation, o.redact),
    ...(tree.parentsInferred !== undefined ? { parentsInferred: tree.parentsInferred } : {}),
    warnings: tree.warnings,
  };
}

/** The header's fields, its warnings one by one; leaves the object open. */
function* headerPieces(out: JsonPieces, tree: TraceTree, o: JsonOptions): Generator<string> {
  const { warnings, ...fields } = treeHeader(tree, o);
  out.open(fields);
  out.add(',"warnings":[');
  (warnings as TreeWarning[]).forEach((w, i) => {
    if (i > 0) out.add(',');
    out.add(stringifyJson(w));
  });
  out.add(']');
  if (out.full) yield out.take();
}

/** A span's fields (its log lines one by one); leaves the object open. */
function* spanPieces(out: JsonPieces, node: SpanNode, tree: TraceTree, o: JsonOptions): Generator<string> {
  out.open(spanJson(node, tree, { ...o, logs: false }));
  if (o.logs) {
    out.add(',"events":[');
    const events = node.span.events;
    for (let i = 0; i < events.length; i++) {
      if (i > 0) out.add(',');
      out.add(stringifyJson(eventJson(events[i]!, tree, o)));
      if (out.full) yield out.take();
    }
    out.add(']');
  }
  if (out.full) yield out.take();
}

/**
 * The nested tree as one JSON document, {traceId, …, roots: [{…span, children: [...]}]}, in chunks of
 * text. Written iteratively, because JSON.stringify recurses and a chain 1,000,000 deep would overflow it.
 */
export function* treeJsonChunks(tree: TraceTree, o: JsonOptions): Generator<string> {
  const out = new JsonPieces();
  yield* headerPieces(out, tree, o);
  out.add(',"roots":[');
  type Frame = { nodes: readonly SpanNode[]; i: number };
  const stack: Frame[] = [{ nodes: tree.roots, i: 0 }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.i >= f.nodes.length) {
      stack.pop();
      out.add(stack.length > 0 ? ']}' : ']');
      continue;
    }
    const node = f.nodes[f.i++]!;
    if (f.i > 1) out.add(',');
    yield* spanPieces(out, node, tree, o);
    out.add(',"children":[');
    stack.push({ nodes: node.children, i: 0 });
  }
  out.add('}\n');
  yield out.take();
}

/** `timeline --json`: flat spans in tree order with offsets and depth, one JSON document, in chunks of text. */
export function* timelineJsonChunks(tree: TraceTree, o: JsonOptions): Generator<string> {
  const out = new JsonPieces();
  yield* headerPieces(out, tree, o);
  out.add(',"spanList":[');
  const nodes = tree.nodes;
  for (let i = 0; i < nodes.length; i++) {
    if (i > 0) out.add(',');
    yield* spanPieces(out, nodes[i]!, tree, { ...o, logs: true });
    out.add('}');
  }
  out.add(']}\n');
  yield out.take();
}
