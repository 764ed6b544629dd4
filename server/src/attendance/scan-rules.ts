import { createHash } from 'node:crypto';
import { minutesToHours } from '../domain/hours.ts';
import { addPoints } from '../domain/points.ts';
import { dayKey } from '../domain/time-zone.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { ScanAck, ScanSuccess } from '../protocol/events.ts';
import type { Activity, Attendance, Receipt, Volunteer } from '../protocol/model.ts';
import type { ScanInput } from '../protocol/schemas.ts';
import type { Change, StationState } from '../store/state.ts';
import { activitiesAcceptingCheckIn, onSiteCount } from '../activities/open-activities.ts';
import { acceptsCheckIn } from '../protocol/check-in-window.ts';
import { figuresOf, hoursOnDay, scanVolunteer, starsFor } from '../volunteers/figures.ts';
import { closeAttendance } from './close-attendance.ts';
import { resolveCard } from './resolve-card.ts';
import { checkGates } from '../signups/gate-rules.ts';

/** Offline kiosks sync later, but a scan older than this is more likely a wrong tablet clock than a real sign-in. */
const MAX_SCAN_AGE_MS = 14 * 86400_000;

export interface ScanDecision {
  ack: ScanAck;
  changes: Change[];
  /** Set when attendance changed, for the board. */
  changed?: { action: 'check-in' | 'check-out'; attendanceId: string };
}

export interface ScanContext {
  state: StationState;
  cardSecret: Buffer;
  now: Date;
  deviceId: string;
}

/**
 * Decides what a scan does, with no I/O: the caller commits `changes` in the same tick and acks
 * once they are on disk. Every outcome that changes something is stored as a receipt under the
 * scanId, so a retry gets the same answer and changes nothing.
 */
export function decideScan(input: ScanInput, ctx: ScanContext): ScanDecision {
  const { state, now } = ctx;
  const fingerprint = fingerprintOf(input);
  const stored = state.get('receipts', input.scanId);
  if (stored) {
    if (stored.kind !== 'scan' || stored.fingerprint !== fingerprint) {
      return failure(input.scanId, new AppError('SCAN_ID_REUSED', 'This scan id was already used for a different scan'));
    }
    return { ack: { ...(stored.response as ScanSuccess), replayed: true }, changes: [] };
  }
  try {
    const success = decide(input, ctx);
    const receipt: Receipt = { id: input.scanId, kind: 'scan', at: now.toISOString(), fingerprint, response: success.ack };
    return { ...success, changes: [...success.changes, { c: 'receipts', v: receipt }] };
  } catch (error) {
    if (error instanceof AppError) return failure(input.scanId, error);
    throw error;
  }
}

function decide(input: ScanInput, ctx: ScanContext): { ack: ScanSuccess; changes: Change[]; changed?: ScanDecision['changed'] } {
  const volunteer = resolveCard(ctx.state, ctx.cardSecret, input.code, input.phoneLast4);
  const at = scanTime(input.scannedAt, ctx.now);
  const presence = decidePresence(ctx.state, volunteer, { at, now: ctx.now, activityId: input.activityId, by: `device:${ctx.deviceId}`, source: { source: 'scan', deviceId: ctx.deviceId } });
  return { ...presence, ack: { ...presence.ack, scanId: input.scanId } };
}

/** How a sign-in came about, kept on the attendance it creates. */
export type PresenceSource = Pick<Attendance, 'source' | 'deviceId' | 'assistedBy'>;

export type PresenceSuccess = Omit<ScanSuccess, 'scanId' | 'replayed'>;

/**
 * The sign-in/sign-out rules of a volunteer already identified, at a time already checked: the
 * repeat window, a sign-out of the open attendance, else the activity's choice, its gates and its
 * capacity. A kiosk scan and a staff member's assisted check-in both go through here, so neither
 * can bypass a rule the other keeps.
 */
export function decidePresence(
  state: StationState,
  volunteer: Volunteer,
  options: { at: Date; now: Date; activityId?: string; by: string; source: PresenceSource },
): { ack: PresenceSuccess; changes: Change[]; changed?: ScanDecision['changed'] } {
  const { at, now } = options;
  const settings = state.settings;
  const atIso = at.toISOString();
  const starsBefore = figuresOf(state, volunteer.id, now).stars;

  const last = latestAttendance(state, volunteer.id);
  if (last && settings.repeatWindowSeconds > 0) {
    const lastAt = Date.parse(last.checkOutAt ?? last.checkInAt);
    if (Math.abs(at.getTime() - lastAt) < settings.repeatWindowSeconds * 1000) {
      const activity = state.get('activities', last.activityId)!;
      return {
        ack: {
          ...base(state, volunteer.id, activity, last, at, now),
          action: 'repeat',
          previousAction: last.checkOutAt ? 'check-out' : 'check-in',
        },
        changes: [],
      };
    }
  }

  const open = state.openAttendanceOf(volunteer.id);
  // An offline kiosk syncing a sign-in older than the one already open (made on another
  // tablet meanwhile): the volunteer is signed in already, so it changes nothing.
  if (open && at.getTime() < Date.parse(open.checkInAt)) {
    const activity = state.get('activities', open.activityId)!;
    return { ack: { ...base(state, volunteer.id, activity, open, at, now), action: 'repeat', previousAction: 'check-in' }, changes: [] };
  }
  if (open) {
    const activity = state.get('activities', open.activityId)!;
    const { closed, changes, points } = closeAttendance(open, activity, settings, { at: atIso, by: options.by });
    // Apply to a scratch view of the figures: the ack must show totals after this sign-out.
    const after = projectFigures(state, changes, volunteer.id, now, starsBefore, dayKey(at, settings.timeZone));
    return {
      ack: {
        ...base(state, volunteer.id, activity, closed, at, now),
        action: 'check-out',
        volunteer: after.volunteer,
        todayHours: after.todayHours,
        hoursEarned: minutesToHours(closed.creditedMinutes ?? 0),
        pointsEarned: points,
      },
      changes,
      changed: { action: 'check-out', attendanceId: closed.id },
    };
  }

  const activity = chooseActivity(state, options.activityId, at);
  checkGates(state, volunteer, activity, at);
  if (activity.capacity !== undefined && onSiteCount(state, activity.id) >= activity.capacity) {
    throw new AppError('ACTIVITY_FULL', `“${activity.title}” is full (${activity.capacity} people)`, 409, { capacity: activity.capacity });
  }
  const attendance: Attendance = {
    id: newId(),
    volunteerId: volunteer.id,
    activityId: activity.id,
    checkInAt: atIso,
    ...options.source,
    createdAt: now.toISOString(),
  };
  return {
    ack: { ...base(state, volunteer.id, activity, attendance, at, now), action: 'check-in' },
    changes: [{ c: 'attendance', v: attendance }],
    changed: { action: 'check-in', attendanceId: attendance.id },
  };
}

function base(state: StationState, volunteerId: string, activity: Activity, attendance: Attendance, at: Date, now: Date) {
  const volunteer = state.get('volunteers', volunteerId)!;
  return {
    ok: true as const,
    at: at.toISOString(),
    volunteer: scanVolunteer(state, volunteer, now),
    activity: { id: activity.id, title: activity.title },
    attendanceId: attendance.id,
    todayHours: hoursOnDay(state, volunteerId, dayKey(at, state.settings.timeZone)),
  };
}

/** The activity a sign-in goes to: the one named, else the only one open now, else the volunteer must choose. */
export function chooseActivity(state: StationState, activityId: string | undefined, at: Date): Activity {
  if (activityId) {
    const activity = state.get('activities', activityId);
    if (!activity) throw new AppError('ACTIVITY_NOT_OPEN', 'That activity does not exist', 404);
    if (!acceptsCheckIn(activity, at, state.settings)) throw new AppError('ACTIVITY_NOT_OPEN', `“${activity.title}” is not open for sign-in now`, 409);
    return activity;
  }
  const open = activitiesAcceptingCheckIn(state, at);
  if (open.length === 0) throw new AppError('NO_OPEN_ACTIVITY', 'No activity is open for sign-in right now', 409);
  if (open.length > 1) {
    throw new AppError('ACTIVITY_REQUIRED', 'Several activities are open; choose one', 409, {
      openActivities: open.map((a) => ({ id: a.id, title: a.title, place: a.place, startsAt: a.startsAt, endsAt: a.endsAt })),
    });
  }
  return open[0]!;
}

function scanTime(scannedAt: string, now: Date): Date {
  const at = new Date(scannedAt);
  // A tablet clock running ahead must not sign anyone in the future: take the server's time instead.
  if (at.getTime() > now.getTime()) return now;
  if (now.getTime() - at.getTime() > MAX_SCAN_AGE_MS) {
    throw new AppError('SCAN_TIME_INVALID', 'This scan is too old to record; please check the tablet’s date and time');
  }
  return at;
}

function latestAttendance(state: StationState, volunteerId: string): Attendance | undefined {
  const ids = state.attendanceIdsOf(volunteerId);
  for (let i = ids.length - 1; i >= 0; i--) {
    const attendance = state.get('attendance', ids[i]!);
    if (attendance && !attendance.removed) return attendance;
  }
  return undefined;
}

/** Figures as they will be once `changes` are applied, computed without touching the state. */
function projectFigures(state: StationState, changes: Change[], volunteerId: string, now: Date, starsBefore: number, day: string) {
  const before = figuresOf(state, volunteerId, now);
  let minutes = 0;
  let minutesOnDay = 0;
  let points = 0;
  for (const change of changes) {
    if ('remove' in change) continue;
    if (change.c === 'attendance') {
      minutes += change.v.creditedMinutes ?? 0;
      // Hours count on the day of the sign-in, as hoursOnDay counts them: a sign-out after
      // midnight adds nothing to the new day's figure.
      if (dayKey(new Date(change.v.checkInAt), state.settings.timeZone) === day) minutesOnDay += change.v.creditedMinutes ?? 0;
    }
    if (change.c === 'ledger') points += change.v.delta;
  }
  const volunteer = scanVolunteer(state, state.get('volunteers', volunteerId)!, now);
  const hours = minutesToHours(Math.round(before.hours * 60) + minutes);
  const periodHours = minutesToHours(Math.round(before.periodHours * 60) + minutes);
  const balance = addPoints(before.points, points);
  const stars = starsFor(state, volunteerId, periodHours, balance);
  return {
    volunteer: {
      ...volunteer,
      totalHours: hours,
      periodHours,
      points: balance,
      stars,
      ...(stars > starsBefore ? { newStar: true } : {}),
    },
    todayHours: minutesToHours(Math.round(hoursOnDay(state, volunteerId, day) * 60) + minutesOnDay),
  };
}

function failure(scanId: string, error: AppError): ScanDecision {
  return { ack: { ok: false, scanId, error: error.toWire() }, changes: [] };
}

function fingerprintOf(input: ScanInput): string {
  return createHash('sha256').update(JSON.stringify([input.code, input.scannedAt, input.activityId ?? null, input.phoneLast4 ?? null])).digest('base64url');
}
