import makeMdns, { type MulticastDNS } from 'multicast-dns';
import type { Answer } from 'dns-packet';
import type { Logger } from '../logger.ts';

const SERVICE_INSTANCE = 'Volunteer Station';
const TTL_SECONDS = 120;
/** RFC 6762 §8.3: announce at least twice, a second or more apart. */
const ANNOUNCE_DELAYS_MS = [0, 1000, 3000];

export interface MdnsAnnouncement {
  stop(): Promise<void>;
}

/**
 * Answers multicast DNS on the LAN for `<name>.local` (A records for the PC's LAN addresses) and
 * advertises the kiosk as an `_https._tcp` (or `_http._tcp`) service, so iPads and PCs can type
 * https://volunteer-station.local:8443/kiosk/ instead of an address that DHCP may change.
 * Addresses are read at every answer, so a new address is announced without a restart.
 */
export function announceOnLan(options: {
  name: string;
  port: number;
  secure: boolean;
  addresses: () => string[];
  logger: Logger;
  /** The multicast socket; tests pass a stand-in, since real mDNS traffic leaves the machine. */
  transport?: MulticastDNS;
}): MdnsAnnouncement {
  const host = `${options.name}.local`;
  const serviceType = `_${options.secure ? 'https' : 'http'}._tcp.local`;
  const instance = `${SERVICE_INSTANCE}.${serviceType}`;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

  const addressRecords = (ttl: number): Answer[] => options.addresses().map((data) => ({ name: host, type: 'A', ttl, flush: true, data }));
  const serviceRecords = (ttl: number): Answer[] => [
    { name: serviceType, type: 'PTR', ttl, data: instance },
    { name: instance, type: 'SRV', ttl, flush: true, data: { port: options.port, target: host, priority: 0, weight: 0 } },
    { name: instance, type: 'TXT', ttl, flush: true, data: ['path=/kiosk/'] },
  ];

  const mdns = options.transport ?? makeMdns();
  mdns.on('error', (error: Error) => options.logger.warn(`mDNS is off: ${error.message}. Tablets can still use the address shown above.`));
  mdns.on('warning', () => undefined);
  mdns.on('query', (query) => {
    const answers: Answer[] = [];
    let wantsService = false;
    for (const question of query.questions) {
      // dns-packet's types leave out ANY (255), which browsers and resolvers still send.
      const type: string = question.type;
      const any = type === 'ANY';
      if (same(question.name, host) && (any || type === 'A')) answers.push(...addressRecords(TTL_SECONDS));
      else if (same(question.name, serviceType) && (any || type === 'PTR')) wantsService = true;
      else if (same(question.name, instance) && (any || type === 'SRV' || type === 'TXT')) wantsService = true;
      else if (same(question.name, '_services._dns-sd._udp.local') && (any || type === 'PTR')) answers.push({ name: '_services._dns-sd._udp.local', type: 'PTR', ttl: TTL_SECONDS, data: serviceType });
    }
    if (wantsService) answers.push(...serviceRecords(TTL_SECONDS));
    if (answers.length === 0) return;
    mdns.respond({ answers, additionals: wantsService ? addressRecords(TTL_SECONDS) : [] }, () => undefined);
  });

  const timers = ANNOUNCE_DELAYS_MS.map((delay) =>
    setTimeout(() => mdns.respond({ answers: [...serviceRecords(TTL_SECONDS), ...addressRecords(TTL_SECONDS)] }, () => undefined), delay).unref(),
  );

  return {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        // TTL 0 is the "goodbye": caches drop the name at once instead of after two minutes.
        mdns.respond({ answers: [...serviceRecords(0), ...addressRecords(0)] }, () => mdns.destroy(() => resolve()));
      }),
  };
}
