import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { addDays, dayKey } from '../domain/time-zone.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import {
  gatePassCreateSchema, groupInsuranceCreateSchema, insuranceCreateSchema, trainingAttendeesSchema, trainingCreateSchema,
  type GatePass, type InsurancePolicy, type Training, type TrainingView,
} from '../protocol/organizing.ts';
import { canOpenTraining, trainingPhase } from './training-phase.ts';
import { trainingsToday } from './kiosk-handlers.ts';
import { reasonSchema } from '../protocol/schemas.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { gatePassIdOf, insuredOn, latestTrainings, policyCovers, trainingValidUntil } from './gate-rules.ts';

const expiringQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

/** Trainings (their own records, hours apart from service), insurance policies, and the staff's gate passes. */
export function trainingRoutes(ctx: AppContext): Router {
  const router = Router();
  const state = () => ctx.store.state;
  const today = () => dayKey(ctx.clock.now(), state().settings.timeZone);
  const findTraining = (id: string) => {
    const training = state().get('trainings', id);
    if (!training) throw new AppError('NOT_FOUND', 'No such training', 404);
    return training;
  };
  const checkVolunteers = (ids: string[]) => {
    const unknown = ids.filter((id) => !state().get('volunteers', id));
    if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', 'Some of the volunteers do not exist', 400, { volunteerIds: unknown });
  };
  const trainingView = (t: Training): TrainingView => {
    const now = ctx.clock.now();
    const zone = state().settings.timeZone;
    return { ...t, attendeeCount: t.attendeeIds.length, validUntil: trainingValidUntil(t, state().settings.trainings.validityMonths) ?? null, phase: trainingPhase(t, now, zone), canOpen: canOpenTraining(t, now, zone) };
  };

  // 开始签到 / 结束签到 for a training at the kiosk, like an activity's: check-in tablets are told at once.
  const setKioskStatus = async (id: string, status: 'open' | 'closed', actor: string) => {
    const training = findTraining(id);
    const now = ctx.clock.now();
    const zone = state().settings.timeZone;
    if (status === 'open' && !canOpenTraining(training, now, zone)) throw new AppError('CONFLICT', `“${training.title}” is not today: a training is opened at the kiosk on its own day`, 409, { reason: 'not-today', date: training.date });
    if (trainingPhase(training, now, zone) === (status === 'open' ? 'open' : 'closed')) return training;
    const updated: Training = status === 'open' ? { ...training, status, openedAt: now.toISOString() } : { ...training, status, closedAt: now.toISOString() };
    await ctx.store.commit([{ c: 'trainings', v: updated }, auditChange(now, actor, status === 'open' ? 'training.opened' : 'training.closed', training.id, training.title)]);
    ctx.notifications.emit('trainings:changed', trainingsToday(state(), now));
    return updated;
  };
  router.post('/trainings/:id/open', requirePermission('activities:write'), async (req, res) => {
    res.json(trainingView(await setKioskStatus(req.params.id as string, 'open', actorOf(req))));
  });
  router.post('/trainings/:id/close', requirePermission('activities:write'), async (req, res) => {
    res.json(trainingView(await setKioskStatus(req.params.id as string, 'closed', actorOf(req))));
  });

  router.post('/trainings', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(trainingCreateSchema, req.body);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const training: Training = { id: newId(), ...input, attendeeIds: [], createdAt: now.toISOString(), createdBy: actor };
    await ctx.store.commit([{ c: 'trainings', v: training }, auditChange(now, actor, 'training.created', training.id, `${training.category} ${training.title}`, { category: training.category, title: training.title })]);
    res.status(201).json(trainingView(training));
  });

  router.get('/trainings', requirePermission('volunteers:read'), (_req, res) => {
    const items = [...state().records.trainings.values()].sort((a, b) => b.date.localeCompare(a.date)).map(trainingView);
    res.json({ items });
  });

  // Who holds which category, from their latest training of it: valid today, or when it ran out.
  router.get('/training-holders', requirePermission('volunteers:read'), (_req, res) => {
    const day = today();
    const validity = state().settings.trainings.validityMonths;
    const items = latestTrainings(state(), day).map(({ volunteerId, training: t }) => {
      const v = state().get('volunteers', volunteerId);
      const validUntil = trainingValidUntil(t, validity) ?? null;
      return { volunteerId, name: v?.name ?? '', cardNo: v?.cardNo ?? '', category: t.category, trainedOn: t.date, trainingTitle: t.title, validUntil, valid: validUntil === null || day <= validUntil };
    });
    items.sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name, 'zh-CN'));
    res.json({ items, today: day });
  });

  router.get('/trainings/:id', requirePermission('volunteers:read'), (req, res) => {
    const training = findTraining(req.params.id as string);
    const attendees = training.attendeeIds.map((id) => {
      const v = state().get('volunteers', id);
      return { volunteerId: id, name: v?.name ?? '', cardNo: v?.cardNo ?? '' };
    });
    res.json({ ...trainingView(training), attendees });
  });

  // Attendance by list (the sign-in sheet typed in afterwards). Adding someone twice changes nothing.
  router.post('/trainings/:id/attendees', requirePermission('volunteers:write'), async (req, res) => {
    const { volunteerIds } = parseInput(trainingAttendeesSchema, req.body);
    checkVolunteers(volunteerIds);
    const training = findTraining(req.params.id as string);
    const added = [...new Set(volunteerIds)].filter((id) => !training.attendeeIds.includes(id));
    const updated: Training = { ...training, attendeeIds: [...training.attendeeIds, ...added] };
    if (added.length > 0) {
      const now = ctx.clock.now();
      await ctx.store.commit([{ c: 'trainings', v: updated }, auditChange(now, actorOf(req), 'training.attendees-added', training.id, `${added.length} volunteer(s)`, { count: added.length })]);
    }
    res.json({ ...trainingView(updated), added: added.length });
  });

  router.get('/volunteers/:id/trainings', requirePermission('volunteers:read'), (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const day = today();
    const items = [...state().records.trainings.values()]
      .filter((t) => t.attendeeIds.includes(volunteer.id))
      .sort((a, b) => b.date.localeCompare(a.date))
      .map((t) => {
        const validUntil = trainingValidUntil(t, state().settings.trainings.validityMonths) ?? null;
        return { id: t.id, title: t.title, category: t.category, date: t.date, hours: t.hours, trainer: t.trainer, validUntil, valid: t.date <= day && (validUntil === null || day <= validUntil) };
      });
    res.json({ items, trainingHours: items.reduce((sum, t) => sum + t.hours, 0) });
  });

  const savePolicy = async (policy: InsurancePolicy, actor: string) => {
    const now = ctx.clock.now();
    await ctx.store.commit([{ c: 'insurance', v: policy }, auditChange(now, actor, 'insurance.recorded', policy.id, `${policy.insurer} ${policy.policyNo}`, { insurer: policy.insurer, policyNo: policy.policyNo })]);
  };

  router.post('/volunteers/:id/insurance', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(insuranceCreateSchema, req.body);
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const actor = actorOf(req);
    const policy: InsurancePolicy = { id: newId(), ...input, volunteerIds: [volunteer.id], teamIds: [], createdAt: ctx.clock.now().toISOString(), createdBy: actor };
    await savePolicy(policy, actor);
    res.status(201).json(policy);
  });

  router.get('/volunteers/:id/insurance', requirePermission('volunteers:read'), (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const day = today();
    const items = [...state().records.insurance.values()]
      .filter((p) => !p.removed && (p.volunteerIds.includes(volunteer.id) || p.teamIds.some((t) => volunteer.teamIds.includes(t))))
      .sort((a, b) => b.to.localeCompare(a.to))
      .map((p) => ({ ...p, group: p.volunteerIds.length + p.teamIds.length > 1 || p.teamIds.length > 0, coversToday: policyCovers(p, volunteer, day) }));
    res.json({ items, insuredToday: insuredOn(state(), volunteer, day) });
  });

  // A group policy (the center's annual accident cover) naming volunteers and/or whole teams.
  router.post('/insurance', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(groupInsuranceCreateSchema, req.body);
    checkVolunteers(input.volunteerIds);
    const unknownTeams = input.teamIds.filter((id) => !state().get('teams', id));
    if (unknownTeams.length > 0) throw new AppError('VALIDATION_FAILED', 'Some of the teams do not exist', 400, { teamIds: unknownTeams });
    const actor = actorOf(req);
    const policy: InsurancePolicy = { id: newId(), ...input, createdAt: ctx.clock.now().toISOString(), createdBy: actor };
    await savePolicy(policy, actor);
    res.status(201).json(policy);
  });

  // Policies whose cover ends within the next `days` days (default 30): who needs renewing.
  router.get('/insurance', requirePermission('volunteers:read'), (req, res) => {
    const { days } = parseInput(expiringQuerySchema, req.query);
    const from = today();
    const until = addDays(from, days);
    const expiring = req.query.expiring !== undefined;
    const items = [...state().records.insurance.values()]
      .filter((p) => !p.removed && (!expiring || (p.to >= from && p.to <= until)))
      .sort((a, b) => a.to.localeCompare(b.to))
      .map((p) => ({
        ...p,
        volunteers: p.volunteerIds.map((id) => ({ id, name: state().get('volunteers', id)?.name ?? '' })),
        teams: p.teamIds.map((id) => ({ id, name: state().get('teams', id)?.name ?? '' })),
        daysLeft: Math.round((Date.parse(p.to) - Date.parse(from)) / 86400_000),
      }));
    res.json({ items, from, until });
  });

  router.post('/insurance/:id/remove', requirePermission('volunteers:write'), async (req, res) => {
    const { reason } = parseInput(reasonSchema, req.body);
    const policy = state().get('insurance', req.params.id as string);
    if (!policy || policy.removed) throw new AppError('NOT_FOUND', 'No such policy', 404);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const updated: InsurancePolicy = { ...policy, removed: { at: now.toISOString(), by: actor, reason } };
    await ctx.store.commit([{ c: 'insurance', v: updated }, auditChange(now, actor, 'insurance.removed', policy.id, reason, { reason })]);
    res.json(updated);
  });

  // Staff let one volunteer through one gate of one activity, with a reason. Audited.
  router.post('/activities/:id/gate-passes', requirePermission('attendance:write'), async (req, res) => {
    const input = parseInput(gatePassCreateSchema, req.body);
    const activity = state().get('activities', req.params.id as string);
    if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
    findVolunteer(ctx, input.volunteerId);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const pass: GatePass = { id: gatePassIdOf(activity.id, input.volunteerId, input.code), activityId: activity.id, ...input, at: now.toISOString(), by: actor };
    await ctx.store.commit([{ c: 'gatePasses', v: pass }, auditChange(now, actor, 'gate.overridden', pass.id, `${input.code}: ${input.reason}`, { reason: input.reason })]);
    res.status(201).json(pass);
  });

  router.get('/activities/:id/gate-passes', requirePermission('volunteers:read'), (req, res) => {
    const items = [...state().records.gatePasses.values()].filter((p) => p.activityId === req.params.id).sort((a, b) => a.at.localeCompare(b.at));
    res.json({ items: items.map((p) => ({ ...p, name: state().get('volunteers', p.volunteerId)?.name ?? '' })) });
  });

  return router;
}
