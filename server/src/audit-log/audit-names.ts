import type { AuditEntry } from '../protocol/model.ts';
import type { StationState } from '../store/state.ts';

/**
 * What the audit log's ids stand for, read when the log is read (not stored in it): a volunteer
 * anonymized later shows as anonymized, a renamed device by its name now. Staff-only, like the log.
 * Keys are the references as entries carry them: `staff:<username>`, `device:<id>`,
 * `volunteer:<id>` or a bare record id (the entry's target, or an id in its details).
 */
export function auditNames(state: StationState, entries: readonly AuditEntry[]): Record<string, string> {
  const names: Record<string, string> = {};
  const add = (reference: string | undefined) => {
    if (!reference || reference in names) return;
    const name = nameOf(state, reference);
    if (name) names[reference] = name;
  };
  for (const entry of entries) {
    add(entry.actor);
    add(entry.target);
    for (const value of Object.values(entry.details ?? {})) {
      if (typeof value === 'string' && value.length >= 8) add(value);
      if (Array.isArray(value)) for (const item of value) if (item.length >= 8) add(item);
    }
  }
  return names;
}

/** The staff member behind `staff:<username>` (usernames are unique). */
function staffNamed(state: StationState, username: string): string | undefined {
  for (const staff of state.records.staff.values()) if (staff.username === username) return staff.displayName || staff.username;
  return undefined;
}

function volunteerName(state: StationState, id: string): string | undefined {
  return state.get('volunteers', id)?.name;
}

export function nameOf(state: StationState, reference: string): string | undefined {
  const colon = reference.indexOf(':');
  if (colon > 0) {
    const kind = reference.slice(0, colon);
    const id = reference.slice(colon + 1);
    if (kind === 'staff') return staffNamed(state, id);
    if (kind === 'device') return state.get('devices', id)?.name;
    if (kind === 'volunteer') return volunteerName(state, id);
    return undefined;
  }
  const id = reference;
  const attendance = state.get('attendance', id);
  if (attendance) return [volunteerName(state, attendance.volunteerId), state.get('activities', attendance.activityId)?.title].filter(Boolean).join(' · ');
  const signup = state.get('signups', id) ?? state.get('gatePasses', id);
  if (signup) return [volunteerName(state, signup.volunteerId), state.get('activities', signup.activityId)?.title].filter(Boolean).join(' · ');
  const redemption = state.get('redemptions', id);
  if (redemption) return [redemption.receiptNo, volunteerName(state, redemption.volunteerId)].filter(Boolean).join(' · ');
  const snap = state.get('snaps', id);
  if (snap) return volunteerName(state, snap.volunteerId);
  const pairing = state.get('pairings', id);
  if (pairing) return [state.get('residents', pairing.residentId)?.name, ...pairing.volunteerIds.map((v) => volunteerName(state, v))].filter(Boolean).join('、');
  return (
    volunteerName(state, id) ??
    state.get('staff', id)?.displayName ??
    state.get('devices', id)?.name ??
    state.get('activities', id)?.title ??
    state.get('goods', id)?.name ??
    state.get('teams', id)?.name ??
    state.get('residents', id)?.name ??
    state.get('trainings', id)?.title ??
    state.get('notices', id)?.title ??
    state.get('serviceRequests', id)?.number ??
    state.get('insurance', id)?.policyNo ??
    state.get('activitySeries', id)?.title
  );
}
