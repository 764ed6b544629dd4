import net from 'node:net';

export const DEFAULT_MDNS_NAME = 'volunteer-station';

/** What the server certificate must cover so that every way a tablet may address the PC is trusted. */
export interface CertificateNames {
  dnsNames: string[];
  ipAddresses: string[];
}

/**
 * The PC's names and addresses as a tablet may type them: localhost, the Windows/Linux host
 * name and its .local form, the announced mDNS name, the center's extra names, loopback and
 * every current LAN IPv4 address. Sorted and deduplicated, so "did anything change?" is a
 * plain comparison.
 */
export function certificateNames(input: { hostname: string; mdnsName?: string; extraHostnames: string[]; lanAddresses: string[] }): CertificateNames {
  const dnsNames = new Set<string>(['localhost']);
  const ipAddresses = new Set<string>(['127.0.0.1']);
  const addName = (raw: string) => {
    const name = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!name) return;
    if (net.isIP(name)) ipAddresses.add(name);
    else if (isValidDnsName(name)) dnsNames.add(name);
  };
  const host = input.hostname.trim().toLowerCase();
  addName(host);
  // A Windows name like DESKTOP-AB12 is announced as desktop-ab12.local by Bonjour / Avahi.
  if (host && !host.endsWith('.local') && !host.includes('.')) addName(`${host}.local`);
  addName(`${input.mdnsName ?? DEFAULT_MDNS_NAME}.local`);
  for (const name of input.extraHostnames) addName(name);
  for (const address of input.lanAddresses) if (net.isIPv4(address)) ipAddresses.add(address);
  return { dnsNames: [...dnsNames].sort(), ipAddresses: [...ipAddresses].sort() };
}

function isValidDnsName(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label));
}
