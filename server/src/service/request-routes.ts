import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { can } from '../protocol/roles.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { deviceForToken } from '../devices/device-routes.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import {
  completeSchema, dispatchSchema, ratingSchema, reasonSchema, requestCreateSchema, requestListQuerySchema, requestUpdateSchema, staffAcceptSchema,
} from '../protocol/service.ts';
import { urgencyOf } from './request-rules.ts';
import {
  acceptTask, cancelRequest, completeRequest, createRequest, dispatchRequest, findRequest, rateRequest, reopenRequest, updateRequest,
} from './requests.ts';
import { matchesFor, requestView } from './service-views.ts';

/**
 * A request is made by staff, or by a resident at a check-in kiosk (the tablet's token as
 * `Authorization: Bearer …`); the kiosk's own socket event `help:request` does the same offline-safe.
 */
function staffOrKiosk(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) {
      const device = deviceForToken(ctx, token);
      if (!device) throw new AppError('DEVICE_TOKEN_INVALID', 'This tablet is not paired, or its pairing was revoked', 401);
      if (device.mode !== 'checkin') throw new AppError('DEVICE_MODE_FORBIDDEN', 'Only a check-in kiosk takes residents’ requests', 403);
      res.locals.actor = `device:${device.id}`;
      return next();
    }
    if (!req.staff) throw new AppError('UNAUTHENTICATED', 'Please sign in to the admin first', 401);
    if (!can(req.staff.role, 'requests:write')) throw new AppError('FORBIDDEN', 'Your account’s role does not allow this', 403);
    res.locals.actor = actorOf(req);
    next();
  };
}

export function requestRoutes(ctx: AppContext): Router {
  const router = Router();
  const read = requirePermission('requests:read');
  const write = requirePermission('requests:write');
  const view = (request: Parameters<typeof requestView>[1], reveal = false) => requestView(ctx.store.state, request, ctx.clock.now(), reveal);

  router.post('/service-requests', staffOrKiosk(ctx), async (req, res) => {
    const input = parseInput(requestCreateSchema, req.body);
    const actor = res.locals.actor as string;
    const request = await createRequest(ctx, input, actor, actor.startsWith('device:') ? 'kiosk' : 'staff');
    res.status(201).json({ id: request.id, number: request.number, status: request.status });
  });

  router.get('/service-requests', read, (req, res) => {
    const query = parseInput(requestListQuerySchema, req.query);
    const now = ctx.clock.now();
    const all = [...ctx.store.state.records.serviceRequests.values()].filter(
      (r) =>
        (!query.status || r.status === query.status) &&
        (!query.category || r.category === query.category) &&
        (!query.residentId || r.residentId === query.residentId) &&
        (!query.volunteerId || r.assignments.some((a) => a.volunteerId === query.volunteerId)),
    );
    // What needs attention first: overdue, then unanswered, then the newest.
    const weight = (r: (typeof all)[number]) => {
      const urgency = urgencyOf(r, now);
      return (urgency.overdue ? 2 : 0) + (urgency.unanswered ? 1 : 0);
    };
    all.sort((a, b) => weight(b) - weight(a) || b.createdAt.localeCompare(a.createdAt));
    res.json({ total: all.length, items: all.slice(query.offset, query.offset + query.limit).map((r) => view(r)) });
  });

  router.get('/service-requests/:id', read, async (req, res) => {
    const request = findRequest(ctx.store.state, req.params.id as string);
    const reveal = req.query.reveal === '1';
    if (reveal && request.phone) await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'request.revealed', request.id, 'phone shown')]);
    res.json(view(request, reveal));
  });

  // Staff complete a resident's own words: the skills needed, the grid, who it is for, when.
  router.patch('/service-requests/:id', write, async (req, res) => {
    const input = parseInput(requestUpdateSchema, req.body);
    res.json(view(await updateRequest(ctx, req.params.id as string, input, actorOf(req))));
  });

  router.get('/service-requests/:id/matches', read, (req, res) => {
    const request = findRequest(ctx.store.state, req.params.id as string);
    res.json({ items: matchesFor(ctx.store.state, request) });
  });

  router.post('/service-requests/:id/dispatch', write, async (req, res) => {
    const { volunteerIds } = parseInput(dispatchSchema, req.body);
    res.json(view(await dispatchRequest(ctx, req.params.id as string, volunteerIds, actorOf(req))));
  });

  // A volunteer who said yes on the phone: staff record the acceptance for them.
  router.post('/service-requests/:id/accept', write, async (req, res) => {
    const { volunteerId } = parseInput(staffAcceptSchema, req.body);
    res.json(view(await acceptTask(ctx, volunteerId, req.params.id as string, actorOf(req))));
  });

  router.post('/service-requests/:id/complete', write, async (req, res) => {
    const { minutes, note } = parseInput(completeSchema, req.body);
    res.json(view(await completeRequest(ctx, req.params.id as string, minutes, note, actorOf(req))));
  });

  // Staff record a rating the resident gave by phone; a kiosk rating goes through `request:rate`.
  router.post('/service-requests/:id/rating', write, async (req, res) => {
    const { score, comment } = parseInput(ratingSchema, req.body);
    res.json(view(await rateRequest(ctx, req.params.id as string, score, comment, actorOf(req))));
  });

  router.post('/service-requests/:id/cancel', write, async (req, res) => {
    const { reason } = parseInput(reasonSchema, req.body);
    res.json(view(await cancelRequest(ctx, req.params.id as string, reason, actorOf(req))));
  });

  router.post('/service-requests/:id/reopen', write, async (req, res) => {
    const { reason } = parseInput(reasonSchema, req.body);
    res.json(view(await reopenRequest(ctx, req.params.id as string, reason, actorOf(req))));
  });

  return router;
}
