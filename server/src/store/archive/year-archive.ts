import type { Attendance, AuditEntry, LedgerEntry, Redemption, StockMovement } from '../../protocol/model.ts';
import type { ServiceRecord } from '../../protocol/service.ts';
import { toTenths } from '../../domain/points.ts';
import { countedMinutes, isOpen, type StationState } from '../state.ts';
import { archivedCollections, collectionsOfVersion, emptyArchivedRecords, type ArchivedCollection, type ArchivedRecords, type ArchiveFileFacts } from './archive-file.ts';

/**
 * A closed year moved out of the live state (collection `archives`, id = the year). Its records
 * live in `file`; what they added to each volunteer's totals and to each goods' stock stays
 * here, so hours, per-year minutes (stars), points balances and stock are the same as before.
 */
export interface YearArchive extends ArchiveFileFacts {
  id: string;
  year: number;
  archivedAt: string;
  /**
   * What moved: 1 (absent) = attendance, ledger and service records; 2 = also the audit log,
   * redemptions and stock movements. A year archived as 1 keeps the rest live: a replay must drop
   * exactly what its file holds.
   */
  version?: 2;
  /** Per volunteer: [volunteerId, creditable minutes (attendance + service), points in tenths]. */
  totals: [string, number, number][];
  /** Per goods: [goodsId, sum of the year's stock movements] (version 2). */
  stock?: [string, number][];
}

/** The archive version new years are written with. */
export const ARCHIVE_VERSION = 2;

export interface ArchivableYear {
  records: ArchivedRecords;
  totals: [string, number, number][];
  stock: [string, number][];
}

/** The live records of each year, grouped in one pass (every record's year computed once). */
type Candidates = ArchivedRecords;

function groupByYear(state: StationState, years: ReadonlySet<number>, collections: ReadonlySet<ArchivedCollection>): Map<number, Candidates> {
  const out = new Map<number, Candidates>();
  for (const year of years) out.set(year, { attendance: [], ledger: [], serviceRecords: [], audit: [], redemptions: [], stockMovements: [] });
  const add = <C extends ArchivedCollection>(c: C, at: (record: Candidates[C][number]) => string) => {
    if (!collections.has(c)) return;
    for (const record of (state.records[c] as Map<string, Candidates[C][number]>).values()) {
      const bucket = out.get(state.yearOf(at(record)));
      if (bucket) (bucket[c] as unknown[]).push(record);
    }
  };
  add('attendance', (r) => r.checkInAt);
  add('ledger', (r) => r.at);
  add('serviceRecords', (r) => r.startedAt);
  add('audit', (r) => r.at);
  add('redemptions', (r) => r.at);
  add('stockMovements', (r) => r.at);
  return out;
}

/**
 * The live records that move to the archives of `years` (each with the version it is written
 * as), selected as if the years were moved one after the other, oldest first — in one pass over
 * the state. Attendance and service records by the year they began in (the year their minutes
 * count towards), everything else by its date. Kept live: an attendance still open or waiting
 * for review (it can still be closed or corrected), and the ledger entries of any attendance
 * that stays live (a correction reverses them). The same state always gives the same selection:
 * replaying the journal's archive records drops exactly what the files hold.
 */
export function archivableYears(state: StationState, years: readonly { year: number; version?: number }[]): Map<number, ArchivableYear> {
  const ordered = [...years].sort((a, b) => a.year - b.year);
  const collections = new Set(ordered.flatMap(({ version }) => collectionsOfVersion(version)));
  const candidates = groupByYear(state, new Set(ordered.map((y) => y.year)), collections);
  // Attendance moved by an earlier year of the batch is no longer live when a later year is selected.
  const moved = new Set<string>();
  const out = new Map<number, ArchivableYear>();
  for (const { year, version } of ordered) {
    const found = candidates.get(year)!;
    const records = emptyArchivedRecords();
    const moving = new Set<string>();
    for (const record of found.attendance) {
      if (isOpen(record) || (record.needsReview && !record.removed)) continue;
      records.attendance.push(record);
      moving.add(record.id);
    }
    for (const entry of found.ledger) {
      // An entry of an attendance that stays live stays with it: correcting that attendance reverses it.
      const attendanceId = entry.attendanceId;
      if (attendanceId !== undefined && state.records.attendance.has(attendanceId) && !moved.has(attendanceId) && !moving.has(attendanceId)) continue;
      records.ledger.push(entry);
    }
    records.serviceRecords.push(...found.serviceRecords);
    if (collectionsOfVersion(version).includes('audit')) {
      records.audit.push(...found.audit);
      records.redemptions.push(...found.redemptions);
      records.stockMovements.push(...found.stockMovements);
    }
    for (const id of moving) moved.add(id);
    out.set(year, { records, ...summaryOf(records) });
  }
  return out;
}

/** What the year's records add to each volunteer's totals and each goods' stock. */
function summaryOf(records: ArchivedRecords): { totals: [string, number, number][]; stock: [string, number][] } {
  const byVolunteer = new Map<string, [string, number, number]>();
  const row = (volunteerId: string) => {
    let found = byVolunteer.get(volunteerId);
    if (!found) byVolunteer.set(volunteerId, (found = [volunteerId, 0, 0]));
    return found;
  };
  for (const record of records.attendance) {
    const minutes = countedMinutes(record);
    if (minutes) row(record.volunteerId)[1] += minutes;
  }
  for (const record of records.serviceRecords) if (!record.removed && record.creditedMinutes) row(record.volunteerId)[1] += record.creditedMinutes;
  for (const entry of records.ledger) row(entry.volunteerId)[2] += toTenths(entry.delta);
  const stock = new Map<string, number>();
  for (const movement of records.stockMovements) stock.set(movement.goodsId, (stock.get(movement.goodsId) ?? 0) + movement.delta);
  return { totals: [...byVolunteer.values()], stock: [...stock] };
}

/** The live records of one year that move to its archive (see archivableYears). */
export function archivableRecords(state: StationState, year: number, version: number | undefined = ARCHIVE_VERSION): ArchivableYear {
  return archivableYears(state, [{ year, version }]).get(year)!;
}

export function countOf(records: ArchivedRecords): number {
  return archivedCollections.reduce((n, c) => n + records[c].length, 0);
}

/** The number of records per collection, as the archive record states them (a version-1 record names only its three). */
export function countsOf(records: ArchivedRecords, version: number | undefined): Partial<Record<ArchivedCollection, number>> {
  return Object.fromEntries(collectionsOfVersion(version).map((c) => [c, records[c].length]));
}

/** Whether two selections hold the very same record objects (records are replaced, never mutated). */
export function sameSelection(a: ArchivedRecords, b: ArchivedRecords): boolean {
  return archivedCollections.every((c) => {
    const left = a[c] as unknown[];
    const right = b[c] as unknown[];
    return left.length === right.length && left.every((record, index) => record === right[index]);
  });
}
