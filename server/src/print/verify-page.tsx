import type { publicCertificate } from '../reports/certificate-routes.ts';
import { chineseDate, formatHours, PrintDocument } from './print-document.tsx';

const verifyCss = `
body { background: #fff; font-size: 16px; }
.verify-page { max-width: 34rem; margin: 0 auto; padding: 1.5rem 1rem; }
.verify-page h1 { font-size: 1.5rem; letter-spacing: .1em; }
.result { border-radius: 10px; padding: 1rem 1.2rem; margin: 1rem 0; }
.result.genuine { background: #e8f5e9; border: 2px solid #2e7d32; }
.result.missing { background: #fdecea; border: 2px solid #c62828; }
.result .verdict { font-size: 1.4rem; font-weight: bold; margin: 0 0 .6rem; }
.result dl { display: grid; grid-template-columns: auto 1fr; gap: .35rem 1rem; margin: 0; }
.result dt { color: #555; }
.result dd { margin: 0; font-weight: bold; word-break: break-all; }
.result .nowrap { white-space: nowrap; }
form { display: flex; gap: .5rem; margin-top: 1.2rem; }
form input { flex: 1; font: inherit; padding: .6rem; border: 1px solid #888; border-radius: 6px; text-transform: uppercase; }
form button { font: inherit; padding: .6rem 1.2rem; border: 0; border-radius: 6px; background: #1565c0; color: #fff; }
`;

type PublicCertificate = NonNullable<ReturnType<typeof publicCertificate>>;

/** 证明查验: what a school or employer sees after scanning the code on a certificate. */
export function VerifyPage(props: { centerName: string; number?: string; found?: PublicCertificate; timeZoneDay: (iso: string) => string }) {
  const { found, number } = props;
  return (
    <PrintDocument title="志愿服务记录证明查验" printable={false} extraCss={verifyCss}>
      <main class="verify-page">
        <h1>志愿服务记录证明查验</h1>
        <p class="muted">{props.centerName}</p>
        {found && (
          <div class="result genuine">
            <p class="verdict">✓ 证明真实有效</p>
            <dl>
              <dt>证明编号</dt>
              <dd>{found.number}</dd>
              <dt>志愿者</dt>
              <dd>{found.name}</dd>
              <dt>服务期间</dt>
              <dd>
                <span class="nowrap">{chineseDate(found.from)}</span>至<span class="nowrap">{chineseDate(found.to)}</span>
              </dd>
              <dt>服务时长</dt>
              <dd>{formatHours(found.hours)} 小时</dd>
              <dt>出具单位</dt>
              <dd>{found.centerName}</dd>
              <dt>出具日期</dt>
              <dd>{chineseDate(props.timeZoneDay(found.issuedAt))}</dd>
            </dl>
          </div>
        )}
        {!found && number && (
          <div class="result missing">
            <p class="verdict">✗ 未找到该编号的证明</p>
            <p>
              编号“{number}”不在本中心出具的证明中。请核对编号是否输入正确（含短横线后的字母数字）；如有疑问，请联系{props.centerName}。
            </p>
          </div>
        )}
        <form method="get" action="/verify">
          <input name="number" value={number ?? ''} placeholder="输入证明编号，如 202600001-3FA2C1" aria-label="证明编号" autocomplete="off" />
          <button type="submit">查验</button>
        </form>
        <p class="muted" style="font-size: 14px">为保护个人信息，查验结果只显示姓名的一部分。</p>
      </main>
    </PrintDocument>
  );
}
