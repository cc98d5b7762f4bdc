// Span data made for the CLI tests: inputs too large to keep as fixtures, and a reader of the line report.

/**
 * A Jaeger query API answer as `/api/traces` sends it: one line, `{"data":[…],"total":0,…}`, here 60
 * traces of 100 spans, ~3.5 MB — over the 1 MiB log-line cap.
 */
export function jaegerAnswer(traces = 60, spans = 100): string {
  const t0 = 1_714_557_600_000_000;
  const data = [];
  for (let t = 0; t < traces; t++) {
    const traceID = (0xabc000 + t).toString(16).padStart(32, '0');
    const id = (k: number) => (0x100000 + t * 1000 + k).toString(16).padStart(16, '0');
    const list = [];
    for (let k = 0; k < spans; k++) {
      list.push({
        traceID,
        spanID: id(k),
        flags: 1,
        operationName: `op-${k % 7}`,
        references: k === 0 ? [] : [{ refType: 'CHILD_OF', traceID, spanID: id(0) }],
        startTime: t0 + t * 1_000_000 + k * 10,
        duration: 5000 - k,
        tags: [{ key: 'http.url', type: 'string', value: `https://example.com/${'x'.repeat(400)}` }],
        logs: [],
        processID: 'p1',
        warnings: null,
      });
    }
    data.push({ traceID, spans: list, processes: { p1: { serviceName: 'svc', tags: [] } }, warnings: null });
  }
  return JSON.stringify({ data, total: 0, limit: 0, offset: 0, errors: null });
}

/** The closing report's counts: "N lines read from …: U used, W without a trace id, [J joined, ][X not examined …, ]S skipped". */
export function accounting(stderr: string): { read: number; used: number; without: number; notExamined: number; skipped: number } {
  const m = /([\d,]+) lines? read from .*?: ([\d,]+) used, ([\d,]+) without a trace id, (?:([\d,]+) not examined[^,]*, )?([\d,]+) skipped/.exec(stderr);
  if (!m) throw new Error(`no report in: ${stderr}`);
  const n = (s: string | undefined) => Number((s ?? '0').replace(/,/g, ''));
  return { read: n(m[1]), used: n(m[2]), without: n(m[3]), notExamined: n(m[4]), skipped: n(m[5]) };
}
