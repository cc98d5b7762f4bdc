/**
 * A Serilog message template rendered from its event's properties, as Serilog renders the message (D128)
 * (`MessageTemplate.Render`): for the lines that carry only the template — CLEF's `@mt`
 * (CompactJsonFormatter) and JsonFormatter's `MessageTemplate` without `RenderedMessage` — so that
 * `Handled {RequestPath} in {Elapsed} ms` reads `Handled "/orders" in 12.5 ms`, one message per event.
 *
 * As Serilog: `{{` and `}}` are braces; a token is `{` [`@`|`$`] name [`,` alignment] [`:` format] `}`, the
 * name letters, digits and `_`; a token it cannot parse is text, a property the event lacks stays as
 * its token. A string is quoted (`"`s inside escaped) unless its format is `l`; true and false are
 * `True` and `False` (.NET's ToString); null is `null`. JSON has no TimeSpan or DateTime: Serilog's
 * JsonValueFormatter writes them as strings (`"00:00:01.2345678"`, ISO 8601), which its message renders
 * bare, so strings of those shapes are written bare. Unlike Serilog, a number's .NET format string
 * (`{Elapsed:0.0000}`) is not applied, a DateTime keeps its ISO form, and a structure is written as JSON.
 */
const TOKEN = /^\{([@$]?)([A-Za-z0-9_]+)(?:,(-?\d+))?(?::([^{}]*))?\}/;

/**
 * `renderings`: CLEF's `@r`, what Serilog made of each token with a format, in the template's order
 * (CompactJsonFormatter): used for those tokens, so `{Elapsed:0.0000}` reads as Serilog wrote it.
 */
export function renderTemplate(template: string, property: (name: string) => unknown, renderings?: readonly unknown[]): string {
  let out = '';
  let i = 0;
  let formatted = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    const next = open < 0 ? close : close < 0 ? open : Math.min(open, close);
    if (next < 0) break;
    out += template.slice(i, next);
    const c = template[next]!;
    if (template[next + 1] === c) {
      out += c; // "{{" or "}}"
      i = next + 2;
      continue;
    }
    const m = c === '{' ? TOKEN.exec(template.slice(next)) : null;
    if (m === null) {
      out += c;
      i = next + 1;
      continue;
    }
    const value = property(m[2]!);
    const given = m[4] !== undefined && renderings !== undefined ? renderings[formatted++] : undefined;
    out += value === undefined ? m[0] : aligned(typeof given === 'string' ? given : rendered(value, m[4]), m[3]);
    i = next + m[0].length;
  }
  return out + template.slice(i);
}

const TIME_SPAN = /^-?(?:\d+\.)?\d\d:\d\d:\d\d(?:\.\d{1,7})?$/;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,7})?(?:Z|[+-]\d\d:\d\d)?$/;

function rendered(v: unknown, format: string | undefined): string {
  if (typeof v === 'string') return format === 'l' || TIME_SPAN.test(v) || DATE_TIME.test(v) ? v : `"${v.replace(/"/g, '\\"')}"`;
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'null';
  if (typeof v === 'number') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** `,10` pads on the left to 10 characters, `,-10` on the right. */
function aligned(s: string, alignment: string | undefined): string {
  if (alignment === undefined) return s;
  const n = Number(alignment);
  return n < 0 ? s.padEnd(-n) : s.padStart(n);
}
