// Clock skew between a parent and a child recorded on different hosts: how far the child sticks out, and
// (for --adjust-skew) how far to shift it. Only spans from different hosts are compared: on one host a
// child outside its parent is real (async work, a timeout), not a clock problem.
import type { Span } from './span.js';
import type { Micros } from '../core/time.js';

/** Host identity for skew decisions: the span's host, else its service. */
export const hostOf = (s: Span): string => s.host ?? s.service;

/**
 * How long a child that outlives its parent runs on after it, when that is asynchrony rather than a
 * clock problem; undefined otherwise. A child that starts inside its parent and ends after it was not
 * waited for (a consumer, a FOLLOWS_FROM child, fire-and-forget work), whatever the hosts; on the
 * parent's own host (one clock), so is a child that starts after the parent ended; and so is a message's
 * consumer after its producer (CONSUMER kind, a PRODUCER parent or a FOLLOWS_FROM link) on any host: a
 * queue between them is what makes it start late.
 *
 *     parent      |----------|
 *     async           |-----------|        starts inside, ends after: async on any host
 *     async (same host)          |----|    wholly after: async on one clock, skew across two (but a consumer)
 *     skew     |-----|                     starts before its parent on another host
 *
 * Under --adjust-skew a CHILD_OF child that jaeger's rule moves is shown as moved, not as async.
 */
export function asyncOf(child: Span, parent: Span): Micros | undefined {
  if (child.start < parent.start || child.end <= parent.end) return undefined;
  if (child.start > parent.end && hostOf(child) !== hostOf(parent) && !isMessageHop(child, parent)) return undefined;
  return child.end - parent.end;
}

/** A consumer under what produced its message: OTel's CONSUMER/PRODUCER kinds, or a FOLLOWS_FROM link. */
export function isMessageHop(child: Span, parent: Span): boolean {
  return child.kind === 'consumer' || parent.kind === 'producer' || child.parentIsFollowsFrom === true;
}

/**
 * How far a child sticks out of its parent, or undefined when it fits (or shares the parent's host).
 * Asynchronous children (asyncOf) are not skew: buildTree asks asyncOf first.
 *
 *     parent          |-----------------|
 *     child       |------|          |--------|
 *                 <-sb->                <-ea->     sb = startsBefore, ea = endsAfter
 *
 * A FOLLOWS_FROM child is not waited for, so ending after the parent is normal; only starting before
 * it counts.
 */
export function detectSkew(child: Span, parent: Span): { startsBefore: Micros; endsAfter: Micros } | undefined {
  if (hostOf(child) === hostOf(parent)) return undefined;
  const startsBefore = Math.max(0, parent.start - child.start);
  const endsAfter = child.parentIsFollowsFrom ? 0 : Math.max(0, child.end - parent.end);
  return startsBefore > 0 || endsAfter > 0 ? { startsBefore, endsAfter } : undefined;
}

/**
 * The shift jaeger's clock-skew adjuster (model/adjuster/clockskew.go, calculateSkew) applies to a child
 * on another host than its (already adjusted) parent.
 *
 * 1. Child longer than the parent: it was async, or the parent timed out first. The only safe fix is to
 *    stop it starting before the parent:
 *
 *        parent      |--------|              parent   |--------|
 *        child    |--------------|     ->    child    |--------------|     delta = p.start - c.start
 *
 * 2. Child fits: no shift.
 * 3. Otherwise assume the network latency is split evenly between request and response, and centre it:
 *
 *        parent      |------------|           parent   |------------|
 *        child             |----|       ->    child       |----|
 *                                             delta = p.start + (p.dur - c.dur) / 2 - c.start
 *
 * Half a microsecond is floored, as Go's integer division does for these non-negative values.
 * A FOLLOWS_FROM child only gets rule 1's shift: an async child ending late says nothing about clocks.
 * Any other child on another host is adjusted as jaeger adjusts CHILD_OF children, even one asyncOf
 * would call asynchronous: --adjust-skew asks for jaeger's rule, and a clock ahead looks the same.
 */
export function skewDelta(child: Span, parent: Span): Micros {
  const childDur = child.end - child.start;
  const parentDur = parent.end - parent.start;
  if (childDur > parentDur || child.parentIsFollowsFrom) {
    return child.start < parent.start ? parent.start - child.start : 0;
  }
  if (child.start >= parent.start && child.end <= parent.end) return 0;
  return parent.start + Math.floor((parentDur - childDur) / 2) - child.start;
}

/** A copy of the span moved by delta, with its event times moved too; the input is left alone. */
export function shiftSpan(span: Span, delta: Micros): Span {
  return {
    ...span,
    start: span.start + delta,
    end: span.end + delta,
    events: span.events.map((e) => (e.time === undefined ? e : { ...e, time: e.time + delta })),
  };
}
