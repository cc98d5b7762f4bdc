// Input for the completion tests (test/cli/live.test.ts, test/parallel/complete-threads.test.ts).

/** One trace: its start (µs since the epoch), the gaps between its lines (µs), whether its last call fails. */
export interface TraceShape {
  start: number;
  steps: number[];
  fail: boolean;
}

/** Lines of traces in log-time order, each trace shorter than `maxUs`, some failing. */
export function traceLines(traces: TraceShape[]): string {
  const lines: { t: number; text: string }[] = [];
  traces.forEach((tr, i) => {
    const id = (i + 1).toString(16).padStart(32, '0');
    const root = `${(i + 1).toString(16).padStart(14, '0')}01`;
    let t = tr.start;
    const at = (us: number) => new Date(Math.floor(us / 1000)).toISOString().replace('Z', `${String(us % 1000).padStart(3, '0')}Z`);
    lines.push({ t, text: JSON.stringify({ timestamp: at(t), level: 'info', message: 'started', serviceName: 'api', traceId: id, spanId: root, operation: `GET /r${i % 3}` }) });
    tr.steps.forEach((d, k) => {
      t += d;
      const span = `${(i + 1).toString(16).padStart(14, '0')}${(k + 2).toString(16).padStart(2, '0')}`;
      const fail = tr.fail && k === tr.steps.length - 1;
      lines.push({ t, text: JSON.stringify({ timestamp: at(t), level: fail ? 'error' : 'info', message: fail ? `timeout after ${d} us` : 'call', serviceName: ['db', 'cache', 'payments'][k % 3], traceId: id, spanId: span, parentSpanId: root, operation: 'call' }) });
    });
    t += 10;
    lines.push({ t, text: JSON.stringify({ timestamp: at(t), level: 'info', message: 'finished', serviceName: 'api', traceId: id, spanId: root, operation: `GET /r${i % 3}` }) });
  });
  // Stable: lines of one time keep their trace's order.
  return lines.sort((a, b) => a.t - b.t).map((l) => l.text).join('\n') + '\n';
}

