import { randomInt } from 'node:crypto';
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { hashToken, newId, randomToken } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Device } from '../protocol/model.ts';
import type { DeviceView, DeviceWithPairing, Items } from '../protocol/views.ts';
import { deviceCreateSchema, deviceUpdateSchema, pairSchema } from '../protocol/schemas.ts';

const PAIRING_MINUTES = 30;

/** What staff see of a device: never its token or pairing hashes. */
export function publicDevice(device: Device, online: boolean) {
  return {
    id: device.id,
    name: device.name,
    mode: device.mode,
    createdAt: device.createdAt,
    pairedAt: device.pairedAt,
    revokedAt: device.revokedAt,
    lastSeenAt: device.lastSeenAt,
    pairingExpiresAt: device.tokenHash ? undefined : device.pairingExpiresAt,
    online,
  } satisfies DeviceView;
}

/** A board pairs in the board app; check-in and counter tablets in the kiosk app. */
export function pairingUrl(mode: Device['mode'], pairingCode: string): string {
  return `${mode === 'board' ? '/board/' : '/kiosk/'}?pair=${pairingCode}`;
}

function newPairingCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

export function deviceRoutes(ctx: AppContext, isOnline: (deviceId: string) => boolean): Router {
  const router = Router();
  // Pairing codes are short enough to type; limiting attempts keeps them unguessable.
  const pairLimiter = rateLimit({
    windowMs: 10 * 60_000,
    limit: 30,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: 'Too many pairing attempts; please wait 10 minutes' } });
    },
  });

  router.get('/devices', requirePermission('devices:manage'), (_req, res) => {
    const devices = [...ctx.store.state.records.devices.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    res.json({ items: devices.map((d) => publicDevice(d, isOnline(d.id))) } satisfies Items<DeviceView>);
  });

  router.post('/devices', requirePermission('devices:manage'), async (req, res) => {
    const input = parseInput(deviceCreateSchema, req.body);
    const now = ctx.clock.now();
    const pairingCode = newPairingCode();
    const device: Device = {
      id: newId(),
      name: input.name,
      mode: input.mode,
      createdAt: now.toISOString(),
      createdBy: actorOf(req),
      pairingCodeHash: hashToken(pairingCode),
      pairingExpiresAt: new Date(now.getTime() + PAIRING_MINUTES * 60_000).toISOString(),
    };
    await ctx.store.commit([{ c: 'devices', v: device }, auditChange(now, actorOf(req), 'device.created', device.id, `${device.name} (${device.mode})`, { mode: device.mode })]);
    ctx.notifications.emit('devices:changed');
    res.status(201).json({ ...publicDevice(device, false), pairingCode, pairingUrl: pairingUrl(device.mode, pairingCode) } satisfies DeviceWithPairing);
  });

  // A new code for an existing device (the old one expired, or the tablet was reset); its current token stops working.
  router.post('/devices/:id/pairing-code', requirePermission('devices:manage'), async (req, res) => {
    const device = ctx.store.state.get('devices', req.params.id as string);
    if (!device || device.revokedAt) throw new AppError('NOT_FOUND', 'No such device', 404);
    const now = ctx.clock.now();
    const pairingCode = newPairingCode();
    const { tokenHash: _old, pairedAt: _paired, ...rest } = device;
    const updated: Device = { ...rest, pairingCodeHash: hashToken(pairingCode), pairingExpiresAt: new Date(now.getTime() + PAIRING_MINUTES * 60_000).toISOString() };
    await ctx.store.commit([{ c: 'devices', v: updated }, auditChange(now, actorOf(req), 'device.repair', device.id, device.name)]);
    ctx.notifications.emit('device:revoked', device.id);
    ctx.notifications.emit('devices:changed');
    res.status(201).json({ ...publicDevice(updated, false), pairingCode, pairingUrl: pairingUrl(updated.mode, pairingCode) } satisfies DeviceWithPairing);
  });

  router.post('/devices/pair', pairLimiter, async (req, res) => {
    const input = parseInput(pairSchema, req.body);
    const state = ctx.store.state;
    const now = ctx.clock.now();
    const device = state.deviceWithPairingHash(hashToken(input.pairingCode.replace(/\s/g, '')));
    if (!device || device.revokedAt || !device.pairingExpiresAt || Date.parse(device.pairingExpiresAt) < now.getTime()) {
      throw new AppError('PAIRING_CODE_INVALID', 'This pairing code is wrong, used or expired; ask the staff for a new one', 400);
    }
    const token = randomToken();
    const { pairingCodeHash: _used, pairingExpiresAt: _expiry, ...rest } = device;
    const paired: Device = { ...rest, tokenHash: hashToken(token), pairedAt: now.toISOString(), lastSeenAt: now.toISOString() };
    await ctx.store.commit([{ c: 'devices', v: paired }, auditChange(now, `device:${device.id}`, 'device.paired', device.id, device.name)]);
    ctx.notifications.emit('devices:changed');
    res.json({ deviceId: device.id, token, name: device.name, mode: device.mode });
  });

  router.patch('/devices/:id', requirePermission('devices:manage'), async (req, res) => {
    const input = parseInput(deviceUpdateSchema, req.body);
    const device = ctx.store.state.get('devices', req.params.id as string);
    if (!device) throw new AppError('NOT_FOUND', 'No such device', 404);
    const updated = { ...device, name: input.name };
    const now = ctx.clock.now();
    await ctx.store.commit([{ c: 'devices', v: updated }, auditChange(now, actorOf(req), 'device.renamed', device.id, `${device.name} → ${input.name}`, { from: device.name, to: input.name })]);
    ctx.notifications.emit('devices:changed');
    res.json(publicDevice(updated, isOnline(device.id)));
  });

  router.post('/devices/:id/revoke', requirePermission('devices:manage'), async (req, res) => {
    const device = ctx.store.state.get('devices', req.params.id as string);
    if (!device) throw new AppError('NOT_FOUND', 'No such device', 404);
    if (!device.revokedAt) {
      const now = ctx.clock.now();
      const revoked: Device = { ...device, revokedAt: now.toISOString() };
      await ctx.store.commit([{ c: 'devices', v: revoked }, auditChange(now, actorOf(req), 'device.revoked', device.id, device.name)]);
      ctx.notifications.emit('device:revoked', device.id);
      ctx.notifications.emit('devices:changed');
    }
    res.json(publicDevice(ctx.store.state.get('devices', device.id)!, false));
  });

  return router;
}

/** The live device behind a token, if it is paired and not revoked. */
export function deviceForToken(ctx: AppContext, token: unknown): Device | null {
  if (typeof token !== 'string' || token.length < 16 || token.length > 128) return null;
  const device = ctx.store.state.deviceWithTokenHash(hashToken(token));
  return device && !device.revokedAt ? device : null;
}
