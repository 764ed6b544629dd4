import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { RedeemAck, RedeemSuccess } from '../../server/src/protocol/events.ts';
import { startChildServer, freePort, type ChildServer } from '../support/child-server.ts';
import { ApiClient, connectSocket, emitWithAck, makeDataDir, pairDevice, registerVolunteer, connectUnlockedCounter } from '../support/station.ts';

const ROUNDS = 3;
const dataDirs: string[] = [];
let server: ChildServer | undefined;

afterAll(async () => {
  await server?.kill();
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('crash recovery of the counter', () => {
  it('after SIGKILL during redemption bursts, every acknowledged redemption is present once and balances and stock add up', async () => {
    const dataDir = await makeDataDir();
    dataDirs.push(dataDir);
    const port = await freePort();
    server = await startChildServer(dataDir, port);
    const api = await new ApiClient(server.url).login();
    const people: { id: string; cardCode: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const v = await registerVolunteer(api, `兑换者${i}`, `1360000${String(i).padStart(4, '0')}`);
      await api.post(`/api/volunteers/${v.id}/points`, { delta: 400, reason: '测试积分' });
      people.push(v);
    }
    const goodsIds: string[] = [];
    for (const [name, points] of [['大米', 3], ['香皂', 1]] as const) goodsIds.push((await api.post('/api/goods', { name, points, stock: 2000 })).body.id);
    const counters = await Promise.all([pairDevice(api, 'counter', '柜台甲'), pairDevice(api, 'counter', '柜台乙')]);

    const acked = new Map<string, { payload: object; ack: RedeemSuccess }>();
    for (let round = 0; round < ROUNDS; round++) {
      const sockets = await Promise.all(counters.map((c) => connectUnlockedCounter(server!.url, c.token)));
      let killed = false;
      const current = server;
      const killer = new Promise<void>((resolve) => setTimeout(() => void current.kill('SIGKILL').then(() => { killed = true; resolve(); }), 150 + Math.floor(Math.random() * 500)));
      const workers = sockets.map(async (socket, w) => {
        for (let i = 0; !killed && i < 2000; i++) {
          const payload = { redemptionId: randomUUID(), code: people[(i + w) % people.length]!.cardCode, items: [{ goodsId: goodsIds[i % 2]!, quantity: 1 }] };
          try {
            const ack = await emitWithAck<RedeemAck>(socket, 'redeem', payload, 1000);
            if (ack.ok) acked.set(payload.redemptionId, { payload, ack });
          } catch {
            return; // No ack: the server died first, which is allowed.
          }
        }
      });
      await Promise.all([killer, ...workers]);
      for (const socket of sockets) socket.close();
      server = await startChildServer(dataDir, port);
    }
    expect(acked.size).toBeGreaterThan(10);

    // Every acknowledged redemption is known, with the same receipt, and a replay changes nothing.
    const socket = await connectUnlockedCounter(server.url, counters[0]!.token);
    for (const { payload, ack } of acked.values()) {
      expect(await emitWithAck<RedeemAck>(socket, 'redeem', payload)).toMatchObject({ ok: true, replayed: true, receiptNo: ack.receiptNo });
    }
    socket.close();

    // Balances are the sum of the ledger, stock the sum of its movements, and both match the redemptions kept.
    const admin = await new ApiClient(server.url).login();
    const kept = new Set<string>();
    for (const person of people) {
      const ledger = (await admin.get(`/api/volunteers/${person.id}/ledger`)).body;
      const sum = ledger.items.reduce((total: number, e: { delta: number }) => total + Math.round(e.delta * 10), 0) / 10;
      expect(ledger.balance).toBe(sum);
      expect(ledger.balance).toBeGreaterThanOrEqual(0);
      for (const e of ledger.items as { kind: string; redemptionId?: string }[]) {
        if (e.kind === 'redemption') {
          expect(kept.has(e.redemptionId!)).toBe(false);
          kept.add(e.redemptionId!);
        }
      }
    }
    for (const id of acked.keys()) expect(kept.has(id)).toBe(true);
    for (const goodsId of goodsIds) {
      const movements = (await admin.get(`/api/goods/${goodsId}/movements`)).body.items as { delta: number; kind: string; redemptionId?: string }[];
      const stock = (await admin.get(`/api/goods/${goodsId}`)).body.stock;
      expect(stock).toBe(movements.reduce((total, m) => total + m.delta, 0));
      const out = movements.filter((m) => m.kind === 'redemption');
      expect(new Set(out.map((m) => m.redemptionId)).size).toBe(out.length);
      expect(out.every((m) => kept.has(m.redemptionId!))).toBe(true);
    }
    await server.kill('SIGTERM');
  }, 150_000);
});
