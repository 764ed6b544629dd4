import type { Attendance, Device, Redemption, Session, StaffUser, Volunteer } from '../protocol/model.ts';
import type { ServiceRecord } from '../protocol/service.ts';
import type { Settings } from '../protocol/settings.ts';
import type { DayTotals } from './indexes/day-totals-index.ts';
import type { VolunteerTotals } from './indexes/totals-index.ts';
import type { CollectionName, Collections, Counters } from './state.ts';

/**
 * What decisions and views read from the station's state: records by id and the named queries
 * over the indexes. `StationState` answers them from memory; a read model over another backend
 * (the district hub's PostgreSQL) would implement the same type. Readers use these queries, never
 * the indexes themselves, so what is kept hot and what is archived can change behind them.
 *
 * Lists are ids, oldest first: the live list, typed read-only (copy it to keep it as it is now),
 * and the same empty list when there is none, so a query costs no allocation.
 */
export interface StationQueries {
  readonly settings: Settings;
  readonly counters: Counters;
  get<C extends CollectionName>(collection: C, id: string): Collections[C] | undefined;

  // People and credentials, by their unique keys.
  volunteerWithCard(cardNo: string): Volunteer | undefined;
  volunteerWithPhone(phone: string): Volunteer | undefined;
  volunteerWithIdNumber(idNumber: string): Volunteer | undefined;
  /** Usernames are unique regardless of case. */
  staffWithUsername(username: string): StaffUser | undefined;
  sessionWithTokenHash(tokenHash: string): Session | undefined;
  /** Revoked devices are not found. */
  deviceWithTokenHash(tokenHash: string): Device | undefined;
  deviceWithPairingHash(pairingCodeHash: string): Device | undefined;
  redemptionWithReceiptNo(receiptNo: string): Redemption | undefined;

  // Presence: who is signed in now.
  openAttendanceOf(volunteerId: string): Attendance | undefined;
  isOnSite(volunteerId: string): boolean;
  /** The open attendances' ids, one per volunteer signed in. */
  openAttendanceIds(): Iterable<string>;
  onSiteCount(activityId: string): number;
  /** People on site per activity with anyone on site. */
  onSiteCountsByActivity(): ReadonlyMap<string, number>;

  // Histories, as ids oldest first.
  attendanceIdsOf(volunteerId: string): readonly string[];
  attendanceIdsOfActivity(activityId: string): readonly string[];
  /** Creditable minutes and people of the attendance that began at or after `from` (ms): today's figures, kept as attendance changes. */
  attendanceTotalsSince(from: number): DayTotals;
  ledgerIdsOf(volunteerId: string): readonly string[];
  signupIdsOfActivity(activityId: string): readonly string[];
  signupIdsOfVolunteer(volunteerId: string): readonly string[];
  /** The service records of a volunteer, oldest first; removed ones included. */
  serviceRecordsOf(volunteerId: string): ServiceRecord[];

  // Figures.
  /** Creditable minutes (lifetime and per year in the center's zone) and points balance, archived years included. */
  totalsOf(volunteerId: string): VolunteerTotals;
  /** Points balance in tenths (`domain/points.ts`). */
  balanceTenthsOf(volunteerId: string): number;
  stockOf(goodsId: string): number;
  /** The highest sequence number given to a service request in the year (0 when none). */
  lastRequestNumber(year: number): number;

  // Years.
  yearOf(at: string): number;
  isArchivedYear(year: number): boolean;
  archivedYears(): number[];
}
