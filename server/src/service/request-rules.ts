import { AppError } from '../protocol/errors.ts';
import type { Assignment, RequestStatus, ServiceRequest } from '../protocol/service.ts';

/**
 * The life of a service request (群众点单 → 中心派单 → 志愿者接单 → 群众评单):
 *
 *   open ──dispatch──▶ dispatched ──accept──▶ accepted ──complete──▶ done ──rate──▶ rated
 *    │ ▲                   │  ▲                   │                                 │
 *    │ └──all declined─────┘  └──dispatch more────┤                   reopen (score ≤ 2)
 *    └──accept (a volunteer takes an open one)────┘                                 │
 *   open / dispatched / accepted ──cancel──▶ cancelled          open ◀──────────────┘
 *
 * Pure: the caller passes the request and the time; nothing here reads a clock or the store.
 */
export type RequestAction = 'dispatch' | 'accept' | 'decline' | 'complete' | 'rate' | 'cancel' | 'reopen';

/** A rating at or below this reopens the request if staff choose to. */
export const REOPEN_MAX_SCORE = 2;

const allowed: Record<RequestAction, readonly RequestStatus[]> = {
  dispatch: ['open', 'dispatched', 'accepted'],
  accept: ['open', 'dispatched', 'accepted'],
  decline: ['dispatched', 'accepted'],
  complete: ['accepted'],
  rate: ['done'],
  cancel: ['open', 'dispatched', 'accepted'],
  reopen: ['rated'],
};

export function canApply(status: RequestStatus, action: RequestAction): boolean {
  return allowed[action].includes(status);
}

function refuse(request: Pick<ServiceRequest, 'number' | 'status'>, action: RequestAction, why?: string): never {
  throw new AppError('REQUEST_STATE', why ?? `Request ${request.number} is ${request.status}; it cannot be ${pastTense[action]} now`, 409, {
    status: request.status,
    action,
  });
}

const pastTense: Record<RequestAction, string> = {
  dispatch: 'dispatched', accept: 'accepted', decline: 'declined', complete: 'completed', rate: 'rated', cancel: 'cancelled', reopen: 'reopened',
};

function check(request: ServiceRequest, action: RequestAction): void {
  if (!canApply(request.status, action)) refuse(request, action);
}

function step(request: ServiceRequest, status: RequestStatus, at: string, by: string, note?: string): ServiceRequest {
  return { ...request, status, updatedAt: at, history: [...request.history, { at, by, status, ...(note ? { note } : {}) }] };
}

/** Volunteers who have accepted the current round: the ones credited on completion. */
export function acceptedVolunteers(request: Pick<ServiceRequest, 'assignments'>): string[] {
  return request.assignments.filter((a) => a.status === 'accepted').map((a) => a.volunteerId);
}

/** Sends the request to more volunteers. Those already holding it keep their place; someone who declined may be asked again. */
export function dispatch(request: ServiceRequest, volunteerIds: string[], at: string, by: string): ServiceRequest {
  check(request, 'dispatch');
  const byId = new Map(request.assignments.map((a) => [a.volunteerId, a]));
  const added: string[] = [];
  for (const volunteerId of new Set(volunteerIds)) {
    const current = byId.get(volunteerId);
    if (current && current.status !== 'declined') continue;
    byId.set(volunteerId, { volunteerId, status: 'dispatched', at });
    added.push(volunteerId);
  }
  if (added.length === 0) refuse(request, 'dispatch', `Request ${request.number} is already with these volunteers`);
  const status: RequestStatus = request.status === 'accepted' ? 'accepted' : 'dispatched';
  return step({ ...request, assignments: [...byId.values()] }, status, at, by, `dispatch:${added.join(',')}`);
}

/**
 * A volunteer accepts: one dispatched to them, or an open request nobody holds yet. Accepting
 * twice is harmless (the kiosk's replay is answered from its receipt before this runs).
 */
export function accept(request: ServiceRequest, volunteerId: string, at: string, via: string): ServiceRequest {
  check(request, 'accept');
  const current = request.assignments.find((a) => a.volunteerId === volunteerId);
  if (current?.status === 'accepted') return request;
  if (!current && request.status !== 'open') refuse(request, 'accept', `Request ${request.number} was sent to other volunteers`);
  const accepted: Assignment = { volunteerId, status: 'accepted', at: current?.at ?? at, acceptedAt: at, acceptedVia: via };
  const assignments = current ? request.assignments.map((a) => (a.volunteerId === volunteerId ? accepted : a)) : [...request.assignments, accepted];
  return step({ ...request, assignments }, 'accepted', at, via, `accept:${volunteerId}`);
}

/** A volunteer turns a dispatched request down with a reason; when nobody is left holding it, it is open again. */
export function decline(request: ServiceRequest, volunteerId: string, reason: string, at: string, via: string): ServiceRequest {
  check(request, 'decline');
  const current = request.assignments.find((a) => a.volunteerId === volunteerId);
  if (!current || current.status === 'declined') refuse(request, 'decline', `Request ${request.number} is not with this volunteer`);
  const assignments = request.assignments.map((a) => (a.volunteerId === volunteerId ? { ...a, status: 'declined' as const, declined: { at, reason } } : a));
  const holding = assignments.filter((a) => a.status !== 'declined');
  const status: RequestStatus = holding.some((a) => a.status === 'accepted') ? 'accepted' : holding.length > 0 ? 'dispatched' : 'open';
  return step({ ...request, assignments }, status, at, via, `decline:${volunteerId}: ${reason}`);
}

export function complete(request: ServiceRequest, minutes: number, at: string, by: string, note?: string): ServiceRequest {
  check(request, 'complete');
  if (acceptedVolunteers(request).length === 0) refuse(request, 'complete', `Nobody has accepted request ${request.number} yet`);
  return step({ ...request, completed: { at, by, minutes, ...(note ? { note } : {}) } }, 'done', at, by, note);
}

export function rate(request: ServiceRequest, score: number, at: string, by: string, comment?: string): ServiceRequest {
  check(request, 'rate');
  return step({ ...request, rating: { score, at, by, ...(comment ? { comment } : {}) } }, 'rated', at, by, `${score}★${comment ? ` ${comment}` : ''}`);
}

export function cancel(request: ServiceRequest, reason: string, at: string, by: string): ServiceRequest {
  check(request, 'cancel');
  return step({ ...request, cancelled: { at, by, reason } }, 'cancelled', at, by, reason);
}

/**
 * A badly rated request goes back to open for another round: the earlier round's service stays
 * credited (it happened), the new round gets new volunteers and new records.
 */
export function reopen(request: ServiceRequest, reason: string, at: string, by: string): ServiceRequest {
  check(request, 'reopen');
  if ((request.rating?.score ?? 5) > REOPEN_MAX_SCORE) refuse(request, 'reopen', `Only a request rated ${REOPEN_MAX_SCORE} stars or lower can be reopened`);
  const { completed: _completed, rating: _rating, ...rest } = request;
  return step({ ...rest, assignments: [], round: request.round + 1 }, 'open', at, by, reason);
}

/** The readable number after the highest of the year: `2026-0042`. */
export function requestNumber(year: number, previousMax: number): string {
  return `${year}-${String(previousMax + 1).padStart(4, '0')}`;
}

/** Requests still waiting for someone: open or dispatched past this long stand out in the admin. */
export const UNANSWERED_AFTER_HOURS = 24;

/**
 * Overdue: the wanted time has passed and it is not done; unanswered: nobody has accepted it a
 * day after it was made. Both stand out on the requests list.
 */
export function urgencyOf(request: Pick<ServiceRequest, 'status' | 'wantedAt' | 'createdAt'>, now: Date): { overdue: boolean; unanswered: boolean } {
  const active = request.status === 'open' || request.status === 'dispatched' || request.status === 'accepted';
  const overdue = active && !!request.wantedAt && Date.parse(request.wantedAt) < now.getTime();
  const unanswered = (request.status === 'open' || request.status === 'dispatched') && now.getTime() - Date.parse(request.createdAt) > UNANSWERED_AFTER_HOURS * 3600_000;
  return { overdue, unanswered };
}
