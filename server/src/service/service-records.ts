import { pointsForAttendance } from '../domain/points.ts';
import { newId } from '../ids.ts';
import type { LedgerEntry } from '../protocol/model.ts';
import type { ServiceRecord } from '../protocol/service.ts';
import type { Change, StationState } from '../store/state.ts';

export interface ServiceCredit {
  kind: ServiceRecord['kind'];
  sourceId: string;
  /** A reopened request is served again in a new round: its records are new ones. */
  round?: number;
  title: string;
  place?: string;
  organizer?: string;
  startedAt: string;
  minutes: number;
  volunteerIds: string[];
  at: string;
  by: string;
}

/** One record per volunteer per service and round: the id is the proof that it was credited. */
export function serviceRecordId(credit: Pick<ServiceCredit, 'kind' | 'sourceId' | 'round'>, volunteerId: string): string {
  return `${credit.kind}:${credit.sourceId}:${credit.round ?? 0}:${volunteerId}`;
}

/**
 * Service hours and points for each volunteer who served, EXACTLY ONCE: a volunteer who already
 * has the record for this service and round gets nothing more. Minutes are credited as given
 * (staff state what was spent; there is no activity window to clip to); points follow the
 * center's default rule, as for an activity without its own.
 */
export function creditService(state: StationState, credit: ServiceCredit): { records: ServiceRecord[]; changes: Change[] } {
  const rule = state.settings.points.defaultRule;
  const endedAt = new Date(Date.parse(credit.startedAt) + credit.minutes * 60_000).toISOString();
  const records: ServiceRecord[] = [];
  const changes: Change[] = [];
  for (const volunteerId of new Set(credit.volunteerIds)) {
    const id = serviceRecordId(credit, volunteerId);
    if (state.get('serviceRecords', id)) continue;
    const record: ServiceRecord = {
      id,
      volunteerId,
      kind: credit.kind,
      sourceId: credit.sourceId,
      title: credit.title,
      ...(credit.place ? { place: credit.place } : {}),
      startedAt: credit.startedAt,
      endedAt,
      minutes: credit.minutes,
      creditedMinutes: credit.minutes,
      organizer: credit.organizer ?? state.settings.centerName,
    };
    records.push(record);
    changes.push({ c: 'serviceRecords', v: record });
    const points = pointsForAttendance(record.creditedMinutes, rule);
    if (points !== 0) {
      const entry: LedgerEntry = { id: newId(), volunteerId, delta: points, kind: 'service', reason: credit.title, at: credit.at, by: credit.by, serviceRecordId: id };
      changes.push({ c: 'ledger', v: entry });
    }
  }
  return { records, changes };
}
