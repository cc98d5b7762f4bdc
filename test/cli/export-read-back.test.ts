// tracectl reads back its own export of a trace whose one line passes --max-line-bytes (#27): the Jaeger
// export writes `{"data":[`, a trace object a line, `]}`; a trace of 5,000 spans is a ~1.9 MB line, read
// under the document cap (input/document-lines.ts) as part of its document.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tracectl-read-back-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = 'dddddddddddddddddddddddddddddddd';
const SPANS = 5000;
// pino-style span lines: a chain of 5,000 spans, each 40 µs inside its parent.
const stdin = Array.from({ length: SPANS }, (_, i) => {
  const id = (i + 1).toString(16).padStart(16, '0');
  const parent = i === 0 ? undefined : i.toString(16).padStart(16, '0');
  return JSON.stringify({ time: 1796691604000 + i * 0.04, level: 30, service: 'deep', trace_id: TRACE, span_id: id, parent_span_id: parent, msg: `op${i}`, duration: 200 - i * 0.04 });
}).join('\n') + '\n';

describe('export read back (#27)', () => {
  for (const format of ['jaeger', 'otlp', 'zipkin']) {
    it(`${format}: a trace over 1 MiB on one line reads back whole`, async () => {
      const file = join(dir, `deep.${format}`);
      expect((await runCli(['export', '--format', format, '-o', file, '-q'], { stdin })).code).toBe(0);
      if (format === 'jaeger') expect(Math.max(...readFileSync(file, 'utf8').split('\n').map((l) => Buffer.byteLength(l)))).toBeGreaterThan(1024 * 1024);
      expect(statSync(file).size).toBeGreaterThan(1024 * 1024);
      const back = await runCli(['group', '--json', file]);
      expect(back.code).toBe(0);
      expect(JSON.parse(back.stdout)).toMatchObject({ traceId: TRACE, spans: SPANS });
      expect(back.stderr).toContain(' 0 skipped; 1 trace (5,000 span records)');
    });
  }
});
