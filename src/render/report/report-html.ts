/**
 * One self-contained HTML file: the report's data as JSON inside a non-executable script element, the
 * page's script and style inline, and a Content-Security-Policy that allows exactly those two (by hash)
 * and nothing else — no network, no other script, no inline style attribute, no frame, no form.
 *
 * The data is JSON, never markup: `<`, `>`, `&` and U+2028/U+2029 are written as `\u` escapes, so no
 * string in it can close the element it sits in. The page inserts every string as text (page-script.ts).
 */
import { sha256 } from '../../core/sha256.js';
import { pageMain } from './page-script.js';
import { REPORT_CSS } from './report-style.js';
import type { ReportData } from './report-data.js';

/** The page's script as it is written into the file. */
export const PAGE_SCRIPT = `(${pageMain.toString()})();\n`;

export function hashOf(text: string): string {
  return `'sha256-${sha256(text, 'base64')}'`;
}

let csp: string | undefined;

/**
 * The CSP of every report: only the inline script and style of the page itself. Made on the first report,
 * not as the module loads: the hashes would load node:crypto into every run.
 */
export function reportCsp(): string {
  csp ??= [
    "default-src 'none'",
    `script-src ${hashOf(PAGE_SCRIPT)}`,
    `style-src ${hashOf(REPORT_CSS)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "font-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return csp;
}

/** JSON that can sit inside a <script> element whatever its strings hold. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderReportHtml(data: ReportData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tracectl">
<title>${escapeHtml(data.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1 id="title"></h1><p id="note"></p><nav id="nav"></nav></header>
<main id="main"></main>
<script type="application/json" id="report-data">${scriptSafeJson(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
