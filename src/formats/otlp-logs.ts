import type { Entry, Level } from '../entries/entry.js';
import { LEVEL_RANK } from '../entries/entry.js';
import { emptyResult, place, setAside, type FormatResult, type Where } from './format-result.js';
import { plausibleTime } from '../core/time.js';
import { asArray, asNumber, asString, boundedCopy, isObject, newAttributes, type JsonObject } from './json.js';
import { nanosToInstant } from './nanos.js';
import { otlpSpanId, otlpTraceId, readResource } from './otlp-traces.js';
import { anyValueToPlain, attributesToObject } from './otlp-values.js';

const BY_NUMBER: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** OTLP severity: numbers come in bands of four (1-4 TRACE .. 21-24 FATAL); the text is a fallback. */
export function otlpLevel(severityNumber: unknown, severityText: unknown): Level | undefined {
  const n = asNumber(severityNumber);
  if (n !== undefined && n >= 1 && n <= 24) return BY_NUMBER[Math.floor((n - 1) / 4)];
  const text = asString(severityText)?.toLowerCase();
  if (text === undefined) return undefined;
  if (text.startsWith('trace')) return 'trace';
  if (text.startsWith('debug')) return 'debug';
  if (text.startsWith('info') || text === 'notice') return 'info';
  if (text.startsWith('warn')) return 'warn';
  if (text.startsWith('err')) return 'error';
  if (text.startsWith('fatal') || text === 'critical' || text === 'emergency' || text === 'alert') return 'fatal';
  return undefined;
}

/** `{resourceLogs:[{resource, scopeLogs:[{logRecords}]}]}` (also the older `instrumentationLibraryLogs`). */
export function readOtlpLogs(doc: JsonObject, where: Where): FormatResult {
  const result = emptyResult('otlp-logs');
  let index = 0;
  for (const rl of asArray(doc.resourceLogs)) {
    if (!isObject(rl)) {
      result.warnings.push(`${place(where)}: otlp-logs: resource entry is not an object (skipped)`);
      continue;
    }
    const resource = readResource(rl.resource);
    for (const sl of asArray(rl.scopeLogs ?? rl.instrumentationLibraryLogs)) {
      if (!isObject(sl)) continue;
      for (const raw of asArray(sl.logRecords)) {
        if (isObject(raw)) result.entries.push(readLogRecord(raw, resource.service, where, result));
        else result.warnings.push(`${place(where, index)}: otlp-logs: log record is not an object (skipped)`);
        index += 1;
      }
    }
  }
  return result;
}

function readLogRecord(raw: JsonObject, service: string, where: Where, result: FormatResult): Entry {
  // The record as a flat object: where an error's exception.message is read from.
  const record = newAttributes();
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'attributes' || key === 'body') continue;
    record[key] = boundedCopy(value);
  }
  const body = anyValueToPlain(raw.body);
  if (body !== undefined) record.body = body;
  attributesToObject(raw.attributes, 0, record);
  record['service.name'] = service;

  const entry: Entry = { source: where.source, line: where.line, service, error: false };
  const traceId = otlpTraceId(raw.traceId);
  if (traceId !== undefined) {
    entry.traceId = traceId;
    entry.traceIdKind = 'trace';
  }
  const spanId = otlpSpanId(raw.spanId);
  if (spanId !== undefined) entry.spanId = spanId;
  const time = nanosToInstant(raw.timeUnixNano) ?? nanosToInstant(raw.observedTimeUnixNano);
  if (time && plausibleTime(time.us)) {
    entry.time = time.us;
    entry.nanos = time.nanos;
  } else if (time) setAside(result, 'time');
  const level = otlpLevel(raw.severityNumber, raw.severityText);
  if (level) entry.level = level;
  const message = bodyMessage(body);
  if (message !== undefined) entry.message = message;
  if (level !== undefined && LEVEL_RANK[level] >= LEVEL_RANK.error) {
    entry.error = true;
    const exception = asString(record['exception.message']);
    if (exception !== undefined || message !== undefined) entry.errorMessage = exception ?? message;
  }
  return entry;
}

function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (isObject(body)) return asString(body.message) ?? asString(body.msg);
  return undefined;
}
