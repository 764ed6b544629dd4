import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import type { AuditDetails } from '../protocol/model.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Notice } from '../protocol/notices.ts';
import {
  noticeCreateSchema, noticeEntryAddSchema, noticePublishSchema, noticeReasonSchema, noticeUpdateSchema, objectionCreateSchema,
  objectionResolveSchema,
} from '../protocol/notices.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { finalizeDueNotices } from './finalize-notices.ts';
import { addEntry, publish, recordObjection, removeEntry, resolveObjection, updateDraft, withdraw } from './notice-rules.ts';
import { noticeSummary, publicNoticeView, staffNoticeView } from './notice-views.ts';
import { draftEntries, entryOf, periodOf, standingsFor } from './star-list.ts';
import { historyOf } from '../store/archive/history.ts';

/**
 * /api/notices: staff draft, review and publish star lists (公示); the public reads a published
 * one by id for the printable page. Staff views carry full names, so reading them needs
 * volunteers:read; changing them volunteers:write. See docs/board-and-notices.md.
 */
export function noticeRoutes(ctx: AppContext): Router {
  const router = Router();
  const state = () => ctx.store.state;

  const find = (id: string): Notice => {
    const notice = state().get('notices', id);
    if (!notice) throw new AppError('NOT_FOUND', 'No such notice', 404);
    return notice;
  };

  /** One step of a notice's life: the pure rule decides, the change and its audit entry are committed together. */
  const step = async (req: Request, action: string, summary: string, next: (notice: Notice, now: Date, actor: string) => Notice, details?: AuditDetails) => {
    await finalizeDueNotices(ctx);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const notice = find(req.params.id as string);
    const updated = next(notice, now, actor);
    if (updated !== notice) {
      await ctx.store.commit([{ c: 'notices', v: updated }, auditChange(now, actor, action, notice.id, summary, details)]);
      if (updated.status !== 'draft') ctx.notifications.emit('board:changed');
    }
    // Resolving the last objection after the period makes the notice final at once.
    await finalizeDueNotices(ctx);
    return staffNoticeView(state(), state().get('notices', notice.id)!);
  };

  const mark = (now: Date, actor: string, reason: string) => ({ at: now.toISOString(), by: actor, reason });

  router.get('/notices', requirePermission('volunteers:read'), async (_req, res) => {
    await finalizeDueNotices(ctx);
    const items = [...state().records.notices.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(noticeSummary);
    res.json({ items });
  });

  router.post('/notices', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(noticeCreateSchema, req.body);
    // Standings may reach back over closed years (lifetime stars, balances at the period's end): read their archives.
    const history = await historyOf(ctx.store);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const period = periodOf(input);
    const notice: Notice = {
      id: newId(),
      kind: input.kind,
      ...(input.title ? { title: input.title } : {}),
      period,
      basis: state().settings.stars.period,
      ...(input.contact ? { contact: input.contact } : {}),
      status: 'draft',
      entries: draftEntries(history, input.kind, period),
      objections: [],
      createdAt: now.toISOString(),
      createdBy: actor,
    };
    await ctx.store.commit([{ c: 'notices', v: notice }, auditChange(now, actor, 'notice.drafted', notice.id, `${notice.kind} ${period.from}..${period.to}: ${notice.entries.length} entries`, { from: period.from, to: period.to, count: notice.entries.length })]);
    res.status(201).json(staffNoticeView(state(), notice));
  });

  router.get('/notices/:id', requirePermission('volunteers:read'), async (req, res) => {
    await finalizeDueNotices(ctx);
    res.json(staffNoticeView(state(), find(req.params.id as string)));
  });

  // The printable page and anyone in the hall may read a published notice: it shows only masked names.
  router.get('/notices/:id/public', async (req, res) => {
    await finalizeDueNotices(ctx);
    const view = publicNoticeView(state(), find(req.params.id as string));
    if (!view) throw new AppError('NOT_FOUND', 'No such published notice', 404);
    res.json(view);
  });

  router.patch('/notices/:id', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(noticeUpdateSchema, req.body);
    res.json(await step(req, 'notice.edited', JSON.stringify(input), (notice) => updateDraft(notice, input)));
  });

  router.post('/notices/:id/entries', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(noticeEntryAddSchema, req.body);
    const volunteer = findVolunteer(ctx, input.volunteerId);
    const history = await historyOf(ctx.store);
    res.json(
      await step(req, 'notice.entry.added', `${volunteer.id}: ${input.reason}`, (notice, now, actor) => {
        const standing = standingsFor(history, notice.period, volunteer.id).get(volunteer.id) ?? { stars: 0, hours: 0, previousStars: 0 };
        const stars = input.stars ?? standing.stars;
        if (stars === 0) throw new AppError('VALIDATION_FAILED', 'This volunteer holds no star in the period; give the star level to list', 400, { problems: [{ field: 'stars', message: 'Required for a volunteer without a star' }] });
        return addEntry(notice, { ...entryOf(history, volunteer.id, standing, notice.kind), stars }, mark(now, actor, input.reason));
      }, { volunteer: volunteer.id, reason: input.reason }),
    );
  });

  router.post('/notices/:id/entries/:volunteerId/remove', requirePermission('volunteers:write'), async (req, res) => {
    const { reason } = parseInput(noticeReasonSchema, req.body);
    const volunteerId = req.params.volunteerId as string;
    res.json(await step(req, 'notice.entry.removed', `${volunteerId}: ${reason}`, (notice, now, actor) => removeEntry(notice, volunteerId, mark(now, actor, reason)), { volunteer: volunteerId, reason }));
  });

  router.post('/notices/:id/publish', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(noticePublishSchema, req.body);
    res.json(await step(req, 'notice.published', `${input.workingDays} working days`, (notice, now, actor) => publish(notice, input, now, actor, state().settings), { workingDays: input.workingDays }));
  });

  router.post('/notices/:id/objections', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(objectionCreateSchema, req.body);
    const id = newId();
    const view = await step(req, 'notice.objection', `${input.volunteerId} (${id})`, (notice, now, actor) =>
      recordObjection(notice, { id, volunteerId: input.volunteerId, content: input.content, ...(input.raisedBy ? { raisedBy: input.raisedBy } : {}), receivedAt: now.toISOString(), recordedBy: actor }, now),
      { volunteer: input.volunteerId },
    );
    res.status(201).json({ objectionId: id, notice: view });
  });

  router.post('/notices/:id/objections/:objectionId/resolve', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(objectionResolveSchema, req.body);
    const objectionId = req.params.objectionId as string;
    res.json(
      await step(req, 'notice.objection.resolved', `${objectionId}: ${input.outcome}`, (notice, now, actor) =>
        resolveObjection(notice, objectionId, { ...input, at: now.toISOString(), by: actor }),
        { outcome: input.outcome },
      ),
    );
  });

  router.post('/notices/:id/withdraw', requirePermission('volunteers:write'), async (req, res) => {
    const { reason } = parseInput(noticeReasonSchema, req.body);
    res.json(await step(req, 'notice.withdrawn', reason, (notice, now, actor) => withdraw(notice, mark(now, actor, reason)), { reason }));
  });

  router.get('/volunteers/:id/star-records', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    await finalizeDueNotices(ctx);
    const items = [...state().records.starRecords.values()].filter((r) => r.volunteerId === volunteer.id).sort((a, b) => b.finalAt.localeCompare(a.finalAt));
    res.json({ items });
  });

  return router;
}
