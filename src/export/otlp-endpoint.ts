// Where and how `--to` sends, from the flags and the OTEL_EXPORTER_OTLP_* variables as the OpenTelemetry
// specification defines them (protocol exporter configuration). The variables come in as a plain record:
// only the cli layer reads the process.
import type { OtlpProtocol } from './otlp-http.js';

export class EndpointError extends Error {}

/** The specification's default for OTLP/HTTP. */
export const DEFAULT_BASE = 'http://localhost:4318';

/**
 * The traces URL. `to` is a URL, or `env` for the variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used
 * as it is; OTEL_EXPORTER_OTLP_ENDPOINT is a base to which `v1/traces` is appended (after its path);
 * neither set means localhost:4318. A URL given to `--to` with no path (or `/`) is a base too; one with
 * a path is used as it is, since receivers mount OTLP under other paths.
 */
export function tracesUrl(to: string, env: Record<string, string | undefined>): URL {
  return signalUrl(to, env, 'traces');
}

/**
 * The logs URL, by the same rules (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, `v1/logs`). A `--to` URL with a path
 * names the traces endpoint: one ending in `/v1/traces` gives `/v1/logs` beside it; another path is an
 * error, since where its logs go cannot be known.
 */
export function logsUrl(to: string, env: Record<string, string | undefined>): URL {
  const url = signalUrl(to, env, 'logs');
  if (to === 'env' || url.pathname.endsWith('/v1/logs')) return url;
  if (!url.pathname.endsWith('/v1/traces')) throw new EndpointError('--signals logs: give --to a base URL (http://collector:4318) or one ending in /v1/traces, so the logs endpoint is known');
  const out = new URL(url.href);
  out.pathname = url.pathname.replace(/\/v1\/traces$/, '/v1/logs');
  return out;
}

function signalUrl(to: string, env: Record<string, string | undefined>, signal: 'traces' | 'logs'): URL {
  if (to === 'env') {
    const name = signal === 'traces' ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT';
    const own = env[name]?.trim();
    if (own) return parse(own, name);
    const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || DEFAULT_BASE;
    return withSignalPath(parse(base, 'OTEL_EXPORTER_OTLP_ENDPOINT'), true, signal);
  }
  return withSignalPath(parse(to, '--to'), false, signal);
}

function parse(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EndpointError(`${what}: not a URL (give one like http://collector:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EndpointError(`${what}: only http and https URLs are supported (OTLP/HTTP)`);
  return url;
}

function withSignalPath(url: URL, base: boolean, signal: 'traces' | 'logs'): URL {
  if (!base && url.pathname !== '/' && url.pathname !== '') return url;
  const out = new URL(url.href);
  out.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/${signal}`;
  return out;
}

/** The URL as it may be printed: no user name or password. */
export function printableUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * OTEL_EXPORTER_OTLP_HEADERS (and the _TRACES_ one, which wins per key): `key=value` pairs separated by
 * commas, values percent-decoded (the W3C Baggage format the specification names). Malformed pairs are
 * an error that names the variable, never its content: it holds credentials.
 */
export function parseHeaders(text: string | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined || text.trim() === '') return out;
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) throw new EndpointError(`${what}: expected key=value pairs separated by commas`);
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      throw new EndpointError(`${what}: a value is not valid percent-encoding`);
    }
    if (/[\r\n]/.test(value)) throw new EndpointError(`${what}: a value holds a line break`);
    out[key.toLowerCase()] = value;
  }
  return out;
}

/** The protocol: the flag, else OTEL_EXPORTER_OTLP_{TRACES,LOGS}_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else protobuf. */
export function protocolFrom(flag: string | undefined, env: Record<string, string | undefined>, signal: 'traces' | 'logs' = 'traces'): OtlpProtocol {
  const own = signal === 'logs' ? env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL : env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
  const v = flag ?? own ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (v === 'http/protobuf' || v === 'http/json') return v;
  throw new EndpointError(`protocol '${v}' is not supported: use http/protobuf or http/json (gRPC is not sent)`);
}
