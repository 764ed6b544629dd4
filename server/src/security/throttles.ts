import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../protocol/errors.ts';

/**
 * Certificate numbers are checked without a login (a phone scans the code printed on the
 * certificate). One person checks a handful; 30 a minute per address is plenty for that and
 * turns enumerating numbers into a slow crawl.
 */
export const CERTIFICATE_LOOKUPS_PER_MINUTE = 30;

export function certificateLookupLimiter(): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: CERTIFICATE_LOOKUPS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    // Through the error handlers, so /verify answers with a page and the API with JSON.
    handler: (_req, _res, next) => next(new AppError('RATE_LIMITED', 'Too many certificate checks from this device; please wait a minute', 429)),
  });
}
