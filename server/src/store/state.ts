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
import { toTenths } from '../domain/points.ts';
import { startOfDayIn } from '../domain/time-zone.ts';
import { archivableYears, countsOf, countOf, type YearArchive } from './archive/year-archive.ts';
import { collectionsOfVersion } from './archive/archive-file.ts';

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

interface VolunteerTotals {
  minutes: number;
  minutesByYear: Map<number, number>;
  pointsTenths: number;
}

/**
 * The whole state in memory, with indexes derived from it. Indexes are never stored: they are
 * rebuilt from the records on load, so a snapshot cannot hold an index that disagrees with them.
 */
export class StationState {
  seq = 0;
  readonly records: { [C in CollectionName]: Map<string, Collections[C]> };

  readonly volunteerByCardNo = new Map<string, string>();
  readonly volunteerByPhone = new Map<string, string>();
  readonly volunteerByIdNumber = new Map<string, string>();
  readonly openAttendanceByVolunteer = new Map<string, string>();
  /** People on site per activity (the open attendances above, by activity), kept as they change so a scan need not walk them all. */
  readonly onSiteCounts = new Map<string, number>();
  readonly #onSiteActivityByVolunteer = new Map<string, string>();
  readonly attendanceByVolunteer = new Map<string, string[]>();
  readonly attendanceByActivity = new Map<string, string[]>();
  readonly ledgerByVolunteer = new Map<string, string[]>();
  readonly totals = new Map<string, VolunteerTotals>();
  readonly stock = new Map<string, number>();
  readonly sessionByTokenHash = new Map<string, string>();
  readonly deviceByTokenHash = new Map<string, string>();
  readonly deviceByPairingHash = new Map<string, string>();
  readonly staffByUsername = new Map<string, string>();
  readonly redemptionByReceiptNo = new Map<string, string>();
  /** Sign-up ids per activity and per volunteer, in order of arrival. */
  readonly signupsByActivity = new Map<string, string[]>();
  readonly signupsByVolunteer = new Map<string, string[]>();
  readonly #serviceRecordsByVolunteer = new Map<string, string[]>();
  /** Highest request number per year (`2026-0042` → 42), so the next number is one lookup. */
  readonly #requestNumbers = new Map<number, number>();
  /** Years whose history lives in an archive file (store/archive/). */
  readonly #archivedYears = new Set<number>();
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
      if (archive.id !== String(archive.year) || this.#archivedYears.has(archive.year) || archives.filter((a) => a.year === archive.year).length > 1) {
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
      this.#archivedYears.add(archive.year);
    }
    if (rebuild) this.rebuildIndexes();
  }

  /** The calendar year of an instant in the center's zone. */
  yearOf(at: string): number {
    return this.#years.yearOf(at);
  }

  /** Whether the year's history was moved to its archive file: its records are no longer live and cannot change. */
  isArchivedYear(year: number): boolean {
    return this.#archivedYears.has(year);
  }

  /** The archived years, oldest first. */
  archivedYears(): number[] {
    return [...this.#archivedYears].sort((a, b) => a - b);
  }

  /**
   * The first change that would write into an archived year — a new attendance, ledger entry or
   * service record dated in it, or a change to one of its records (no longer live) — or undefined.
   */
  archivedYearWrittenBy(changes: readonly Change[]): number | undefined {
    if (this.#archivedYears.size === 0) return undefined;
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
      if (this.#archivedYears.has(year)) return year;
    }
    return undefined;
  }

  /** Volunteer totals: creditable minutes (lifetime and per year in the center's zone) and points balance. */
  totalsOf(volunteerId: string): VolunteerTotals {
    return this.totals.get(volunteerId) ?? { minutes: 0, minutesByYear: new Map(), pointsTenths: 0 };
  }

  stockOf(goodsId: string): number {
    return this.stock.get(goodsId) ?? 0;
  }

  rebuildIndexes(): void {
    for (const index of [
      this.volunteerByCardNo, this.volunteerByPhone, this.volunteerByIdNumber, this.openAttendanceByVolunteer, this.onSiteCounts, this.#onSiteActivityByVolunteer,
      this.attendanceByVolunteer, this.attendanceByActivity, this.ledgerByVolunteer, this.totals, this.stock,
      this.sessionByTokenHash, this.deviceByTokenHash, this.deviceByPairingHash, this.staffByUsername, this.redemptionByReceiptNo,
      this.signupsByActivity, this.signupsByVolunteer,
      this.#serviceRecordsByVolunteer, this.#requestNumbers, this.#archivedYears,
    ]) index.clear();
    this.#timeZone = this.settings.timeZone;
    this.#years = new YearStarts(this.#timeZone);
    for (const name of collectionNames) {
      for (const record of this.records[name].values()) this.#index(name, undefined, record);
    }
  }

  #index(collection: CollectionName, old: unknown, next: unknown): void {
    switch (collection) {
      case 'config': {
        if ((next as { id: string } | undefined)?.id === 'settings' && this.settings.timeZone !== this.#timeZone) this.rebuildIndexes();
        return;
      }
      case 'volunteers':
        return this.#indexVolunteer(old as Volunteer | undefined, next as Volunteer | undefined);
      case 'attendance':
        return this.#indexAttendance(old as Attendance | undefined, next as Attendance | undefined);
      case 'ledger': {
        const entry = next as LedgerEntry;
        push(this.ledgerByVolunteer, entry.volunteerId, entry.id);
        this.#totalsFor(entry.volunteerId).pointsTenths += toTenths(entry.delta);
        return;
      }
      case 'stockMovements': {
        const movement = next as StockMovement;
        this.stock.set(movement.goodsId, this.stockOf(movement.goodsId) + movement.delta);
        return;
      }
      case 'sessions':
        return reindex(this.sessionByTokenHash, (old as Session | undefined)?.tokenHash, (next as Session | undefined)?.tokenHash, (next ?? old) as Session);
      case 'devices': {
        const before = old as Device | undefined;
        const after = next as Device | undefined;
        reindex(this.deviceByTokenHash, before?.tokenHash, after?.revokedAt ? undefined : after?.tokenHash, (after ?? before)!);
        reindex(this.deviceByPairingHash, before?.pairingCodeHash, after?.pairingCodeHash, (after ?? before)!);
        return;
      }
      case 'staff':
        return reindex(this.staffByUsername, (old as StaffUser | undefined)?.username.toLowerCase(), (next as StaffUser | undefined)?.username.toLowerCase(), (next ?? old) as StaffUser);
      case 'redemptions': {
        const redemption = next as Redemption | undefined;
        if (redemption) this.redemptionByReceiptNo.set(redemption.receiptNo, redemption.id);
        return;
      }
      case 'signups': {
        // Ids are `<activity>:<volunteer>`: a sign-up is replaced in place, so only a new one is listed.
        const signup = next as Signup | undefined;
        if (!old && signup) {
          push(this.signupsByActivity, signup.activityId, signup.id);
          push(this.signupsByVolunteer, signup.volunteerId, signup.id);
        }
        return;
      }
      case 'serviceRecords':
        return this.#indexServiceRecord(old as ServiceRecord | undefined, next as ServiceRecord | undefined);
      case 'archives': {
        // A closed year's totals, carried so the hours, stars and balances stay what they were.
        const archive = next as YearArchive;
        this.#archivedYears.add(archive.year);
        for (const [volunteerId, minutes, pointsTenths] of archive.totals) {
          const totals = this.#totalsFor(volunteerId);
          totals.minutes += minutes;
          if (minutes) totals.minutesByYear.set(archive.year, (totals.minutesByYear.get(archive.year) ?? 0) + minutes);
          totals.pointsTenths += pointsTenths;
        }
        for (const [goodsId, delta] of archive.stock ?? []) this.stock.set(goodsId, this.stockOf(goodsId) + delta);
        return;
      }
      case 'serviceRequests': {
        const request = next as ServiceRequest | undefined;
        const [year, sequence] = (request?.number ?? '').split('-').map(Number);
        if (year && sequence && sequence > (this.#requestNumbers.get(year) ?? 0)) this.#requestNumbers.set(year, sequence);
        return;
      }
      default:
        return;
    }
  }

  /** The service records (completed requests, pairing visits) of a volunteer, oldest first; removed ones included. */
  serviceRecordsOf(volunteerId: string): ServiceRecord[] {
    return (this.#serviceRecordsByVolunteer.get(volunteerId) ?? []).map((id) => this.records.serviceRecords.get(id)!).filter(Boolean);
  }

  /** The highest sequence number given to a request in the year (0 when none). */
  lastRequestNumber(year: number): number {
    return this.#requestNumbers.get(year) ?? 0;
  }

  #indexServiceRecord(old: ServiceRecord | undefined, next: ServiceRecord | undefined): void {
    if (!old && next) push(this.#serviceRecordsByVolunteer, next.volunteerId, next.id);
    // Service hours count towards the totals (stars, certificates) exactly like attendance.
    if (old && !old.removed) this.#addServiceMinutes(old.volunteerId, old.startedAt, -old.creditedMinutes);
    if (next && !next.removed) this.#addServiceMinutes(next.volunteerId, next.startedAt, next.creditedMinutes);
  }

  #addServiceMinutes(volunteerId: string, at: string, minutes: number): void {
    if (!minutes) return;
    const totals = this.#totalsFor(volunteerId);
    totals.minutes += minutes;
    const year = this.#years.yearOf(at);
    totals.minutesByYear.set(year, (totals.minutesByYear.get(year) ?? 0) + minutes);
  }

  #indexVolunteer(old: Volunteer | undefined, next: Volunteer | undefined): void {
    const record = (next ?? old)!;
    reindex(this.volunteerByCardNo, old?.cardNo, next?.cardNo, record);
    reindex(this.volunteerByPhone, old?.phone, next?.phone, record);
    reindex(this.volunteerByIdNumber, old?.idNumber, next?.idNumber, record);
  }

  #indexAttendance(old: Attendance | undefined, next: Attendance | undefined): void {
    if (!old && next) {
      push(this.attendanceByVolunteer, next.volunteerId, next.id);
      push(this.attendanceByActivity, next.activityId, next.id);
    }
    if (old) {
      if (isOpen(old) && this.openAttendanceByVolunteer.get(old.volunteerId) === old.id) {
        this.openAttendanceByVolunteer.delete(old.volunteerId);
        this.#leaveSite(old.volunteerId);
      }
      this.#addMinutes(old, -1);
    }
    if (next) {
      if (isOpen(next)) {
        this.openAttendanceByVolunteer.set(next.volunteerId, next.id);
        this.#leaveSite(next.volunteerId);
        this.#onSiteActivityByVolunteer.set(next.volunteerId, next.activityId);
        this.onSiteCounts.set(next.activityId, (this.onSiteCounts.get(next.activityId) ?? 0) + 1);
      }
      this.#addMinutes(next, 1);
    }
  }

  #leaveSite(volunteerId: string): void {
    const activityId = this.#onSiteActivityByVolunteer.get(volunteerId);
    if (activityId === undefined) return;
    this.#onSiteActivityByVolunteer.delete(volunteerId);
    const count = (this.onSiteCounts.get(activityId) ?? 0) - 1;
    if (count > 0) this.onSiteCounts.set(activityId, count);
    else this.onSiteCounts.delete(activityId);
  }

  #addMinutes(attendance: Attendance, sign: 1 | -1): void {
    const minutes = countedMinutes(attendance);
    if (!minutes) return;
    const totals = this.#totalsFor(attendance.volunteerId);
    totals.minutes += sign * minutes;
    const year = this.#years.yearOf(attendance.checkInAt);
    totals.minutesByYear.set(year, (totals.minutesByYear.get(year) ?? 0) + sign * minutes);
  }

  #totalsFor(volunteerId: string): VolunteerTotals {
    let totals = this.totals.get(volunteerId);
    if (!totals) {
      totals = { minutes: 0, minutesByYear: new Map(), pointsTenths: 0 };
      this.totals.set(volunteerId, totals);
    }
    return totals;
  }
}

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

export function isOpen(attendance: Attendance): boolean {
  return !attendance.checkOutAt && !attendance.removed;
}

/** Creditable minutes an attendance contributes: nothing while open or once removed. */
export function countedMinutes(attendance: Attendance): number {
  return attendance.removed ? 0 : (attendance.creditedMinutes ?? 0);
}

function push(index: Map<string, string[]>, key: string, id: string): void {
  const list = index.get(key);
  if (list) list.push(id);
  else index.set(key, [id]);
}

function reindex(index: Map<string, string>, oldKey: string | undefined, newKey: string | undefined, record: { id: string }): void {
  if (oldKey !== undefined && oldKey !== newKey && index.get(oldKey) === record.id) index.delete(oldKey);
  if (newKey !== undefined) index.set(newKey, record.id);
}

/** Records are replaced, never mutated, so a completed copy stays valid as long as its record. */
const completedSettings = new WeakMap<SettingsRecord, Settings>();

/** Settings read from disk are validated like any input: a hand-edited snapshot cannot smuggle in a bad rule. */
export function parseStoredSettings(value: unknown): Settings {
  return settingsSchema.parse(value && typeof value === 'object' ? withSettingsDefaults(value as Settings) : value);
}
