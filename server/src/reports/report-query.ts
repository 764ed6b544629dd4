import type { AppContext } from '../context.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import { reportQuerySchema, type ReportQuery } from '../protocol/reports.ts';

/** The period and filters of a report, export or printed page; a filter naming nobody is the caller's mistake, not an empty report. */
export function readReportQuery(ctx: AppContext, raw: unknown): ReportQuery {
  const query = parseInput(reportQuerySchema, raw);
  const state = ctx.store.state;
  const problems = [
    query.teamId !== undefined && !state.get('teams', query.teamId) && { field: 'teamId', message: `No team has the id ${query.teamId}` },
    query.volunteerId !== undefined && !state.get('volunteers', query.volunteerId) && { field: 'volunteerId', message: `No volunteer has the id ${query.volunteerId}` },
  ].filter((problem) => problem !== false);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Some fields need correcting: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, 400, { problems });
  }
  return query;
}
