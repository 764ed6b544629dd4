import type { Request, RequestHandler, Response } from 'express';
import { Router } from 'express';
import { parse as parseCookies } from 'cookie';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseCode } from '../domain/card-code.ts';
import { hashToken, randomToken } from '../ids.ts';
import { hostOfHeader, type LanStatus } from '../lan/lan-status.ts';
import { AppError } from '../protocol/errors.ts';
import type { MeLink, MeLinkInput, PhoneSession, PhoneView } from '../protocol/me.ts';
import type { Device, Volunteer } from '../protocol/model.ts';
import type { Change, StationState } from '../store/state.ts';
import { resolveCard } from '../attendance/resolve-card.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';

export const ME_COOKIE = 'vs_me';
/** Long enough to scan the QR code with a phone's camera app, short enough that a photo of the screen is useless soon. */
export const LINK_MINUTES = 5;
export const PHONE_DAYS = 180;
/** Last-seen is journalled at most this often per phone, so browsing the page does not fill the journal. */
const SEEN_WRITE_INTERVAL_MS = 12 * 3600_000;

declare module 'express-serve-static-core' {
  interface Request {
    /** The volunteer behind a phone session cookie (`/me/`); never a staff identity. */
    phone?: { session: PhoneSession; volunteer: Volunteer };
  }
}

/**
 * The origin a phone on the same Wi-Fi reaches the server at: the host the kiosk itself used,
 * over plain HTTP when the server has it, because a phone has not installed the local CA and
 * needs no camera access for `/me/` (its camera app read the QR code).
 */
export function phoneOrigin(lan: LanStatus, hostHeader: string | undefined, secure: boolean): string {
  const host = hostHeader ?? '';
  if (!/^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) {
    throw new AppError('VALIDATION_FAILED', 'The tablet reached the server under a name a phone cannot use');
  }
  if (!secure) return `http://${host}`;
  return lan.httpOrigin(hostOfHeader(host)) ?? `https://${host}`;
}

/**
 * `me:link`: a signed card scanned at a kiosk becomes a one-time link for the volunteer's phone.
 * A typed card number with phone digits is not enough for a session that lasts months.
 */
export async function createMeLink(ctx: AppContext, input: MeLinkInput, device: Device, origin: string): Promise<{ ok: true; url: string; expiresAt: string; expiresInSeconds: number }> {
  const state = ctx.store.state;
  if (parseCode(ctx.cardSecret, input.code).kind !== 'card') throw new AppError('CARD_REQUIRED', 'Scan the card itself to open the page on a phone');
  const volunteer = resolveCard(state, ctx.cardSecret, input.code);
  const now = ctx.clock.now();
  const token = randomToken(16);
  const link: MeLink = {
    id: hashToken(token),
    volunteerId: volunteer.id,
    cardSerial: volunteer.cardSerial,
    deviceId: device.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + LINK_MINUTES * 60_000).toISOString(),
  };
  // Links never used are dropped once expired, so the collection stays as small as the last few minutes.
  const expired: Change[] = [...state.records.meLinks.values()].filter((l) => Date.parse(l.expiresAt) <= now.getTime()).map((l) => ({ c: 'meLinks', id: l.id, remove: true }));
  await ctx.store.commit([...expired, { c: 'meLinks', v: link }, auditChange(now, `device:${device.id}`, 'me.link-created', volunteer.id)]);
  return { ok: true, url: `${origin}/me/link/${token}`, expiresAt: link.expiresAt, expiresInSeconds: LINK_MINUTES * 60 };
}

/** The state of a phone session now; only 'active' opens `/api/me`. */
export function phoneState(state: StationState, phone: PhoneSession, now: Date): PhoneView['state'] {
  if (phone.revokedAt) return 'revoked';
  const volunteer = state.get('volunteers', phone.volunteerId);
  if (!volunteer || volunteer.cardSerial !== phone.cardSerial) return 'card-reissued';
  if (Date.parse(phone.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

function phoneForToken(ctx: AppContext, token: string | undefined): { session: PhoneSession; volunteer: Volunteer } | null {
  if (!token || token.length > 100) return null;
  const state = ctx.store.state;
  const session = state.get('phones', hashToken(token));
  if (!session || phoneState(state, session, ctx.clock.now()) !== 'active') return null;
  const volunteer = state.get('volunteers', session.volunteerId)!;
  if (volunteer.status !== 'active') return null;
  return { session, volunteer };
}

/** Reads the phone cookie; a staff route never looks at `req.phone`, so a phone session opens none of them. */
export function loadPhoneSession(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const token = req.headers.cookie ? parseCookies(req.headers.cookie)[ME_COOKIE] : undefined;
    const found = phoneForToken(ctx, token);
    if (found) {
      req.phone = found;
      markSeen(ctx, found.session);
    }
    next();
  };
}

export const requireVolunteer: RequestHandler = (req, _res, next) => {
  if (!req.phone) throw new AppError('UNAUTHENTICATED', 'Open the page again from a kiosk: scan your card and tap 用手机查看', 401);
  next();
};

function markSeen(ctx: AppContext, session: PhoneSession): void {
  const now = ctx.clock.now();
  if (session.lastSeenAt && now.getTime() - Date.parse(session.lastSeenAt) < SEEN_WRITE_INTERVAL_MS) return;
  void ctx.store.commit([{ c: 'phones', v: { ...session, lastSeenAt: now.toISOString() } }]).catch(() => undefined);
}

function setPhoneCookie(req: Request, res: Response, token: string): void {
  res.cookie(ME_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: PHONE_DAYS * 86400_000 });
}

/** A short label from the User-Agent, so staff can tell "Android · Chrome" from "iPhone · Safari". */
export function phoneLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const system = /iPhone|iPad/.test(ua) ? 'iPhone/iPad' : /HarmonyOS/i.test(ua) ? 'HarmonyOS' : /Android/.test(ua) ? 'Android' : /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'Linux' : 'unknown';
  const browser = /MicroMessenger/.test(ua) ? 'WeChat' : /EdgA?\//.test(ua) ? 'Edge' : /(Chrome|CriOS)\//.test(ua) ? 'Chrome' : /Firefox\//.test(ua) ? 'Firefox' : /Safari\//.test(ua) ? 'Safari' : 'browser';
  return `${system} · ${browser}`;
}

/**
 * `GET /me/link/<token>`: the phone's camera app opens this. A live link becomes a session
 * cookie at once and is gone (used once); anything else lands on the page with a reason.
 */
export function meLinkRoute(ctx: AppContext): Router {
  const router = Router();
  router.get('/me/link/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const token = String(req.params.token);
    const state = ctx.store.state;
    const now = ctx.clock.now();
    const link = token.length <= 100 ? state.get('meLinks', hashToken(token)) : undefined;
    const volunteer = link ? state.get('volunteers', link.volunteerId) : undefined;
    const live = link && volunteer && Date.parse(link.expiresAt) > now.getTime() && volunteer.cardSerial === link.cardSerial && volunteer.status === 'active';
    if (!link || !live) {
      if (link) await ctx.store.commit([{ c: 'meLinks', id: link.id, remove: true }]);
      res.redirect(302, '/me/?link=invalid');
      return;
    }
    const sessionToken = randomToken();
    const phone: PhoneSession = {
      id: hashToken(sessionToken),
      handle: randomToken(9),
      volunteerId: volunteer.id,
      cardSerial: volunteer.cardSerial,
      label: phoneLabel(req.headers['user-agent']),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + PHONE_DAYS * 86400_000).toISOString(),
      lastSeenAt: now.toISOString(),
    };
    // Removing the link in the same transaction as the session is what makes it single use.
    await ctx.store.commit([{ c: 'meLinks', id: link.id, remove: true }, { c: 'phones', v: phone }, auditChange(now, `volunteer:${volunteer.id}`, 'me.phone-linked', volunteer.id, phone.label)]);
    setPhoneCookie(req, res, sessionToken);
    res.redirect(302, '/me/');
  });
  return router;
}

export function phoneViewsOf(state: StationState, volunteerId: string, now: Date): PhoneView[] {
  return [...state.records.phones.values()]
    .filter((p) => p.volunteerId === volunteerId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((p) => ({ handle: p.handle, label: p.label, createdAt: p.createdAt, expiresAt: p.expiresAt, lastSeenAt: p.lastSeenAt, state: phoneState(state, p, now), revokedAt: p.revokedAt }));
}

/** Staff list and revoke a volunteer's phones (a lost phone, a volunteer who leaves). */
export function phoneAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/volunteers/:id/phones', requirePermission('volunteers:read'), (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    res.json({ items: phoneViewsOf(ctx.store.state, volunteer.id, ctx.clock.now()) });
  });
  router.post('/volunteers/:id/phones/:handle/revoke', requirePermission('volunteers:write'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const phone = [...ctx.store.state.records.phones.values()].find((p) => p.volunteerId === volunteer.id && p.handle === req.params.handle);
    if (!phone) throw new AppError('NOT_FOUND', 'No such phone for this volunteer', 404);
    const now = ctx.clock.now();
    if (!phone.revokedAt) {
      await ctx.store.commit([{ c: 'phones', v: { ...phone, revokedAt: now.toISOString(), revokedBy: actorOf(req) } }, auditChange(now, actorOf(req), 'me.phone-revoked', volunteer.id, phone.label)]);
    }
    res.json({ items: phoneViewsOf(ctx.store.state, volunteer.id, now) });
  });
  return router;
}

/** The phone signs itself out (a shared phone, a volunteer who hands it on). */
export async function revokeOwnPhone(ctx: AppContext, session: PhoneSession): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.commit([{ c: 'phones', v: { ...session, revokedAt: now.toISOString(), revokedBy: `volunteer:${session.volunteerId}` } }, auditChange(now, `volunteer:${session.volunteerId}`, 'me.phone-signed-out', session.volunteerId, session.label)]);
}
