import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { renderCardQr } from '../cards/qr-image.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import { cardsPrintedSchema, listQuerySchema, volunteerCreateSchema, volunteerUpdateSchema } from '../protocol/schemas.ts';
import { figuresOf } from './figures.ts';
import { buildVolunteer, cardCodeOf, duplicateOf, needsGuardian } from './register-volunteer.ts';
import { matchesQuery, parsePersonQuery, phoneSearchSummary, searchesByPhone } from './search.ts';
import { staffVolunteerView } from './volunteer-view.ts';
import { guardianConsentOf } from '../signups/privacy.ts';

export function findVolunteer(ctx: AppContext, id: string): Volunteer {
  const volunteer = ctx.store.state.get('volunteers', id);
  if (!volunteer) throw new AppError('NOT_FOUND', 'No such volunteer', 404);
  return volunteer;
}

function checkTeams(ctx: AppContext, teamIds: string[] | undefined): void {
  const unknown = (teamIds ?? []).filter((id) => !ctx.store.state.get('teams', id));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', 'Some of the teams do not exist', 400, { teamIds: unknown });
}

export function volunteerRoutes(ctx: AppContext): Router {
  const router = Router();
  const view = (v: Volunteer, reveal = false) => staffVolunteerView(ctx.store.state, ctx.cardSecret, v, ctx.clock.now(), reveal);

  router.get('/volunteers', requirePermission('volunteers:read'), async (req, res) => {
    const query = parseInput(listQuerySchema, req.query);
    const search = query.q ? parsePersonQuery(query.q) : undefined;
    const all = [...ctx.store.state.records.volunteers.values()].filter(
      (v) =>
        (!query.status || v.status === query.status) &&
        (!query.teamId || v.teamIds.includes(query.teamId)) &&
        (!query.cardPrinted || (v.cardPrintedSerial === v.cardSerial) === (query.cardPrinted === 'true')) &&
        (!search || matchesQuery(v, search)),
    );
    // Looking someone up by their number is recorded, like revealing it.
    if (search && searchesByPhone(search)) {
      await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'volunteers.searched-by-phone', undefined, phoneSearchSummary(search, all.length))]);
    }
    all.sort((a, b) => Number(a.cardNo) - Number(b.cardNo));
    res.json({ total: all.length, items: all.slice(query.offset, query.offset + query.limit).map((v) => view(v)) });
  });

  router.post('/volunteers', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(volunteerCreateSchema, req.body);
    checkTeams(ctx, input.teamIds);
    const state = ctx.store.state;
    const existing = duplicateOf(state, input);
    if (existing) throw new AppError('DUPLICATE_VOLUNTEER', `Already registered with card ${existing.cardNo} (same phone or ID number)`, 409, { volunteerId: existing.id, cardNo: existing.cardNo });
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const { volunteer, counters } = buildVolunteer(state, input, state.counters, now, actor);
    await ctx.store.commit([{ c: 'config', v: counters }, { c: 'volunteers', v: volunteer }, auditChange(now, actor, 'volunteer.registered', volunteer.id, `card ${volunteer.cardNo}`, { cardNo: volunteer.cardNo })]);
    res.status(201).json(view(volunteer));
  });

  // Staff confirm a sheet came out of the printer; "print everyone without a card" then skips them.
  router.post('/volunteers/cards/printed', requirePermission('volunteers:write'), async (req, res) => {
    const { ids } = parseInput(cardsPrintedSchema, req.body);
    const state = ctx.store.state;
    const now = ctx.clock.now();
    const marked = ids
      .map((id) => state.get('volunteers', id))
      .filter((v): v is Volunteer => !!v && v.cardPrintedSerial !== v.cardSerial)
      .map((v) => ({ c: 'volunteers', v: { ...v, cardPrintedSerial: v.cardSerial, updatedAt: now.toISOString() } }) as const);
    if (marked.length > 0) await ctx.store.commit([...marked, auditChange(now, actorOf(req), 'cards.printed', undefined, `${marked.length} card(s)`, { count: marked.length })]);
    res.json({ marked: marked.length });
  });

  router.get('/volunteers/:id', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const reveal = req.query.reveal === '1';
    // Seeing a full phone or ID number is recorded: who looked at whose, and when.
    if (reveal) await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'volunteer.revealed', volunteer.id, 'phone / ID number shown')]);
    res.json(view(volunteer, reveal));
  });

  router.patch('/volunteers/:id', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(volunteerUpdateSchema, req.body);
    checkTeams(ctx, input.teamIds);
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const state = ctx.store.state;
    const other = duplicateOf(state, { phone: input.phone ?? undefined, idNumber: input.idNumber ?? undefined });
    if (other && other.id !== volunteer.id) throw new AppError('DUPLICATE_VOLUNTEER', `Card ${other.cardNo} already has this phone or ID number`, 409, { volunteerId: other.id });
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const { guardianConsent, ...fields } = input;
    const merged: Record<string, unknown> = { ...volunteer, updatedAt: now.toISOString() };
    for (const [key, value] of Object.entries(fields)) {
      // Empty text counts as clearing too: a form field emptied by staff means "no longer known".
      if (value === null || value === '') delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    if (guardianConsent === null) delete merged.guardianConsent;
    else if (guardianConsent) merged.guardianConsent = guardianConsentOf(guardianConsent, now.toISOString(), actor);
    const updated = merged as unknown as Volunteer;
    if (needsGuardian(updated, now, state.settings.timeZone) && !updated.guardianConsent) {
      throw new AppError('GUARDIAN_CONSENT_REQUIRED', 'A volunteer under 14 needs a guardian’s recorded consent', 422);
    }
    const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    await ctx.store.commit([{ c: 'volunteers', v: updated }, auditChange(now, actor, 'volunteer.updated', volunteer.id, changed.join(', '), { fields: changed })]);
    res.json(view(updated));
  });

  // Reissue a lost card: the serial goes up, so the old card's code stops working at once.
  router.post('/volunteers/:id/card', requirePermission('volunteers:write'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const now = ctx.clock.now();
    const updated: Volunteer = { ...volunteer, cardSerial: volunteer.cardSerial + 1, updatedAt: now.toISOString() };
    await ctx.store.commit([{ c: 'volunteers', v: updated }, auditChange(now, actorOf(req), 'card.reissued', volunteer.id, `card ${volunteer.cardNo} serial ${updated.cardSerial}`, { cardNo: volunteer.cardNo, serial: updated.cardSerial })]);
    res.status(201).json(view(updated));
  });

  router.get('/volunteers/:id/qr.png', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const image = await renderCardQr(cardCodeOf(ctx.cardSecret, volunteer));
    res.type('png').set('Cache-Control', 'no-store').send(image.png);
  });

  router.get('/volunteers/:id/figures', requirePermission('volunteers:read'), (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    res.json(figuresOf(ctx.store.state, volunteer.id, ctx.clock.now()));
  });

  return router;
}
