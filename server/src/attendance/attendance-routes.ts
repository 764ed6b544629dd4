import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Attendance, LedgerEntry } from '../protocol/model.ts';
import type { AttendanceView } from '../protocol/views.ts';
import { attendanceCheckoutSchema, attendanceManualSchema, reasonSchema } from '../protocol/schemas.ts';
import type { Change } from '../store/state.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { announceAttendance } from './attendance-notice.ts';
import { closeAttendance } from './close-attendance.ts';
import { balanceOf } from '../domain/points.ts';
import { refuseOverlap } from '../backfill/backfill-rules.ts';
import { archivedAttendanceAround } from '../volunteer-history/archived-history.ts';
import { historyOf } from '../store/archive/history.ts';

/** Attendance as staff see it: with the volunteer's name and the activity's title. */
function attendanceView(ctx: AppContext, attendance: Attendance): AttendanceView {
  const state = ctx.store.state;
  return {
    ...attendance,
    volunteerName: state.get('volunteers', attendance.volunteerId)?.name ?? '',
    cardNo: state.get('volunteers', attendance.volunteerId)?.cardNo ?? '',
    activityTitle: state.get('activities', attendance.activityId)?.title ?? '',
  };
}

/**
 * Reverses the points an attendance credited: a new ledger entry, never an edit. Used before
 * an attendance is re-credited with corrected times, or when it is removed.
 */
function reversePoints(ctx: AppContext, attendance: Attendance, reason: string, at: string, by: string): Change[] {
  const state = ctx.store.state;
  const entries = state.ledgerIdsOf(attendance.volunteerId).map((id) => state.get('ledger', id)!).filter((e) => e.attendanceId === attendance.id);
  const net = balanceOf(entries);
  if (net === 0) return [];
  const reversal: LedgerEntry = { id: newId(), volunteerId: attendance.volunteerId, delta: -net, kind: 'reversal', reason, at, by, attendanceId: attendance.id, reversesId: entries[entries.length - 1]!.id };
  return [{ c: 'ledger', v: reversal }];
}

export function attendanceRoutes(ctx: AppContext): Router {
  const router = Router();
  const find = (id: string) => {
    const attendance = ctx.store.state.get('attendance', id);
    if (!attendance) throw new AppError('NOT_FOUND', 'No such attendance', 404);
    return attendance;
  };

  router.get('/activities/:id/attendance', requirePermission('volunteers:read'), async (req, res) => {
    // An activity of a closed year: its attendance is in that year's archive (or the next, across New Year's Eve).
    const startsAt = ctx.store.state.get('activities', req.params.id as string)?.startsAt;
    const year = startsAt ? ctx.store.state.yearOf(startsAt) : undefined;
    const state = year === undefined ? ctx.store.state : await historyOf(ctx.store, { from: year, to: year + 1 });
    const ids = state.attendanceIdsOfActivity(req.params.id as string);
    res.json({ items: ids.map((id) => attendanceView(ctx, state.get('attendance', id)!)) });
  });

  router.get('/volunteers/:id/attendance', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const state = await historyOf(ctx.store);
    const ids = state.attendanceIdsOf(volunteer.id);
    res.json({ items: ids.map((id) => attendanceView(ctx, state.get('attendance', id)!)).reverse() });
  });

  router.get('/attendance/review', requirePermission('volunteers:read'), (_req, res) => {
    const items = [...ctx.store.state.records.attendance.values()].filter((a) => a.needsReview && !a.removed);
    res.json({ items: items.map((a) => attendanceView(ctx, a)) });
  });

  // Fix a forgotten or wrong sign-out: earlier points are reversed, the corrected ones credited.
  router.post('/attendance/:id/checkout', requirePermission('attendance:write'), async (req, res) => {
    const input = parseInput(attendanceCheckoutSchema, req.body);
    const found = find(req.params.id as string);
    const archived = await archivedAttendanceAround(ctx.store, [found.volunteerId], found.checkInAt, input.checkOutAt);
    // Decided after the archive read, on the record as it is then, and committed in the same tick.
    const attendance = find(found.id);
    if (attendance.removed) throw new AppError('CONFLICT', 'This attendance was removed', 409);
    if (Date.parse(input.checkOutAt) <= Date.parse(attendance.checkInAt)) throw new AppError('VALIDATION_FAILED', 'Sign-out must come after sign-in', 400);
    const state = ctx.store.state;
    refuseOverlap(state, attendance.volunteerId, attendance.checkInAt, input.checkOutAt, attendance.id, archived);
    const activity = state.get('activities', attendance.activityId)!;
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const reversal = reversePoints(ctx, attendance, `更正: ${input.reason}`, now.toISOString(), actor);
    // The corrected attendance is no longer an automatic close awaiting review.
    const { autoClosed: _auto, needsReview: _review, ...reopened } = attendance;
    const { closed, changes } = closeAttendance(reopened, activity, state.settings, { at: input.checkOutAt, by: actor });
    await ctx.store.commit([...reversal, ...changes, auditChange(now, actor, 'attendance.corrected', attendance.id, `sign-out ${input.checkOutAt}: ${input.reason}`, { checkOutAt: input.checkOutAt, reason: input.reason })]);
    announceAttendance(ctx, 'correction', attendance.id);
    res.json(attendanceView(ctx, closed));
  });

  router.post('/attendance/:id/reviewed', requirePermission('attendance:write'), async (req, res) => {
    const attendance = find(req.params.id as string);
    const now = ctx.clock.now();
    await ctx.store.commit([{ c: 'attendance', v: { ...attendance, needsReview: false } }, auditChange(now, actorOf(req), 'attendance.reviewed', attendance.id)]);
    res.json(attendanceView(ctx, ctx.store.state.get('attendance', attendance.id)!));
  });

  router.post('/attendance', requirePermission('attendance:write'), async (req, res) => {
    const input = parseInput(attendanceManualSchema, req.body);
    const archived = await archivedAttendanceAround(ctx.store, [input.volunteerId], input.checkInAt, input.checkOutAt);
    // Decided after the archive read, on the state as it is then, and committed in the same tick.
    const volunteer = findVolunteer(ctx, input.volunteerId);
    const state = ctx.store.state;
    const activity = state.get('activities', input.activityId);
    if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
    refuseOverlap(state, volunteer.id, input.checkInAt, input.checkOutAt, undefined, archived);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const attendance: Attendance = { id: newId(), volunteerId: volunteer.id, activityId: activity.id, checkInAt: input.checkInAt, source: 'manual', createdAt: now.toISOString() };
    const { closed, changes } = closeAttendance(attendance, activity, state.settings, { at: input.checkOutAt, by: actor });
    await ctx.store.commit([...changes, auditChange(now, actor, 'attendance.added', closed.id, `${activity.title}: ${input.reason}`, { activity: activity.id, reason: input.reason })]);
    announceAttendance(ctx, 'correction', closed.id);
    res.status(201).json(attendanceView(ctx, closed));
  });

  router.post('/attendance/:id/remove', requirePermission('attendance:write'), async (req, res) => {
    const { reason } = parseInput(reasonSchema, req.body);
    const attendance = find(req.params.id as string);
    if (attendance.removed) throw new AppError('ALREADY_VOIDED', 'This attendance was removed already', 409, { removed: attendance.removed });
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const removed: Attendance = { ...attendance, needsReview: false, removed: { at: now.toISOString(), by: actor, reason } };
    await ctx.store.commit([{ c: 'attendance', v: removed }, ...reversePoints(ctx, attendance, `撤销: ${reason}`, now.toISOString(), actor), auditChange(now, actor, 'attendance.removed', attendance.id, reason, { reason })]);
    announceAttendance(ctx, 'correction', attendance.id);
    res.json(attendanceView(ctx, removed));
  });

  return router;
}
