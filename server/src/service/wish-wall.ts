import type { Server } from 'socket.io';
import type { AppContext } from '../context.ts';
import { minutesToHours } from '../domain/hours.ts';
import { monthKey } from '../domain/time-zone.ts';
import type { ServiceRequest, WishCard, WishWall } from '../protocol/service.ts';
import type { StationState } from '../store/state.ts';
import { maskedResidentName } from './requests.ts';

const WALL_SIZE = 24;
const RECENT_SIZE = 6;

function card(state: StationState, request: ServiceRequest, since: string): WishCard {
  const residentName = maskedResidentName(state, request);
  return {
    requestId: request.id,
    number: request.number,
    category: request.category,
    ...(residentName ? { residentName } : {}),
    ...(request.grid ? { grid: request.grid } : {}),
    status: request.status,
    since,
  };
}

/**
 * The hall TV's 心愿墙: open and in-progress requests by category with masked names, the newly
 * accepted, and this month's completed services and people served. Built field by field from
 * public facts, so a resident's phone, address, tags or the request's details cannot slip in.
 */
export function wishWall(state: StationState, now: Date): WishWall {
  const zone = state.settings.timeZone;
  const month = monthKey(now, zone);
  const open: WishCard[] = [];
  const inProgress: WishCard[] = [];
  const accepted: WishCard[] = [];
  const categories = new Map<string, { open: number; inProgress: number }>();
  const served = new Set<string>();
  let completed = 0;
  for (const request of state.records.serviceRequests.values()) {
    const tally = categories.get(request.category) ?? { open: 0, inProgress: 0 };
    if (request.status === 'open') {
      open.push(card(state, request, request.createdAt));
      tally.open++;
    } else if (request.status === 'dispatched' || request.status === 'accepted') {
      inProgress.push(card(state, request, request.updatedAt));
      tally.inProgress++;
      const acceptedAt = request.assignments.map((a) => a.acceptedAt ?? '').sort().at(-1);
      if (acceptedAt) accepted.push(card(state, request, acceptedAt));
    }
    if (tally.open + tally.inProgress > 0) categories.set(request.category, tally);
    if (request.completed && monthKey(request.completed.at, zone) === month) {
      completed++;
      served.add(request.residentId ?? `phone:${request.phone ?? request.id}`);
    }
  }
  let minutes = 0;
  for (const record of state.records.serviceRecords.values()) {
    if (!record.removed && monthKey(record.startedAt, zone) === month) minutes += record.creditedMinutes;
  }
  for (const visit of state.records.visits.values()) {
    if (monthKey(visit.startedAt, zone) === month) served.add(state.get('pairings', visit.pairingId)?.residentId ?? visit.id);
  }
  const newestFirst = (a: WishCard, b: WishCard) => b.since.localeCompare(a.since);
  return {
    open: open.sort(newestFirst).slice(0, WALL_SIZE),
    inProgress: inProgress.sort(newestFirst).slice(0, WALL_SIZE),
    recentlyAccepted: accepted.sort(newestFirst).slice(0, RECENT_SIZE),
    month: { completed, peopleServed: served.size, hours: minutesToHours(minutes) },
    byCategory: [...categories].map(([category, tally]) => ({ category, ...tally })).sort((a, b) => b.open + b.inProgress - (a.open + a.inProgress)),
  };
}

/** Boards hear the new wall after every change to a request or a visit. */
export function wishWallBroadcasts(io: Server, ctx: AppContext): void {
  const board = io.of('/board');
  ctx.notifications.on('service:changed', () => board.emit('wishes:changed', wishWall(ctx.store.state, ctx.clock.now())));
}
