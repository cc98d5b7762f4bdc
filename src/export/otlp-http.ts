// OTLP/HTTP export (the OTLP specification's "OTLP/HTTP" section): POST ExportTraceServiceRequest
// bodies to a traces endpoint (or ExportLogsServiceRequest bodies, a trace's log lines, to a logs
// endpoint), protobuf or JSON, gzipped. Batches are bounded in spans and in bytes, a
// bounded number of requests are in flight, and a request the receiver could not take at the time (429,
// 502, 503, 504, a refused or broken connection, a timeout) is sent again after a backoff or the
// receiver's Retry-After. Everything the run ends with is counted: sent, rejected (partial success), failed.
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { ExportTrace } from './export-span.js';
import { encodeLogsJson, encodeLogsProto } from './otlp-logs.js';
import { encodeSpanJson, LOGS_JSON, requestJson, TRACES_JSON } from './otlp-json.js';
import { decodePartialSuccess, decodeStatusMessage, encodeSpanProto, requestProto } from './otlp-proto.js';
import type { EncodedSpan } from './otlp-request.js';

const gzip = promisify(gzipCallback);

export type OtlpProtocol = 'http/protobuf' | 'http/json';
/** What is sent: spans, or the spans' log lines as log records. */
export type OtlpSignal = 'traces' | 'logs';

export interface OtlpHttpOptions {
  url: URL;
  /** Sent with every request; never printed (they carry credentials). */
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  /** Default traces. Batches, counts and partial success are then in spans, else in log records. */
  kind?: OtlpSignal;
  gzip: boolean;
  /** Items (spans or log records) a request, at most. */
  maxSpans: number;
  maxBytes: number;
  concurrency: number;
  /** Attempts after the first, for a retryable failure. */
  retries: number;
  timeoutMs: number;
  /** First backoff; doubled each attempt (with jitter), at most MAX_DELAY_MS. */
  backoffMs: number;
  /**
   * An open batch is sent this long after its first item even when not full (as the OTel SDK's batch
   * processor's schedule delay): a followed stream may take hours to fill one. Absent: sent when full or at finish.
   */
  lingerMs?: number;
}

/** Counts are of spans, or of log records for the logs signal. */
export interface SendReport {
  sent: number;
  rejected: number;
  failed: number;
  requests: number;
  retried: number;
  /** Distinct reasons for rejections and failures, the first few, as the receiver gave them (untrusted text). */
  problems: string[];
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_DELAY_MS = 30_000;
const MAX_PROBLEMS = 5;
/** A response body is read up to this; an OTLP answer is a few bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

interface Answer {
  status: number;
  contentType: string;
  retryAfterMs?: number;
  body: Buffer;
}

type Batch = { count: number; body: Uint8Array | string };

export class OtlpHttpSender {
  private pending: EncodedSpan<Uint8Array | string>[] = [];
  private pendingBytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly report: SendReport = { sent: 0, rejected: 0, failed: 0, requests: 0, retried: 0, problems: [] };
  private taken = 0;
  private linger: ReturnType<typeof setTimeout> | undefined;
  /** Told each time a request's items are settled (sent, rejected or failed): `unsettled` went down. */
  onSettled: (() => void) | undefined;

  constructor(private readonly options: OtlpHttpOptions) {}

  /** Items (spans or log records) taken by add() and not yet settled: in the open batch or in a request. */
  get unsettled(): number {
    return this.taken - this.report.sent - this.report.rejected - this.report.failed;
  }

  /** Queues a trace's spans; resolves once they are in a batch, waiting while `concurrency` requests are out. */
  async add(trace: ExportTrace): Promise<void> {
    const json = this.options.protocol === 'http/json';
    for (const span of trace.spans) {
      if (this.options.kind === 'logs') {
        for (const encoded of json ? encodeLogsJson(span) : encodeLogsProto(span)) await this.queue(encoded);
      } else await this.queue(json ? encodeSpanJson(span) : encodeSpanProto(span));
    }
  }

  /** How many items `trace` makes for this sender: its spans, or its log lines for the logs signal. */
  itemsIn(trace: ExportTrace): number {
    if (this.options.kind !== 'logs') return trace.spans.length;
    let n = 0;
    for (const s of trace.spans) n += s.events.length;
    return n;
  }

  /** Whether a request of this sender is out: one will settle, and make room. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Sends the open batch now, without waiting for it to fill (a full queue waits on it). */
  async sendOpen(): Promise<void> {
    if (this.pending.length > 0) await this.flush();
  }

  private async queue(encoded: EncodedSpan<Uint8Array | string>): Promise<void> {
    const size = typeof encoded.body === 'string' ? Buffer.byteLength(encoded.body) : encoded.body.length;
    if (this.pending.length > 0 && (this.pending.length >= this.options.maxSpans || this.pendingBytes + size > this.options.maxBytes)) await this.flush();
    this.taken++;
    this.pending.push(encoded);
    if (this.options.lingerMs !== undefined && this.linger === undefined) {
      this.linger = setTimeout(() => void this.sendOpen(), this.options.lingerMs);
    }
    this.pendingBytes += size;
  }

  /** Sends what is queued, waits for every request, and says how it went. */
  async finish(): Promise<SendReport> {
    await this.sendOpen();
    await Promise.all(this.inFlight);
    return this.report;
  }

  private async flush(): Promise<void> {
    clearTimeout(this.linger);
    this.linger = undefined;
    const spans = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const names = this.options.kind === 'logs' ? LOGS_JSON : TRACES_JSON;
    const body = this.options.protocol === 'http/json' ? requestJson(spans as EncodedSpan<string>[], names) : requestProto(spans as EncodedSpan<Uint8Array>[]);
    while (this.inFlight.size >= this.options.concurrency) await Promise.race(this.inFlight);
    const p: Promise<void> = this.deliver({ count: spans.length, body }).finally(() => {
      this.inFlight.delete(p);
      this.onSettled?.();
    });
    this.inFlight.add(p);
  }

  private problem(text: string): void {
    if (this.report.problems.length < MAX_PROBLEMS && !this.report.problems.includes(text)) this.report.problems.push(text);
  }

  private async deliver(batch: Batch): Promise<void> {
    const raw = typeof batch.body === 'string' ? Buffer.from(batch.body) : batch.body;
    const body = this.options.gzip ? await gzip(raw) : raw;
    for (let attempt = 0; ; attempt++) {
      this.report.requests++;
      let answer: Answer | undefined;
      let error: string | undefined;
      try {
        answer = await this.post(body);
      } catch (err) {
        error = (err as Error).message;
      }
      if (answer !== undefined && answer.status >= 200 && answer.status < 300) {
        const partial = this.partialSuccess(answer);
        const rejected = Math.min(batch.count, Math.max(0, partial.rejected));
        this.report.sent += batch.count - rejected;
        this.report.rejected += rejected;
        if (rejected > 0 || partial.message) this.problem(`partial success: ${partial.message ?? `${rejected} ${this.options.kind === 'logs' ? 'log records' : 'spans'} rejected`}`);
        return;
      }
      const retryable = answer === undefined || RETRYABLE.has(answer.status);
      const why = answer !== undefined ? `HTTP ${answer.status}${this.failureMessage(answer)}` : (error ?? 'no answer');
      if (!retryable || attempt >= this.options.retries) {
        this.report.failed += batch.count;
        this.problem(retryable ? `${why} (gave up after ${attempt + 1} attempts)` : why);
        return;
      }
      this.report.retried++;
      const backoff = Math.min(MAX_DELAY_MS, this.options.backoffMs * 2 ** attempt * (0.5 + Math.random() / 2));
      await sleep(Math.min(MAX_DELAY_MS, answer?.retryAfterMs ?? backoff));
    }
  }

  private partialSuccess(answer: Answer): { rejected: number; message?: string } {
    if (answer.body.length === 0) return { rejected: 0 };
    if (answer.contentType.includes('json')) {
      try {
        const doc = JSON.parse(answer.body.toString('utf8')) as { partialSuccess?: { rejectedSpans?: string | number; rejectedLogRecords?: string | number; errorMessage?: string } };
        const p = doc.partialSuccess;
        const rejected = Number((this.options.kind === 'logs' ? p?.rejectedLogRecords : p?.rejectedSpans) ?? 0);
        const out: { rejected: number; message?: string } = { rejected: Number.isFinite(rejected) ? rejected : 0 };
        if (typeof p?.errorMessage === 'string' && p.errorMessage !== '') out.message = p.errorMessage;
        return out;
      } catch {
        return { rejected: 0 };
      }
    }
    return decodePartialSuccess(answer.body);
  }

  private failureMessage(answer: Answer): string {
    let message: string | undefined;
    if (answer.contentType.includes('protobuf')) message = decodeStatusMessage(answer.body);
    else if (answer.contentType.includes('json')) {
      try {
        const doc = JSON.parse(answer.body.toString('utf8')) as { message?: unknown };
        if (typeof doc.message === 'string') message = doc.message;
      } catch {
        message = undefined;
      }
    } else message = answer.body.toString('utf8').slice(0, 200).trim();
    return message ? `: ${message}` : '';
  }

  private async post(body: Uint8Array): Promise<Answer> {
    const { url, protocol } = this.options;
    const headers: Record<string, string | number> = {
      ...this.options.headers,
      'content-type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      'content-length': body.length,
      'user-agent': 'tracectl',
    };
    if (this.options.gzip) headers['content-encoding'] = 'gzip';
    const request = await requestFor(url);
    return new Promise<Answer>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers, timeout: this.options.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on('error', reject);
        res.on('end', () => {
          const answer: Answer = { status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) };
          const after = retryAfterMs(res.headers['retry-after'], Date.now());
          if (after !== undefined) answer.retryAfterMs = after;
          resolve(answer);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/**
 * node:http and node:https add ~4 MB to the resident memory of every run that loads them; only `--to`
 * sends, so they are loaded on the first request.
 */
async function requestFor(url: URL): Promise<typeof import('node:http').request> {
  return url.protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
}

/** `Retry-After` as seconds or an HTTP date, in ms after `nowMs`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
