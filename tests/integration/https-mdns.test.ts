import { EventEmitter } from 'node:events';
import type { MulticastDNS } from 'multicast-dns';
import { describe, expect, it } from 'vitest';
import { announceOnLan } from '../../server/src/lan/mdns.ts';
import { createLogger } from '../../server/src/logger.ts';

/**
 * The mDNS answers, checked against a stand-in socket: real mDNS goes to 224.0.0.251, which
 * leaves the machine, and tests send nothing beyond loopback.
 */
interface SentRecord {
  name: string;
  type: string;
  ttl?: number;
  data?: unknown;
}

class FakeMulticast extends EventEmitter {
  sent: { answers: SentRecord[]; additionals?: SentRecord[] }[] = [];
  destroyed = false;
  respond(packet: { answers: SentRecord[]; additionals?: SentRecord[] }, callback?: () => void) {
    this.sent.push(packet);
    callback?.();
  }
  destroy(callback?: () => void) {
    this.destroyed = true;
    callback?.();
  }
  ask(name: string, type: string) {
    this.emit('query', { questions: [{ name, type }] });
    return this.sent.at(-1);
  }
}

describe('mDNS announcement', () => {
  it('answers A queries for the station name with the current LAN addresses, and advertises the HTTPS kiosk', async () => {
    const transport = new FakeMulticast();
    let addresses = ['192.168.1.23'];
    const announcement = announceOnLan({ name: 'volunteer-station', port: 8443, secure: true, addresses: () => addresses, logger: createLogger('silent'), transport: transport as unknown as MulticastDNS });

    expect(transport.ask('Volunteer-Station.local', 'A')!.answers).toEqual([expect.objectContaining({ name: 'volunteer-station.local', type: 'A', data: '192.168.1.23' })]);
    addresses = ['192.168.1.40'];
    expect(transport.ask('volunteer-station.local', 'A')!.answers.map((a) => a.data)).toEqual(['192.168.1.40']);

    const service = transport.ask('_https._tcp.local', 'PTR')!;
    expect(service.answers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'PTR', data: 'Volunteer Station._https._tcp.local' }),
        expect.objectContaining({ type: 'SRV', data: expect.objectContaining({ port: 8443, target: 'volunteer-station.local' }) }),
        expect.objectContaining({ type: 'TXT', data: ['path=/kiosk/'] }),
      ]),
    );
    expect(service.additionals).toEqual([expect.objectContaining({ type: 'A', data: '192.168.1.40' })]);

    const before = transport.sent.length;
    transport.emit('query', { questions: [{ name: 'printer.local', type: 'A' }] });
    expect(transport.sent.length).toBe(before);

    await announcement.stop();
    // The goodbye: TTL 0, so caches forget the name at once.
    expect(transport.sent.at(-1)!.answers.every((a) => a.ttl === 0)).toBe(true);
    expect(transport.destroyed).toBe(true);
  });
});
