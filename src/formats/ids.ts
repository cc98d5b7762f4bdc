/**
 * Id normalisation shared by every reader. The model wants lowercase hex: trace ids of 32 characters and
 * span ids of 16, so that spans from different formats (and logs) compare as plain strings.
 */

const HEX = /^[0-9a-f]+$/i;

export function isHex(value: string): boolean {
  return HEX.test(value);
}

/**
 * 64-bit trace ids (Zipkin B3, Jaeger) are left-padded to 128 bits, the same way B3 and Jaeger ids are
 * carried into W3C `traceparent`, so one trace reported in two formats gets one id. Non-hex ids (UUIDs,
 * placeholders) are kept as written, lowercased.
 */
export function normalizeTraceId(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (id.length < 32 && isHex(id)) return id.padStart(32, '0');
  return id;
}

export function normalizeSpanId(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (id.length < 16 && isHex(id)) return id.padStart(16, '0');
  return id;
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * OTLP ids: hex in OTLP/JSON proper, base64 in protobuf JSON (Tempo, some collectors). A string of 16 or
 * 32 hex digits is read as hex even though it is also valid base64, since a base64 8- or 16-byte id is
 * 12 or 24 characters long; anything else that decodes as base64 is converted to hex.
 */
export function decodeOtlpId(raw: string): string | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  let hex: string | undefined;
  if ((s.length === 16 || s.length === 32) && isHex(s)) hex = s.toLowerCase();
  else if (BASE64.test(s)) {
    const bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 8 || bytes.length === 16) hex = bytes.toString('hex');
  }
  if (hex === undefined && isHex(s)) hex = s.toLowerCase();
  // An all-zero id is OTLP's "absent" (a root's parent is sometimes written that way).
  return hex === undefined || /^0+$/.test(hex) ? undefined : hex;
}
