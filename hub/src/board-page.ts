import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import type pg from 'pg';
import { minutesToHours } from '../../server/src/domain/hours.ts';

const BOARD_DIR = fileURLToPath(new URL('../board', import.meta.url));
// The browser build of the client, beside the package's package.json (its `exports` do not list dist/).
const socketClient = path.join(path.dirname(createRequire(import.meta.url).resolve('socket.io-client/package.json')), 'dist', 'socket.io.min.js');

/** Today's figures per center, today in the district's zone: sign-ins, people, hours, on site now. */
export async function todayByCenter(pool: pg.Pool, timeZone: string) {
  const result = await pool.query(`
    WITH today AS (
      SELECT center_id, count(*) AS attendance, count(DISTINCT volunteer_id) AS people, sum(minutes) AS minutes,
             count(*) FILTER (WHERE check_out_at IS NULL) AS on_site
      FROM attendance
      WHERE NOT removed AND check_in_at >= date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1
      GROUP BY center_id)
    SELECT c.id, c.name, c.street, coalesce(t.attendance, 0) AS attendance, coalesce(t.people, 0) AS people,
           coalesce(t.minutes, 0) AS minutes, coalesce(t.on_site, 0) AS on_site
    FROM centers c LEFT JOIN today t ON t.center_id = c.id
    WHERE c.key_revoked_at IS NULL
    ORDER BY c.created_at, c.id`, [timeZone]);
  return result.rows.map((row) => ({
    centerId: row.id as string,
    name: row.name as string,
    street: (row.street as string | null) ?? null,
    attendance: Number(row.attendance),
    people: Number(row.people),
    hours: minutesToHours(Number(row.minutes)),
    onSite: Number(row.on_site),
  }));
}

/**
 * The district hall board: a static page (hub/board/) served at /district-board/, its figures
 * from GET /api/district/board/today and /api/district/board, kept live by the Socket.IO
 * namespace /district-board, which every hub process reaches through the PostgreSQL adapter.
 * The page signs in like any district client (the session cookie); names are masked.
 */
export function boardPageRoutes(pool: pg.Pool, viewer: RequestHandler, timeZone: string): { api: Router; page: Router } {
  const api = Router();
  api.get('/district/board/today', viewer, async (_req, res) => {
    res.json({ timeZone, centers: await todayByCenter(pool, timeZone) });
  });
  const page = Router();
  page.get('/district-board/socket.io.min.js', (_req, res) => res.sendFile(socketClient));
  page.use('/district-board', express.static(BOARD_DIR, { index: 'index.html', maxAge: 0 }));
  return { api, page };
}

