/**
 * The request-scoped trace context, carried through async work by AsyncLocalStorage. The store also
 * remembers which logger and tracer the middleware was given, so `tracedFetch` and `withSpan` called
 * deep inside a handler report to the same service's sinks without being passed anything.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TracedLogger } from './logger.js';
import type { DistributedTracer } from './tracer.js';

export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent for the root of a trace. */
  readonly parentSpanId: string | undefined;
  readonly serviceName: string;
  readonly sampled: boolean;
}

export interface ContextStore {
  readonly trace: TraceContext;
  readonly logger?: TracedLogger;
  readonly tracer?: DistributedTracer;
}

const storage = new AsyncLocalStorage<ContextStore>();

/** The trace context of the current request (or span), or null outside one. */
export function getTraceContext(): TraceContext | null {
  return storage.getStore()?.trace ?? null;
}

/** The whole store, for the library's own use (logger and tracer lookups). */
export function getContextStore(): ContextStore | undefined {
  return storage.getStore();
}

/** Run `fn` with `store` as the current context; what `fn` starts (timers, promises) inherits it. */
export function runWithContext<T>(store: ContextStore, fn: () => T): T {
  return storage.run({ ...store, trace: Object.freeze({ ...store.trace }) }, fn);
}
