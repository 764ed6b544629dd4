import type { z } from 'zod';
import { AppError } from '../protocol/errors.ts';

/** Validates input at the edge; every problem is listed at once, in words a person can act on. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
  const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  throw new AppError('VALIDATION_FAILED', `Some fields need correcting: ${summary}`, 400, { problems });
}
