import { escapeHtml } from './messages.ts';

/**
 * Small line drawings of the screens a person passes through, drawn as inline SVG: the setup
 * page works with no internet and no image files, and the drawings stay sharp on any tablet.
 * Labels are the Chinese menu names the tablet shows, with the English beneath.
 */

const WIDTH = 220;
const HEIGHT = 160;

function tablet(screen: string, label: string): string {
  return `<svg class="drawing" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">
<rect x="4" y="4" width="${WIDTH - 8}" height="${HEIGHT - 8}" rx="14" fill="#263238"/>
<rect x="16" y="14" width="${WIDTH - 32}" height="${HEIGHT - 28}" rx="4" fill="#fff"/>
<g font-family="sans-serif">${screen}</g>
</svg>`;
}

function row(y: number, zh: string, en: string, highlighted: boolean, extra = ''): string {
  return `<rect x="22" y="${y}" width="${WIDTH - 44}" height="22" rx="3" fill="${highlighted ? '#fff3cd' : '#f5f5f5'}" stroke="${highlighted ? '#e6a100' : 'none'}" stroke-width="2"/>
<text x="30" y="${y + 10}" font-size="9" fill="#222">${escapeHtml(zh)}</text><text x="30" y="${y + 19}" font-size="6.5" fill="#666">${escapeHtml(en)}</text>${extra}`;
}

function title(zh: string, en: string): string {
  return `<text x="24" y="28" font-size="10" font-weight="bold" fill="#111">${escapeHtml(zh)}</text><text x="24" y="37" font-size="7" fill="#555">${escapeHtml(en)}</text>`;
}

function toggle(y: number, on: boolean): string {
  return `<rect x="${WIDTH - 60}" y="${y + 5}" width="26" height="13" rx="6.5" fill="${on ? '#34c759' : '#ccc'}"/><circle cx="${WIDTH - (on ? 40.5 : 53.5)}" cy="${y + 11.5}" r="5.5" fill="#fff"/>`;
}

function chevron(y: number): string {
  return `<path d="M${WIDTH - 34} ${y + 7} l4 4 l-4 4" stroke="#999" stroke-width="1.5" fill="none"/>`;
}

function list(header: [string, string], rows: [string, string][], highlight: number, extras: (y: number, index: number) => string = (y) => chevron(y)): string {
  const body = rows.map(([zh, en], index) => row(44 + index * 25, zh, en, index === highlight, extras(44 + index * 25, index))).join('');
  return title(...header) + body;
}

export const drawings = {
  downloadCertificate: tablet(
    `${title('平板设置向导', 'Tablet setup guide')}
<rect x="40" y="56" width="140" height="30" rx="6" fill="#1565c0"/><text x="110" y="70" font-size="10" fill="#fff" text-anchor="middle">下载证书</text><text x="110" y="80" font-size="7" fill="#e3f2fd" text-anchor="middle">Download certificate</text>
<path d="M110 96 v18 m-7 -7 l7 7 l7 -7" stroke="#1565c0" stroke-width="2.5" fill="none"/><text x="110" y="126" font-size="8" fill="#333" text-anchor="middle">volunteer-station-ca.crt</text>`,
    'Download the certificate',
  ),
  androidInstall: tablet(
    list(
      ['加密与凭据', 'Encryption & credentials'],
      [
        ['安装证书', 'Install a certificate'],
        ['CA 证书', 'CA certificate'],
        ['仍然安装', 'Install anyway'],
      ],
      1,
    ),
    'Android: Settings, Encryption and credentials, Install a certificate, CA certificate',
  ),
  androidHome: tablet(
    `${title('Chrome ⋮', 'menu')}${row(44, '添加到主屏幕', 'Add to Home screen', true)}${row(69, '安装应用', 'Install app', false)}
<rect x="150" y="98" width="30" height="22" rx="6" fill="#1565c0"/><text x="165" y="113" font-size="9" fill="#fff" text-anchor="middle">签到</text>`,
    'Chrome menu: Add to Home screen',
  ),
  iosProfile: tablet(
    list(
      ['设置', 'Settings'],
      [
        ['已下载描述文件', 'Profile Downloaded'],
        ['通用 › VPN与设备管理', 'General › VPN & Device Management'],
        ['安装', 'Install'],
      ],
      0,
    ),
    'iPad: Settings, Profile Downloaded, Install',
  ),
  iosTrust: tablet(
    list(
      ['证书信任设置', 'Certificate Trust Settings'],
      [
        ['针对根证书启用完全信任', 'Enable full trust for root certificates'],
        ['志愿驿站 Volunteer Station CA', 'switch on'],
      ],
      1,
      (y, index) => (index === 1 ? toggle(y, true) : ''),
    ),
    'iPad: General, About, Certificate Trust Settings, switch on the Volunteer Station CA',
  ),
  iosHome: tablet(
    `${title('Safari', 'Share')}${row(44, '添加到主屏幕', 'Add to Home Screen', true)}
<rect x="150" y="98" width="30" height="22" rx="6" fill="#1565c0"/><text x="165" y="113" font-size="9" fill="#fff" text-anchor="middle">签到</text>`,
    'Safari share menu: Add to Home Screen',
  ),
};
