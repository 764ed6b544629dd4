import QRCode from 'qrcode';
import { drawings } from './illustrations.ts';
import { bilingual, clientMessages, escapeHtml, type MessageKey } from './messages.ts';

/** What the page shows, worked out from the request and the server's LAN status by the route. */
export interface SetupPageModel {
  /** The page was opened on the PC itself: show a code that opens it on a tablet. */
  openedOnPc: boolean;
  /** http://<LAN address>:<port>/setup/ for a tablet, or null when the PC has no LAN address. */
  tabletSetupUrl: string | null;
  /** Absolute download links a tablet can reach over plain HTTP (it does not trust HTTPS yet). */
  downloads: { certificate: string; profile: string } | null;
  httpsOff: boolean;
  centerCertificate: boolean;
  kioskUrls: string[];
  /** Where the trust check fetches from: the HTTPS origin under the name this page was opened with. */
  probeUrl: string | null;
  httpsSetupUrl: string | null;
  /** The kiosk under the name this page was opened with, for a tablet that turns out to be set up. */
  httpsKioskUrl: string | null;
  secure: boolean;
  fingerprint: string | null;
  /** The center's language (settings.defaultLanguage): the page shows it, with a switch to the other. */
  language?: 'zh-CN' | 'en';
}

const CLIENT_KEYS: MessageKey[] = ['yes', 'no', 'checking', 'notTested', 'cameraNeedsHttps', 'cameraDenied', 'cameraMissing', 'cameraFailed'];

async function qr(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

async function linkWithQr(url: string, label: string): Promise<string> {
  return `<figure class="qr"><a href="${escapeHtml(url)}">${await qr(url)}</a><figcaption>${label}<br><a class="url" href="${escapeHtml(url)}">${escapeHtml(url)}</a></figcaption></figure>`;
}

function step(number: number, key: MessageKey, drawing?: string, note?: MessageKey): string {
  return `<li class="step"><div class="step-text"><span class="step-number">${number}</span><p>${bilingual(key)}</p>${note ? `<p class="note">${bilingual(note)}</p>` : ''}</div>${drawing ?? ''}</li>`;
}

function check(id: string, key: MessageKey): string {
  return `<li class="check" id="${id}" data-state="pending"><span class="mark" aria-hidden="true"></span><span class="check-label">${bilingual(key)}</span><span class="check-value">${bilingual('checking')}</span></li>`;
}

export async function renderSetupPage(model: SetupPageModel): Promise<string> {
  const downloads = model.downloads;
  const androidDownload = downloads ? `<p><a class="button" href="/setup/volunteer-station-ca.crt" download>${bilingual('downloadCert')}</a></p>${await linkWithQr(downloads.certificate, bilingual('downloadCert'))}` : '';
  const iosDownload = downloads ? `<p><a class="button" href="/setup/ca.mobileconfig">${bilingual('downloadProfile')}</a></p>${await linkWithQr(downloads.profile, bilingual('downloadProfile'))}` : '';
  const kioskList = (await Promise.all(model.kioskUrls.map((url) => linkWithQr(url, '')))).join('');

  let notice = '';
  if (model.httpsOff) notice = `<p class="warning">${bilingual('httpsOff')}</p>`;
  else if (model.centerCertificate) notice = `<p class="info">${bilingual('centerCertificate')}</p>`;
  if (!model.tabletSetupUrl) notice += `<p class="warning">${bilingual('noLanAddress')}</p>`;

  const guides = model.httpsOff || model.centerCertificate
    ? ''
    : `<div class="platforms">
<section class="card platform" id="android"><h2>${bilingual('androidTitle')}</h2>
${androidDownload}
<ol class="steps">${step(1, 'androidStep1', drawings.downloadCertificate)}${step(2, 'androidStep2', drawings.androidInstall, 'androidStep2Note')}${step(3, 'androidStep3')}${step(4, 'androidStep4', drawings.androidHome)}</ol>
</section>
<section class="card platform" id="ipad"><h2>${bilingual('iosTitle')}</h2>
${iosDownload}
<ol class="steps">${step(1, 'iosStep1')}${step(2, 'iosStep2', drawings.iosProfile)}${step(3, 'iosStep3', drawings.iosTrust)}${step(4, 'iosStep4', drawings.iosHome)}</ol>
</section>
</div>`;

  return `<!doctype html>
<html lang="${model.language ?? 'zh-CN'}" data-language="${model.language ?? 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>平板设置向导 · Tablet setup · 志愿驿站</title>
<link rel="stylesheet" href="/setup/setup.css">
</head>
<body data-page="setup" data-probe-url="${escapeHtml(model.probeUrl ?? '')}">
<header><p class="language-switch"><button type="button" id="language-switch" class="switch" data-to="en" lang="en">English</button><button type="button" class="switch" data-to="zh-CN" lang="zh-CN">中文</button></p><h1><span class="brand">${bilingual('brand')}</span> ${bilingual('pageTitle')}</h1><p class="intro">${bilingual('intro')}</p></header>
<main>
${notice}
${model.openedOnPc && model.tabletSetupUrl ? `<section class="card open-on-tablet">${await linkWithQr(model.tabletSetupUrl, bilingual('openOnTablet'))}</section>` : ''}
<section class="card checks"><h2>${bilingual('checksTitle')}</h2>
<ul class="check-list">${check('check-trust', 'checkTrust')}${check('check-secure', 'checkSecure')}${check('check-camera', 'checkCamera')}</ul>
<p class="actions"><button type="button" id="test-camera" class="button">${bilingual('testCamera')}</button>
${model.httpsSetupUrl && !model.secure ? `<a class="button secondary" id="open-https" href="${escapeHtml(model.httpsSetupUrl)}">${bilingual('openHttpsSetup')}</a>` : ''}</p>
<p class="camera-message" id="camera-message" hidden></p>
${model.httpsKioskUrl ? `<p class="ready" id="ready" hidden>${bilingual('ready')} <a class="button" href="${escapeHtml(model.httpsKioskUrl)}">${bilingual('openKiosk')}</a></p>` : ''}
<video id="camera-preview" playsinline muted hidden></video>
</section>
<section class="card scanner"><h2>${bilingual('scannerTitle')}</h2><p>${bilingual('scannerBody')}</p></section>
${guides}
${model.kioskUrls.length > 0 ? `<section class="card kiosk-urls"><h2>${bilingual('kioskAddresses')}</h2><p class="note">${bilingual('kioskAddressesNote')}</p><div class="qr-grid">${kioskList}</div></section>` : ''}
<section class="card"><h2>${bilingual('pairTitle')}</h2><p>${bilingual('pairBody')}</p></section>
${model.fingerprint ? `<p class="fingerprint">${bilingual('fingerprint')}<br><code>${escapeHtml(model.fingerprint)}</code></p>` : ''}
</main>
<script type="application/json" id="messages">${clientMessages(CLIENT_KEYS)}</script>
<script src="/setup/setup.js"></script>
</body>
</html>
`;
}
