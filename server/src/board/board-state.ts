import { createHash } from 'node:crypto';
import { minutesToHours } from '../domain/hours.ts';
import { dayKey, monthKey, startOfDayIn, yearOf } from '../domain/time-zone.ts';
import type { BoardActivity, BoardFeedItem, BoardHonour, BoardPerson, BoardRedemption, BoardState, BoardTeamStanding } from '../protocol/board.ts';
import { BOARD_LIMITS } from '../protocol/board.ts';
import type { Activity, Attendance, Redemption, Volunteer } from '../protocol/model.ts';
import type { PublicNotice } from '../protocol/notices.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { acceptsCheckIn } from '../protocol/check-in-window.ts';
import { displayNameOf, figuresOf, starsFor } from '../volunteers/figures.ts';
import { TopList } from './top-list.ts';
import { boardSnaps } from '../snaps/snap-rules.ts';
import { snapSettingsOf } from '../protocol/settings.ts';

const DAY_MS = 86400_000;

/** Plain code-unit order, for ISO times and ids: localeCompare goes through ICU and costs far more per call. */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface BoardInputs {
  state: StationState;
  now: Date;
  version: number;
  notice: PublicNotice | null;
}

/**
 * The whole board as one public payload, computed from the state with no I/O. Cost stays
 * proportional to this month's attendances and the register, not to years of records: the
 * month is reached through the activities and the attendance-by-activity index.
 */
export function boardState({ state, now, version, notice }: BoardInputs): BoardState {
  const settings = state.settings;
  const zone = settings.timeZone;
  const today = dayKey(now, zone);
  const month = monthKey(now, zone);
  const year = yearOf(now, zone);
  const monthStart = startOfDayIn(`${month}-01`, zone);
  const recent = activitiesEndingSince(state, monthStart);
  const thisMonth = summariseMonth(state, recent, monthStart, year, now);
  // The same figures every scan's board event carries, so the tiles never show two versions.
  const todays = todayFigures(state, now);
  const activities = activitiesOnBoard(state, recent, now, year);
  const body: Omit<BoardState, 'generatedAt' | 'version' | 'stateHash'> = {
    centerName: settings.centerName,
    timeZone: zone,
    defaultLanguage: settings.defaultLanguage,
    today,
    month,
    stars: { period: settings.stars.period, thresholds: [...settings.stars.thresholds] },
    onSiteTotal: activities.reduce((sum, activity) => sum + activity.onSite, 0),
    activities,
    hours: { today: todays.hoursToday, month: minutesToHours(thisMonth.monthMinutes) },
    volunteersToday: todays.volunteersToday,
    feed: thisMonth.feed,
    teams: thisMonth.teams,
    honourRoll: honourRoll(state, now, year),
    newStars: thisMonth.newStars,
    notice,
    ...(settings.board.showRedemptions ? { redemptions: redemptionsToday(state, startOfDayIn(today, zone)) } : {}),
    snaps: boardSnaps(state.records.snaps.values(), now, zone, snapSettingsOf(settings).boardThumbnails),
  };
  return { ...body, generatedAt: now.toISOString(), version, stateHash: hashOf(body) };
}

function hashOf(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
}

export function teamNamesOf(state: StationState, volunteer: Pick<Volunteer, 'teamIds'>): string[] {
  return volunteer.teamIds.map((id) => state.get('teams', id)?.name).filter((name): name is string => !!name);
}

function publicPerson(state: StationState, volunteer: Volunteer, now: Date, year: number) {
  return {
    id: volunteer.id,
    displayName: displayNameOf(state, volunteer),
    stars: figuresOf(state, volunteer.id, now, year).stars,
    teamNames: teamNamesOf(state, volunteer),
  };
}

/** Activities open for sign-in now (all of them end after the month began), and any other that still has people signed in to it. */
function activitiesOnBoard(state: StationState, recent: Activity[], now: Date, year: number): BoardActivity[] {
  const people = new Map<string, BoardPerson[]>();
  for (const attendanceId of state.openAttendanceIds()) {
    const attendance = state.get('attendance', attendanceId);
    const volunteer = attendance && state.get('volunteers', attendance.volunteerId);
    if (!attendance || !volunteer) continue;
    const { id, ...person } = publicPerson(state, volunteer, now, year);
    const list = people.get(attendance.activityId) ?? [];
    list.push({ volunteerId: id, ...person, since: attendance.checkInAt });
    people.set(attendance.activityId, list);
  }
  const settings = state.settings;
  const shown = new Map<string, Activity>(recent.filter((a) => acceptsCheckIn(a, now, settings)).map((a) => [a.id, a]));
  for (const activityId of people.keys()) {
    const activity = state.get('activities', activityId);
    if (activity && !shown.has(activityId)) shown.set(activityId, activity);
  }
  return [...shown.values()]
    .sort((a, b) => byCode(a.startsAt, b.startsAt) || a.title.localeCompare(b.title) || byCode(a.id, b.id))
    .map((activity) => {
      const here = (people.get(activity.id) ?? []).sort((a, b) => byCode(b.since, a.since) || byCode(a.volunteerId, b.volunteerId));
      return {
        id: activity.id,
        title: activity.title,
        ...(activity.place ? { place: activity.place } : {}),
        startsAt: activity.startsAt,
        endsAt: activity.endsAt,
        onSite: here.length,
        people: here.slice(0, BOARD_LIMITS.peoplePerActivity),
      };
    });
}

/**
 * Times parsed once per record: records are replaced, never mutated, so an entry can never go
 * stale, and it goes with its record. Parsing ISO text is most of a board's cost otherwise.
 */
function memoisedTime<R extends object>(read: (record: R) => string): (record: R) => number {
  const parsed = new WeakMap<R, number>();
  return (record) => {
    let time = parsed.get(record);
    if (time === undefined) {
      time = Date.parse(read(record));
      parsed.set(record, time);
    }
    return time;
  };
}

const endOf = memoisedTime<Activity>((activity) => activity.endsAt);
const checkInOf = memoisedTime<Attendance>((attendance) => attendance.checkInAt);

/**
 * The activities whose attendances may have begun at or after `since`. Hours are clipped to the
 * activity window widened by the grace period (at most 4 h), so an attendance that credits
 * anything belongs to an activity ending less than a day before it began.
 */
function activitiesEndingSince(state: StationState, since: Date): Activity[] {
  const earliestEnd = since.getTime() - DAY_MS;
  const recent: Activity[] = [];
  for (const activity of state.records.activities.values()) if (endOf(activity) >= earliestEnd) recent.push(activity);
  return recent;
}

interface MonthSummary {
  monthMinutes: number;
  feed: BoardFeedItem[];
  teams: BoardTeamStanding[];
  newStars: BoardState['newStars'];
}

function summariseMonth(state: StationState, recent: Activity[], monthStart: Date, year: number, now: Date): MonthSummary {
  const monthFrom = monthStart.getTime();
  let monthMinutes = 0;
  const minutesByVolunteer = new Map<string, number>();
  const feed = new TopList<{ attendance: Attendance; action: BoardFeedItem['action']; at: string }>(BOARD_LIMITS.feed, (a, b) => byCode(b.at, a.at) || byCode(b.attendance.id, a.attendance.id));

  for (const activity of recent) {
    for (const id of state.attendanceIdsOfActivity(activity.id)) {
      const attendance = state.get('attendance', id);
      if (!attendance || attendance.removed) continue;
      feed.offer({ attendance, action: 'check-in', at: attendance.checkInAt });
      if (attendance.checkOutAt) feed.offer({ attendance, action: attendance.autoClosed ? 'auto-close' : 'check-out', at: attendance.checkOutAt });
      const checkIn = checkInOf(attendance);
      if (checkIn < monthFrom) continue;
      const minutes = countedMinutes(attendance);
      monthMinutes += minutes;
      minutesByVolunteer.set(attendance.volunteerId, (minutesByVolunteer.get(attendance.volunteerId) ?? 0) + minutes);
    }
  }

  return {
    monthMinutes,
    feed: feed.items().flatMap(({ attendance, action, at }) => {
      const volunteer = state.get('volunteers', attendance.volunteerId);
      const activity = state.get('activities', attendance.activityId);
      if (!volunteer || !activity) return [];
      return [{ attendanceId: attendance.id, action, at, activityId: activity.id, activityTitle: activity.title, volunteer: publicPerson(state, volunteer, now, year) }];
    }),
    teams: teamStandings(state, minutesByVolunteer),
    newStars: newStarsOf(state, minutesByVolunteer, now, year),
  };
}

/** Team hours this month; a volunteer in two teams counts for both. */
function teamStandings(state: StationState, minutesByVolunteer: Map<string, number>): BoardTeamStanding[] {
  const teams = new Map<string, { minutes: number; volunteers: number }>();
  for (const [volunteerId, minutes] of minutesByVolunteer) {
    for (const teamId of state.get('volunteers', volunteerId)?.teamIds ?? []) {
      const team = teams.get(teamId) ?? { minutes: 0, volunteers: 0 };
      team.minutes += minutes;
      team.volunteers += 1;
      teams.set(teamId, team);
    }
  }
  const top = new TopList<BoardTeamStanding>(BOARD_LIMITS.teams, (a, b) => b.hours - a.hours || a.name.localeCompare(b.name) || byCode(a.teamId, b.teamId));
  for (const [teamId, { minutes, volunteers }] of teams) {
    const team = state.get('teams', teamId);
    if (team && minutes > 0) top.offer({ teamId, name: team.name, hours: minutesToHours(minutes), volunteers });
  }
  return top.items();
}

const redeemedAt = memoisedTime<Redemption>((redemption) => redemption.at);

/**
 * Today's newest redemptions for the public list, names as the center's publicNames setting
 * says. Only the name, goods and points leave the server: no card, phone or receipt number.
 */
function redemptionsToday(state: StationState, todayStart: Date): BoardRedemption[] {
  const from = todayStart.getTime();
  const top = new TopList<Redemption>(BOARD_LIMITS.redemptions, (a, b) => byCode(b.at, a.at) || byCode(b.id, a.id));
  for (const redemption of state.records.redemptions.values()) {
    if (!redemption.voided && redeemedAt(redemption) >= from) top.offer(redemption);
  }
  return top.items().flatMap((redemption) => {
    const volunteer = state.get('volunteers', redemption.volunteerId);
    if (!volunteer) return [];
    return [{
      redemptionId: redemption.id,
      displayName: displayNameOf(state, volunteer),
      items: redemption.items.map((item) => `${item.name}×${item.quantity}`),
      points: redemption.pointsSpent,
      at: redemption.at,
    }];
  });
}

const byStarsThenHours = (a: BoardHonour, b: BoardHonour) => b.stars - a.stars || b.hours - a.hours || byCode(a.volunteerId, b.volunteerId);

/** Active volunteers holding a star, by star level then hours in the star period. */
function honourRoll(state: StationState, now: Date, year: number): BoardHonour[] {
  const top = new TopList<BoardHonour>(BOARD_LIMITS.honourRoll, byStarsThenHours);
  for (const volunteer of state.records.volunteers.values()) {
    if (volunteer.status !== 'active') continue;
    const figures = figuresOf(state, volunteer.id, now, year);
    if (figures.stars === 0) continue;
    const candidate = { volunteerId: volunteer.id, displayName: '', teamNames: [], stars: figures.stars, hours: figures.periodHours };
    // Names are looked up only for those who make the list.
    if (top.accepts(candidate)) top.offer({ ...candidate, displayName: displayNameOf(state, volunteer), teamNames: teamNamesOf(state, volunteer) });
  }
  return top.items();
}

/**
 * Volunteers whose star rose this month: the star now against the star their star-period hours
 * gave before this month's attendances (the month always lies in the current star year). The
 * balance and evaluation conditions are taken as they are now.
 */
function newStarsOf(state: StationState, minutesByVolunteer: Map<string, number>, now: Date, year: number): BoardState['newStars'] {
  const top = new TopList<BoardState['newStars'][number]>(BOARD_LIMITS.newStars, byStarsThenHours);
  for (const [volunteerId, monthMinutes] of minutesByVolunteer) {
    const volunteer = state.get('volunteers', volunteerId);
    if (!volunteer || volunteer.status !== 'active' || monthMinutes === 0) continue;
    const figures = figuresOf(state, volunteerId, now, year);
    if (figures.stars === 0) continue;
    const previousStars = starsFor(state, volunteerId, minutesToHours(Math.round(figures.periodHours * 60) - monthMinutes), figures.points);
    if (previousStars >= figures.stars) continue;
    top.offer({ volunteerId, displayName: displayNameOf(state, volunteer), teamNames: teamNamesOf(state, volunteer), stars: figures.stars, hours: figures.periodHours, previousStars });
  }
  return top.items();
}

/**
 * Today's figures (the attendance that began today: creditable minutes and people), as boardState
 * shows them and as a live event carries them: a board that patches 在场 from an event patches 今日参与
 * and today's hours from the same event, so the tiles never show two versions of the state.
 */
export function todayFigures(state: StationState, now: Date): { volunteersToday: number; hoursToday: number } {
  const zone = state.settings.timeZone;
  // Kept by the state as attendance changes: every scan's board event asks.
  const today = state.attendanceTotalsSince(startOfDayIn(dayKey(now, zone), zone).getTime());
  return { volunteersToday: today.volunteers, hoursToday: minutesToHours(today.minutes) };
}
