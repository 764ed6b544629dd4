import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { openActivitySummaries } from '../activities/open-activities.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Activity } from '../protocol/model.ts';
import {
  seriesCancelSchema, seriesCreateSchema, seriesEditSchema, seriesPreviewSchema,
  type ActivitySeries, type SeriesChangeResult, type SeriesCreated, type SeriesPreview, type SeriesView,
} from '../protocol/recurring.ts';
import type { Change } from '../store/state.ts';
import { activitiesOfSeries, occurrenceView, plannedOccurrences, planSeriesCancel, planSeriesEdit, seriesActivities } from './series.ts';

/**
 * Recurring activities (issue 12). Every series operation is one commit: all its activities and
 * its audit entry together, or nothing. Staff edit one occurrence alone with the ordinary
 * `PATCH /api/activities/:id`.
 */
export function seriesRoutes(ctx: AppContext): Router {
  const router = Router();
  const findSeries = (id: string): ActivitySeries => {
    const series = ctx.store.state.get('activitySeries', id);
    if (!series) throw new AppError('NOT_FOUND', 'No such series', 404);
    return series;
  };
  const findActivity = (id: string): Activity => {
    const activity = ctx.store.state.get('activities', id);
    if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
    return activity;
  };
  const announce = () => ctx.notifications.emit('activities:changed', openActivitySummaries(ctx.store.state, ctx.clock.now()));
  const checkTeams = (teamIds: string[] | undefined) => {
    const unknown = (teamIds ?? []).filter((id) => !ctx.store.state.get('teams', id));
    if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', 'Some of the teams do not exist', 400, { teamIds: unknown });
  };
  const occurrenceDetails = (result: SeriesChangeResult) => ({ count: result.changed.length, kept: result.kept.length });

  router.post('/activity-series/preview', requirePermission('activities:write'), (req, res) => {
    const input = parseInput(seriesPreviewSchema, req.body);
    const planned = plannedOccurrences(input.repeat, input, ctx.store.state.settings.timeZone, ctx.clock.now(), ctx.store.state.settings.calendar);
    res.json({ occurrences: planned } satisfies SeriesPreview);
  });

  router.post('/activity-series', requirePermission('activities:write'), async (req, res) => {
    const input = parseInput(seriesCreateSchema, req.body);
    checkTeams(input.teamIds);
    const now = ctx.clock.now();
    const planned = plannedOccurrences(input.repeat, input, ctx.store.state.settings.timeZone, now, ctx.store.state.settings.calendar);
    const actor = actorOf(req);
    const series: ActivitySeries = { id: newId(), title: input.title, ...input.repeat, firstStartsAt: planned[0]!.startsAt, createdAt: now.toISOString(), createdBy: actor };
    const activities = seriesActivities(input, series.id, planned, now, newId);
    const details = { count: activities.length, first: planned[0]!.startsAt, last: planned.at(-1)!.startsAt };
    await ctx.store.commit([{ c: 'activitySeries', v: series }, ...activities.map((v): Change => ({ c: 'activities', v })), auditChange(now, actor, 'series.created', series.id, series.title, details)]);
    announce();
    res.status(201).json({ series, activities } satisfies SeriesCreated);
  });

  router.get('/activity-series/:id', requirePermission('activities:read'), (req, res) => {
    const series = findSeries(req.params.id as string);
    const state = ctx.store.state;
    res.json({ series, occurrences: activitiesOfSeries(state, series.id).map((a) => occurrenceView(state, a)) } satisfies SeriesView);
  });

  router.post('/activity-series/:id/edit', requirePermission('activities:write'), async (req, res) => {
    const input = parseInput(seriesEditSchema, req.body);
    checkTeams(input.changes.teamIds);
    const series = findSeries(req.params.id as string);
    const from = findActivity(input.fromActivityId);
    const now = ctx.clock.now();
    const { updated, fields, result } = planSeriesEdit(ctx.store.state, series, from, input.changes, now);
    const title = input.changes.title && fields.includes('title') ? input.changes.title : series.title;
    const changes: Change[] = [...updated.map((v): Change => ({ c: 'activities', v }))];
    if (title !== series.title) changes.push({ c: 'activitySeries', v: { ...series, title } });
    changes.push(auditChange(now, actorOf(req), 'series.updated', series.id, title, { from: from.startsAt, fields, ...occurrenceDetails(result) }));
    await ctx.store.commit(changes);
    announce();
    res.json(result satisfies SeriesChangeResult);
  });

  router.post('/activity-series/:id/cancel', requirePermission('activities:write'), async (req, res) => {
    const input = parseInput(seriesCancelSchema, req.body);
    const series = findSeries(req.params.id as string);
    const from = findActivity(input.fromActivityId);
    const now = ctx.clock.now();
    const { updated, result } = planSeriesCancel(ctx.store.state, series, from, now);
    await ctx.store.commit([...updated.map((v): Change => ({ c: 'activities', v })), auditChange(now, actorOf(req), 'series.cancelled', series.id, series.title, { from: from.startsAt, ...occurrenceDetails(result) })]);
    announce();
    res.json(result satisfies SeriesChangeResult);
  });

  return router;
}
