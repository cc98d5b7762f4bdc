/** The report page's style sheet, inline in the page (its hash is in the page's CSP, report-html.ts). */
export const REPORT_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fafafa; }
header { padding: 10px 16px 0; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 16px; margin: 0 0 4px; }
#note { margin: 0 0 8px; color: #555; }
nav { display: flex; gap: 4px; }
.tab { border: 1px solid #ccc; border-bottom: none; background: #f0f0f0; padding: 5px 12px; cursor: pointer; border-radius: 4px 4px 0 0; }
.tab.active { background: #fff; font-weight: 600; }
main { padding: 8px 16px; }
.toolbar { display: flex; gap: 10px; align-items: center; margin: 4px 0 8px; }
.filter { width: 320px; padding: 4px 6px; }
.count { color: #666; }
button { font: inherit; }
.vlist { position: relative; overflow-y: scroll; height: calc(100vh - 190px); min-height: 240px; border: 1px solid #ddd; background: #fff; }
.spacer { position: relative; width: 100%; }
.row { position: absolute; left: 0; right: 0; height: 24px; display: flex; align-items: center; white-space: nowrap; border-bottom: 1px solid #f0f0f0; cursor: pointer; }
.row.head { position: static; background: #f4f4f4; font-weight: 600; cursor: default; border: 1px solid #ddd; border-bottom: none; }
.row:hover:not(.head) { background: #f3f7ff; }
.cell { padding: 0 6px; overflow: hidden; text-overflow: ellipsis; }
.sortable { cursor: pointer; user-select: none; }
.c-id { width: 150px; font-family: ui-monospace, monospace; }
.c-start { width: 190px; }
.c-num { width: 80px; text-align: right; }
.c-svc { width: 220px; }
.c-root { flex: 1; }
.has-error .c-errors, .has-error .c-num:nth-child(5) { color: #c0392b; font-weight: 600; }
.trace-title { font-family: ui-monospace, monospace; }
.warning { color: #8a5a00; margin: 2px 0; }
.legend { color: #666; margin: 2px 0 4px; }
.axis { display: flex; height: 18px; color: #666; padding-right: 15px; }
.axis-label { width: 40%; padding-left: 6px; }
.axis-scale { position: relative; flex: 1; margin-right: 70px; }
.tick { position: absolute; transform: translateX(-50%); font-size: 11px; }
.tick:first-child { transform: none; }
.tick:last-child { transform: translateX(-100%); }
.split { display: flex; gap: 10px; }
.waterfall { flex: 1; min-width: 0; }
.waterfall .vlist { height: calc(100vh - 210px); }
.span-row .label { width: 40%; overflow: hidden; text-overflow: ellipsis; padding-right: 6px; }
.span-row .lane { position: relative; flex: 1; height: 14px; }
.span-row .dur { width: 70px; text-align: right; padding-right: 6px; color: #444; }
.span-row.selected { background: #e6efff; }
.span-row.critical .label { font-weight: 600; }
.toggle { display: inline-block; width: 14px; color: #666; }
.svc { font-weight: 600; }
.mark { color: #8a5a00; font-size: 11px; }
.mark.err, .err { color: #c0392b; }
.bar { position: absolute; top: 2px; height: 10px; border-radius: 2px; opacity: 0.75; }
.bar.err { background: #c0392b; }
.crit { position: absolute; top: 5px; height: 4px; background: #111; opacity: 0.8; }
.dot { position: absolute; top: 0; width: 2px; height: 14px; background: #555; opacity: 0.5; }
.dot.err { background: #c0392b; opacity: 0.9; }
.details { width: 38%; max-height: calc(100vh - 190px); overflow: auto; background: #fff; border: 1px solid #ddd; padding: 8px 10px; }
.details h3 { margin: 0 0 6px; font-size: 14px; word-break: break-all; }
.details h4 { margin: 10px 0 4px; }
.details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
.details dt { color: #666; }
.details dd { margin: 0; word-break: break-all; }
.attrs th { text-align: left; color: #555; padding-right: 8px; vertical-align: top; }
.attrs td { word-break: break-all; }
.logs { padding-left: 18px; margin: 0; }
.log { margin: 2px 0; }
.log .at { color: #666; margin-right: 6px; }
.log .level { font-weight: 600; margin-right: 6px; }
.log .fields { color: #555; margin-left: 6px; font-family: ui-monospace, monospace; font-size: 11px; }
.log .source { color: #999; margin-left: 6px; font-size: 11px; }
.stack { margin: 2px 0 4px; font-size: 11px; background: #f6f6f6; padding: 4px; white-space: pre-wrap; }
.error-path .here { font-weight: 600; color: #c0392b; }
.grid { border-collapse: collapse; background: #fff; margin-bottom: 12px; }
.grid th, .grid td { border: 1px solid #e0e0e0; padding: 3px 8px; text-align: left; }
.grid .num { text-align: right; }
.grid tr.clickable { cursor: pointer; }
.grid tr.clickable:hover { background: #f3f7ff; }
.hint { color: #666; }
.map { background: #fff; border: 1px solid #ddd; margin-bottom: 12px; }
.node-name { font-weight: 600; font-size: 13px; }
.node-sub, .edge-label { font-size: 11px; fill: #555; }
`;
