import type { RequestHandler } from 'express';

/** The station's mark (the kiosk's heart), drawn once: every page shares it. */
const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#0b3d2e"/><path d="M256 404s-150-86-150-196c0-52 40-92 90-92 30 0 50 14 60 32 10-18 30-32 60-32 50 0 90 40 90 92 0 110-150 196-150 196z" fill="#ffd34d"/></svg>';

let png: Promise<Buffer> | null = null;

/**
 * `/favicon.ico`: pages without an icon of their own (/board/, /setup/, /verify/, /print/…) make
 * the browser ask here on every load; a 404 there fills logs and shows a blank tab. Browsers take
 * PNG data at this address, made from the SVG on the first request (sharp loads only then).
 */
export const favicon: RequestHandler = (_req, res, next) => {
  png ??= import('sharp').then(({ default: sharp }) => sharp(Buffer.from(ICON_SVG)).resize(64, 64).png().toBuffer());
  png.then(
    (body) => res.type('image/png').set('Cache-Control', 'public, max-age=86400').send(body),
    (error: unknown) => {
      png = null;
      next(error);
    },
  );
};
