import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { certificateNames } from './certificate-names.ts';
import { ensureLocalTls } from './local-ca.ts';
import type { LanStatus } from './lan-status.ts';
import { announceOnLan, type MdnsAnnouncement } from './mdns.ts';

/** Addresses change when the PC gets a new one from the router; a tablet should not wait long for a matching certificate. */
const RECHECK_MS = 5 * 60_000;

export interface LanServices {
  httpsServer: https.Server | null;
  stop(): Promise<void>;
}

interface TlsPair {
  key: string;
  cert: string;
  caCertPem: string | null;
}

/**
 * Starts what makes the server reachable from tablets: HTTPS next to HTTP (same Express app,
 * same Socket.IO engine, so both kinds of kiosk share broadcasts), certificate renewal when the
 * PC's addresses change, and the mDNS announcement. Tests pass `httpsListenPort: 0` for any free
 * port; in the environment HTTPS_PORT=0 means "no HTTPS".
 */
export async function startLanServices(
  station: { attach(server: http.Server): void; httpServer: http.Server; lan: LanStatus },
  config: Config,
  options: { logger: Logger; clock: Clock; httpsListenPort?: number },
): Promise<LanServices> {
  const { lan } = station;
  const { logger } = options;
  lan.httpPort = (station.httpServer.address() as AddressInfo | null)?.port ?? config.port;
  const listenPort = options.httpsListenPort ?? (config.httpsPort === 0 ? null : config.httpsPort);

  const names = () => certificateNames({ hostname: lan.hostname(), mdnsName: lan.mdnsName, extraHostnames: config.extraHostnames, lanAddresses: lan.addresses() });
  const loadTls = async (): Promise<{ pair: TlsPair; changes: string[] }> => {
    if (config.tlsCertFile && config.tlsKeyFile) {
      const [cert, key] = await Promise.all([fs.readFile(config.tlsCertFile, 'utf8'), fs.readFile(config.tlsKeyFile, 'utf8')]);
      return { pair: { cert, key, caCertPem: null }, changes: [] };
    }
    const local = await ensureLocalTls(config.dataDir, names(), { hostname: lan.hostname(), now: options.clock.now() });
    return { pair: { cert: local.serverCertPem, key: local.serverKeyPem, caCertPem: local.caCertPem }, changes: local.changes };
  };

  let httpsServer: https.Server | null = null;
  let timer: NodeJS.Timeout | null = null;
  if (listenPort !== null) {
    const first = await loadTls();
    for (const change of first.changes) logger.info(`HTTPS: ${change}`);
    if (config.tlsCertFile) warnAboutCenterCertificate(first.pair.cert, names(), logger);
    let current = first.pair;
    httpsServer = https.createServer({ key: current.key, cert: current.cert });
    station.attach(httpsServer);
    const server = httpsServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    lan.https = { port: (server.address() as AddressInfo).port, caCertPem: current.caCertPem };

    timer = setInterval(() => {
      loadTls()
        .then(({ pair, changes }) => {
          if (pair.cert === current.cert && pair.key === current.key) return;
          // New connections get the new certificate; open ones keep theirs until they reconnect.
          server.setSecureContext({ key: pair.key, cert: pair.cert });
          current = pair;
          lan.https = { port: lan.https!.port, caCertPem: pair.caCertPem };
          for (const change of changes) logger.info(`HTTPS: ${change}`);
        })
        .catch((error: unknown) => logger.error('HTTPS: could not renew the certificate; the current one stays in use', error));
    }, RECHECK_MS);
    timer.unref();
  }

  let mdns: MdnsAnnouncement | null = null;
  if (config.mdns) {
    mdns = announceOnLan({ name: lan.mdnsName, port: lan.https?.port ?? lan.httpPort, secure: lan.https !== null, addresses: lan.addresses, logger });
    lan.mdnsAnnounced = true;
  }

  return {
    httpsServer,
    async stop() {
      if (timer) clearInterval(timer);
      await mdns?.stop();
      if (httpsServer) {
        const server = httpsServer;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
    },
  };
}

/** A center's own certificate is used as it is; the log says which of the PC's names it leaves out. */
function warnAboutCenterCertificate(certPem: string, wanted: { dnsNames: string[]; ipAddresses: string[] }, logger: Logger): void {
  const cert = new X509Certificate(certPem);
  const missing = [...wanted.dnsNames.filter((n) => n !== 'localhost' && !cert.checkHost(n)), ...wanted.ipAddresses.filter((ip) => ip !== '127.0.0.1' && !cert.checkIP(ip))];
  if (missing.length > 0) logger.warn(`HTTPS: the certificate in TLS_CERT_FILE does not cover ${missing.join(', ')}; tablets must use a name it covers.`);
  if (Date.parse(cert.validTo) < Date.now() + 30 * 86400_000) logger.warn(`HTTPS: the certificate in TLS_CERT_FILE expires on ${cert.validTo}.`);
}
