import { minutesToHours } from '../domain/hours.ts';
import type { Activity } from '../protocol/model.ts';
import type { ActivitiesReport, ActivityRow, ReportFilters, ReportQuery } from '../protocol/reports.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { LocalTimes } from './local-times.ts';
import type { PeriodCalendar } from './period.ts';
import { calendarFor, keepsTheme, reportBase, teamNamesOf } from './report-scope.ts';

/**
 * Activities held in the period: started in it and not cancelled. For activities the team filter
 * means the team runs it (activity.teamIds) and the volunteer filter that the volunteer came.
 */
export function* activitiesHeld(state: StationState, calendar: PeriodCalendar, filters: ReportFilters): Generator<Activity> {
  for (const activity of state.records.activities.values()) {
    if (activity.status === 'cancelled' || !calendar.contains(Date.parse(activity.startsAt))) continue;
    if (!keepsTheme(filters, activity)) continue;
    if (filters.teamId !== undefined && !activity.teamIds.includes(filters.teamId)) continue;
    if (filters.volunteerId !== undefined && !attended(state, activity.id, filters.volunteerId)) continue;
    yield activity;
  }
}

function attended(state: StationState, activityId: string, volunteerId: string): boolean {
  return state.attendanceIdsOfActivity(activityId).some((id) => {
    const attendance = state.get('attendance', id);
    return attendance?.volunteerId === volunteerId && !attendance.removed;
  });
}

/** All the attendances of an activity that were not removed, whenever they signed in. */
function activityTally(state: StationState, activity: Activity) {
  let attendances = 0;
  let minutes = 0;
  const volunteerIds = new Set<string>();
  for (const id of state.attendanceIdsOfActivity(activity.id)) {
    const attendance = state.get('attendance', id);
    if (!attendance || attendance.removed) continue;
    attendances++;
    minutes += countedMinutes(attendance);
    volunteerIds.add(attendance.volunteerId);
  }
  return { attendances, minutes, volunteers: volunteerIds.size };
}

function activityRow(state: StationState, activity: Activity, tally: ReturnType<typeof activityTally>, local: LocalTimes): ActivityRow {
  const start = local.dateTime(activity.startsAt);
  const end = local.dateTime(activity.endsAt);
  return {
    activityId: activity.id,
    title: activity.title,
    theme: activity.theme ?? '',
    place: activity.place ?? '',
    organizer: activity.organizer ?? state.settings.centerName,
    teamNames: teamNamesOf(state, activity.teamIds),
    startsAt: activity.startsAt,
    endsAt: activity.endsAt,
    time: start.slice(0, 10) === end.slice(0, 10) ? `${start}–${end.slice(11)}` : `${start}–${end}`,
    status: activity.status,
    attendances: tally.attendances,
    volunteers: tally.volunteers,
    hours: minutesToHours(tally.minutes),
  };
}

export function activitiesReport(state: StationState, query: ReportQuery): ActivitiesReport {
  let minutes = 0;
  const local = new LocalTimes(state.settings.timeZone);
  const items = [...activitiesHeld(state, calendarFor(state, query), query)]
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.title.localeCompare(b.title, 'zh-CN'))
    .map((activity) => {
      const tally = activityTally(state, activity);
      minutes += tally.minutes;
      return activityRow(state, activity, tally, local);
    });
  return {
    ...reportBase(state, 'activities', query),
    items,
    total: { activities: items.length, attendances: items.reduce((sum, item) => sum + item.attendances, 0), hours: minutesToHours(minutes) },
  };
}
