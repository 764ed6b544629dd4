import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData, type DemoResult } from '../../scripts/demo-data.ts';
import { creditableMinutes } from '../../server/src/domain/hours.ts';
import { toTenths } from '../../server/src/domain/points.ts';
import { formatTimeIn, yearOf } from '../../server/src/domain/time-zone.ts';
import { idNumberSchema, phoneSchema } from '../../server/src/protocol/schemas.ts';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import { isOpen, type StationState } from '../../server/src/store/state.ts';
import { wishWall } from '../../server/src/service/wish-wall.ts';
import { ApiClient, makeDataDir, startStation } from '../support/station.ts';

// A fixed day, so the data (and this test) are the same on every run.
const UNTIL = new Date('2025-06-18T10:30:00+08:00');
const dirs: string[] = [];
let dir: string;
let result: DemoResult;

async function freshDir(): Promise<string> {
  const made = await makeDataDir();
  dirs.push(made);
  return made;
}

beforeAll(async () => {
  dir = await freshDir();
  result = await generateDemoData({ dataDir: dir, size: 'small', seed: 7, until: UNTIL });
});

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Reads the folder back through the store, as the server will. */
async function reopened<T>(check: (state: StationState) => T): Promise<T> {
  const store = await DurableStore.open({ dir, warn: () => undefined });
  try {
    return check(store.state);
  } finally {
    await store.close();
  }
}

describe('npm run demo', () => {
  it('makes the small set: 60 volunteers and a year of activities, attendance, points and goods', async () => {
    await reopened((state) => {
      expect(state.records.volunteers.size).toBe(60);
      expect(state.records.teams.size).toBeGreaterThanOrEqual(6);
      expect(state.records.activities.size).toBeGreaterThan(100);
      expect(state.records.attendance.size).toBeGreaterThan(1000);
      expect(state.records.goods.size).toBeGreaterThanOrEqual(10);
      expect(state.records.redemptions.size).toBeGreaterThan(0);
      const days = [...state.records.activities.values()].map((a) => a.startsAt).sort();
      expect(Date.parse(days.at(-1)!) - Date.parse(days[0]!)).toBeGreaterThan(330 * 86400_000);
      expect(state.records.staff.size).toBe(1);
      expect([...state.records.ledger.values()].some((e) => e.kind === 'manual')).toBe(true);
    });
  });

  it('every balance is the sum of its ledger, never below zero at any moment', async () => {
    await reopened((state) => {
      const byVolunteer = new Map<string, { at: string; delta: number }[]>();
      for (const entry of state.records.ledger.values()) {
        expect(state.records.volunteers.has(entry.volunteerId)).toBe(true);
        byVolunteer.set(entry.volunteerId, [...(byVolunteer.get(entry.volunteerId) ?? []), entry]);
      }
      for (const volunteer of state.records.volunteers.values()) {
        const entries = (byVolunteer.get(volunteer.id) ?? []).sort((a, b) => a.at.localeCompare(b.at) || b.delta - a.delta);
        let running = 0;
        for (const entry of entries) {
          running += toTenths(entry.delta);
          expect(running, `${volunteer.name}'s balance after ${entry.at}`).toBeGreaterThanOrEqual(0);
        }
        expect(state.balanceTenthsOf(volunteer.id)).toBe(running);
      }
    });
  });

  it('credits each closed attendance with the creditable minutes and points the server would have', async () => {
    await reopened((state) => {
      const ledgerByAttendance = new Map([...state.records.ledger.values()].filter((e) => e.attendanceId).map((e) => [e.attendanceId!, e]));
      const minutesByVolunteerYear = new Map<string, number>();
      for (const attendance of state.records.attendance.values()) {
        const activity = state.get('activities', attendance.activityId)!;
        expect(activity).toBeDefined();
        expect(state.records.volunteers.has(attendance.volunteerId)).toBe(true);
        // Center time: sign-ins in the morning, afternoon or evening, 1–4 h activities.
        const hour = Number(formatTimeIn(attendance.checkInAt, 'Asia/Shanghai', 'H'));
        expect(hour).toBeGreaterThanOrEqual(7);
        expect(hour).toBeLessThanOrEqual(20);
        if (isOpen(attendance)) {
          expect(activity.status, 'only the activity open now has people on site').toBe('open');
          continue;
        }
        expect(attendance.creditedMinutes).toBe(creditableMinutes(attendance.checkInAt, attendance.checkOutAt!, activity, state.settings.hours));
        expect(Date.parse(attendance.checkOutAt!) - Date.parse(attendance.checkInAt)).toBeLessThanOrEqual(5 * 3600_000);
        const entry = ledgerByAttendance.get(attendance.id);
        expect(entry?.delta ?? 0).toBe(attendance.pointsCredited);
        const key = `${attendance.volunteerId}|${yearOf(attendance.checkInAt, 'Asia/Shanghai')}`;
        minutesByVolunteerYear.set(key, (minutesByVolunteerYear.get(key) ?? 0) + attendance.creditedMinutes!);
      }
      // Completed requests and pairing visits count towards the same totals as attendance.
      for (const record of state.records.serviceRecords.values()) {
        if (record.removed) continue;
        const key = `${record.volunteerId}|${yearOf(record.startedAt, 'Asia/Shanghai')}`;
        minutesByVolunteerYear.set(key, (minutesByVolunteerYear.get(key) ?? 0) + record.creditedMinutes);
      }
      expect(state.records.serviceRecords.size).toBeGreaterThan(0);
      // The store's per-year totals (used for yearly stars) agree with the center's calendar.
      for (const [key, minutes] of minutesByVolunteerYear) {
        const [volunteerId, year] = key.split('|') as [string, string];
        expect(state.totalsOf(volunteerId).minutesByYear.get(Number(year)) ?? 0).toBe(minutes);
      }
      // The store's on-site counts (the board's and the capacity check's) agree with the open attendances.
      const onSite: Record<string, number> = {};
      for (const a of state.records.attendance.values()) if (isOpen(a)) onSite[a.activityId] = (onSite[a.activityId] ?? 0) + 1;
      expect(Object.fromEntries(state.onSiteCountsByActivity())).toEqual(onSite);
      expect(Object.keys(onSite)).toHaveLength(1);
      expect([...state.records.attendance.values()].some((a) => a.autoClosed)).toBe(true);
      expect([...state.records.attendance.values()].some((a) => a.source === 'manual')).toBe(true);
    });
  });

  it('stock is the sum of its movements and never went below zero; redemptions debit what their items cost', async () => {
    await reopened((state) => {
      const movements = [...state.records.stockMovements.values()].sort((a, b) => a.at.localeCompare(b.at) || b.delta - a.delta);
      const running = new Map<string, number>();
      for (const movement of movements) {
        running.set(movement.goodsId, (running.get(movement.goodsId) ?? 0) + movement.delta);
        expect(running.get(movement.goodsId)).toBeGreaterThanOrEqual(0);
      }
      for (const goods of state.records.goods.values()) expect(state.stockOf(goods.id)).toBe(running.get(goods.id));
      for (const redemption of state.records.redemptions.values()) {
        expect(toTenths(redemption.pointsSpent)).toBe(redemption.items.reduce((sum, item) => sum + toTenths(item.points) * item.quantity, 0));
        const debit = [...state.records.ledger.values()].find((e) => e.redemptionId === redemption.id && e.kind === 'redemption');
        expect(debit?.delta).toBe(-redemption.pointsSpent);
        expect(redemption.receiptNo).toMatch(/^\d{8}-\d{5}$/);
      }
    });
  });

  it('names, phones, ID numbers and cards are valid and unique', async () => {
    await reopened((state) => {
      const volunteers = [...state.records.volunteers.values()];
      for (const v of volunteers) {
        expect(v.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
        if (v.phone) expect(phoneSchema.safeParse(v.phone).success && /^1[3-9]\d{9}$/.test(v.phone)).toBe(true);
        if (v.idNumber) {
          expect(idNumberSchema.safeParse(v.idNumber).success, v.idNumber).toBe(true);
          expect(v.idNumber.slice(6, 10)).toBe(String(v.birthYear));
        }
        for (const teamId of v.teamIds) expect(state.records.teams.has(teamId)).toBe(true);
      }
      expect(volunteers.filter((v) => v.idNumber).length).toBeGreaterThan(5);
      expect(new Set(volunteers.map((v) => v.cardNo)).size).toBe(volunteers.length);
      expect(new Set(volunteers.filter((v) => v.phone).map((v) => v.phone)).size).toBe(volunteers.filter((v) => v.phone).length);
      expect(state.counters.cardNo).toBeGreaterThanOrEqual(Math.max(...volunteers.map((v) => Number(v.cardNo))));
      // Elderly-heavy, as volunteer centers are.
      expect(volunteers.filter((v) => 2025 - v.birthYear! >= 60).length).toBeGreaterThan(volunteers.length / 3);
    });
  });

  it('shows every state of a request, with accepted ones and services completed this month on the wish wall', async () => {
    const check = (state: StationState, now: Date) => {
      const statuses = new Set([...state.records.serviceRequests.values()].map((r) => r.status));
      for (const status of ['open', 'dispatched', 'accepted', 'done', 'rated', 'cancelled']) expect(statuses, status).toContain(status);
      const wall = wishWall(state, now);
      expect(wall.recentlyAccepted.length).toBeGreaterThanOrEqual(2);
      expect(wall.month.completed).toBeGreaterThanOrEqual(3);
      expect(wall.month.peopleServed).toBeGreaterThanOrEqual(1);
      expect(wall.month.hours).toBeGreaterThan(0);
      // Nothing in the future, and numbers in the order the requests were made.
      const requests = [...state.records.serviceRequests.values()].sort((a, b) => a.number.localeCompare(b.number));
      for (const request of requests) for (const step of request.history) expect(Date.parse(step.at)).toBeLessThanOrEqual(now.getTime());
      const created = requests.filter((r) => r.number.startsWith(String(yearOf(now, state.settings.timeZone)))).map((r) => r.createdAt);
      expect(created).toEqual([...created].sort());
    };
    check(result.state, UNTIL);
    // Twenty minutes into a month (the 1st, in the center's zone), this month's figures are still there.
    const monthStart = new Date('2025-07-01T00:20:00+08:00');
    const early = await generateDemoData({ dataDir: await freshDir(), size: 'small', seed: 7, until: monthStart });
    check(early.state, monthStart);
  });

  it('gives the same records for the same seed and day', async () => {
    const again = await generateDemoData({ dataDir: await freshDir(), size: 'small', seed: 7, until: UNTIL });
    const summary = (r: DemoResult) => [...r.state.records.attendance.values()].map((a) => `${a.id} ${a.volunteerId} ${a.checkInAt} ${a.checkOutAt}`);
    expect(summary(again)).toEqual(summary(result));
    const other = await generateDemoData({ dataDir: await freshDir(), size: 'small', seed: 8, until: UNTIL });
    expect(summary(other)).not.toEqual(summary(result));
  });

  it('refuses a folder that already holds data unless forced', async () => {
    await expect(generateDemoData({ dataDir: dir, size: 'small', until: UNTIL })).rejects.toThrow(/already holds data/);
    const target = await freshDir();
    await generateDemoData({ dataDir: target, size: 'small', seed: 1, until: UNTIL });
    const replaced = await generateDemoData({ dataDir: target, size: 'small', seed: 2, until: UNTIL, force: true });
    expect(replaced.counts.volunteers).toBe(60);
  });

  it('a real server starts on it and the admin signs in and sees the same figures', async () => {
    const station = await startStation({ dataDir: dir, adminPassword: null });
    try {
      const api = await new ApiClient(station.url).login('admin', 'admin-pass-1');
      const onSite = new Set([...result.state.records.attendance.values()].filter(isOpen).map((a) => a.volunteerId));
      const card = result.cards.find((c) => !onSite.has(c.volunteerId))!;
      const response = await api.get(`/api/volunteers/${card.volunteerId}`);
      expect(response.status).toBe(200);
      expect(response.body.cardNo).toBe(card.cardNo);
      expect(toTenths(response.body.points)).toBe(result.state.balanceTenthsOf(card.volunteerId));
    } finally {
      await station.stop();
    }
  });
});
