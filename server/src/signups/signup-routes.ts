import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { maskPhone } from '../domain/masking.ts';
import { formatTimeIn } from '../domain/time-zone.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import { signupCreateSchema, signupExcuseSchema, type Signup, type SignupListView } from '../protocol/organizing.ts';
import { sendTables, sheet } from '../reports/table-export.ts';
import type { StationState } from '../store/state.ts';
import { attended, isNoShow, noShowsOf, signupDeadlineOf, signupsOf, type ArchivedAttendance } from './signup-rules.ts';
import { archivedAttendanceOfSignups, archivedAttendanceOfVolunteer } from '../volunteer-history/archived-history.ts';
import { cancelSignup, excuseNoShow, signUp } from './signups.ts';

/** A row of the organizer's sign-up list: staff only (names and masked phones). */
export function signupRow(state: StationState, signup: Signup, now: Date, archived?: ArchivedAttendance) {
  const volunteer = state.get('volunteers', signup.volunteerId);
  return {
    ...signup,
    name: volunteer?.name ?? '',
    cardNo: volunteer?.cardNo ?? '',
    ...(volunteer?.phone ? { phone: maskPhone(volunteer.phone) } : {}),
    attended: attended(state, signup.volunteerId, signup.activityId, archived),
    noShow: isNoShow(state, signup, now, archived),
  };
}

const statusLabel: Record<Signup['status'], string> = { confirmed: '已确认', waitlisted: '候补', cancelled: '已取消' };

export function signupRoutes(ctx: AppContext): Router {
  const router = Router();
  const activityOf = (id: string) => {
    const activity = ctx.store.state.get('activities', id);
    if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
    return activity;
  };

  router.post('/activities/:id/signups', requirePermission('activities:write'), async (req, res) => {
    const { volunteerId } = parseInput(signupCreateSchema, req.body);
    const { signup, created } = await signUp(ctx, req.params.id as string, volunteerId, actorOf(req));
    res.status(created ? 201 : 200).json({ ...signup, ...(created ? {} : { alreadySignedUp: true }) });
  });

  router.get('/activities/:id/signups', requirePermission('volunteers:read'), async (req, res) => {
    const found = activityOf(req.params.id as string);
    // An activity of a closed year: who came is in that year's archive.
    const archived = await archivedAttendanceOfSignups(ctx.store, signupsOf(ctx.store.state, found.id));
    const activity = activityOf(found.id);
    const state = ctx.store.state;
    const now = ctx.clock.now();
    const items = signupsOf(state, activity.id).map((s) => signupRow(state, s, now, archived));
    res.json({
      activityId: activity.id,
      capacity: activity.capacity ?? null,
      signupDeadline: signupDeadlineOf(activity),
      signupOnly: activity.signupOnly ?? false,
      confirmed: items.filter((s) => s.status === 'confirmed').length,
      waitlisted: items.filter((s) => s.status === 'waitlisted').length,
      items,
    } satisfies SignupListView);
  });

  router.delete('/activities/:id/signups/:volunteerId', requirePermission('activities:write'), async (req, res) => {
    const result = await cancelSignup(ctx, req.params.id as string, req.params.volunteerId as string, actorOf(req));
    res.json(result);
  });

  router.post('/activities/:id/signups/:volunteerId/excuse', requirePermission('activities:write'), async (req, res) => {
    const { reason } = parseInput(signupExcuseSchema, req.body);
    res.json(await excuseNoShow(ctx, req.params.id as string, req.params.volunteerId as string, actorOf(req), reason));
  });

  // A volunteer's no-shows for their record (excused ones say by whom and why).
  router.get('/volunteers/:id/no-shows', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = ctx.store.state.get('volunteers', req.params.id as string);
    if (!volunteer) throw new AppError('NOT_FOUND', 'No such volunteer', 404);
    const archived = await archivedAttendanceOfVolunteer(ctx.store, volunteer.id);
    res.json({ items: noShowsOf(ctx.store.state, volunteer.id, ctx.clock.now(), archived) });
  });

  // The organizer's list to print or open in Excel: names in full, so the download is audited.
  for (const format of ['xlsx', 'csv'] as const) {
    router.get(`/activities/:id/signups.${format}`, requirePermission('exports:personal'), async (req, res) => {
      const activity = activityOf(req.params.id as string);
      const archived = await archivedAttendanceOfSignups(ctx.store, signupsOf(ctx.store.state, activity.id));
      const state = ctx.store.state;
      const now = ctx.clock.now();
      const zone = state.settings.timeZone;
      await ctx.store.commit([auditChange(now, actorOf(req), 'export.signups', activity.id, format, { format })]);
      const rows = signupsOf(state, activity.id).map((s) => signupRow(state, s, now, archived));
      await sendTables(res, format, { name: `报名名单_${activity.title}`, ascii: `signups_${activity.id.slice(0, 8)}` }, [
        sheet({
          name: '报名名单',
          columns: [
            { header: '序号', value: (r: (typeof rows)[number]) => r.number, width: 6 },
            { header: '姓名', value: (r) => r.name, width: 12 },
            { header: '卡号', value: (r) => r.cardNo, width: 10 },
            { header: '手机', value: (r) => r.phone, width: 14 },
            { header: '状态', value: (r) => statusLabel[r.status], width: 8 },
            { header: '报名时间', value: (r) => formatTimeIn(r.signedUpAt, zone), width: 18 },
            { header: '已签到', value: (r) => (r.attended ? '是' : ''), width: 8 },
            { header: '缺席', value: (r) => (r.noShow ? (r.excused ? '已说明' : '是') : ''), width: 8 },
          ],
          rows,
        }),
      ]);
    });
  }

  return router;
}
