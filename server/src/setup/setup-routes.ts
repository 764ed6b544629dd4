import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, Router } from 'express';
import { hostOfHeader, isLoopbackHost, type LanStatus } from '../lan/lan-status.ts';
import { caMobileConfig } from './ca-profile.ts';
import { renderSetupPage, type SetupPageModel } from './setup-page.ts';

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

/** Pages and scripts of our own only: nothing here loads from elsewhere, and the probe goes to this PC's HTTPS port. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' https:; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Every name a tablet can use to open the kiosk over HTTPS: the .local name, each LAN address, and the center's own names. */
export function httpsKioskUrls(lan: LanStatus, extraHostnames: string[]): string[] {
  const hosts = [`${lan.mdnsName}.local`, ...lan.addresses(), ...extraHostnames];
  return hosts.map((host) => `${lan.httpsOrigin(host)}/kiosk/`);
}

function pageModel(req: Request, lan: LanStatus, extraHostnames: string[]): SetupPageModel {
  const host = hostOfHeader(req.headers.host);
  const openedOnPc = isLoopbackHost(host);
  // A tablet cannot reach "localhost": codes and links for it use a LAN address instead.
  const tabletHost = openedOnPc ? (lan.addresses()[0] ?? null) : host;
  const tabletHttp = tabletHost ? lan.httpOrigin(tabletHost) : null;
  const caCertPem = lan.https?.caCertPem ?? null;
  return {
    openedOnPc,
    tabletSetupUrl: tabletHttp ? `${tabletHttp}/setup/` : null,
    downloads: tabletHttp && caCertPem ? { certificate: `${tabletHttp}/setup/volunteer-station-ca.crt`, profile: `${tabletHttp}/setup/ca.mobileconfig` } : null,
    httpsOff: lan.https === null && !lan.starting,
    centerCertificate: lan.https !== null && caCertPem === null,
    kioskUrls: lan.https ? httpsKioskUrls(lan, extraHostnames) : [],
    probeUrl: lan.https ? `${lan.httpsOrigin(host)}/setup/probe.json` : null,
    httpsSetupUrl: lan.https ? `${lan.httpsOrigin(host)}/setup/` : null,
    httpsKioskUrl: lan.https && !openedOnPc ? `${lan.httpsOrigin(host)}/kiosk/` : null,
    secure: req.secure,
    fingerprint: lan.caFingerprint,
  };
}

/**
 * /setup/: the tablet guide, the CA certificate (PEM for Android and as an iOS profile) and the
 * probe the trust checks use. Only these routes exist: DATA_DIR/tls is never served, so the CA
 * key cannot be fetched under any path.
 */
export function setupRoutes(lan: LanStatus, extraHostnames: string[], centerLanguage: () => 'zh-CN' | 'en' = () => 'zh-CN'): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/setup/');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(await renderSetupPage({ ...pageModel(req, lan, extraHostnames), language: centerLanguage() }));
  });

  router.get(['/setup.js', '/setup.css'], express.static(publicDir, { index: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));

  // Any origin may ask: the kiosk gate and the guide call it from the plain-HTTP origin to learn whether the tablet trusts HTTPS.
  router.get('/probe.json', (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ station: 'volunteer-station', secure: req.secure });
  });

  const caCertificate = (res: express.Response): string | null => {
    const pem = lan.https?.caCertPem ?? null;
    if (!pem && lan.starting && !lan.https) {
      res.status(503).setHeader('Retry-After', '2').type('text/plain; charset=utf-8').send('HTTPS is starting (making or loading its certificate); try again in a moment.');
    } else if (!pem) {
      res.status(404).type('text/plain; charset=utf-8').send(lan.https ? 'This server uses the center’s own certificate; there is no local CA to install.' : 'HTTPS is off on this server (HTTPS_PORT=0).');
    }
    return pem;
  };

  router.get('/ca.crt', (_req, res) => {
    const pem = caCertificate(res);
    if (pem) res.type('application/x-x509-ca-cert').setHeader('Content-Disposition', 'inline; filename="volunteer-station-ca.crt"').send(pem);
  });

  // Android 11 and later install CA certificates only from Settings, so the file must land in
  // Downloads rather than be handed to the certificate installer, which refuses it there.
  router.get('/volunteer-station-ca.crt', (_req, res) => {
    const pem = caCertificate(res);
    if (pem) res.type('application/octet-stream').setHeader('Content-Disposition', 'attachment; filename="volunteer-station-ca.crt"').send(pem);
  });

  router.get('/ca.mobileconfig', (_req, res) => {
    const pem = caCertificate(res);
    if (pem) res.type('application/x-apple-aspen-config').setHeader('Content-Disposition', 'attachment; filename="volunteer-station-ca.mobileconfig"').send(caMobileConfig(pem));
  });

  router.use((_req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send('Not found');
  });

  return router;
}
