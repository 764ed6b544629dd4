import type { z } from 'zod';
import { AppError, type WireError } from '../protocol/errors.ts';
import type { Logger } from '../logger.ts';

/**
 * Wraps a socket event handler: a missing ack callback or a garbage payload never throws inside
 * Socket.IO; validation failures and AppErrors become error acks; anything unexpected is logged
 * and answered as INTERNAL_ERROR without its message. A handler whose commit failed never acks:
 * the kiosk retries with the same id once the server is back.
 */
export function handleEvent<S extends z.ZodType, A extends object>(
  logger: Logger,
  schema: S,
  idField: string | null,
  run: (input: z.output<S>) => Promise<A> | A,
) {
  return async (payload: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const id = idField && payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[idField] : undefined;
    const fail = (error: WireError) => ack({ ok: false, ...(idField ? { [idField]: typeof id === 'string' ? id : null } : {}), error });
    const result = schema.safeParse(payload);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(payload)', message: issue.message }));
      fail({ code: 'VALIDATION_FAILED', message: `The request has problems: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, details: { problems } });
      return;
    }
    try {
      ack(await run(result.data));
    } catch (error) {
      if (error instanceof AppError) return fail(error.toWire());
      if ((error as { storeFailure?: boolean }).storeFailure) return;
      logger.error('Unexpected error in a socket handler', error);
      fail({ code: 'INTERNAL_ERROR', message: 'Something went wrong on the server; nothing was changed' });
    }
  };
}
