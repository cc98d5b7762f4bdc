/**
 * `tree <id>` and friends read one trace: a substring check is far cheaper than JSON.parse, so lines that
 * cannot hold the id are counted but not parsed. Lines that may carry the id in another spelling still
 * pass: span documents (Tempo's base64 ids), Datadog's decimal ids, and partial pieces of a longer line
 * (the id may be in the piece after). 64-bit ids are matched without their 128-bit padding.
 */
import { unpaddedId } from '../entries/parse-ids.js';

export function idLineFilter(query: string): ((text: string) => boolean) | undefined {
  const q = unpaddedId(query.trim().toLowerCase());
  if (q.length < 4) return undefined; // too short to be worth it: every line may match
  const upper = q.toUpperCase();
  return (text) =>
    text.includes(q) ||
    text.includes(upper) ||
    text.includes('resourceSpans') ||
    text.includes('resourceLogs') ||
    text.includes('"batches"') ||
    text.includes('dd.trace_id') ||
    text.includes('"dd":') ||
    isPartialPiece(text);
}

/** CRI 'P' lines and Docker pieces without their newline. */
function isPartialPiece(text: string): boolean {
  const p = text.indexOf(' P ');
  if (p > 0 && p < 48 && (text.startsWith('stdout', p - 6) || text.startsWith('stderr', p - 6))) return true;
  return text.startsWith('{"log":') && !text.includes('\\n","');
}
