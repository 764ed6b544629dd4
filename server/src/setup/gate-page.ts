import { bilingual, clientMessages, escapeHtml } from './messages.ts';

export const KIOSK_HTTP_COOKIE = 'vs_kiosk_http';

/**
 * Shown instead of the kiosk when a tablet opens it over plain HTTP under a LAN name: the page
 * asks the HTTPS origin for a tiny JSON file. If the tablet trusts the certificate the request
 * succeeds and the tablet moves to HTTPS (same path, so ?pair=CODE survives); if not, it says
 * why the camera will not work and offers the guide, or HTTP for a handheld scanner.
 */
export function renderGatePage(model: { probeUrl: string; targetUrl: string; setupUrl: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>志愿驿站 Volunteer Station</title>
<link rel="stylesheet" href="/setup/setup.css">
</head>
<body data-page="gate" data-probe-url="${escapeHtml(model.probeUrl)}" data-target-url="${escapeHtml(model.targetUrl)}" data-cookie="${KIOSK_HTTP_COOKIE}">
<main class="gate">
<section class="card" id="gate-waiting"><h1>${bilingual('gateTitle')}</h1></section>
<section class="card" id="gate-untrusted" hidden>
<p class="warning">${bilingual('gateUntrusted')}</p>
<p class="actions"><a class="button" href="${escapeHtml(model.setupUrl)}">${bilingual('gateOpenGuide')}</a>
<button type="button" class="button secondary" id="gate-retry">${bilingual('gateRetry')}</button></p>
<p class="note">${bilingual('gateScanner')}</p>
<p class="actions"><button type="button" class="button secondary" id="gate-continue">${bilingual('gateContinue')}</button></p>
</section>
</main>
<script type="application/json" id="messages">${clientMessages([])}</script>
<script src="/setup/setup.js"></script>
</body>
</html>
`;
}
