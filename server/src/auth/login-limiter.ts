import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_FAILURES_ALLOWED = 10;

/**
 * The name an account is found by, and the name its login attempts are counted under: one and
 * the same, or `" admin"`, `"admin\u3000"` and `"ADMIN"` would each get their own ten guesses
 * at the same account. NFKC folds full-width letters and the ideographic space; trim removes
 * what a schema trims; usernames are case-insensitive.
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/**
 * Ten failed logins per address and account in 15 minutes. Per address AND account, so one
 * person's typos cannot lock the whole center out, and a guesser on the Wi-Fi cannot lock out
 * staff signing in from another PC. Successful logins are not counted: staff who sign in many
 * times a day never hit the limit.
 */
export function loginLimiter(): RequestHandler {
  return rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit: LOGIN_FAILURES_ALLOWED,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const username = (req.body as { username?: unknown } | undefined)?.username;
      return `${ipKeyGenerator(req.ip ?? '')}|${normalizeUsername(typeof username === 'string' ? username : '')}`;
    },
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: 'Too many sign-in attempts; please wait 15 minutes and try again' } });
    },
  });
}
