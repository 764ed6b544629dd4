import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy of the admin app and the print pages. Scripts only from this
 * server (plus, on print pages, the one inline script that wires the print button, by hash),
 * no plugins, and `frame-ancestors 'none'`: no other page can frame the admin to trick a click.
 * Inline style attributes stay allowed (the apps set a few); images may be data: or blob:
 * (QR codes, photo previews).
 */
export function contentSecurityPolicy(inlineScripts: readonly string[] = []): RequestHandler {
  const hashes = inlineScripts.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  const policy = [
    "default-src 'self'",
    `script-src 'self'${hashes.map((hash) => ` ${hash}`).join('')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    // For browsers too old for frame-ancestors.
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  };
}
