import type {
  Activity, Attendance, AuditEntry, Certificate, Device, Evaluation, Goods, LedgerEntry, Receipt, Redemption, Session, StaffUser,
  StockMovement, Team, Volunteer,
} from '../protocol/model.ts';
import type { Notice, StarRecord } from '../protocol/notices.ts';
import type { GatePass, InsurancePolicy, Signup, Training } from '../protocol/organizing.ts';
import type { MeLink, PhoneSession, Snap } from '../protocol/me.ts';
import type { Pairing, Resident, ServiceRecord, ServiceRequest, Visit } from '../protocol/service.ts';
import type { ActivitySeries } from '../protocol/recurring.ts';
import { defaultSettings, settingsSchema, withSettingsDefaults, type Settings } from '../protocol/settings.ts';
import { startOfDayIn } from '../domain/time-zone.ts';
import { archivableYears, countsOf, countOf, type YearArchive } from './archive/year-archive.ts';
import { collectionsOfVersion } from './archive/archive-file.ts';
import { createStateIndexes, dispatchOf, type IndexDispatch } from './indexes/state-indexes.ts';
import type { DayTotals } from './indexes/day-totals-index.ts';
import type { VolunteerTotals } from './indexes/totals-index.ts';
import type { StationQueries } from './station-queries.ts';

export interface Counters {
  id: 'counters';
  cardNo: number;
  receiptNo: number;
  certificateNo: number;
}

/** The district hub link set in the admin (server/src/hub-link); HUB_URL and HUB_JOIN_KEY win over it. */
export interface HubLinkRecord {
  id: 'hubLink';
  url: string;
  joinKey: string;
  updatedAt: string;
}

interface SettingsRecord {
  id: 'settings';
  settings: Settings;
}

/** Each collection and the shape of its records. Records are replaced, never mutated, so a snapshot can capture them without copying. */
export interface Collections {
  config: SettingsRecord | Counters | HubLinkRecord;
  volunteers: Volunteer;
  teams: Team;
  activities: Activity;
  attendance: Attendance;
  ledger: LedgerEntry;
  devices: Device;
  staff: StaffUser;
  sessions: Session;
  goods: Goods;
  stockMovements: StockMovement;
  redemptions: Redemption;
  certificates: Certificate & { id: string };
  audit: AuditEntry;
  receipts: Receipt;
  evaluations: Evaluation;
  notices: Notice;
  starRecords: StarRecord;
  signups: Signup;
  trainings: Training;
  insurance: InsurancePolicy;
  gatePasses: GatePass;
  // The volunteer's phone (issue 14): one-time links, phone sessions (id = token hash), 随手拍 snaps.
  meLinks: MeLink;
  phones: PhoneSession;
  snaps: Snap;
  // Organizing service (issue 13): residents, their requests, pairs and visits, and the service records that credit hours.
  residents: Resident;
  serviceRequests: ServiceRequest;
  pairings: Pairing;
  visits: Visit;
  serviceRecords: ServiceRecord;
  // Closed years moved to their own files (issue 16, store/archive/): the file's facts and the year's totals per volunteer.
  archives: YearArchive;
  // Recurring activities (issue 12): the rule of a series; its occurrences are activities with its `seriesId`.
  activitySeries: ActivitySeries;
}
export type CollectionName = keyof Collections;
export const collectionNames: CollectionName[] = [
  'config', 'volunteers', 'teams', 'activities', 'attendance', 'ledger', 'devices', 'staff', 'sessions', 'goods',
  'stockMovements', 'redemptions', 'certificates', 'audit', 'receipts', 'evaluations', 'notices', 'starRecords',
  'signups', 'trainings', 'insurance', 'gatePasses',
  'meLinks', 'phones', 'snaps',
  'residents', 'serviceRequests', 'pairings', 'visits', 'serviceRecords',
  'archives',
  'activitySeries',
];

/** Append-only collections: a put over an existing id is a bug, not a correction. */
const appendOnly = new Set<CollectionName>(['ledger', 'stockMovements', 'audit']);

/** One journal record holds the changes of one transaction: they are applied together or not at all. */
export type Change =
  | { [C in CollectionName]: { c: C; v: Collections[C] } }[CollectionName]
  | { c: CollectionName; id: string; remove: true };

export type { VolunteerTotals } from './indexes/totals-index.ts';
export { countedMinutes, isOpen } from './attendance-facts.ts';

/**
 * The whole state in memory, with indexes derived from it. Indexes are never stored: they are
 * rebuilt from the records on load, so a snapshot cannot hold an index that disagrees with them.
 * Each index is registered once (indexes/state-indexes.ts) and read through the query methods
 * of `StationQueries`.
 */
export class StationState implements StationQueries {
  seq = 0;
  readonly records: { [C in CollectionName]: Map<string, Collections[C]> };

  readonly #indexes = createStateIndexes((at) => this.#years.yearOf(at));
  readonly #dispatch: IndexDispatch = dispatchOf(Object.values(this.#indexes), collectionNames);
  #timeZone = defaultSettings.timeZone;
  #years = new YearStarts(defaultSettings.timeZone);

  constructor() {
    this.records = Object.fromEntries(collectionNames.map((name) => [name, new Map()])) as StationState['records'];
  }

  get settings(): Settings {
    const record = this.records.config.get('settings') as SettingsRecord | undefined;
    if (!record) return defaultSettings;
    // Snapshots written before a settings group existed lack it; fill it once per stored record.
    let settings = completedSettings.get(record);
    if (!settings) {
      settings = withSettingsDefaults(record.settings);
      completedSettings.set(record, settings);
    }
    return settings;
  }

  get counters(): Counters {
    return (this.records.config.get('counters') as Counters | undefined) ?? { id: 'counters', cardNo: 100000, receiptNo: 0, certificateNo: 0 };
  }

  get<C extends CollectionName>(collection: C, id: string): Collections[C] | undefined {
    return this.records[collection].get(id);
  }

  apply(change: Change): void {
    const map = this.records[change.c] as Map<string, Collections[CollectionName]>;
    if ('remove' in change) {
      if (change.c === 'archives') throw new Error('An archived year cannot be brought back by removing its record');
      const old = map.get(change.id);
      if (!old) return;
      map.delete(change.id);
      this.#index(change.c, old, undefined);
      return;
    }
    const old = map.get(change.v.id);
    if (old && appendOnly.has(change.c)) throw new Error(`${change.c} is append-only; ${change.v.id} already exists`);
    if (change.c === 'archives') return this.#archiveYears([change.v], true);
    map.set(change.v.id, change.v);
    this.#index(change.c, old, change.v);
    // The totals count minutes per year in the center's zone: a new zone recounts them all.
    if (change.c === 'config' && change.v.id === 'settings' && this.settings.timeZone !== this.#timeZone) this.rebuildIndexes();
  }

  /**
   * Applies one transaction's changes. Closed years archived together (a commit of `archives`
   * records only) move in one pass and one index rebuild; `rebuild: false` leaves that rebuild to
   * the caller (the journal replay rebuilds once at its end).
   */
  applyAll(changes: readonly Change[], options: { rebuild?: boolean } = {}): void {
    const archives = changes.flatMap((change) => (change.c === 'archives' && !('remove' in change) ? [change.v] : []));
    if (archives.length === 0) {
      for (const change of changes) this.apply(change);
      return;
    }
    if (archives.length !== changes.length) throw new Error('A transaction archiving years holds nothing else');
    this.#archiveYears(archives, options.rebuild ?? true);
  }

  /**
   * Closed years move out: their records (the same selection the files were written from, so a
   * replay drops exactly what the files hold) leave the maps, and the indexes are rebuilt once,
   * with each year's totals and stock carried by its archive record.
   */
  #archiveYears(archives: readonly YearArchive[], rebuild: boolean): void {
    for (const archive of archives) {
      if (archive.id !== String(archive.year) || this.#indexes.archivedYears.has(archive.year) || archives.filter((a) => a.year === archive.year).length > 1) {
        throw new Error(`The archive of ${archive.year} is recorded twice or under the wrong id`);
      }
    }
    const selected = archivableYears(this, archives);
    for (const archive of archives) {
      const { records } = selected.get(archive.year)!;
      if (collectionsOfVersion(archive.version).some((c) => records[c].length !== archive.counts[c])) {
        throw new Error(`The archive of ${archive.year} holds ${JSON.stringify(archive.counts)} but the live state has ${JSON.stringify(countsOf(records, archive.version))} (${countOf(records)} records)`);
      }
    }
    for (const archive of archives) {
      const { records } = selected.get(archive.year)!;
      for (const [c, list] of Object.entries(records) as [CollectionName, { id: string }[]][]) for (const record of list) this.records[c].delete(record.id);
      this.records.archives.set(archive.id, archive);
      // The year is archived at once (a later record of the replay may test it); the rebuild makes the rest exact.
      this.#index('archives', undefined, archive);
    }
    if (rebuild) this.rebuildIndexes();
  }

  /** The calendar year of an instant in the center's zone. */
  yearOf(at: string): number {
    return this.#years.yearOf(at);
  }

  /** Whether the year's history was moved to its archive file: its records are no longer live and cannot change. */
  isArchivedYear(year: number): boolean {
    return this.#indexes.archivedYears.has(year);
  }

  /** The archived years, oldest first. */
  archivedYears(): number[] {
    return this.#indexes.archivedYears.sorted();
  }

  /**
   * The first change that would write into an archived year — a new attendance, ledger entry or
   * service record dated in it, or a change to one of its records (no longer live) — or undefined.
   */
  archivedYearWrittenBy(changes: readonly Change[]): number | undefined {
    if (this.#indexes.archivedYears.size === 0) return undefined;
    for (const change of changes) {
      if ('remove' in change) continue;
      let at: string | undefined;
      if (change.c === 'attendance') at = this.records.attendance.has(change.v.id) ? undefined : change.v.checkInAt;
      else if (change.c === 'serviceRecords') at = this.records.serviceRecords.has(change.v.id) ? undefined : change.v.startedAt;
      else if (change.c === 'ledger') at = change.v.at;
      // A redemption of an archived year (archive version 2) is no longer live: voiding it would write into the year.
      else if (change.c === 'redemptions') at = this.records.redemptions.has(change.v.id) ? undefined : change.v.at;
      if (at === undefined) continue;
      const year = this.#years.yearOf(at);
      if (this.#indexes.archivedYears.has(year)) return year;
    }
    return undefined;
  }

  rebuildIndexes(): void {
    for (const index of Object.values(this.#indexes)) index.clear();
    this.#timeZone = this.settings.timeZone;
    this.#years = new YearStarts(this.#timeZone);
    for (const name of collectionNames) {
      const changes = this.#dispatch[name] as readonly RecordChange[];
      if (changes.length === 0) continue;
      for (const record of this.records[name].values()) for (const change of changes) change(undefined, record);
    }
  }

  #index(collection: CollectionName, old: unknown, next: unknown): void {
    for (const change of this.#dispatch[collection] as readonly RecordChange[]) change(old, next);
  }

  // The queries (StationQueries), one lookup each.

  volunteerWithCard(cardNo: string): Volunteer | undefined {
    return this.#recordOf('volunteers', this.#indexes.volunteerByCard.idOf(cardNo));
  }

  volunteerWithPhone(phone: string): Volunteer | undefined {
    return this.#recordOf('volunteers', this.#indexes.volunteerByPhone.idOf(phone));
  }

  volunteerWithIdNumber(idNumber: string): Volunteer | undefined {
    return this.#recordOf('volunteers', this.#indexes.volunteerByIdNumber.idOf(idNumber));
  }

  staffWithUsername(username: string): StaffUser | undefined {
    return this.#recordOf('staff', this.#indexes.staffByUsername.idOf(username.toLowerCase()));
  }

  sessionWithTokenHash(tokenHash: string): Session | undefined {
    return this.#recordOf('sessions', this.#indexes.sessionByTokenHash.idOf(tokenHash));
  }

  deviceWithTokenHash(tokenHash: string): Device | undefined {
    return this.#recordOf('devices', this.#indexes.deviceByTokenHash.idOf(tokenHash));
  }

  deviceWithPairingHash(pairingCodeHash: string): Device | undefined {
    return this.#recordOf('devices', this.#indexes.deviceByPairingHash.idOf(pairingCodeHash));
  }

  redemptionWithReceiptNo(receiptNo: string): Redemption | undefined {
    return this.#recordOf('redemptions', this.#indexes.redemptionByReceiptNo.idOf(receiptNo));
  }

  openAttendanceOf(volunteerId: string): Attendance | undefined {
    return this.#recordOf('attendance', this.#indexes.presence.openAttendanceIdOf(volunteerId));
  }

  isOnSite(volunteerId: string): boolean {
    return this.#indexes.presence.isOnSite(volunteerId);
  }

  openAttendanceIds(): IterableIterator<string> {
    return this.#indexes.presence.openAttendanceIds();
  }

  onSiteCount(activityId: string): number {
    return this.#indexes.presence.onSiteCount(activityId);
  }

  onSiteCountsByActivity(): ReadonlyMap<string, number> {
    return this.#indexes.presence.onSiteCounts;
  }

  attendanceIdsOf(volunteerId: string): readonly string[] {
    return this.#indexes.attendanceByVolunteer.idsOf(volunteerId);
  }

  attendanceIdsOfActivity(activityId: string): readonly string[] {
    return this.#indexes.attendanceByActivity.idsOf(activityId);
  }

  attendanceTotalsSince(from: number): DayTotals {
    return this.#indexes.dayTotals.since(from, this.records.attendance);
  }

  ledgerIdsOf(volunteerId: string): readonly string[] {
    return this.#indexes.ledgerByVolunteer.idsOf(volunteerId);
  }

  signupIdsOfActivity(activityId: string): readonly string[] {
    return this.#indexes.signupsByActivity.idsOf(activityId);
  }

  signupIdsOfVolunteer(volunteerId: string): readonly string[] {
    return this.#indexes.signupsByVolunteer.idsOf(volunteerId);
  }

  /** The service records (completed requests, pairing visits) of a volunteer, oldest first; removed ones included. */
  serviceRecordsOf(volunteerId: string): ServiceRecord[] {
    return this.#indexes.serviceRecordsByVolunteer.idsOf(volunteerId).map((id) => this.records.serviceRecords.get(id)!).filter(Boolean);
  }

  /** Volunteer totals: creditable minutes (lifetime and per year in the center's zone) and points balance. */
  totalsOf(volunteerId: string): VolunteerTotals {
    return this.#indexes.totals.of(volunteerId);
  }

  balanceTenthsOf(volunteerId: string): number {
    return this.#indexes.totals.of(volunteerId).pointsTenths;
  }

  stockOf(goodsId: string): number {
    return this.#indexes.stock.of(goodsId);
  }

  /** The highest sequence number given to a request in the year (0 when none). */
  lastRequestNumber(year: number): number {
    return this.#indexes.requestNumbers.last(year);
  }

  #recordOf<C extends CollectionName>(collection: C, id: string | undefined): Collections[C] | undefined {
    return id === undefined ? undefined : this.records[collection].get(id);
  }
}

/** An index's change handler, as the dispatch table holds it (typed per collection where registered). */
type RecordChange = (old: unknown, next: unknown) => void;

/**
 * The calendar year of an instant in the center's zone, from the cached first instant of each
 * year. Building a zoned date per record cost about 10 µs, which made indexing the
 * community-10y set (200,000 attendances) take seconds at every start-up.
 */
class YearStarts {
  readonly #starts = new Map<number, number>();
  readonly #startIsos = new Map<number, string>();
  constructor(readonly timeZone: string) {}

  yearOf(at: string): number {
    // Instants as toISOString writes them (`YYYY-MM-DDTHH:mm:ss.sssZ`, every record's) compare as
    // strings in time order: no Date.parse, which was most of archiving's and indexing's cost.
    if (at.length === 24 && at.charCodeAt(23) === 90 /* Z */ && at.charCodeAt(10) === 84 /* T */) {
      const year = Number(at.slice(0, 4));
      if (at < this.#startIso(year)) return year - 1;
      if (at >= this.#startIso(year + 1)) return year + 1;
      return year;
    }
    const time = Date.parse(at);
    // Every zone is within a day of UTC, so the local year is the UTC year or a neighbour.
    const year = new Date(time).getUTCFullYear();
    if (time < this.#start(year)) return year - 1;
    if (time >= this.#start(year + 1)) return year + 1;
    return year;
  }

  #startIso(year: number): string {
    let start = this.#startIsos.get(year);
    if (start === undefined) {
      start = new Date(this.#start(year)).toISOString();
      this.#startIsos.set(year, start);
    }
    return start;
  }

  #start(year: number): number {
    let start = this.#starts.get(year);
    if (start === undefined) {
      start = startOfDayIn(`${String(year).padStart(4, '0')}-01-01`, this.timeZone).getTime();
      this.#starts.set(year, start);
    }
    return start;
  }
}

/** Records are replaced, never mutated, so a completed copy stays valid as long as its record. */
const completedSettings = new WeakMap<SettingsRecord, Settings>();

/** Settings read from disk are validated like any input: a hand-edited snapshot cannot smuggle in a bad rule. */
export function parseStoredSettings(value: unknown): Settings {
  return settingsSchema.parse(value && typeof value === 'object' ? withSettingsDefaults(value as Settings) : value);
}
