import type { Attendance, LedgerEntry } from '../../protocol/model.ts';
import type { ServiceRecord } from '../../protocol/service.ts';
import { toTenths } from '../../domain/points.ts';
import { countedMinutes, isOpen, type StationState } from '../state.ts';
import type { ArchivedCollection, ArchivedRecords, ArchiveFileFacts } from './archive-file.ts';

/**
 * A closed year moved out of the live state (collection `archives`, id = the year). Its records
 * live in `file`; what they added to each volunteer's totals stays here, so hours, per-year
 * minutes (stars) and points balances are the same as before the move.
 */
export interface YearArchive extends ArchiveFileFacts {
  id: string;
  year: number;
  archivedAt: string;
  /** Per volunteer: [volunteerId, creditable minutes (attendance + service), points in tenths]. */
  totals: [string, number, number][];
}

export interface ArchivableYear {
  records: ArchivedRecords;
  totals: [string, number, number][];
}

/**
 * The live records of `year` that move to its archive. Attendance and service records by the
 * year they began in (the year their minutes count towards), ledger entries by their date.
 * Kept live: an attendance still open or waiting for review (it can still be closed or
 * corrected), and the ledger entries of any attendance that stays live (a correction reverses them).
 * The same state always gives the same selection: replaying the journal's archive record drops
 * exactly what the file holds.
 */
export function archivableRecords(state: StationState, year: number): ArchivableYear {
  const moving = new Set<string>();
  const attendance: Attendance[] = [];
  for (const record of state.records.attendance.values()) {
    if (state.yearOf(record.checkInAt) !== year || isOpen(record) || (record.needsReview && !record.removed)) continue;
    attendance.push(record);
    moving.add(record.id);
  }
  const ledger: LedgerEntry[] = [];
  for (const entry of state.records.ledger.values()) {
    if (state.yearOf(entry.at) !== year) continue;
    // An entry of an attendance that stays live stays with it: correcting that attendance reverses it.
    if (entry.attendanceId !== undefined && state.records.attendance.has(entry.attendanceId) && !moving.has(entry.attendanceId)) continue;
    ledger.push(entry);
  }
  const serviceRecords: ServiceRecord[] = [];
  for (const record of state.records.serviceRecords.values()) if (state.yearOf(record.startedAt) === year) serviceRecords.push(record);

  const byVolunteer = new Map<string, [string, number, number]>();
  const row = (volunteerId: string) => {
    let found = byVolunteer.get(volunteerId);
    if (!found) byVolunteer.set(volunteerId, (found = [volunteerId, 0, 0]));
    return found;
  };
  for (const record of attendance) {
    const minutes = countedMinutes(record);
    if (minutes) row(record.volunteerId)[1] += minutes;
  }
  for (const record of serviceRecords) if (!record.removed && record.creditedMinutes) row(record.volunteerId)[1] += record.creditedMinutes;
  for (const entry of ledger) row(entry.volunteerId)[2] += toTenths(entry.delta);
  return { records: { attendance, ledger, serviceRecords }, totals: [...byVolunteer.values()] };
}

export function countOf(records: ArchivedRecords): number {
  return records.attendance.length + records.ledger.length + records.serviceRecords.length;
}

/** Whether two selections hold the very same record objects (records are replaced, never mutated). */
export function sameSelection(a: ArchivedRecords, b: ArchivedRecords): boolean {
  return (['attendance', 'ledger', 'serviceRecords'] as ArchivedCollection[]).every((c) => {
    const left = a[c] as unknown[];
    const right = b[c] as unknown[];
    return left.length === right.length && left.every((record, index) => record === right[index]);
  });
}
