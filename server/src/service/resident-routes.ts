import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import { residentCreateSchema, residentUpdateSchema, type Resident } from '../protocol/service.ts';
import type { StationState } from '../store/state.ts';
import { residentView } from './service-views.ts';
import { parsePersonQuery, phoneMatches, phoneSearchSummary, searchesByPhone } from '../volunteers/search.ts';

const listQuery = z.object({
  q: z.string().trim().max(40).optional(),
  grid: z.string().max(40).optional(),
  tag: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function findResident(state: StationState, id: string): Resident {
  const resident = state.get('residents', id);
  if (!resident) throw new AppError('NOT_FOUND', 'No such resident', 404);
  return resident;
}

/** The register of the people the center serves. Personal data: staff only (counter and viewer roles are refused). */
export function residentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/residents', requirePermission('residents:write'), async (req, res) => {
    const input = parseInput(residentCreateSchema, req.body);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const resident: Resident = {
      id: newId(),
      name: input.name,
      ...(input.phone ? { phone: input.phone } : {}),
      ...(input.address ? { address: input.address } : {}),
      ...(input.grid ? { grid: input.grid } : {}),
      tags: input.tags,
      ...(input.notes ? { notes: input.notes } : {}),
      createdAt: at,
      updatedAt: at,
    };
    await ctx.store.commit([{ c: 'residents', v: resident }, auditChange(now, actorOf(req), 'resident.registered', resident.id)]);
    res.status(201).json({ ...residentView(resident), id: resident.id });
  });

  router.get('/residents', requirePermission('residents:read'), async (req, res) => {
    const query = parseInput(listQuery, req.query);
    // A phone matches only whole, or its last 4 digits beside a name (see parsePersonQuery).
    const search = query.q ? parsePersonQuery(query.q) : undefined;
    const all = [...ctx.store.state.records.residents.values()].filter(
      (r) =>
        (!query.grid || r.grid === query.grid) &&
        (!query.tag || r.tags.includes(query.tag)) &&
        (!search || ((!searchesByPhone(search) || phoneMatches(r.phone, search)) && r.name.toLowerCase().includes(search.text))),
    );
    if (search && searchesByPhone(search)) {
      await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'residents.searched-by-phone', undefined, phoneSearchSummary(search, all.length))]);
    }
    all.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    res.json({ total: all.length, items: all.slice(query.offset, query.offset + query.limit).map((r) => residentView(r)) });
  });

  router.get('/residents/:id', requirePermission('residents:read'), async (req, res) => {
    const resident = findResident(ctx.store.state, req.params.id as string);
    const reveal = req.query.reveal === '1';
    // Seeing a resident's full phone or address is recorded: who looked at whose, and when.
    if (reveal) await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'resident.revealed', resident.id, 'phone / address shown')]);
    res.json(residentView(resident, reveal));
  });

  router.patch('/residents/:id', requirePermission('residents:write'), async (req, res) => {
    const input = parseInput(residentUpdateSchema, req.body);
    const resident = findResident(ctx.store.state, req.params.id as string);
    const now = ctx.clock.now();
    const merged: Record<string, unknown> = { ...resident, updatedAt: now.toISOString() };
    for (const [key, value] of Object.entries(input)) {
      if (value === null || value === '') delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const updated = merged as unknown as Resident;
    const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    await ctx.store.commit([{ c: 'residents', v: updated }, auditChange(now, actorOf(req), 'resident.updated', resident.id, changed.join(', '), { fields: changed })]);
    res.json(residentView(updated));
  });

  return router;
}
