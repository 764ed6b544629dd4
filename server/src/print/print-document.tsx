import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * A4 paper for the center's printer. Fonts name what a Windows PC (SimSun, Microsoft YaHei),
 * a Mac and a Debian PC (Noto CJK) have, so Chinese prints without downloading a font: the PC
 * has no internet.
 */
const css = `
@page {
  size: A4;
  margin: 16mm 15mm 18mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font: 8.5pt "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #555; }
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #111; background: #f1f1f1; font: 10.5pt/1.55 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
@media screen {
  .sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 16mm 15mm 18mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.2); }
}
.serif { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; }
h1 { font-size: 20pt; text-align: center; letter-spacing: .2em; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 3mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #333; break-after: avoid; }
.subtitle { text-align: center; color: #444; margin: 0 0 6mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: .6pt solid #555; padding: 1.4mm 1.8mm; vertical-align: top; }
th { background: #eee; font-weight: bold; text-align: center; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.center { text-align: center; }
tr.total td { font-weight: bold; background: #f6f6f6; }
.muted { color: #555; }
.small { font-size: 9pt; }
.keep { break-inside: avoid; }
.toolbar { position: sticky; top: 0; z-index: 1; display: flex; gap: 12px; align-items: center; justify-content: center; padding: 10px; background: #263238; color: #fff; font-size: 14px; }
.toolbar button { font: inherit; padding: 6px 18px; border: 0; border-radius: 4px; background: #ffca28; color: #111; cursor: pointer; }
.warning { max-width: 210mm; margin: 8px auto 0; padding: 8px 12px; background: #fff3cd; border: 1px solid #e0b400; }
@media print {
  body { background: #fff; }
  .no-print { display: none !important; }
}
`;

const landscapeCss = `
@page { size: A4 landscape; margin: 12mm 12mm 14mm; }
@media screen {
  .sheet { width: 297mm; min-height: 210mm; padding: 12mm 12mm 14mm; }
}
`;

/** The one inline script of a print page; the Content-Security-Policy allows it by its hash. */
export const PRINT_BUTTON_SCRIPT = "document.getElementById('print').addEventListener('click',function(){window.print()})";

export function PrintDocument(props: { title: string; children: ComponentChildren; printable?: boolean; landscape?: boolean; extraCss?: string }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style dangerouslySetInnerHTML={{ __html: css + (props.landscape ? landscapeCss : '') + (props.extraCss ?? '') }} />
      </head>
      <body>
        {props.printable !== false && (
          <div class="toolbar no-print">
            <span>{props.title}</span>
            <button type="button" id="print">打印</button>
          </div>
        )}
        {props.children}
        {props.printable !== false && <script dangerouslySetInnerHTML={{ __html: PRINT_BUTTON_SCRIPT }} />}
      </body>
    </html>
  );
}

export function renderDocument(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}

/** 2026-03-10 → 2026年3月10日, as dates are written on a certificate. */
export function chineseDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return `${year}年${month}月${date}日`;
}

/** 2026-03 → 2026年3月. */
export function chineseMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${year}年${m}月`;
}

export function formatHours(hours: number): string {
  return hours.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}
