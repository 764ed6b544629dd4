import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { minutesToHours } from '../domain/hours.ts';
import { yearOf } from '../domain/time-zone.ts';
import type { MeRecord, MeRedemption, MeView } from '../protocol/me.ts';
import { snapSettingsOf } from '../protocol/settings.ts';
import type { LedgerEntry, Volunteer } from '../protocol/model.ts';
import type { StationState } from '../store/state.ts';
import type { StationStore } from '../store/station-store.ts';
import { newestLive, newestOf, type Dated } from '../volunteer-history/archived-history.ts';
import { displayNameOf, figuresOf } from '../volunteers/figures.ts';
import { ME_COOKIE, requireVolunteer, revokeOwnPhone } from './phone-sessions.ts';

const RECENT = 20;

/**
 * The volunteer's own figures, built only from their own records: nothing of anyone else. The
 * totals carry the closed years' sums; the lists reach into archived years when the live records
 * do not fill them, reading only the years they show, newest first (volunteer-history/).
 */
export async function meViewOf(ctx: AppContext, volunteer: Volunteer): Promise<MeView> {
  const records = await recentRecords(ctx.store, volunteer.id);
  const redemptions = await recentRedemptions(ctx.store, volunteer.id);
  const state = ctx.store.state;
  return meView(state, state.get('volunteers', volunteer.id) ?? volunteer, ctx.clock.now(), { records, redemptions });
}

function meView(state: StationState, volunteer: Volunteer, now: Date, lists: Pick<MeView, 'records' | 'redemptions'>): MeView {
  const settings = state.settings;
  const figures = figuresOf(state, volunteer.id, now);
  const thresholds = settings.stars.thresholds;
  const next = figures.stars < thresholds.length ? thresholds[figures.stars]! : null;
  const yearMinutes = state.totalsOf(volunteer.id).minutesByYear.get(yearOf(now, settings.timeZone)) ?? 0;
  return {
    id: volunteer.id,
    displayName: displayNameOf(state, volunteer),
    cardNo: volunteer.cardNo,
    centerName: settings.centerName,
    hours: figures.hours,
    yearHours: minutesToHours(yearMinutes),
    periodHours: figures.periodHours,
    points: figures.points,
    stars: figures.stars,
    nextStar: next === null ? null : { level: figures.stars + 1, threshold: next, hoursNeeded: Math.max(0, Math.round((next - figures.periodHours) * 10) / 10) },
    starPeriod: settings.stars.period,
    records: lists.records,
    redemptions: lists.redemptions,
    snapCategories: snapSettingsOf(settings).categories,
  };
}

function recentRecords(store: StationStore, volunteerId: string): Promise<MeRecord[]> {
  return newestOf(store, volunteerId, RECENT, (state, archived) => {
    const live = newestLive(state.attendanceIdsOf(volunteerId), (id) => state.get('attendance', id), RECENT, (a) => !a.removed);
    return [...live, ...archived.flatMap((year) => year.attendance).filter((a) => !a.removed)]
      .map((attendance) => ({
        at: attendance.checkInAt,
        item: {
          kind: 'attendance' as const,
          title: state.get('activities', attendance.activityId)?.title ?? '',
          at: attendance.checkInAt,
          ...(attendance.checkOutAt ? { endedAt: attendance.checkOutAt } : {}),
          ...(attendance.creditedMinutes !== undefined ? { hours: minutesToHours(attendance.creditedMinutes) } : {}),
        },
      }));
  });
}

/**
 * Through the volunteer's own ledger (each redemption debits it), so a center's thousands of
 * receipts are not walked; a closed year's debits are in its archive, the receipts they name live.
 */
function recentRedemptions(store: StationStore, volunteerId: string): Promise<MeRedemption[]> {
  return newestOf(store, volunteerId, RECENT, (state, archived) => {
    const seen = new Set<string>();
    // A void's reversal names the redemption too: the first entry naming it stands for it.
    const first = (entry: LedgerEntry) => entry.redemptionId !== undefined && !seen.has(entry.redemptionId) && seen.add(entry.redemptionId) !== undefined;
    const live = newestLive(state.ledgerIdsOf(volunteerId), (id) => state.get('ledger', id), RECENT, first);
    const out: Dated<MeRedemption>[] = [];
    for (const entry of [...live, ...archived.flatMap((year) => year.ledger).filter(first)]) {
      const redemptionId = entry.redemptionId!;
      const redemption = state.get('redemptions', redemptionId);
      if (!redemption || redemption.volunteerId !== volunteerId) continue;
      out.push({ at: redemption.at, item: { receiptNo: redemption.receiptNo, at: redemption.at, pointsSpent: redemption.pointsSpent, items: redemption.items.map((item) => ({ name: item.name, quantity: item.quantity })), voided: Boolean(redemption.voided) } });
    }
    return out;
  });
}

/** `/api/me…`: the phone's own view. A phone session is not a staff session and opens nothing else. */
export function meRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/me', requireVolunteer, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await meViewOf(ctx, req.phone!.volunteer));
  });
  router.post('/me/logout', requireVolunteer, async (req, res) => {
    await revokeOwnPhone(ctx, req.phone!.session);
    res.clearCookie(ME_COOKIE, { path: '/' });
    res.status(204).end();
  });
  return router;
}
