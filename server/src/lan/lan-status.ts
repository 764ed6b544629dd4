import { X509Certificate } from 'node:crypto';
import os from 'node:os';
import type { Config } from '../config.ts';
import { lanAddresses } from '../lan-addresses.ts';
import { DEFAULT_MDNS_NAME } from './certificate-names.ts';

export interface HttpsStatus {
  port: number;
  /** The local CA's certificate for tablets to trust; null when the center brought its own certificate. */
  caCertPem: string | null;
}

/**
 * What the setup page, the kiosk's HTTP gate and the admin need to know about how the server is
 * reached. Filled in by the entry point once the servers listen; read at every request.
 */
export class LanStatus {
  httpPort: number | null = null;
  https: HttpsStatus | null = null;
  /**
   * True from the entry point's start until every listener (HTTPS included, with its
   * certificate) is up: health answers "starting", and no page says HTTPS is off meanwhile.
   * In-process tests never set it.
   */
  starting = false;
  mdnsAnnounced = false;
  readonly mdnsName: string;

  /**
   * The addresses tablets can use: every LAN IPv4 when listening on all interfaces, else the one
   * HOST names (none for loopback). Replaceable so tests can show an address without using it.
   */
  addresses: () => string[];
  readonly hostname: () => string = os.hostname;

  constructor(config: Pick<Config, 'mdnsName' | 'host'>) {
    this.mdnsName = config.mdnsName ?? DEFAULT_MDNS_NAME;
    const host = config.host;
    this.addresses = host === '0.0.0.0' || host === '::' ? lanAddresses : () => (isLoopbackHost(host) ? [] : [host]);
  }

  /** SHA-256 of the CA certificate, as iOS and Android show it, so staff can compare before trusting. */
  get caFingerprint(): string | null {
    return this.https?.caCertPem ? new X509Certificate(this.https.caCertPem).fingerprint256 : null;
  }

  httpsOrigin(host: string): string | null {
    if (!this.https) return null;
    return `https://${formatHost(host)}${this.https.port === 443 ? '' : `:${this.https.port}`}`;
  }

  httpOrigin(host: string): string | null {
    if (this.httpPort === null) return null;
    return `http://${formatHost(host)}${this.httpPort === 80 ? '' : `:${this.httpPort}`}`;
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The host name of a Host header, without port or IPv6 brackets. */
export function hostOfHeader(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(1, header.indexOf(']')).toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

/** Names under which a plain-HTTP page is still a secure context, so the camera works without HTTPS. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
