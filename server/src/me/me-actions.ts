import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import { meSignupSchema, meTaskAcceptSchema, meTaskDeclineSchema, type MeActivitiesView, type MeActivity } from '../protocol/me.ts';
import type { Activity } from '../protocol/model.ts';
import type { ServiceRequest, TaskAcceptSuccess, TaskDeclineSuccess } from '../protocol/service.ts';
import { acceptTask, declineTask, listTasksFor } from '../service/requests.ts';
import { once } from '../service/task-handlers.ts';
import { signupDeadlineOf, signupOf, signupsOf } from '../signups/signup-rules.ts';
import { cancelSignup, signUp } from '../signups/signups.ts';
import type { StationState } from '../store/state.ts';
import { displayNameOf } from '../volunteers/figures.ts';
import { requireVolunteer } from './phone-sessions.ts';

/** An activity for the phone: counts only, never who else signed up. */
export function meActivity(state: StationState, activity: Activity, volunteerId: string, now: Date): MeActivity {
  const signups = signupsOf(state, activity.id);
  const confirmed = signups.filter((s) => s.status === 'confirmed').length;
  const deadline = signupDeadlineOf(activity);
  const own = signupOf(state, activity.id, volunteerId);
  return {
    id: activity.id,
    title: activity.title,
    ...(activity.place ? { place: activity.place } : {}),
    startsAt: activity.startsAt,
    endsAt: activity.endsAt,
    signupDeadline: deadline,
    capacity: activity.capacity ?? null,
    placesLeft: activity.capacity === undefined ? null : Math.max(0, activity.capacity - confirmed),
    waitlisted: signups.filter((s) => s.status === 'waitlisted').length,
    open: activity.status !== 'cancelled' && activity.status !== 'closed' && now.getTime() < Date.parse(deadline),
    ...(own && own.status !== 'cancelled' ? { mine: { status: own.status, signedUpAt: own.signedUpAt } } : {}),
  };
}

export function meActivitiesView(state: StationState, volunteerId: string, now: Date): MeActivitiesView {
  const items: MeActivity[] = [];
  const mine: MeActivity[] = [];
  for (const activity of state.records.activities.values()) {
    if (now.getTime() >= Date.parse(activity.endsAt)) continue;
    const view = meActivity(state, activity, volunteerId, now);
    if (view.mine) mine.push(view);
    else if (view.open) items.push(view);
  }
  const byStart = (a: MeActivity, b: MeActivity) => a.startsAt.localeCompare(b.startsAt);
  return { items: items.sort(byStart), mine: mine.sort(byStart) };
}

/**
 * `/api/me/activities`, `/api/me/signups`, `/api/me/tasks`: sign-ups and service tasks from the
 * volunteer's own phone, through the same domain functions as the admin and the kiosk, so the
 * rules are identical. The volunteer is always the session's; a body never names one.
 */
export function meActionRoutes(ctx: AppContext): Router {
  const router = Router();
  const state = () => ctx.store.state;
  const by = (volunteerId: string) => `volunteer:${volunteerId}`;

  router.get('/me/activities', requireVolunteer, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(meActivitiesView(state(), req.phone!.volunteer.id, ctx.clock.now()));
  });

  router.post('/me/signups', requireVolunteer, async (req, res) => {
    const { activityId } = parseInput(meSignupSchema, req.body);
    const volunteerId = req.phone!.volunteer.id;
    const { created } = await signUp(ctx, activityId, volunteerId, by(volunteerId));
    const activity = state().get('activities', activityId)!;
    res.status(created ? 201 : 200).json(meActivity(state(), activity, volunteerId, ctx.clock.now()));
  });

  router.delete('/me/signups/:activityId', requireVolunteer, async (req, res) => {
    const volunteerId = req.phone!.volunteer.id;
    const { cancelled } = await cancelSignup(ctx, req.params.activityId as string, volunteerId, by(volunteerId));
    const activity = state().get('activities', cancelled.activityId)!;
    res.json(meActivity(state(), activity, volunteerId, ctx.clock.now()));
  });

  router.get('/me/tasks', requireVolunteer, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: listTasksFor(state(), req.phone!.volunteer.id) });
  });

  router.post('/me/tasks/:requestId/accept', requireVolunteer, async (req, res) => {
    const { opId } = parseInput(meTaskAcceptSchema, req.body);
    const volunteer = req.phone!.volunteer;
    const requestId = requestIdOf(req.params.requestId);
    res.json(await once<ServiceRequest>(ctx, opId, ['me-accept', volunteer.id, requestId], () => ({
      answer: (request): TaskAcceptSuccess => ({
        ok: true, opId, requestId: request.id, number: request.number, status: request.status,
        volunteer: { id: volunteer.id, displayName: displayNameOf(state(), volunteer) },
      }),
      run: (receipts) => acceptTask(ctx, volunteer.id, requestId, by(volunteer.id), receipts),
    })));
  });

  router.post('/me/tasks/:requestId/decline', requireVolunteer, async (req, res) => {
    const { opId, reason } = parseInput(meTaskDeclineSchema, req.body);
    const volunteer = req.phone!.volunteer;
    const requestId = requestIdOf(req.params.requestId);
    res.json(await once<ServiceRequest>(ctx, opId, ['me-decline', volunteer.id, requestId, reason], () => ({
      answer: (request): TaskDeclineSuccess => ({ ok: true, opId, requestId: request.id, status: request.status }),
      run: (receipts) => declineTask(ctx, volunteer.id, requestId, reason, by(volunteer.id), receipts),
    })));
  });

  return router;
}

function requestIdOf(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new AppError('NOT_FOUND', 'No such service request', 404);
  return value;
}
