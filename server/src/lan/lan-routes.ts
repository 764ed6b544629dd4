import { Router } from 'express';
import QRCode from 'qrcode';
import { requirePermission } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { LanStatus } from './lan-status.ts';
import type { LanInfo } from '../protocol/views.ts';

/**
 * GET /api/lan: how tablets reach this PC, for the admin's "devices" screen: every address with
 * its kiosk, admin and setup URLs and a QR code (SVG) of each, the HTTPS state and the CA
 * fingerprint. Staff only, like pairing: it names the PC's addresses.
 */
export function lanRoutes(ctx: AppContext, lan: LanStatus): Router {
  const router = Router();
  const qr = (url: string) => QRCode.toString(url, { type: 'svg', margin: 1 });

  router.get('/lan', requirePermission('devices:manage'), async (_req, res) => {
    const hosts = [...lan.addresses(), `${lan.mdnsName}.local`, ...ctx.config.extraHostnames];
    const addresses = await Promise.all(
      hosts.map(async (host) => {
        const http = lan.httpOrigin(host);
        const https = lan.httpsOrigin(host);
        const kioskUrl = `${https ?? http}/kiosk/`;
        const setupUrl = `${http}/setup/`;
        const address: LanInfo['addresses'][number] = {
          host,
          /** Only iPads and PCs resolve .local names reliably; many Android tablets do not. */
          kind: host.endsWith('.local') ? 'mdns' : /^\d+\.\d+\.\d+\.\d+$/.test(host) ? 'address' : 'name',
          kioskUrl,
          adminUrl: `${http}/admin/`,
          setupUrl,
          kioskQrSvg: await qr(kioskUrl),
          setupQrSvg: await qr(setupUrl),
        };
        return address;
      }),
    );
    res.json({
      httpPort: lan.httpPort,
      httpsPort: lan.https?.port ?? null,
      localCa: Boolean(lan.https?.caCertPem),
      caFingerprint: lan.caFingerprint,
      mdnsName: `${lan.mdnsName}.local`,
      mdnsAnnounced: lan.mdnsAnnounced,
      addresses,
    } satisfies LanInfo);
  });

  return router;
}
