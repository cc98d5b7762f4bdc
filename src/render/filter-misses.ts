// Why no trace matched the filters, said on stderr so that a window next to the data is not mistaken for
// a quiet system: `all 1,240 traces end before the window; the input spans 09:25–09:28 on 2025-03-14`.
// Each condition is judged alone over every trace read; when none alone explains it (a combination of
// conditions left nothing), the plain count is said.
import type { MissState, TraceFilter } from '../analyze/filters.js';
import type { Micros } from '../core/time.js';
import { formatDuration, withThousands } from './format.js';
import { clean } from './sanitize.js';

const SERVICES_LISTED = 8;

/** The reason, without the `tracectl: ` prefix or a newline. */
export function whyNoneMatched(m: MissState, f: TraceFilter): string {
  const n = m.traces;
  const all = n === 1 ? 'the only trace' : `all ${withThousands(n)} traces`;
  const where = m.first !== undefined && m.last !== undefined ? `; the input spans ${timeRange(m.first, m.last)}` : '';
  if (f.since !== undefined || f.until !== undefined) {
    const one = n === 1;
    if (f.since !== undefined && m.endsBefore === n) return `${all} ${one ? 'ends' : 'end'} before the window${where}`;
    if (f.since !== undefined && m.startsBefore === n) return `${all} ${one ? 'starts' : 'start'} before the window${where}`;
    if (f.until !== undefined && m.startsAfter === n) return `${all} ${one ? 'starts' : 'start'} after the window${where}`;
    if (m.startsBefore + m.startsAfter === n && m.startsBefore > 0 && m.startsAfter > 0) {
      return `the window falls between traces: ${withThousands(m.startsBefore)} start before it, ${withThousands(m.startsAfter)} after it${where}`;
    }
  }
  if (f.service !== undefined && m.withService === 0) {
    const listed = m.services.slice(0, SERVICES_LISTED).map(clean).join(', ');
    const more = m.services.length > SERVICES_LISTED ? `, … (${m.services.length} in all)` : '';
    return `no trace has a span of service ${clean(f.service)}; the input's services: ${listed}${more}`;
  }
  if (f.errorsOnly && m.withError === 0) return n === 1 ? 'the only trace has no error' : `none of the ${withThousands(n)} traces has an error`;
  if (f.minDuration !== undefined && m.longest !== undefined && m.longest < f.minDuration) {
    return `the longest of the ${withThousands(n)} ${n === 1 ? 'trace' : 'traces'} lasts ${formatDuration(m.longest)}`;
  }
  return `no traces match the filters (${withThousands(n)} read)${where}`;
}

/** `09:25–09:28 on 2025-03-14` within a day (seconds when under two minutes), else both dates in full. UTC. */
export function timeRange(from: Micros, to: Micros): string {
  const a = new Date(Math.floor(from / 1000));
  const b = new Date(Math.floor(to / 1000));
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${from}–${to} µs`;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const short = to - from < 120_000_000;
  const clock = (d: Date) => d.toISOString().slice(11, short ? 19 : 16);
  if (day(a) === day(b)) return `${clock(a)}–${clock(b)} on ${day(a)}`;
  return `${day(a)} ${clock(a)} – ${day(b)} ${clock(b)}`;
}
