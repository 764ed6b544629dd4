import type { CollectionName } from '../state.ts';
import { ArchivedYearsIndex } from './archived-years-index.ts';
import { DayTotalsIndex } from './day-totals-index.ts';
import { PresenceIndex } from './presence-index.ts';
import { RequestNumbersIndex } from './request-numbers-index.ts';
import { KeyIndex, ListIndex, type RecordChange, type StateIndex } from './state-index.ts';
import { StockIndex } from './stock-index.ts';
import { TotalsIndex } from './totals-index.ts';

/**
 * Every index of the live state, registered once: `StationState` applies each change to the
 * indexes that follow its collection and rebuilds them all from this list, and its query methods
 * (`StationQueries`) read them. To add an index: a line here and a query method.
 * `yearOf` is the center's calendar year of an instant (the totals count minutes per year).
 */
export function createStateIndexes(yearOf: (at: string) => number) {
  return {
    volunteerByCard: new KeyIndex('volunteers', (volunteer) => volunteer.cardNo),
    volunteerByPhone: new KeyIndex('volunteers', (volunteer) => volunteer.phone),
    volunteerByIdNumber: new KeyIndex('volunteers', (volunteer) => volunteer.idNumber),
    presence: new PresenceIndex(),
    attendanceByVolunteer: new ListIndex('attendance', (attendance) => attendance.volunteerId),
    attendanceByActivity: new ListIndex('attendance', (attendance) => attendance.activityId),
    dayTotals: new DayTotalsIndex(),
    ledgerByVolunteer: new ListIndex('ledger', (entry) => entry.volunteerId),
    totals: new TotalsIndex(yearOf),
    stock: new StockIndex(),
    sessionByTokenHash: new KeyIndex('sessions', (session) => session.tokenHash),
    // A revoked device's token opens nothing.
    deviceByTokenHash: new KeyIndex('devices', (device) => (device.revokedAt ? undefined : device.tokenHash)),
    deviceByPairingHash: new KeyIndex('devices', (device) => device.pairingCodeHash),
    // Usernames are unique regardless of case.
    staffByUsername: new KeyIndex('staff', (staff) => staff.username.toLowerCase()),
    redemptionByReceiptNo: new KeyIndex('redemptions', (redemption) => redemption.receiptNo),
    // Sign-up ids are `<activity>:<volunteer>`, listed per activity and per volunteer in order of arrival.
    signupsByActivity: new ListIndex('signups', (signup) => signup.activityId),
    signupsByVolunteer: new ListIndex('signups', (signup) => signup.volunteerId),
    serviceRecordsByVolunteer: new ListIndex('serviceRecords', (record) => record.volunteerId),
    requestNumbers: new RequestNumbersIndex(),
    archivedYears: new ArchivedYearsIndex(),
  } satisfies Record<string, StateIndex>;
}

export type StateIndexes = ReturnType<typeof createStateIndexes>;

/** Per collection, the changes to run when one of its records changes: looked up once per apply, no walk of the whole list. */
export type IndexDispatch = { readonly [C in CollectionName]: readonly RecordChange<C>[] };

export function dispatchOf(indexes: Iterable<StateIndex>, collections: readonly CollectionName[]): IndexDispatch {
  const dispatch = Object.fromEntries(collections.map((name) => [name, [] as unknown[]])) as Record<CollectionName, unknown[]>;
  for (const index of indexes) {
    for (const [collection, change] of Object.entries(index.follows) as [CollectionName, unknown][]) {
      if (change) dispatch[collection].push(change);
    }
  }
  return dispatch as unknown as IndexDispatch;
}
