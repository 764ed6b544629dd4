import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Activity, Team } from '../protocol/model.ts';
import { activityCreateSchema, activityUpdateSchema, dayString, isoTime, teamCreateSchema, teamUpdateSchema } from '../protocol/schemas.ts';
import { onSiteByActivity, openActivitySummaries } from './open-activities.ts';

const activityListSchema = z.object({ from: dayString.optional(), to: dayString.optional(), status: z.enum(['planned', 'open', 'closed', 'cancelled']).optional() });
const duplicateSchema = z.object({ startsAt: isoTime });

export function activityRoutes(ctx: AppContext): Router {
  const router = Router();
  const find = (id: string) => {
    const activity = ctx.store.state.get('activities', id);
    if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
    return activity;
  };
  const announce = () => ctx.notifications.emit('activities:changed', openActivitySummaries(ctx.store.state, ctx.clock.now()));
  const checkTeams = (teamIds: string[] | undefined) => {
    const unknown = (teamIds ?? []).filter((id) => !ctx.store.state.get('teams', id));
    if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', 'Some of the teams do not exist', 400, { teamIds: unknown });
  };
  const save = async (activity: Activity, actor: string, action: string) => {
    await ctx.store.commit([{ c: 'activities', v: activity }, auditChange(ctx.clock.now(), actor, action, activity.id, activity.title)]);
    announce();
  };

  router.get('/activities', requirePermission('activities:read'), (req, res) => {
    const query = parseInput(activityListSchema, req.query);
    const counts = onSiteByActivity(ctx.store.state);
    const items = [...ctx.store.state.records.activities.values()]
      .filter((a) => (!query.status || a.status === query.status) && (!query.from || a.endsAt.slice(0, 10) >= query.from) && (!query.to || a.startsAt.slice(0, 10) <= query.to))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
      .map((a) => ({ ...a, onSite: counts[a.id] ?? 0, attendanceCount: ctx.store.state.attendanceByActivity.get(a.id)?.length ?? 0 }));
    res.json({ items });
  });

  router.get('/activities/open', requirePermission('activities:read'), (_req, res) => {
    res.json({ items: openActivitySummaries(ctx.store.state, ctx.clock.now()) });
  });

  router.get('/activities/:id', requirePermission('activities:read'), (req, res) => {
    res.json(find(req.params.id as string));
  });

  router.post('/activities', requirePermission('activities:write'), async (req, res) => {
    const input = parseInput(activityCreateSchema, req.body);
    checkTeams(input.teamIds);
    const activity: Activity = { id: newId(), ...input, startsAt: new Date(input.startsAt).toISOString(), endsAt: new Date(input.endsAt).toISOString(), createdAt: ctx.clock.now().toISOString() };
    await save(activity, actorOf(req), 'activity.created');
    res.status(201).json(activity);
  });

  router.patch('/activities/:id', requirePermission('activities:write'), async (req, res) => {
    const input = parseInput(activityUpdateSchema, req.body);
    checkTeams(input.teamIds);
    const activity = find(req.params.id as string);
    const updated: Activity = { ...activity, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    if (Date.parse(updated.endsAt) <= Date.parse(updated.startsAt)) throw new AppError('VALIDATION_FAILED', 'An activity must end after it starts', 400);
    updated.startsAt = new Date(updated.startsAt).toISOString();
    updated.endsAt = new Date(updated.endsAt).toISOString();
    await save(updated, actorOf(req), 'activity.updated');
    res.json(updated);
  });

  // A recurring activity (every Tuesday's patrol) is planned by copying last week's at a new start time.
  router.post('/activities/:id/duplicate', requirePermission('activities:write'), async (req, res) => {
    const { startsAt } = parseInput(duplicateSchema, req.body);
    const source = find(req.params.id as string);
    const length = Date.parse(source.endsAt) - Date.parse(source.startsAt);
    const start = Date.parse(startsAt);
    const copy: Activity = { ...source, id: newId(), status: 'planned', startsAt: new Date(start).toISOString(), endsAt: new Date(start + length).toISOString(), createdAt: ctx.clock.now().toISOString() };
    await save(copy, actorOf(req), 'activity.duplicated');
    res.status(201).json(copy);
  });

  router.get('/teams', requirePermission('activities:read'), (_req, res) => {
    const state = ctx.store.state;
    const members = new Map<string, number>();
    for (const v of state.records.volunteers.values()) for (const t of v.teamIds) members.set(t, (members.get(t) ?? 0) + 1);
    res.json({ items: [...state.records.teams.values()].map((t) => ({ ...t, memberCount: members.get(t.id) ?? 0 })) });
  });

  router.post('/teams', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(teamCreateSchema, req.body);
    if ([...ctx.store.state.records.teams.values()].some((t) => t.name === input.name)) throw new AppError('CONFLICT', `A team named “${input.name}” exists`, 409);
    const now = ctx.clock.now();
    const team: Team = { id: newId(), name: input.name, leaderIds: input.leaderIds, createdAt: now.toISOString() };
    await ctx.store.commit([{ c: 'teams', v: team }, auditChange(now, actorOf(req), 'team.created', team.id, team.name)]);
    res.status(201).json(team);
  });

  router.patch('/teams/:id', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(teamUpdateSchema, req.body);
    const team = ctx.store.state.get('teams', req.params.id as string);
    if (!team) throw new AppError('NOT_FOUND', 'No such team', 404);
    const updated: Team = { ...team, name: input.name ?? team.name, leaderIds: input.leaderIds ?? team.leaderIds };
    const now = ctx.clock.now();
    await ctx.store.commit([{ c: 'teams', v: updated }, auditChange(now, actorOf(req), 'team.updated', team.id, updated.name)]);
    res.json(updated);
  });

  return router;
}
