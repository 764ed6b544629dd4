import type { AppContext } from '../context.ts';
import type { AttendanceChanged } from '../protocol/events.ts';
import { onSiteByActivity } from '../activities/open-activities.ts';
import { liftedStar } from '../stars/star-rise.ts';
import { publicVolunteer } from '../volunteers/figures.ts';
import { todayFigures } from '../board/board-state.ts';

/** Tells the board about an attendance change, after it is on disk. Only public fields: masked name, star, teams. */
export function announceAttendance(ctx: AppContext, action: AttendanceChanged['action'], attendanceId: string): void {
  const state = ctx.store.state;
  const attendance = state.get('attendance', attendanceId);
  const volunteer = attendance && state.get('volunteers', attendance.volunteerId);
  const activity = attendance && state.get('activities', attendance.activityId);
  if (!attendance || !volunteer || !activity) return;
  const onSite = onSiteByActivity(state);
  ctx.live.boardVersion += 1;
  ctx.notifications.emit('attendance:changed', {
    action,
    attendanceId,
    activityId: activity.id,
    activityTitle: activity.title,
    at: action === 'check-in' ? attendance.checkInAt : (attendance.checkOutAt ?? attendance.checkInAt),
    volunteer: {
      ...publicVolunteer(state, volunteer, ctx.clock.now()),
      teamNames: volunteer.teamIds.map((id) => state.get('teams', id)?.name).filter((name): name is string => !!name),
      ...(action !== 'correction' && liftedStar(state, attendance, ctx.clock.now()) ? { newStar: true } : {}),
    },
    onSite,
    onSiteTotal: Object.values(onSite).reduce((sum, n) => sum + n, 0),
    today: todayFigures(state, ctx.clock.now()),
    version: ctx.live.boardVersion,
  });
}
