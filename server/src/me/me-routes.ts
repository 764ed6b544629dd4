import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { minutesToHours } from '../domain/hours.ts';
import { yearOf } from '../domain/time-zone.ts';
import type { MeRecord, MeRedemption, MeView } from '../protocol/me.ts';
import { snapSettingsOf } from '../protocol/settings.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { StationState } from '../store/state.ts';
import { displayNameOf, figuresOf } from '../volunteers/figures.ts';
import { ME_COOKIE, requireVolunteer, revokeOwnPhone } from './phone-sessions.ts';

const RECENT = 20;

/** The volunteer's own figures, built only from their own records: nothing of anyone else. */
export function meView(state: StationState, volunteer: Volunteer, now: Date): MeView {
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
    records: recentRecords(state, volunteer.id),
    redemptions: recentRedemptions(state, volunteer.id),
    snapCategories: snapSettingsOf(settings).categories,
  };
}

function recentRecords(state: StationState, volunteerId: string): MeRecord[] {
  const ids = state.attendanceIdsOf(volunteerId);
  const records: MeRecord[] = [];
  for (let i = ids.length - 1; i >= 0 && records.length < RECENT; i--) {
    const attendance = state.get('attendance', ids[i]!);
    if (!attendance || attendance.removed) continue;
    records.push({
      kind: 'attendance',
      title: state.get('activities', attendance.activityId)?.title ?? '',
      at: attendance.checkInAt,
      ...(attendance.checkOutAt ? { endedAt: attendance.checkOutAt } : {}),
      ...(attendance.creditedMinutes !== undefined ? { hours: minutesToHours(attendance.creditedMinutes) } : {}),
    });
  }
  return records;
}

/** Through the volunteer's own ledger (each redemption debits it), so a center's thousands of receipts are not walked. */
function recentRedemptions(state: StationState, volunteerId: string): MeRedemption[] {
  const ledgerIds = state.ledgerIdsOf(volunteerId);
  const seen = new Set<string>();
  const out: MeRedemption[] = [];
  for (let i = ledgerIds.length - 1; i >= 0 && out.length < RECENT; i--) {
    const redemptionId = state.get('ledger', ledgerIds[i]!)?.redemptionId;
    if (!redemptionId || seen.has(redemptionId)) continue;
    seen.add(redemptionId);
    const redemption = state.get('redemptions', redemptionId);
    if (!redemption || redemption.volunteerId !== volunteerId) continue;
    out.push({ receiptNo: redemption.receiptNo, at: redemption.at, pointsSpent: redemption.pointsSpent, items: redemption.items.map((item) => ({ name: item.name, quantity: item.quantity })), voided: Boolean(redemption.voided) });
  }
  return out;
}

/** `/api/me…`: the phone's own view. A phone session is not a staff session and opens nothing else. */
export function meRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/me', requireVolunteer, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(meView(ctx.store.state, req.phone!.volunteer, ctx.clock.now()));
  });
  router.post('/me/logout', requireVolunteer, async (req, res) => {
    await revokeOwnPhone(ctx, req.phone!.session);
    res.clearCookie(ME_COOKIE, { path: '/' });
    res.status(204).end();
  });
  return router;
}
