import type { RequestHandler } from 'express';
import { AppError } from '../protocol/errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request sent by a page of another origin. SameSite=Lax keeps the
 * session cookie off cross-site posts, but not off a page on the same host at another port
 * (same-site, not same-origin) posting a `text/plain` import. Browsers say where a request comes
 * from (`Sec-Fetch-Site`, `Origin`); a request with neither comes from a script, curl or a test,
 * not from a page, and is let through (it carries no ambient cookie it did not set itself).
 */
export function refuseCrossOrigin(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    // "none": the user typed or bookmarked it. "same-origin": this server's own page.
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw crossOrigin();
    const origin = req.get('origin');
    if (origin !== undefined && !isOwnOrigin(origin, req.protocol, req.get('host'))) throw crossOrigin();
    next();
  };
}

function isOwnOrigin(origin: string, protocol: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const url = new URL(origin);
    return url.host === host.toLowerCase() && url.protocol === `${protocol}:`;
  } catch {
    // "null" (a sandboxed frame, a file: page) or garbage.
    return false;
  }
}

function crossOrigin(): AppError {
  return new AppError('FORBIDDEN', 'Requests that change something must come from this server’s own pages', 403);
}
