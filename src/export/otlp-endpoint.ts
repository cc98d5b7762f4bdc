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
  if (to === 'env') {
    const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
    if (signal) return parse(signal, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || DEFAULT_BASE;
    return withTracesPath(parse(base, 'OTEL_EXPORTER_OTLP_ENDPOINT'), true);
  }
  return withTracesPath(parse(to, '--to'), false);
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

function withTracesPath(url: URL, base: boolean): URL {
  if (!base && url.pathname !== '/' && url.pathname !== '') return url;
  const out = new URL(url.href);
  out.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
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

/** The protocol: the flag, else OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else protobuf. */
export function protocolFrom(flag: string | undefined, env: Record<string, string | undefined>): OtlpProtocol {
  const v = flag ?? env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (v === 'http/protobuf' || v === 'http/json') return v;
  throw new EndpointError(`protocol '${v}' is not supported: use http/protobuf or http/json (gRPC is not sent)`);
}
