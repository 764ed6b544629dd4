import { addDays, dayKey, startOfDayIn } from '../domain/time-zone.ts';
import { latestTrainings, trainingValidUntil } from '../signups/gate-rules.ts';
import { defaultSettings } from '../protocol/settings.ts';
import type { HomeView } from '../protocol/home.ts';
import type { StationState } from '../store/state.ts';

/** How far ahead "expiring" looks: a month leaves time to renew a policy or book a course. */
export const EXPIRING_WITHIN_DAYS = 30;
const LIST_LIMIT = 10;

/** The home page, from the state alone: pure, with the clock injected. */
export function homeView(state: StationState, now: Date): HomeView {
  const zone = state.settings.timeZone;
  const today = dayKey(now, zone);
  const from = startOfDayIn(today, zone);
  const to = startOfDayIn(addDays(today, 1), zone);
  const until = addDays(today, EXPIRING_WITHIN_DAYS);

  const activities = [...state.records.activities.values()]
    .filter((a) => a.status !== 'cancelled' && Date.parse(a.startsAt) < to.getTime() && Date.parse(a.endsAt) >= from.getTime())
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.title.localeCompare(b.title))
    .map((a) => {
      const records = state.attendanceIdsOfActivity(a.id).map((id) => state.get('attendance', id)!).filter((r) => r && !r.removed);
      return {
        ...a,
        attendanceCount: records.length,
        onSite: records
          .filter((r) => !r.checkOutAt)
          .map((r) => ({ volunteerId: r.volunteerId, name: state.get('volunteers', r.volunteerId)?.name ?? '', checkInAt: r.checkInAt }))
          .sort((x, y) => x.checkInAt.localeCompare(y.checkInAt)),
      };
    });

  let attendanceReview = 0;
  for (const a of state.records.attendance.values()) if (a.needsReview && !a.removed) attendanceReview++;
  let snapsPending = 0;
  for (const s of state.records.snaps.values()) if (s.status === 'pending') snapsPending++;
  let requestsOpen = 0;
  for (const r of state.records.serviceRequests.values()) if (r.status === 'open') requestsOpen++;

  const lowStock = [...state.records.goods.values()]
    .filter((g) => g.active)
    .map((g) => ({ id: g.id, name: g.name, stock: state.stockOf(g.id), lowStockThreshold: g.lowStockThreshold }))
    .filter((g) => g.stock <= g.lowStockThreshold)
    .sort((a, b) => a.stock - b.stock || a.name.localeCompare(b.name, 'zh-CN'));

  const insurance = [...state.records.insurance.values()]
    .filter((p) => !p.removed && p.to >= today && p.to <= until)
    .sort((a, b) => a.to.localeCompare(b.to))
    .map((p) => ({ id: p.id, insurer: p.insurer, policyNo: p.policyNo, to: p.to, people: p.volunteerIds.length }));

  return {
    today,
    activities,
    queues: { attendanceReview, snapsPending, requestsOpen },
    lowStock: lowStock.slice(0, LIST_LIMIT),
    expiring: { withinDays: EXPIRING_WITHIN_DAYS, insurance: insurance.slice(0, LIST_LIMIT), trainings: expiringTrainings(state, today, until).slice(0, LIST_LIMIT) },
    checklist: checklistOf(state),
  };
}

/** Volunteers whose latest training of a category runs out within the window. */
function expiringTrainings(state: StationState, today: string, until: string): HomeView['expiring']['trainings'] {
  const result: HomeView['expiring']['trainings'] = [];
  for (const { volunteerId, training } of latestTrainings(state, today)) {
    const validUntil = trainingValidUntil(training, state.settings.trainings.validityMonths);
    if (!validUntil || validUntil < today || validUntil > until) continue;
    const volunteer = state.get('volunteers', volunteerId);
    if (!volunteer || volunteer.status === 'left') continue;
    result.push({ volunteerId, name: volunteer.name, category: training.category, validUntil });
  }
  return result.sort((a, b) => a.validUntil.localeCompare(b.validUntil) || a.name.localeCompare(b.name, 'zh-CN'));
}

/**
 * A new center's first steps, each done when the state shows it: the center named (its rules sit
 * beside the name on the settings page), someone registered, a card printed, a tablet paired, an
 * activity planned.
 */
export function checklistOf(state: StationState): HomeView['checklist'] {
  const volunteers = [...state.records.volunteers.values()];
  const devices = [...state.records.devices.values()];
  return [
    { step: 'center', done: state.settings.centerName !== defaultSettings.centerName },
    { step: 'volunteers', done: volunteers.length > 0 },
    { step: 'cards', done: volunteers.some((v) => v.cardPrintedSerial !== undefined) },
    { step: 'kiosk', done: devices.some((d) => d.mode !== 'board' && d.pairedAt !== undefined && d.revokedAt === undefined) },
    { step: 'activity', done: state.records.activities.size > 0 },
  ];
}
