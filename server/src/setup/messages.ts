/**
 * Every sentence of the tablet setup guide and the kiosk's HTTPS gate, Chinese first with its
 * English, in one place so wording is reviewed together and a translation is never missing.
 * `{name}` placeholders are filled by `fill`, and are always HTML-escaped.
 */
export interface Message {
  zh: string;
  en: string;
}

export const messages = {
  pageTitle: { zh: '平板设置向导', en: 'Tablet setup guide' },
  brand: { zh: '志愿驿站', en: 'Volunteer Station' },
  intro: {
    zh: '平板要用摄像头扫志愿者卡，必须通过 HTTPS 打开签到页面。每台平板只需设置一次：信任本机证书，然后用 HTTPS 地址打开签到页。',
    en: 'A tablet may use its camera to scan cards only on an HTTPS page. Set up each tablet once: trust this PC’s certificate, then open the kiosk at its HTTPS address.',
  },
  openOnTablet: { zh: '用平板扫这个二维码，在平板上打开本页', en: 'Scan this code with the tablet to open this page on it' },
  checksTitle: { zh: '这台设备的检查结果', en: 'Checks on this device' },
  checkTrust: { zh: '已信任本机证书', en: 'Trusts this PC’s certificate' },
  checkSecure: { zh: '本页是安全连接（HTTPS）', en: 'This page is a secure connection (HTTPS)' },
  checkCamera: { zh: '摄像头可用', en: 'Camera works' },
  checking: { zh: '检查中…', en: 'Checking…' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  notTested: { zh: '未测试', en: 'not tested' },
  testCamera: { zh: '测试摄像头', en: 'Test the camera' },
  cameraNeedsHttps: { zh: '请先用 HTTPS 地址打开本页，再测试摄像头', en: 'Open this page at its HTTPS address first, then test the camera' },
  cameraDenied: { zh: '摄像头权限被拒绝：请在浏览器设置里允许本网站使用摄像头', en: 'Camera permission was refused: allow this site to use the camera in the browser’s settings' },
  cameraMissing: { zh: '没有找到摄像头', en: 'No camera was found' },
  cameraFailed: { zh: '无法打开摄像头', en: 'The camera could not be opened' },
  openHttpsSetup: { zh: '装好证书后：用 HTTPS 打开本页', en: 'Certificate installed? Open this page over HTTPS' },
  ready: { zh: '这台平板已设置好，可以扫码了：', en: 'This tablet is set up and can scan:' },
  openKiosk: { zh: '打开签到页', en: 'Open the kiosk' },
  scannerTitle: { zh: '用扫码枪？不需要这些设置', en: 'Using a handheld scanner? None of this is needed' },
  scannerBody: {
    zh: 'USB 或蓝牙扫码枪就像键盘一样输入卡号，在普通 HTTP 页面上也能用。只有用平板自带摄像头扫码时，才需要下面的步骤。',
    en: 'A USB or Bluetooth scanner types the card like a keyboard and works on a plain HTTP page too. The steps below are only for scanning with the tablet’s own camera.',
  },
  androidTitle: { zh: '安卓平板（Chrome 浏览器）', en: 'Android tablet (Chrome)' },
  iosTitle: { zh: 'iPad（Safari 浏览器）', en: 'iPad (Safari)' },
  androidStep1: { zh: '在平板上用 Chrome 打开本页，点“下载证书”。文件会保存到“下载”文件夹。', en: 'Open this page on the tablet in Chrome and tap “Download certificate”. The file is saved in Downloads.' },
  androidStep2: {
    zh: '打开“设置” → “安全”（或“安全与隐私”）→ “更多安全设置” → “加密与凭据” → “安装证书” → “CA 证书”，点“仍然安装”，选择刚下载的 volunteer-station-ca.crt。',
    en: 'Open Settings → Security (or Security & privacy) → More security settings → Encryption & credentials → Install a certificate → CA certificate, tap “Install anyway” and choose volunteer-station-ca.crt from Downloads.',
  },
  androidStep2Note: { zh: '各品牌菜单名称略有不同，可在设置里搜索“证书”。', en: 'Menu names differ between makers; search Settings for “certificate”.' },
  androidStep3: { zh: '回到 Chrome，打开下面的 HTTPS 签到地址。地址栏不应出现“不安全”。', en: 'Back in Chrome, open the HTTPS kiosk address below. The address bar should not say “Not secure”.' },
  androidStep4: { zh: '点右上角 ⋮ → “添加到主屏幕”（或“安装应用”），以后从主屏幕图标打开。', en: 'Tap ⋮ (top right) → “Add to Home screen” (or “Install app”); open the kiosk from that icon from now on.' },
  iosStep1: { zh: '在 iPad 上用 Safari 打开本页（必须用 Safari），点“下载描述文件”，再点“允许”。', en: 'Open this page on the iPad in Safari (it must be Safari), tap “Download profile”, then “Allow”.' },
  iosStep2: { zh: '打开“设置” → “已下载描述文件”（或“通用” → “VPN 与设备管理”），点它 → “安装”，输入密码，再点“安装”。', en: 'Open Settings → “Profile Downloaded” (or General → VPN & Device Management), tap it → Install, enter the passcode, Install again.' },
  iosStep3: { zh: '打开“设置” → “通用” → “关于本机” → 最下面的“证书信任设置”，打开“志愿驿站 Volunteer Station CA”的开关，点“继续”。', en: 'Open Settings → General → About → Certificate Trust Settings (at the bottom), switch on “志愿驿站 Volunteer Station CA” and tap Continue.' },
  iosStep4: { zh: '回到 Safari 打开下面的 HTTPS 签到地址，点分享按钮 → “添加到主屏幕”。', en: 'Back in Safari, open the HTTPS kiosk address below, tap Share → “Add to Home Screen”.' },
  pairTitle: { zh: '最后：配对平板', en: 'Last: pair the tablet' },
  pairBody: {
    zh: '工作人员在管理后台“设备”里新建设备，得到配对码；在平板的签到页输入配对码（或打开带 ?pair=配对码 的链接）。',
    en: 'A staff member creates a device under Devices in the admin and gets a pairing code; enter it on the tablet’s kiosk page (or open the link ending in ?pair=CODE).',
  },
  downloadCert: { zh: '下载证书（安卓）', en: 'Download certificate (Android)' },
  downloadProfile: { zh: '下载描述文件（iPad）', en: 'Download profile (iPad)' },
  kioskAddresses: { zh: 'HTTPS 签到地址', en: 'HTTPS kiosk addresses' },
  kioskAddressesNote: {
    zh: '用数字 IP 地址最可靠。iPad 也能用 .local 名称；很多安卓平板的 Chrome 不支持 .local 名称。',
    en: 'The numeric address always works. iPads also resolve the .local name; Chrome on many Android tablets does not.',
  },
  fingerprint: { zh: '证书指纹（SHA-256），可与平板上显示的核对：', en: 'Certificate fingerprint (SHA-256), to compare with what the tablet shows:' },
  httpsOff: { zh: '本服务器没有开启 HTTPS（HTTPS_PORT=0），平板摄像头无法扫码。请去掉这个设置后重新启动。', en: 'HTTPS is off on this server (HTTPS_PORT=0), so tablet cameras cannot scan. Remove that setting and restart.' },
  centerCertificate: { zh: '本服务器使用单位自己的证书，不需要在平板上安装本机证书。', en: 'This server uses the center’s own certificate; tablets need no certificate from this PC.' },
  noLanAddress: { zh: '这台电脑还没有连上局域网（Wi-Fi 或网线）。', en: 'This PC is not connected to a network (Wi-Fi or cable) yet.' },
  gateTitle: { zh: '正在切换到安全连接…', en: 'Switching to a secure connection…' },
  gateUntrusted: {
    zh: '这台平板还没有信任本机证书，所以摄像头不能扫码。请按设置向导操作一次。',
    en: 'This tablet does not trust this PC’s certificate yet, so the camera cannot scan. Follow the setup guide once.',
  },
  gateOpenGuide: { zh: '打开设置向导', en: 'Open the setup guide' },
  gateRetry: { zh: '已设置好，重试', en: 'Done, try again' },
  gateScanner: { zh: '只用 USB 或蓝牙扫码枪的平板不需要证书，可以继续使用 HTTP。', en: 'A tablet with only a USB or Bluetooth scanner needs no certificate and can stay on HTTP.' },
  gateContinue: { zh: '只用扫码枪，继续使用 HTTP', en: 'Handheld scanner only: continue over HTTP' },
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof messages;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Both languages of a message as HTML: Chinese first, English after it in a quieter style. */
export function bilingual(key: MessageKey, values: Record<string, string> = {}): string {
  const fill = (text: string) => escapeHtml(text).replace(/\{(\w+)\}/g, (_m, name: string) => escapeHtml(values[name] ?? ''));
  return `<span lang="zh-CN">${fill(messages[key].zh)}</span> <span lang="en" class="en">${fill(messages[key].en)}</span>`;
}

/** The messages the page's script shows after a check, as JSON for a non-executable script tag. */
export function clientMessages(keys: MessageKey[]): string {
  const picked = Object.fromEntries(keys.map((key) => [key, messages[key]]));
  return JSON.stringify(picked).replace(/</g, '\\u003c');
}
