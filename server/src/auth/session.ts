import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { AppContext } from '../context.ts';
import { AppError } from '../protocol/errors.ts';
import type { Session, StaffUser } from '../protocol/model.ts';
import { hashToken, newId, randomToken } from '../ids.ts';
import type { Change } from '../store/state.ts';
import { can, type Permission } from '../protocol/roles.ts';

export const SESSION_COOKIE = 'vs_session';
const SESSION_DAYS = 7;

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffUser;
    session?: Session;
  }
}

export function newSession(userId: string, now: Date): { token: string; session: Session } {
  const token = randomToken();
  const session: Session = {
    id: newId(),
    tokenHash: hashToken(token),
    userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86400_000).toISOString(),
  };
  return { token, session };
}

export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: SESSION_DAYS * 86400_000,
  });
}

/** The staff member behind a session cookie value, if the session is live and the account enabled. */
export function staffForToken(ctx: AppContext, token: string | undefined): { staff: StaffUser; session: Session } | null {
  if (!token) return null;
  const state = ctx.store.state;
  const session = state.sessionWithTokenHash(hashToken(token));
  if (!session || Date.parse(session.expiresAt) <= ctx.clock.now().getTime()) return null;
  const staff = state.get('staff', session.userId);
  if (!staff || staff.disabled) return null;
  return { staff, session };
}

export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parseCookies(cookieHeader)[SESSION_COOKIE] : undefined;
}

export function loadSession(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const found = staffForToken(ctx, sessionTokenFrom(req.headers.cookie));
    if (found) {
      req.staff = found.staff;
      req.session = found.session;
    }
    next();
  };
}

export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.staff) throw new AppError('UNAUTHENTICATED', 'Please sign in to the admin first', 401);
    if (!can(req.staff.role, permission)) throw new AppError('FORBIDDEN', 'Your account’s role does not allow this', 403);
    next();
  };
}

export function actorOf(req: Request): string {
  return req.staff ? `staff:${req.staff.username}` : 'anonymous';
}

/**
 * Tells the live sockets opened with a staff cookie (the board's) that their sessions ended.
 * Call it after the commit that removed them: a socket checks its cookie only at the handshake.
 */
export function announceSessionsEnded(ctx: AppContext, changes: Change[]): void {
  const ended = changes.filter((change) => change.c === 'sessions' && 'remove' in change).map((change) => ('id' in change ? change.id : change.v.id));
  if (ended.length > 0) ctx.notifications.emit('sessions:ended', ended);
}

export function removeSessionsOf(ctx: AppContext, userId: string): Change[] {
  return [...ctx.store.state.records.sessions.values()].filter((s) => s.userId === userId).map((s) => ({ c: 'sessions', id: s.id, remove: true }) as const);
}
