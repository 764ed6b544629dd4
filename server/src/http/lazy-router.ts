import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middleware for routes under `prefixes` whose router is built on the first request to them: for
 * pages whose modules (and the libraries they import) are not worth loading at every start, such
 * as the printed pages. Other requests pass straight on.
 */
export function lazyRouter(prefixes: readonly string[], load: () => Promise<RequestHandler>): RequestHandler {
  let loading: Promise<RequestHandler> | undefined;
  const matches = (path: string) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  return (req: Request, res: Response, next: NextFunction) => {
    if (!matches(req.path)) return next();
    loading ??= load();
    loading.then(
      (router) => router(req, res, next),
      (error: unknown) => {
        // A failed import is tried again at the next request rather than remembered.
        loading = undefined;
        next(error);
      },
    );
  };
}
