import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { can } from '../protocol/roles.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Activity, Team } from '../protocol/model.ts';
import type { ActivityView, Items, TeamView } from '../protocol/views.ts';
import { activityCreateSchema, activityUpdateSchema, dayString, isoTime, teamCreateSchema, teamUpdateSchema } from '../protocol/schemas.ts';
import { onSiteByActivity, openActivitySummaries } from './open-activities.ts';
import { dayKey } from '../domain/time-zone.ts';
import { promoteAfterCapacityChange } from '../signups/signups.ts';

const activityListSchema = z.object({ from: dayString.optional(), to: dayString.optional(), status: z.enum(['planned', 'open', 'closed', 'cancelled']).optional() });
const duplicateSchema = z.object({ startsAt: isoTime });

export function activityRoutes(ctx: AppContext): Router {
  const router = Router();
  const find = (id: string) => {
    const activity = ctx.store.state.get('activities', id);
    if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
    return activity;
  };
  const withCounts = (activity: Activity, onSite: Record<string, number>): ActivityView => ({
    ...activity,
    onSite: onSite[activity.id] ?? 0,
    attendanceCount: ctx.store.state.attendanceIdsOfActivity(activity.id).length,
  });
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
    const zone = ctx.store.state.settings.timeZone;
    const items = [...ctx.store.state.records.activities.values()]
      // Days in the center's zone: an activity at 07:00 Beijing time starts "yesterday" in UTC.
      .filter((a) => (!query.status || a.status === query.status) && (!query.from || dayKey(a.endsAt, zone) >= query.from) && (!query.to || dayKey(a.startsAt, zone) <= query.to))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
      .map((a) => withCounts(a, counts));
    res.json({ items });
  });

  router.get('/activities/open', requirePermission('activities:read'), (_req, res) => {
    res.json({ items: openActivitySummaries(ctx.store.state, ctx.clock.now()) });
  });

  router.get('/activities/:id', requirePermission('activities:read'), (req, res) => {
    res.json(withCounts(find(req.params.id as string), onSiteByActivity(ctx.store.state)));
  });

  router.post('/activities', requirePermission('activities:write'), async (req, res) => {
    const input = parseInput(activityCreateSchema, req.body);
    checkTeams(input.teamIds);
    const activity: Activity = { id: newId(), ...input, createdAt: ctx.clock.now().toISOString() };
    await save(activity, actorOf(req), 'activity.created');
    res.status(201).json(activity);
  });

  router.patch('/activities/:id', requirePermission('activities:write'), async (req, res) => {
    const input = parseInput(activityUpdateSchema, req.body);
    checkTeams(input.teamIds);
    const activity = find(req.params.id as string);
    const updated: Activity = { ...activity, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    if (Date.parse(updated.endsAt) <= Date.parse(updated.startsAt)) throw new AppError('VALIDATION_FAILED', 'An activity must end after it starts', 400);
    await save(updated, actorOf(req), 'activity.updated');
    // A larger capacity frees places: the waiting list moves up in order.
    if (updated.capacity !== activity.capacity) await promoteAfterCapacityChange(ctx, updated.id, actorOf(req));
    res.json(updated);
  });

  // A recurring activity (every Tuesday's patrol) is planned by copying last week's at a new start time.
  router.post('/activities/:id/duplicate', requirePermission('activities:write'), async (req, res) => {
    const { startsAt } = parseInput(duplicateSchema, req.body);
    const source = find(req.params.id as string);
    const length = Date.parse(source.endsAt) - Date.parse(source.startsAt);
    const start = Date.parse(startsAt);
    // A copy is an activity of its own, not another occurrence of the source's series.
    const { seriesId: _series, ...fields } = source;
    const copy: Activity = { ...fields, id: newId(), status: 'planned', startsAt: new Date(start).toISOString(), endsAt: new Date(start + length).toISOString(), createdAt: ctx.clock.now().toISOString() };
    await save(copy, actorOf(req), 'activity.duplicated');
    res.status(201).json(copy);
  });

  router.get('/teams', requirePermission('activities:read'), (req, res) => {
    const state = ctx.store.state;
    const members = new Map<string, number>();
    for (const v of state.records.volunteers.values()) for (const t of v.teamIds) members.set(t, (members.get(t) ?? 0) + 1);
    // Leaders by name for the roles that see volunteers' names; a viewer gets the figures only.
    const seesNames = req.staff !== undefined && can(req.staff.role, 'volunteers:read');
    const leadersOf = (t: Team) => t.leaderIds.flatMap((id) => {
      const leader = state.get('volunteers', id);
      return leader ? [{ id, name: leader.name }] : [];
    });
    res.json({ items: [...state.records.teams.values()].map((t) => ({ ...t, memberCount: members.get(t.id) ?? 0, ...(seesNames ? { leaders: leadersOf(t) } : {}) })) } satisfies Items<TeamView>);
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
