import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../protocol/errors.ts';
import type { Logger } from '../logger.ts';
import { StoreFailedError } from '../store/store-failed-error.ts';

export const notFoundApi: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `There is no ${req.method} ${req.originalUrl.split("?")[0]} in the API` } });
};

/**
 * The one place an error becomes a response. Body-parser failures are the caller's mistakes
 * (4xx); anything unexpected is logged and answered as INTERNAL_ERROR, never with e.message.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof AppError) {
      res.status(error.status).json({ error: error.toWire() });
      return;
    }
    if (error instanceof StoreFailedError) {
      // The change is not on disk and the server is stopping; the caller may retry once it is back.
      logger.error(`The store failed during ${req.method} ${req.path}`, error);
      res.status(503).json({ error: { code: 'STORE_UNAVAILABLE', message: 'The server cannot save right now; try again in a moment' } });
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' } });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } });
      return;
    }
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'VALIDATION_FAILED', message: 'The request could not be read' } });
      return;
    }
    logger.error(`Unexpected error on ${req.method} ${req.path}`, error);
    res.status(500).json({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on the server; the change was not made' } });
  };
}
