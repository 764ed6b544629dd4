import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { maskName } from '../domain/masking.ts';
import { yearOf } from '../domain/time-zone.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { KioskTask, RequestCreateInput, RequestUpdateInput, ServiceRequest } from '../protocol/service.ts';
import type { Change, StationState } from '../store/state.ts';
import * as rules from './request-rules.ts';
import { creditService } from './service-records.ts';

/**
 * The service-request actions as plain functions over the store, so a staff route, a kiosk event
 * and the volunteer's phone page (/me/) all do exactly the same thing: decide with the pure rules,
 * commit the request, its audit entry and any credit in one transaction, then announce it.
 */
export type ServiceContext = Pick<AppContext, 'store' | 'clock' | 'notifications'>;

/** Changes to commit with the request, e.g. a kiosk's idempotency receipt holding the answer: both are on disk or neither. */
export type AlsoCommit = (after: ServiceRequest) => Change[];

export function findRequest(state: StationState, id: string): ServiceRequest {
  const request = state.get('serviceRequests', id);
  if (!request) throw new AppError('NOT_FOUND', 'No such service request', 404);
  return request;
}

export function findRequestByNumber(state: StationState, number: string): ServiceRequest | undefined {
  for (const request of state.records.serviceRequests.values()) if (request.number === number) return request;
  return undefined;
}

function activeVolunteer(state: StationState, id: string): Volunteer {
  const volunteer = state.get('volunteers', id);
  if (!volunteer) throw new AppError('NOT_FOUND', `No volunteer ${id}`, 404, { volunteerId: id });
  if (volunteer.status !== 'active') throw new AppError('VOLUNTEER_SUSPENDED', 'This volunteer is not active at the moment', 422, { volunteerId: id });
  return volunteer;
}

async function save(ctx: ServiceContext, before: ServiceRequest | undefined, after: ServiceRequest, action: string, by: string, extra: Change[] = [], also?: AlsoCommit): Promise<ServiceRequest> {
  if (before === after) {
    const changes = also?.(after) ?? [];
    if (changes.length > 0) await ctx.store.commit(changes);
    return after;
  }
  const now = ctx.clock.now();
  await ctx.store.commit([{ c: 'serviceRequests', v: after }, ...extra, auditChange(now, by, `request.${action}`, after.id, `${after.number} → ${after.status}`, { number: after.number, status: after.status }), ...(also?.(after) ?? [])]);
  ctx.notifications.emit('service:changed', { requestId: after.id, status: after.status, action });
  return after;
}

export async function createRequest(ctx: ServiceContext, input: RequestCreateInput, by: string, source: ServiceRequest['source'], also?: AlsoCommit): Promise<ServiceRequest> {
  const state = ctx.store.state;
  const resident = input.residentId ? state.get('residents', input.residentId) : undefined;
  if (input.residentId && !resident) throw new AppError('NOT_FOUND', 'No such resident', 404, { residentId: input.residentId });
  const now = ctx.clock.now();
  const at = now.toISOString();
  const year = yearOf(now, state.settings.timeZone);
  const request: ServiceRequest = {
    id: newId(),
    number: rules.requestNumber(year, state.lastRequestNumber(year)),
    category: input.category,
    details: input.details,
    ...(input.residentId ? { residentId: input.residentId } : {}),
    ...(input.requesterName ? { requesterName: input.requesterName } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.place ? { place: input.place } : {}),
    skills: input.skills,
    // The resident's grid is the default: that is where the help is needed.
    ...((input.grid ?? resident?.grid) ? { grid: input.grid ?? resident?.grid } : {}),
    ...(input.wantedAt ? { wantedAt: input.wantedAt } : {}),
    status: 'open',
    source,
    assignments: [],
    round: 0,
    history: [{ at, by, status: 'open' }],
    createdAt: at,
    createdBy: by,
    updatedAt: at,
  };
  return save(ctx, undefined, request, 'created', by, [], also);
}

/** Corrects or completes a request that is still being arranged; a finished one is history and stays as it was. */
export async function updateRequest(ctx: ServiceContext, requestId: string, input: RequestUpdateInput, by: string): Promise<ServiceRequest> {
  const state = ctx.store.state;
  const request = findRequest(state, requestId);
  if (!['open', 'dispatched', 'accepted'].includes(request.status)) throw new AppError('REQUEST_STATE', `Request ${request.number} is ${request.status}; it can no longer be edited`, 409);
  if (input.residentId && !state.get('residents', input.residentId)) throw new AppError('NOT_FOUND', 'No such resident', 404, { residentId: input.residentId });
  const next: ServiceRequest = { ...request, updatedAt: ctx.clock.now().toISOString() };
  if (input.category) next.category = input.category;
  if (input.details) next.details = input.details;
  if (input.residentId) next.residentId = input.residentId;
  if (input.skills) next.skills = input.skills;
  if (input.wantedAt) next.wantedAt = input.wantedAt;
  for (const key of ['requesterName', 'place', 'grid'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (value) next[key] = value;
    else delete next[key];
  }
  return save(ctx, request, next, 'updated', by);
}

export async function dispatchRequest(ctx: ServiceContext, requestId: string, volunteerIds: string[], by: string): Promise<ServiceRequest> {
  const state = ctx.store.state;
  for (const id of volunteerIds) activeVolunteer(state, id);
  const request = findRequest(state, requestId);
  return save(ctx, request, rules.dispatch(request, volunteerIds, ctx.clock.now().toISOString(), by), 'dispatched', by);
}

/** A volunteer takes a task: `via` says where (`device:<id>` at a kiosk, `staff:<name>` by phone, `volunteer:<id>` from /me/). */
export async function acceptTask(ctx: ServiceContext, volunteerId: string, requestId: string, via: string, also?: AlsoCommit): Promise<ServiceRequest> {
  const state = ctx.store.state;
  activeVolunteer(state, volunteerId);
  const request = findRequest(state, requestId);
  if (request.status === 'open' && !couldTake(request, state.get('volunteers', volunteerId)!)) {
    throw new AppError('REQUEST_STATE', `Request ${request.number} needs skills this volunteer has not recorded`, 409);
  }
  return save(ctx, request, rules.accept(request, volunteerId, ctx.clock.now().toISOString(), via), 'accepted', via, [], also);
}

export async function declineTask(ctx: ServiceContext, volunteerId: string, requestId: string, reason: string, via: string, also?: AlsoCommit): Promise<ServiceRequest> {
  const request = findRequest(ctx.store.state, requestId);
  return save(ctx, request, rules.decline(request, volunteerId, reason, ctx.clock.now().toISOString(), via), 'declined', via, [], also);
}

/** Marks the request done and credits each volunteer who accepted it, exactly once, in the same transaction. */
export async function completeRequest(ctx: ServiceContext, requestId: string, minutes: number, note: string | undefined, by: string): Promise<ServiceRequest> {
  const state = ctx.store.state;
  const request = findRequest(state, requestId);
  const at = ctx.clock.now().toISOString();
  const done = rules.complete(request, minutes, at, by, note);
  const credit = creditService(state, {
    kind: 'request',
    sourceId: request.id,
    round: request.round,
    title: `${request.category}（${request.number}）`,
    place: request.grid,
    startedAt: new Date(Date.parse(at) - minutes * 60_000).toISOString(),
    minutes,
    volunteerIds: rules.acceptedVolunteers(request),
    at,
    by,
  });
  return save(ctx, request, done, 'completed', by, credit.changes);
}

export async function rateRequest(ctx: ServiceContext, requestId: string, score: number, comment: string | undefined, by: string, also?: AlsoCommit): Promise<ServiceRequest> {
  const request = findRequest(ctx.store.state, requestId);
  return save(ctx, request, rules.rate(request, score, ctx.clock.now().toISOString(), by, comment), 'rated', by, [], also);
}

export async function cancelRequest(ctx: ServiceContext, requestId: string, reason: string, by: string): Promise<ServiceRequest> {
  const request = findRequest(ctx.store.state, requestId);
  return save(ctx, request, rules.cancel(request, reason, ctx.clock.now().toISOString(), by), 'cancelled', by);
}

export async function reopenRequest(ctx: ServiceContext, requestId: string, reason: string, by: string): Promise<ServiceRequest> {
  const request = findRequest(ctx.store.state, requestId);
  return save(ctx, request, rules.reopen(request, reason, ctx.clock.now().toISOString(), by), 'reopened', by);
}

/** An open request a volunteer could take: it needs no particular skill, or they have one of those it needs. */
export function couldTake(request: ServiceRequest, volunteer: Volunteer): boolean {
  if (request.skills.length === 0) return true;
  return request.skills.some((skill) => volunteer.skills.includes(skill));
}

/** Name to show off the staff screens: masked, from the register or as the requester gave it. */
export function maskedResidentName(state: StationState, request: ServiceRequest): string | undefined {
  const name = request.residentId ? state.get('residents', request.residentId)?.name : request.requesterName;
  return name ? maskName(name) : undefined;
}

/**
 * What a volunteer sees at the kiosk (and on /me/): requests dispatched to them or accepted by
 * them and not yet done, then open requests they could take, nearest wanted time first. Nothing
 * of the resident but a masked name.
 */
export function listTasksFor(state: StationState, volunteerId: string): KioskTask[] {
  const volunteer = state.get('volunteers', volunteerId);
  if (!volunteer) return [];
  const mine: KioskTask[] = [];
  const open: KioskTask[] = [];
  for (const request of state.records.serviceRequests.values()) {
    if (request.status === 'open') {
      if (couldTake(request, volunteer)) open.push(kioskTask(state, request, 'open'));
      continue;
    }
    if (request.status !== 'dispatched' && request.status !== 'accepted') continue;
    const assignment = request.assignments.find((a) => a.volunteerId === volunteerId);
    if (assignment && assignment.status !== 'declined') mine.push(kioskTask(state, request, assignment.status));
  }
  const byTime = (a: KioskTask, b: KioskTask) => (a.wantedAt ?? '9999').localeCompare(b.wantedAt ?? '9999') || a.number.localeCompare(b.number);
  return [...mine.sort(byTime), ...open.sort(byTime)];
}

/** Tasks waiting for this volunteer's answer: the kiosk's result screen mentions them after a sign-in. */
export function waitingTaskCount(state: StationState, volunteerId: string): number {
  let count = 0;
  for (const request of state.records.serviceRequests.values()) {
    if (request.status !== 'dispatched' && request.status !== 'accepted') continue;
    if (request.assignments.some((a) => a.volunteerId === volunteerId && a.status === 'dispatched')) count++;
  }
  return count;
}

export function kioskTask(state: StationState, request: ServiceRequest, mine: KioskTask['mine']): KioskTask {
  const residentName = maskedResidentName(state, request);
  return {
    requestId: request.id,
    number: request.number,
    category: request.category,
    details: request.details,
    ...(residentName ? { residentName } : {}),
    ...(request.grid ? { grid: request.grid } : {}),
    ...(request.wantedAt ? { wantedAt: request.wantedAt } : {}),
    status: request.status,
    mine,
  };
}
