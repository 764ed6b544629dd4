import path from 'node:path';
import type { RequestHandler } from 'express';
import { parse as parseCookies } from 'cookie';
import { KIOSK_HTTP_COOKIE, renderGatePage } from '../setup/gate-page.ts';
import { hostOfHeader, isLoopbackHost, type LanStatus } from './lan-status.ts';

/**
 * In front of the kiosk app: a tablet that opens the kiosk over plain HTTP under a LAN name
 * cannot use its camera (not a secure context), so instead of the app it gets a small page
 * that moves it to HTTPS when it trusts the certificate, or explains the setup. Loopback
 * names are secure contexts even over HTTP and get the app as they are; so do assets and
 * API-like requests, and every request when HTTPS is off.
 */
export function kioskGate(lan: LanStatus): RequestHandler {
  return (req, res, next) => {
    if (req.secure || !lan.https || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    // Only page navigations: a hashed asset or the service worker file has an extension.
    if (path.posix.extname(req.path) !== '' || !req.accepts('html')) return next();
    const host = hostOfHeader(req.headers.host);
    if (!host || isLoopbackHost(host)) return next();
    if (parseCookies(req.headers.cookie ?? '')[KIOSK_HTTP_COOKIE] === '1') return next();
    const https = lan.httpsOrigin(host)!;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'self'; connect-src 'self' https:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'");
    res.type('html').send(renderGatePage({ probeUrl: `${https}/setup/probe.json`, targetUrl: `${https}${req.originalUrl}`, setupUrl: '/setup/' }));
  };
}
