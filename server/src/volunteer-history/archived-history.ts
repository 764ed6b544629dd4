import { startOfDayIn } from '../domain/time-zone.ts';
import type { Attendance, LedgerEntry, Redemption } from '../protocol/model.ts';
import type { Signup } from '../protocol/organizing.ts';
import type { ServiceRecord } from '../protocol/service.ts';
import { attendedKey } from '../signups/signup-rules.ts';
import type { ArchivedRecords } from '../store/archive/archive-file.ts';
import type { YearArchive } from '../store/archive/year-archive.ts';
import type { StationState } from '../store/state.ts';
import type { StationStore } from '../store/station-store.ts';

/** One volunteer's records of one closed year, as its archive file holds them. */
export interface VolunteerYear {
  year: number;
  attendance: readonly Attendance[];
  ledger: readonly LedgerEntry[];
  serviceRecords: readonly ServiceRecord[];
  /** The year's receipts (archive version 2; a version-1 year keeps them live). */
  redemptions: readonly Redemption[];
}

const membersOf = new WeakMap<YearArchive, Set<string>>();

/**
 * The archived years holding records of the volunteer, newest first: those whose per-volunteer
 * summary lists them (any creditable minutes or any ledger entry that year). A closed year in
 * which they earned nothing and spent nothing (only zero-minute or removed attendance) is not
 * read back for their own lists; reports and the admin's history still read it whole.
 */
export function archivedYearsOf(state: StationState, volunteerId: string): number[] {
  const years: number[] = [];
  for (const archive of state.records.archives.values()) {
    let members = membersOf.get(archive);
    if (!members) membersOf.set(archive, (members = new Set(archive.totals.map(([id]) => id))));
    if (members.has(volunteerId)) years.push(archive.year);
  }
  return years.sort((a, b) => b - a);
}

type YearIndex = Map<string, { attendance: Attendance[]; ledger: LedgerEntry[]; serviceRecords: ServiceRecord[]; redemptions: Redemption[] }>;
const indexOf = new WeakMap<ArchivedRecords, YearIndex>();

/**
 * The volunteer's records of one archived year. The year's file is read through the store's
 * cache (parsed a few minutes, shared with reports); its records are grouped by volunteer once
 * per parse (one pass, a few milliseconds for a busy year), so the next volunteer's look is free.
 */
export async function archivedYearOf(store: StationStore, year: number, volunteerId: string): Promise<VolunteerYear> {
  const records = store.archivedRecords ? await store.archivedRecords(year) : undefined;
  if (!records) return { year, attendance: [], ledger: [], serviceRecords: [], redemptions: [] };
  let index = indexOf.get(records);
  if (!index) indexOf.set(records, (index = groupByVolunteer(records)));
  const mine = index.get(volunteerId);
  return { year, attendance: mine?.attendance ?? [], ledger: mine?.ledger ?? [], serviceRecords: mine?.serviceRecords ?? [], redemptions: mine?.redemptions ?? [] };
}

function groupByVolunteer(records: ArchivedRecords): YearIndex {
  const index: YearIndex = new Map();
  const of = (volunteerId: string) => {
    let found = index.get(volunteerId);
    if (!found) index.set(volunteerId, (found = { attendance: [], ledger: [], serviceRecords: [], redemptions: [] }));
    return found;
  };
  for (const record of records.attendance) of(record.volunteerId).attendance.push(record);
  for (const record of records.ledger) of(record.volunteerId).ledger.push(record);
  for (const record of records.serviceRecords) of(record.volunteerId).serviceRecords.push(record);
  for (const record of records.redemptions) of(record.volunteerId).redemptions.push(record);
  return index;
}

/**
 * How many archived years (the newest holding the volunteer's records) a volunteer's own list may
 * read. Each year read is parsed whole and kept a few minutes (~20,000 records of a busy center):
 * a rare volunteer whose page would reach ten years back must not load the whole history into
 * memory from a phone. Older years are in the admin's history, reports and certificates.
 */
export const OWN_LIST_YEARS = 2;

/** An item of a newest-first list and the instant it is ordered by. */
export interface Dated<T> {
  at: string;
  item: T;
}

/**
 * The newest `limit` items of a volunteer's own history, live and archived: `pick` lists the
 * candidates from the live state and the archived years read so far. While fewer than `limit`
 * of them are newer than the next older archived year holding the volunteer's records, that year
 * is read too — so a page reads only the years it shows, newest first, and a volunteer with a
 * full page of live records reads none. Each attempt runs synchronously on the current state, so
 * a year archived in between is never counted twice nor lost. At most `OWN_LIST_YEARS` archived
 * years are read. `liveOnly`: the live records only (where the list is not shown).
 */
export async function newestOf<T>(
  store: StationStore,
  volunteerId: string,
  limit: number,
  pick: (state: StationState, archived: readonly VolunteerYear[]) => Dated<T>[],
  options: { liveOnly?: boolean } = {},
): Promise<T[]> {
  const loaded = new Map<number, VolunteerYear>();
  for (;;) {
    const state = store.state;
    const years = options.liveOnly ? [] : archivedYearsOf(state, volunteerId).slice(0, OWN_LIST_YEARS);
    const next = years.find((year) => !loaded.has(year));
    const candidates = pick(state, years.filter((year) => loaded.has(year)).map((year) => loaded.get(year)!));
    candidates.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const settled = next === undefined ? candidates.length : candidates.filter((c) => state.yearOf(c.at) > next).length;
    if (settled >= limit || next === undefined) return candidates.slice(0, limit).map((c) => c.item);
    loaded.set(next, await archivedYearOf(store, next, volunteerId));
  }
}

/**
 * The newest `limit` live records of a volunteer's index (kept oldest first) that `keep` accepts,
 * newest first: only these can be among the newest of the whole history, so a volunteer with years
 * of live records (archiving off) costs no more than one with a few.
 */
export function newestLive<R>(ids: readonly string[] | undefined, get: (id: string) => R | undefined, limit: number, keep: (record: R) => boolean): R[] {
  const out: R[] = [];
  for (let i = (ids?.length ?? 0) - 1; i >= 0 && out.length < limit; i--) {
    const record = get(ids![i]!);
    if (record !== undefined && keep(record)) out.push(record);
  }
  return out;
}

/**
 * How far past its New Year's Eve an attendance of a closed year may run: an overnight activity
 * ends the next morning, an auto sign-out comes at the activity's end, and credit stops at 24 h.
 */
const YEAR_REACH_MS = 48 * 3600_000;

/**
 * The archived attendance of the volunteers that may overlap [from, to): of each archived year
 * whose attendance (begun in it, ended at most two days after it) can reach the window. Only
 * windows at a closed year's end (a 补录 early on 1 January, a correction of an attendance of a
 * closed year that stayed live) read an archive; any other window reads nothing.
 */
export async function archivedAttendanceAround(store: StationStore, volunteerIds: Iterable<string>, from: string, to: string): Promise<Attendance[]> {
  const state = store.state;
  const zone = state.settings.timeZone;
  const start = Date.parse(from);
  const end = Date.parse(to);
  const out: Attendance[] = [];
  for (const year of state.archivedYears()) {
    if (startOfDayIn(`${year}-01-01`, zone).getTime() >= end || start >= startOfDayIn(`${year + 1}-01-01`, zone).getTime() + YEAR_REACH_MS) continue;
    for (const volunteerId of new Set(volunteerIds)) out.push(...(await archivedYearOf(store, year, volunteerId)).attendance);
  }
  return out;
}

/**
 * Which of the confirmed sign-ups were attended in a closed year (its attendance archived, the
 * sign-up live): `attendedKey`s for the no-show rules. Reads only the archived years of those
 * activities (their start and end), only for sign-ups of activities that ended at or after
 * `since` (ms) when given — the no-show window of a sign-up decision.
 */
export async function archivedAttendanceOfSignups(store: StationStore, signups: Iterable<Signup>, since?: number): Promise<Set<string>> {
  const state = store.state;
  const wanted = new Map<string, { volunteerId: string; year: number; activities: Set<string> }>();
  for (const signup of signups) {
    if (signup.status !== 'confirmed') continue;
    const activity = state.get('activities', signup.activityId);
    if (!activity || (since !== undefined && Date.parse(activity.endsAt) < since)) continue;
    for (const at of [activity.startsAt, activity.endsAt]) {
      const year = state.yearOf(at);
      if (!state.isArchivedYear(year)) continue;
      const key = `${signup.volunteerId} ${year}`;
      let entry = wanted.get(key);
      if (!entry) wanted.set(key, (entry = { volunteerId: signup.volunteerId, year, activities: new Set() }));
      entry.activities.add(activity.id);
    }
  }
  const out = new Set<string>();
  for (const { volunteerId, year, activities } of wanted.values()) {
    for (const attendance of (await archivedYearOf(store, year, volunteerId)).attendance) {
      if (!attendance.removed && activities.has(attendance.activityId)) out.add(attendedKey(volunteerId, attendance.activityId));
    }
  }
  return out;
}

/** The same for one volunteer's own sign-ups (their no-show list, a sign-up's pause rule). */
export function archivedAttendanceOfVolunteer(store: StationStore, volunteerId: string, since?: number): Promise<Set<string>> {
  const state = store.state;
  return archivedAttendanceOfSignups(store, state.signupIdsOfVolunteer(volunteerId).map((id) => state.get('signups', id)!).filter(Boolean), since);
}
