/**
 * Where a printed certificate sends a reader to check it (issue 12 item 15). Never the PC's
 * DHCP address, which changes and meant nothing off the center's Wi-Fi:
 * 1. the center's public check address, when it has one (a setting);
 * 2. else the name staff opened the page under, when it is one of the configured host names
 *    (EXTRA_HOSTNAMES: a name the center's router or DNS keeps pointing at the PC);
 * 3. else the station's mDNS name (`volunteer-station.local`), which follows the PC from
 *    address to address on the center's network, on the plain-HTTP port (a phone need not
 *    trust the station's local CA to read a public page).
 */
export interface VerifyAddressInput {
  /** settings.certificate.publicVerifyUrl: '' when the center has none. */
  publicVerifyUrl: string;
  /** The configured extra host names (lower case or not). */
  extraHostnames: readonly string[];
  /** The mDNS host name without `.local`. */
  mdnsName: string;
  /** The station's plain-HTTP port, when the entry point has told it (null in in-process tests). */
  httpPort: number | null;
  /** The request the page is printed from: its protocol and Host header. */
  request: { protocol: string; host: string };
}

export function verifyBaseUrl(input: VerifyAddressInput): string {
  if (input.publicVerifyUrl !== '') return input.publicVerifyUrl.replace(/\/+$/, '');
  const { hostname, port } = splitHost(input.request.host);
  if (input.extraHostnames.some((name) => name.toLowerCase() === hostname)) return `${input.request.protocol}://${input.request.host.toLowerCase()}`;
  const mdnsHost = `${input.mdnsName}.local`;
  if (input.httpPort !== null) return `http://${mdnsHost}${input.httpPort === 80 ? '' : `:${input.httpPort}`}`;
  return `${input.request.protocol}://${mdnsHost}${port ? `:${port}` : ''}`;
}

export function verifyUrl(input: VerifyAddressInput, certificateNumber: string): string {
  return `${verifyBaseUrl(input)}/verify/${encodeURIComponent(certificateNumber)}`;
}

function splitHost(header: string): { hostname: string; port: string | undefined } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(header.trim());
  return { hostname: (match?.[1] ?? header).toLowerCase(), port: match?.[2] };
}
