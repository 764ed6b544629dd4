import { Router, type RequestHandler } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { parseInput } from '../../server/src/http/validate.ts';
import { AppError } from '../../server/src/protocol/errors.ts';
import { monthlyByCenter, monthlyByStreet, starCounts, topTeams } from './district-reports.ts';

export interface HubRouteDeps {
  pool: pg.Pool;
  admin: RequestHandler;
  viewer: RequestHandler;
  /** Months of the period reports. */
  timeZone: string;
  audit(role: string, action: string, target?: string): Promise<unknown>;
}

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month is written YYYY-MM');
const periodSchema = z.object({ from: monthSchema, to: monthSchema }).refine((p) => p.from <= p.to, 'from must not be after to');
const teamsSchema = z.object({ from: monthSchema, to: monthSchema, limit: z.coerce.number().int().min(1).max(500).default(20) }).refine((p) => p.from <= p.to, 'from must not be after to');
const starsSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
const centerPatchSchema = z.object({ name: z.string().trim().min(1).max(100).optional(), street: z.string().trim().max(100).nullable().optional() });

/** District reports (viewer and up) and the admin's center details (street). */
export function districtReportRoutes(deps: HubRouteDeps): Router {
  const { pool, admin, viewer, timeZone } = deps;
  const router = Router();
  router.get('/district/reports/monthly', viewer, async (req, res) => {
    const { from, to } = parseInput(periodSchema, req.query);
    res.json({ from, to, timeZone, rows: await monthlyByCenter(pool, from, to, timeZone) });
  });
  router.get('/district/reports/streets', viewer, async (req, res) => {
    const { from, to } = parseInput(periodSchema, req.query);
    res.json({ from, to, timeZone, rows: await monthlyByStreet(pool, from, to, timeZone) });
  });
  router.get('/district/reports/teams', viewer, async (req, res) => {
    const { from, to, limit } = parseInput(teamsSchema, req.query);
    res.json({ from, to, timeZone, teams: await topTeams(pool, from, to, timeZone, limit) });
  });
  router.get('/district/reports/stars', viewer, async (req, res) => {
    const { year } = parseInput(starsSchema, req.query);
    res.json(await starCounts(pool, year ?? Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(new Date()))));
  });
  router.patch('/district/centers/:id', admin, async (req, res) => {
    const centerId = z.uuid().safeParse(req.params.id);
    if (!centerId.success) throw new AppError('NOT_FOUND', 'No such center', 404);
    const patch = parseInput(centerPatchSchema, req.body);
    const result = await pool.query<{ id: string; name: string; street: string | null }>(
      `UPDATE centers SET name = coalesce($2, name), street = CASE WHEN $4 THEN $3 ELSE street END WHERE id = $1 RETURNING id, name, street`,
      [centerId.data, patch.name ?? null, patch.street || null, patch.street !== undefined],
    );
    const center = result.rows[0];
    if (!center) throw new AppError('NOT_FOUND', 'No such center', 404);
    await deps.audit('admin', 'center.update', center.id);
    res.json({ centerId: center.id, name: center.name, street: center.street });
  });
  return router;
}
