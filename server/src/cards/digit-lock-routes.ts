import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import type { DigitLockList, DigitLockView } from '../protocol/views.ts';
import { maskName } from '../domain/masking.ts';
import type { PhoneDigitGuard } from './phone-digit-guard.ts';

const clearSchema = z.object({ kind: z.enum(['card', 'device']), key: z.string().trim().min(1).max(80) });

/**
 * Lock-outs from wrong phone digits at the kiosks: listed on the admin's devices page, where
 * staff can lift one once the volunteer has shown who they are. Lifting is audited.
 */
export function digitLockRoutes(ctx: AppContext, guard: PhoneDigitGuard): Router {
  const router = Router();

  router.get('/digit-locks', requirePermission('devices:manage'), (_req, res) => {
    const state = ctx.store.state;
    const deviceName = (id: string | undefined) => (id ? { deviceId: id, deviceName: state.get('devices', id)?.name ?? id } : {});
    const items = guard.locks().map((lock): DigitLockView => {
      if (lock.kind === 'device') return { ...lock, label: state.get('devices', lock.key)?.name ?? lock.key, ...deviceName(lock.key) };
      const volunteer = state.volunteerWithCard(lock.key);
      // Masked: the list stays open on the devices page, which a counter helper may glance at.
      const maskedName = volunteer ? maskName(volunteer.name) : undefined;
      return { ...lock, label: maskedName ? `${lock.key} ${maskedName}` : lock.key, ...(volunteer ? { volunteerId: volunteer.id } : {}), ...(maskedName ? { maskedName } : {}), ...deviceName(lock.deviceId) };
    });
    res.json({ items, limits: guard.limits } satisfies DigitLockList);
  });

  router.post('/digit-locks/clear', requirePermission('devices:manage'), async (req, res) => {
    const input = parseInput(clearSchema, req.body);
    if (!guard.clear(input.kind, input.key)) throw new AppError('NOT_FOUND', 'No such lock-out in force', 404);
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), `${input.kind}.digits-unlocked`, `${input.kind}:${input.key}`, undefined, { key: input.key })]);
    ctx.notifications.emit('devices:changed');
    res.json({ ok: true });
  });

  return router;
}
