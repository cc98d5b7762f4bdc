// The grouping both floors do (bench/bare-loop.js, bench/ndjson-peer.js), in one place so that their rows
// differ only by how lines are split and parsed: per trace id, the entry count and the first and last raw
// time value — the least a one-row-per-trace summary needs.

/** Adds one parsed object to `groups`; false when it has no string trace id in the given field. */
export function groupRecord(groups, o, fieldArg) {
  if (o === null || typeof o !== 'object') return false;
  const id = fieldArg === 'both' ? (o.traceId ?? o.trace_id) : o[fieldArg];
  if (typeof id !== 'string') return false;
  const t = o.timestamp ?? o.time;
  const g = groups.get(id);
  if (g === undefined) groups.set(id, { n: 1, first: t, last: t });
  else {
    g.n++;
    g.last = t;
  }
  return true;
}
