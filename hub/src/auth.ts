import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type pg from 'pg';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import { AppError } from '../../server/src/protocol/errors.ts';
import { parseInput } from '../../server/src/http/validate.ts';

/**
 * District roles. The district admin sees and changes everything (centers, join keys, full
 * personal data); a district viewer reads reports, the register and the board with names,
 * phones and ID numbers masked. Passwords come from the environment (HUB_ADMIN_PASSWORD,
 * HUB_VIEWER_PASSWORD). A client proves a role with HTTP Basic auth (any user name, the role's
 * password) or with the session cookie from POST /api/district/login. Sessions live in
 * PostgreSQL, so any hub process accepts them.
 */
export type HubRole = 'admin' | 'viewer';

export interface HubPasswords {
  admin: string;
  viewer?: string;
}

export const SESSION_COOKIE = 'vs_hub_session';
const SESSION_HOURS = 12;

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

function samePassword(given: string, expected: string | undefined): boolean {
  if (!expected) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function roleForPassword(password: string, passwords: HubPasswords): HubRole | null {
  if (samePassword(password, passwords.admin)) return 'admin';
  if (samePassword(password, passwords.viewer)) return 'viewer';
  return null;
}

declare module 'express-serve-static-core' {
  interface Request {
    hubRole?: HubRole | null;
  }
}

/** The role of a request (Basic auth or session cookie), or null. */
export async function roleOf(pool: pg.Pool, passwords: HubPasswords, authorization: string | undefined, cookieHeader: string | undefined): Promise<HubRole | null> {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? null : roleForPassword(decoded.slice(colon + 1), passwords);
  }
  const token = cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
  if (!token) return null;
  const result = await pool.query<{ role: HubRole }>('SELECT role FROM hub_sessions WHERE token_hash = $1 AND expires_at > now()', [hash(token)]);
  return result.rows[0]?.role ?? null;
}

export function requireRole(pool: pg.Pool, passwords: HubPasswords, wanted: HubRole): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const role = req.hubRole !== undefined ? req.hubRole : await roleOf(pool, passwords, req.headers.authorization, req.headers.cookie);
    req.hubRole = role;
    if (!role) throw new AppError('UNAUTHENTICATED', 'Sign in to the district hub', 401);
    if (wanted === 'admin' && role !== 'admin') throw new AppError('FORBIDDEN', 'Only the district admin may do this', 403);
    next();
  };
}

const loginSchema = z.object({ username: z.string().max(64).optional(), password: z.string().min(1).max(256) });
const limiter = new RateLimiterMemory({ points: 10, duration: 60 });

export function loginHandler(pool: pg.Pool, passwords: HubPasswords): RequestHandler {
  return async (req, res) => {
    const input = parseInput(loginSchema, req.body);
    try {
      await limiter.consume(req.ip ?? 'unknown');
    } catch {
      throw new AppError('RATE_LIMITED', 'Too many sign-in attempts; wait a minute', 429);
    }
    const role = roleForPassword(input.password, passwords);
    if (!role) throw new AppError('INVALID_CREDENTIALS', 'Wrong password', 401);
    const token = randomBytes(32).toString('base64url');
    await pool.query(`INSERT INTO hub_sessions (token_hash, role, expires_at) VALUES ($1, $2, now() + interval '${SESSION_HOURS} hours')`, [hash(token), role]);
    await pool.query('DELETE FROM hub_sessions WHERE expires_at < now()');
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_HOURS * 3600_000 });
    res.json({ role });
  };
}

export function logoutHandler(pool: pg.Pool): RequestHandler {
  return async (req, res) => {
    const token = req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
    if (token) await pool.query('DELETE FROM hub_sessions WHERE token_hash = $1', [hash(token)]);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  };
}

export const hashJoinKey = hash;

/** A join key: 32 random bytes, shown once; the hub keeps only its sha256. */
export function newJoinKey(): string {
  return `vsj_${randomBytes(32).toString('base64url')}`;
}
