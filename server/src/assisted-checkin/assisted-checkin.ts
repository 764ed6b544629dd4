import { auditChange } from '../audit.ts';
import { assertActive } from '../attendance/resolve-card.ts';
import { decidePresence, type ScanDecision } from '../attendance/scan-rules.ts';
import type { AssistedCheckInInput, AssistedCheckInResult, AssistedPerson } from '../protocol/assisted-checkin.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { Change, StationState } from '../store/state.ts';
import { matchesQuery, type PersonQuery } from '../volunteers/search.ts';

/** How many people a search answers: staff type more letters rather than scroll. */
const MATCHES = 8;

export interface AssistedDecision {
  result: AssistedCheckInResult;
  changes: Change[];
  changed?: ScanDecision['changed'];
}

/**
 * A staff member signs someone in or out. Pure: the same presence rules as a kiosk scan (repeat
 * window, activity choice, gates, capacity) at the server's time, plus the staff member's intent:
 * if the person's state changed since the screen was drawn (a scan on a tablet meanwhile), the
 * chosen action is refused rather than turned into its opposite. Audited with the staff member.
 */
export function decideAssistedCheckIn(
  state: StationState,
  input: AssistedCheckInInput,
  options: { now: Date; actor: string; staffName: string },
): AssistedDecision {
  const volunteer = state.get('volunteers', input.volunteerId);
  if (!volunteer) throw new AppError('NOT_FOUND', 'No such volunteer', 404);
  assertActive(volunteer);
  const onSite = state.isOnSite(volunteer.id);
  if (input.action === 'check-out' && !onSite) throw new AppError('CONFLICT', 'This person is not signed in', 409, { onSite: false });
  if (input.action === 'check-in' && onSite) throw new AppError('CONFLICT', 'This person is already signed in', 409, { onSite: true });
  const presence = decidePresence(state, volunteer, {
    at: options.now,
    now: options.now,
    activityId: input.activityId,
    by: options.actor,
    source: { source: 'assisted', assistedBy: options.actor },
  });
  if (!presence.changed) return { result: presence.ack, changes: [] };
  const audit = auditChange(options.now, options.actor, `attendance.assisted-${presence.changed.action}`, presence.changed.attendanceId, `${presence.ack.activity.title} · ${options.staffName}`);
  return { result: presence.ack, changes: [...presence.changes, audit], changed: presence.changed };
}

/** People matching a search (name, pinyin initials, card number, a whole phone or its last 4 beside a name), with where each is signed in. */
export function findPeople(state: StationState, q: PersonQuery): AssistedPerson[] {
  const found: AssistedPerson[] = [];
  for (const volunteer of state.records.volunteers.values()) {
    if (volunteer.status === 'left' || !matchesQuery(volunteer, q)) continue;
    found.push(personView(state, volunteer));
    if (found.length >= MATCHES) break;
  }
  return found;
}

export function personView(state: StationState, volunteer: Volunteer): AssistedPerson {
  const open = state.openAttendanceOf(volunteer.id);
  const activity = open ? state.get('activities', open.activityId) : undefined;
  return {
    id: volunteer.id,
    name: volunteer.name,
    cardNo: volunteer.cardNo,
    status: volunteer.status,
    teamNames: volunteer.teamIds.map((id) => state.get('teams', id)?.name).filter((name): name is string => !!name),
    onSite: open && activity ? { attendanceId: open.id, activityId: activity.id, activityTitle: activity.title, checkInAt: open.checkInAt } : null,
  };
}
