import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, connectSocket, connectUnlockedCounter, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
const sockets: Socket[] = [];

async function kiosk(mode: 'checkin' | 'counter'): Promise<Socket> {
  const { token } = await pairDevice(api, mode);
  // Counters are unlocked: a locked counter refuses redeem before any card is looked at.
  const socket = mode === 'counter' ? await connectUnlockedCounter(t.url, token) : await connectSocket(t.url, '/kiosk', { token });
  sockets.push(socket);
  return socket;
}

const wrongDigits = (i: number) => String(1000 + i).padStart(4, '0');
type Ack = { ok: boolean; error?: { code: string; details?: Record<string, unknown> } };

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  await openActivityNow(api, '防猜测演练');
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t?.destroy();
});

const auditActions = () => [...t.station.ctx.store.state.records.audit.values()].map((entry) => `${entry.action} ${entry.target}`);

describe('guessing the phone digits behind a card number', () => {
  it('brute force from one tablet stops within the limit, and the lock refuses the right digits too', async () => {
    const volunteer = await registerVolunteer(api, '林守卡', '13800005678');
    const socket = await kiosk('checkin');
    const answers: string[] = [];
    for (let i = 0; i < 40; i++) {
      const ack = await emitWithAck<Ack>(socket, 'volunteer:lookup', { code: volunteer.cardNo, phoneLast4: wrongDigits(i) });
      answers.push(ack.error!.code);
    }
    expect(answers.slice(0, 4)).toEqual(Array(4).fill('PHONE_DIGITS_WRONG'));
    expect(answers.slice(4)).toEqual(Array(36).fill('CARD_LOCKED'));
    const right = await emitWithAck<Ack>(socket, 'volunteer:lookup', { code: volunteer.cardNo, phoneLast4: '5678' });
    expect(right).toMatchObject({ ok: false, error: { code: 'CARD_LOCKED', details: { lockedBy: 'card' } } });
    // Sign-in by typed number is refused the same way; the card's QR code still works.
    const typed = await emitWithAck<Ack>(socket, 'scan', { scanId: randomUUID(), code: volunteer.cardNo, phoneLast4: '5678', scannedAt: new Date().toISOString() });
    expect(typed).toMatchObject({ ok: false, error: { code: 'CARD_LOCKED' } });
    expect(await emitWithAck<Ack>(socket, 'volunteer:lookup', { code: volunteer.cardCode })).toMatchObject({ ok: true });

    expect(auditActions()).toContain(`card.digits-locked card:${volunteer.cardNo}`);
    const locks = await api.get('/api/digit-locks');
    // The list names the volunteer masked, and the tablet where the guessing happened.
    expect(locks.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'card', key: volunteer.cardNo, label: `${volunteer.cardNo} 林*卡`, maskedName: '林*卡', volunteerId: volunteer.id, deviceId: expect.any(String), deviceName: expect.any(String) })]),
    );
    expect(JSON.stringify(locks.body)).not.toContain('林守卡');
    expect((await api.post('/api/digit-locks/clear', { kind: 'card', key: volunteer.cardNo })).status).toBe(200);
    expect(auditActions()).toContain(`card.digits-unlocked card:${volunteer.cardNo}`);
    expect(await emitWithAck<Ack>(socket, 'volunteer:lookup', { code: volunteer.cardNo, phoneLast4: '5678' })).toMatchObject({ ok: true });
  });

  it('brute force spread over several tablets (scan, lookup and redeem) shares one limit per card', async () => {
    const volunteer = await registerVolunteer(api, '陈多机', '13800009876');
    const tablets = [await kiosk('checkin'), await kiosk('checkin'), await kiosk('counter'), await kiosk('counter')];
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const socket = tablets[i % tablets.length]!;
      const isCounter = i % tablets.length >= 2;
      const ack = isCounter
        ? await emitWithAck<Ack>(socket, i % 2 ? 'redeem' : 'volunteer:lookup', i % 2 ? { redemptionId: randomUUID(), code: volunteer.cardNo, phoneLast4: wrongDigits(i), items: [{ goodsId: 'g1', quantity: 1 }] } : { code: volunteer.cardNo, phoneLast4: wrongDigits(i) })
        : await emitWithAck<Ack>(socket, 'scan', { scanId: randomUUID(), code: volunteer.cardNo, phoneLast4: wrongDigits(i), scannedAt: new Date().toISOString() });
      codes.push(ack.error!.code);
    }
    expect(codes.filter((code) => code === 'PHONE_DIGITS_WRONG')).toHaveLength(4);
    expect(codes.slice(4)).toEqual(Array(8).fill('CARD_LOCKED'));
    expect(await emitWithAck<Ack>(tablets[0]!, 'volunteer:lookup', { code: volunteer.cardNo, phoneLast4: '9876' })).toMatchObject({ ok: false, error: { code: 'CARD_LOCKED' } });
  });

  it('one tablet trying many card numbers has its typed numbers locked', async () => {
    const volunteers = [];
    for (let i = 0; i < 12; i++) volunteers.push(await registerVolunteer(api, `王${i}号`, `1390000${String(1000 + i)}`));
    const socket = await kiosk('checkin');
    const codes: string[] = [];
    for (const [i, volunteer] of volunteers.entries()) {
      codes.push((await emitWithAck<Ack>(socket, 'volunteer:lookup', { code: volunteer.cardNo, phoneLast4: '0000' })).error!.code);
      if (i === 10) break;
    }
    expect(codes.slice(0, 9)).toEqual(Array(9).fill('PHONE_DIGITS_WRONG'));
    expect(codes[9]).toBe('CARD_LOCKED');
    const last = volunteers[11]!;
    expect(await emitWithAck<Ack>(socket, 'volunteer:lookup', { code: last.cardNo, phoneLast4: '1011' })).toMatchObject({ ok: false, error: { code: 'CARD_LOCKED', details: { lockedBy: 'device' } } });
    // Another tablet is not affected.
    expect(await emitWithAck<Ack>(await kiosk('checkin'), 'volunteer:lookup', { code: last.cardNo, phoneLast4: '1011' })).toMatchObject({ ok: true });
    expect(auditActions().some((line) => line.startsWith('device.digits-locked'))).toBe(true);
  });
});
