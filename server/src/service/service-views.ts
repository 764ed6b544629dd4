import { maskName, maskPhone } from '../domain/masking.ts';
import type { Resident, ServiceRequest } from '../protocol/service.ts';
import type { StationState } from '../store/state.ts';
import { rankCandidates, type MatchCandidate } from './matching.ts';
import { urgencyOf } from './request-rules.ts';

/** An address shown to staff before a reveal: enough to recognise the building, not to find the door. */
export function maskAddress(address: string): string {
  const chars = Array.from(address);
  return chars.length <= 6 ? `${chars.slice(0, 2).join('')}****` : `${chars.slice(0, 6).join('')}****`;
}

/** Staff view of a resident: phone and address masked unless a reveal was asked for (and audited by the route). */
export function residentView(resident: Resident, reveal = false) {
  const { phone, address, ...rest } = resident;
  return {
    ...rest,
    ...(phone ? { phone: reveal ? phone : maskPhone(phone) } : {}),
    ...(address ? { address: reveal ? address : maskAddress(address) } : {}),
    revealed: reveal,
  };
}

/** Staff view of a request: the requester's phone masked unless revealed; names of the volunteers and resident for the list. */
export function requestView(state: StationState, request: ServiceRequest, now: Date, reveal = false) {
  const { phone, ...rest } = request;
  const resident = request.residentId ? state.get('residents', request.residentId) : undefined;
  return {
    ...rest,
    ...(phone ? { phone: reveal ? phone : maskPhone(phone) } : {}),
    ...(resident ? { resident: { id: resident.id, name: resident.name, grid: resident.grid, tags: resident.tags } } : {}),
    assignments: request.assignments.map((a) => ({ ...a, name: state.get('volunteers', a.volunteerId)?.name ?? '' })),
    ...urgencyOf(request, now),
  };
}

/** A name for places that are not staff-only (kiosk, board, public pages). */
export function publicResidentName(name: string | undefined): string | undefined {
  return name ? maskName(name) : undefined;
}

/**
 * Matching inputs from the store: each active volunteer's tasks in hand and the ratings of the
 * requests they served, gathered in one walk over the requests.
 */
export function matchesFor(state: StationState, request: ServiceRequest, limit = 20) {
  const load = new Map<string, number>();
  const ratings = new Map<string, number[]>();
  for (const other of state.records.serviceRequests.values()) {
    for (const assignment of other.assignments) {
      if (assignment.status === 'declined') continue;
      if (other.status === 'dispatched' || other.status === 'accepted') load.set(assignment.volunteerId, (load.get(assignment.volunteerId) ?? 0) + 1);
      if (other.rating && assignment.status === 'accepted') {
        const list = ratings.get(assignment.volunteerId) ?? [];
        list.push(other.rating.score);
        ratings.set(assignment.volunteerId, list);
      }
    }
  }
  const holding = new Set(request.assignments.filter((a) => a.status !== 'declined').map((a) => a.volunteerId));
  const declined = new Set(request.assignments.filter((a) => a.status === 'declined').map((a) => a.volunteerId));
  const candidates: MatchCandidate[] = [];
  for (const volunteer of state.records.volunteers.values()) {
    if (volunteer.status !== 'active' || holding.has(volunteer.id) || declined.has(volunteer.id)) continue;
    candidates.push({
      volunteerId: volunteer.id,
      name: volunteer.name,
      skills: volunteer.skills,
      grid: volunteer.grid,
      availability: volunteer.availability,
      activeTasks: load.get(volunteer.id) ?? 0,
      ratings: ratings.get(volunteer.id) ?? [],
    });
  }
  return rankCandidates(request, candidates, state.settings.timeZone).slice(0, limit);
}
