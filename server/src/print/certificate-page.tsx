import type { Certificate } from '../protocol/model.ts';
import type { ServiceRecord } from '../reports/certificate-routes.ts';
import { chineseDate, formatHours, PrintDocument } from './print-document.tsx';

export interface CertificatePageProps {
  certificate: Certificate;
  centerName: string;
  name: string;
  /** Masked (1101**********1234), or undefined when none is on the register. */
  idNumber: string | undefined;
  /** 证件类型 (居民身份证 unless another was recorded). */
  idType?: string;
  records: ServiceRecord[];
  /** Day of issue in the center's zone. */
  issuedOn: string;
  verifyUrl: string;
  /** True when the check link is the station's own name, reachable only on the center's network. */
  verifyOnCenterNetwork: boolean;
  /** The center's phone for checking by call; '' = none set. */
  centerPhone: string;
  qrSvg: string;
}

const certificateCss = `
.certificate h1 { font-size: 24pt; margin-top: 2mm; }
.certificate .number { text-align: right; margin: 0 0 6mm; }
.certificate .statement { font-size: 12pt; line-height: 2; text-indent: 2em; margin: 0 0 5mm; }
.certificate .statement b { padding: 0 .2em; }
.certificate table { font-size: 10pt; }
.certificate .issuer { display: flex; justify-content: space-between; align-items: flex-end; margin-top: 10mm; gap: 8mm; }
.certificate .verify { display: flex; gap: 4mm; align-items: center; max-width: 112mm; }
.certificate .verify .url { font-size: 8.5pt; font-weight: bold; overflow-wrap: anywhere; }
.certificate .verify .phone { font-weight: bold; }
.certificate .verify .qr svg { width: 30mm; height: 30mm; display: block; }
.certificate .seal { font-size: 12pt; line-height: 2.2; white-space: nowrap; }
.certificate .seal .stamp { padding-left: 5em; color: #666; }
.certificate .basis { margin-top: 8mm; border-top: .6pt solid #999; padding-top: 2mm; }
`;

/** 志愿服务记录证明: the fields 志愿服务记录与证明出具办法 asks for, with a number anyone can check. */
export function CertificatePage(props: CertificatePageProps) {
  const { certificate, records } = props;
  const listedHours = Math.round(records.reduce((sum, r) => sum + r.hours, 0) * 100) / 100;
  return (
    <PrintDocument title={`志愿服务记录证明 ${certificate.number}`} extraCss={certificateCss}>
      {listedHours !== certificate.hours && (
        <p class="warning no-print">
          出具后服务记录有更正：下列记录合计 {formatHours(listedHours)} 小时，与证明所载 {formatHours(certificate.hours)} 小时不一致。请为该志愿者重新出具证明。
        </p>
      )}
      <main class="sheet certificate serif">
        <h1>志愿服务记录证明</h1>
        <p class="number">证明编号：{certificate.number}</p>
        <p class="statement">
          兹证明<b>{props.name}</b>（{props.idType || '身份证'}号：{props.idNumber ?? '未登记'}{certificate.nationalVolunteerNo ? `；全国志愿者编号：${certificate.nationalVolunteerNo}` : ''}）于<b>{chineseDate(certificate.from)}</b>至<b>{chineseDate(certificate.to)}</b>
          期间在{props.centerName}参加志愿服务，累计志愿服务时长<b>{formatHours(certificate.hours)}</b>小时。服务记录如下：
        </p>
        <table>
          <thead>
            <tr>
              <th>序号</th>
              <th>服务内容</th>
              <th>服务时间</th>
              <th>服务地点</th>
              <th class="num">时长（小时）</th>
              <th>组织单位</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record, index) => (
              <tr key={index}>
                <td class="center">{index + 1}</td>
                <td>{record.content}</td>
                <td class="small" style="white-space: nowrap">{record.time}</td>
                <td>{record.place}</td>
                <td class="num">{formatHours(record.hours)}</td>
                <td>{record.organizer}</td>
              </tr>
            ))}
            {records.length === 0 && (
              <tr>
                <td colSpan={6} class="center muted">期间内无服务记录</td>
              </tr>
            )}
            <tr class="total">
              <td colSpan={4} class="center">合计</td>
              <td class="num">{formatHours(certificate.hours)}</td>
              <td />
            </tr>
          </tbody>
        </table>
        <div class="issuer keep">
          <div class="verify">
            <div class="qr" dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
            <div class="small">
              <div>真伪查验：{props.verifyOnCenterNetwork ? `在${props.centerName}的无线网络内用手机扫描左侧二维码，或在浏览器打开` : '用手机扫描左侧二维码，或在浏览器打开'}</div>
              <div class="url">{props.verifyUrl}</div>
              <div>查验页面显示证明编号、姓名（部分隐去）、服务时长与期间。</div>
              {props.centerPhone && <div class="phone">也可致电 {props.centerPhone} 核验。</div>}
            </div>
          </div>
          <div class="seal">
            <div>出具单位：{props.centerName}</div>
            {certificate.issuer?.head && <div>负责人：{certificate.issuer.head}</div>}
            {certificate.issuer?.handler && <div>经办人：{certificate.issuer.handler}</div>}
            {certificate.issuer?.contact && <div>联系方式：{certificate.issuer.contact}</div>}
            <div class="stamp">（盖章）</div>
            <div>出具日期：{chineseDate(props.issuedOn)}</div>
          </div>
        </div>
        <p class="basis small muted">本证明依据《志愿服务记录与证明出具办法（试行）》出具，服务时长按本中心签到签退记录及计时规则认定。</p>
      </main>
    </PrintDocument>
  );
}
