import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { addDays, dayKey, startOfDayIn } from '../domain/time-zone.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import { pairingCreateSchema, pairingUpdateSchema, visitCreateSchema, type Pairing, type Visit } from '../protocol/service.ts';
import type { StationState } from '../store/state.ts';
import { findResident } from './resident-routes.ts';
import { creditService } from './service-records.ts';

function findPairing(state: StationState, id: string): Pairing {
  const pairing = state.get('pairings', id);
  if (!pairing) throw new AppError('NOT_FOUND', 'No such pairing', 404);
  return pairing;
}

function checkVolunteers(state: StationState, ids: string[]): void {
  const unknown = ids.filter((id) => !state.get('volunteers', id));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', 'Some of the volunteers do not exist', 400, { volunteerIds: unknown });
}

export function visitsOf(state: StationState, pairingId: string): Visit[] {
  return [...state.records.visits.values()].filter((v) => v.pairingId === pairingId).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/**
 * The visit plan: the next visit is due a plan's interval after the last one (or after the start).
 * A pair past that day has missed a visit and stands out. Pure over the given time.
 */
export function visitPlan(pairing: Pick<Pairing, 'startsOn' | 'visitEveryDays' | 'endedOn'>, lastVisitAt: string | undefined, now: Date, timeZone: string) {
  const lastDay = lastVisitAt ? dayKey(lastVisitAt, timeZone) : pairing.startsOn;
  const nextDue = addDays(lastDay, pairing.visitEveryDays);
  const ended = !!pairing.endedOn && pairing.endedOn <= dayKey(now, timeZone);
  const missed = !ended && startOfDayIn(addDays(nextDue, 1), timeZone).getTime() <= now.getTime();
  return { lastVisitAt, nextDue, missed, ended };
}

function pairingView(state: StationState, pairing: Pairing, now: Date) {
  const visits = visitsOf(state, pairing.id);
  const resident = state.get('residents', pairing.residentId);
  return {
    ...pairing,
    resident: resident ? { id: resident.id, name: resident.name, grid: resident.grid, tags: resident.tags } : undefined,
    volunteers: pairing.volunteerIds.map((id) => ({ id, name: state.get('volunteers', id)?.name ?? '' })),
    visitCount: visits.length,
    ...visitPlan(pairing, visits[0]?.startedAt, now, state.settings.timeZone),
  };
}

/** 爱心结对: a resident and one or more volunteers (一助一、多助一), with a visit plan; each visit credits service hours. */
export function pairingRoutes(ctx: AppContext): Router {
  const router = Router();
  const read = requirePermission('residents:read');
  const write = requirePermission('residents:write');

  router.post('/pairings', write, async (req, res) => {
    const input = parseInput(pairingCreateSchema, req.body);
    const state = ctx.store.state;
    findResident(state, input.residentId);
    checkVolunteers(state, input.volunteerIds);
    const now = ctx.clock.now();
    const pairing: Pairing = {
      id: newId(),
      residentId: input.residentId,
      volunteerIds: [...new Set(input.volunteerIds)],
      startsOn: input.startsOn ?? dayKey(now, state.settings.timeZone),
      visitEveryDays: input.visitEveryDays,
      ...(input.note ? { note: input.note } : {}),
      createdAt: now.toISOString(),
      createdBy: actorOf(req),
    };
    await ctx.store.commit([{ c: 'pairings', v: pairing }, auditChange(now, actorOf(req), 'pairing.created', pairing.id, `${pairing.volunteerIds.length} volunteer(s)`, { count: pairing.volunteerIds.length })]);
    res.status(201).json({ ...pairingView(state, pairing, now), id: pairing.id });
  });

  router.get('/pairings', read, (req, res) => {
    const state = ctx.store.state;
    const now = ctx.clock.now();
    const residentId = typeof req.query.residentId === 'string' ? req.query.residentId : undefined;
    const items = [...state.records.pairings.values()]
      .filter((p) => !residentId || p.residentId === residentId)
      .map((p) => pairingView(state, p, now))
      // Missed visits first, then the soonest due.
      .sort((a, b) => Number(b.missed) - Number(a.missed) || Number(a.ended) - Number(b.ended) || a.nextDue.localeCompare(b.nextDue));
    res.json({ total: items.length, items });
  });

  router.get('/pairings/:id', read, (req, res) => {
    const state = ctx.store.state;
    const pairing = findPairing(state, req.params.id as string);
    const visits = visitsOf(state, pairing.id).map((v) => ({ ...v, volunteers: v.volunteerIds.map((id) => ({ id, name: state.get('volunteers', id)?.name ?? '' })) }));
    res.json({ ...pairingView(state, pairing, ctx.clock.now()), visits });
  });

  router.patch('/pairings/:id', write, async (req, res) => {
    const input = parseInput(pairingUpdateSchema, req.body);
    const state = ctx.store.state;
    const pairing = findPairing(state, req.params.id as string);
    if (input.volunteerIds) checkVolunteers(state, input.volunteerIds);
    const merged: Record<string, unknown> = { ...pairing };
    for (const [key, value] of Object.entries(input)) {
      if (value === null || value === '') delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const now = ctx.clock.now();
    const updated = merged as unknown as Pairing;
    await ctx.store.commit([{ c: 'pairings', v: updated }, auditChange(now, actorOf(req), 'pairing.updated', pairing.id, Object.keys(input).join(', '), { fields: Object.keys(input) })]);
    res.json(pairingView(state, updated, now));
  });

  // A visit credits each visiting volunteer its minutes as service hours, like a completed request.
  router.post('/pairings/:id/visits', write, async (req, res) => {
    const input = parseInput(visitCreateSchema, req.body);
    const state = ctx.store.state;
    const pairing = findPairing(state, req.params.id as string);
    checkVolunteers(state, input.volunteerIds);
    const now = ctx.clock.now();
    if (Date.parse(input.startedAt) > now.getTime() + 5 * 60_000) throw new AppError('VALIDATION_FAILED', 'A visit is recorded after it happened; the start is in the future', 400);
    const by = actorOf(req);
    const visit: Visit = {
      id: newId(),
      pairingId: pairing.id,
      volunteerIds: [...new Set(input.volunteerIds)],
      startedAt: input.startedAt,
      minutes: input.minutes,
      ...(input.note ? { note: input.note } : {}),
      ...(input.concern ? { concern: input.concern } : {}),
      createdAt: now.toISOString(),
      createdBy: by,
    };
    const resident = state.get('residents', pairing.residentId);
    const credit = creditService(state, {
      kind: 'visit',
      sourceId: visit.id,
      title: `结对探访${resident?.grid ? `（${resident.grid}）` : ''}`,
      place: resident?.grid,
      startedAt: visit.startedAt,
      minutes: visit.minutes,
      volunteerIds: visit.volunteerIds,
      at: now.toISOString(),
      by,
    });
    await ctx.store.commit([{ c: 'visits', v: visit }, ...credit.changes, auditChange(now, by, 'pairing.visited', pairing.id, `${visit.minutes} min, ${visit.volunteerIds.length} volunteer(s)`, { minutes: visit.minutes, count: visit.volunteerIds.length })]);
    ctx.notifications.emit('service:changed', { requestId: '', status: 'visit', action: 'visited' });
    res.status(201).json({ ...visit, credited: credit.records.map((r) => ({ volunteerId: r.volunteerId, minutes: r.creditedMinutes })) });
  });

  return router;
}
