import { randomUUID } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { maskName } from '../../server/src/domain/masking.ts';
import { minutesToHours } from '../../server/src/domain/hours.ts';
import { parseInput } from '../../server/src/http/validate.ts';
import { transferCreateSchema, transferDoneSchema, transferPersonFields, type PendingTransfer } from '../../server/src/protocol/district-transfers.ts';
import { AppError } from '../../server/src/protocol/errors.ts';
import { inTransaction } from './db.ts';

/**
 * A volunteer at two centers (docs/district.md): the district admin asks a center to take a
 * person registered at another; the center's station pulls the request over its link and
 * reports the volunteer it registered. Each center's volunteer record that is the person is
 * linked to one district person (person_links), so person-level totals count them once while
 * their hours are the sum of both centers' records (each record exists once, at its center).
 */

const idSchema = z.uuid();

function personOf(data: Record<string, unknown>): Record<string, unknown> {
  const person: Record<string, unknown> = {};
  for (const field of transferPersonFields) if (data[field] !== undefined && data[field] !== null) person[field] = data[field];
  return person;
}

/** The district person a center's volunteer is, made on first need. Call inside a transaction. */
async function personIdOf(client: pg.PoolClient, centerId: string, volunteerId: string): Promise<string> {
  const found = await client.query<{ person_id: string }>('SELECT person_id FROM person_links WHERE center_id = $1 AND volunteer_id = $2', [centerId, volunteerId]);
  if (found.rows[0]) return found.rows[0].person_id;
  const personId = randomUUID();
  await client.query('INSERT INTO district_persons (id) VALUES ($1)', [personId]);
  await client.query('INSERT INTO person_links (center_id, volunteer_id, person_id) VALUES ($1, $2, $3)', [centerId, volunteerId, personId]);
  return personId;
}

export interface TransferRouteDeps {
  pool: pg.Pool;
  admin: RequestHandler;
  viewer: RequestHandler;
}

/** District admin and viewer routes, mounted on /api. */
export function transferRoutes({ pool, admin, viewer }: TransferRouteDeps): Router {
  const router = Router();

  router.post('/district/transfers', admin, async (req, res) => {
    const input = parseInput(transferCreateSchema, req.body);
    if (input.fromCenterId === input.toCenterId) throw new AppError('VALIDATION_FAILED', 'The person is already registered at that center');
    const result = await inTransaction(pool, async (client) => {
      const centers = await client.query<{ id: string }>('SELECT id FROM centers WHERE id = ANY($1) AND key_revoked_at IS NULL', [[input.fromCenterId, input.toCenterId]]);
      if (!centers.rows.some((row) => row.id === input.toCenterId)) throw new AppError('NOT_FOUND', 'No such center to take the person (or its join key is revoked)', 404);
      // The source record's row lock serializes two admins asking for the same person at once.
      const source = await client.query<{ data: Record<string, unknown> }>('SELECT data FROM volunteers WHERE center_id = $1 AND id = $2 FOR UPDATE', [input.fromCenterId, input.volunteerId]);
      const data = source.rows[0]?.data;
      if (!data) throw new AppError('NOT_FOUND', 'No such volunteer at that center', 404);
      if (data.anonymizedAt || data.status === 'left') throw new AppError('CONFLICT', 'This volunteer has left their center; their personal data is gone', 409);
      const personId = await personIdOf(client, input.fromCenterId, input.volunteerId);
      const already = await client.query<{ volunteer_id: string }>('SELECT volunteer_id FROM person_links WHERE person_id = $1 AND center_id = $2', [personId, input.toCenterId]);
      if (already.rows[0]) {
        throw new AppError('CONFLICT', 'This person is already registered at that center', 409, { personId, volunteerId: already.rows[0].volunteer_id });
      }
      const open = await client.query<{ id: string }>("SELECT id FROM volunteer_transfers WHERE person_id = $1 AND to_center_id = $2 AND state = 'pending'", [personId, input.toCenterId]);
      if (open.rows[0]) return { transferId: open.rows[0].id, personId, created: false };
      const transferId = randomUUID();
      await client.query(
        'INSERT INTO volunteer_transfers (id, person_id, from_center_id, from_volunteer_id, to_center_id, person, note) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [transferId, personId, input.fromCenterId, input.volunteerId, input.toCenterId, JSON.stringify(personOf(data)), input.note ?? null],
      );
      await client.query('INSERT INTO hub_audit (role, action, target) VALUES ($1, $2, $3)', ['admin', 'transfer.requested', transferId]);
      return { transferId, personId, created: true };
    });
    res.status(result.created ? 201 : 200).json({ transferId: result.transferId, personId: result.personId, state: 'pending' });
  });

  /**
   * Withdraws a request the taking center has not answered. The hub never dials a station, so a
   * station may already be registering the person: its answer, arriving after the withdrawal,
   * is still recorded (the person is registered there), and the list shows it as taken.
   */
  router.post('/district/transfers/:id/withdraw', admin, async (req, res) => {
    const parsed = idSchema.safeParse(req.params.id);
    if (!parsed.success) throw new AppError('NOT_FOUND', 'No such request', 404);
    const state = await inTransaction(pool, async (client) => {
      const found = await client.query<{ state: string }>('SELECT state FROM volunteer_transfers WHERE id = $1 FOR UPDATE', [parsed.data]);
      const transfer = found.rows[0];
      if (!transfer) throw new AppError('NOT_FOUND', 'No such request', 404);
      if (transfer.state === 'cancelled') return 'cancelled';
      if (transfer.state !== 'pending') throw new AppError('CONFLICT', `The center has already answered this request (${transfer.state})`, 409, { state: transfer.state });
      await client.query("UPDATE volunteer_transfers SET state = 'cancelled', done_at = now() WHERE id = $1", [parsed.data]);
      await client.query('INSERT INTO hub_audit (role, action, target) VALUES ($1, $2, $3)', ['admin', 'transfer.withdrawn', parsed.data]);
      return 'cancelled';
    });
    res.json({ transferId: parsed.data, state });
  });

  router.get('/district/transfers', viewer, async (req, res) => {
    const full = req.hubRole === 'admin';
    const result = await pool.query(`
      SELECT t.id, t.person_id, t.from_center_id, fc.name AS from_name, t.from_volunteer_id, t.to_center_id, tc.name AS to_name,
             t.person->>'name' AS name, t.state, t.requested_at, t.done_at, t.to_volunteer_id, t.to_card_no, t.refusal, t.note
      FROM volunteer_transfers t JOIN centers fc ON fc.id = t.from_center_id JOIN centers tc ON tc.id = t.to_center_id
      ORDER BY t.requested_at DESC LIMIT 500`);
    res.json({
      transfers: result.rows.map((row) => ({
        transferId: row.id,
        personId: row.person_id,
        name: full ? row.name : maskName(row.name ?? ''),
        from: { centerId: row.from_center_id, centerName: row.from_name, volunteerId: row.from_volunteer_id },
        to: { centerId: row.to_center_id, centerName: row.to_name, volunteerId: row.to_volunteer_id, cardNo: row.to_card_no },
        state: row.state,
        requestedAt: new Date(row.requested_at).toISOString(),
        doneAt: row.done_at ? new Date(row.done_at).toISOString() : null,
        refusal: row.refusal,
        note: row.note,
      })),
    });
  });

  // One person across centers: each registration and its own records; hours are the sum of distinct records.
  router.get('/district/persons/:id', viewer, async (req, res) => {
    const parsed = idSchema.safeParse(req.params.id);
    if (!parsed.success) throw new AppError('NOT_FOUND', 'No such person', 404);
    const full = req.hubRole === 'admin';
    const result = await pool.query(`
      SELECT pl.center_id, c.name AS center_name, pl.volunteer_id, v.name, v.card_no,
        (SELECT count(*) FROM attendance a WHERE a.center_id = pl.center_id AND a.volunteer_id = pl.volunteer_id AND NOT a.removed) AS attendance,
        (SELECT coalesce(sum(minutes), 0) FROM attendance a WHERE a.center_id = pl.center_id AND a.volunteer_id = pl.volunteer_id) AS attendance_minutes,
        (SELECT coalesce(sum(minutes), 0) FROM service_records s WHERE s.center_id = pl.center_id AND s.volunteer_id = pl.volunteer_id) AS service_minutes
      FROM person_links pl JOIN centers c ON c.id = pl.center_id LEFT JOIN volunteers v ON v.center_id = pl.center_id AND v.id = pl.volunteer_id
      WHERE pl.person_id = $1 ORDER BY pl.linked_at`, [parsed.data]);
    if (result.rows.length === 0) throw new AppError('NOT_FOUND', 'No such person', 404);
    let minutes = 0;
    let attendance = 0;
    const registrations = result.rows.map((row) => {
      const own = Number(row.attendance_minutes) + Number(row.service_minutes);
      minutes += own;
      attendance += Number(row.attendance);
      return {
        centerId: row.center_id as string,
        centerName: row.center_name as string,
        volunteerId: row.volunteer_id as string,
        name: row.name ? (full ? (row.name as string) : maskName(row.name)) : null,
        cardNo: (row.card_no as string | null) ?? null,
        attendance: Number(row.attendance),
        hours: minutesToHours(own),
      };
    });
    res.json({ personId: parsed.data, centers: registrations.length, attendance, hours: minutesToHours(minutes), registrations });
  });

  return router;
}

/** Link routes for the taking station (join-key authenticated), mounted on /api/link. */
export function transferLinkRoutes(pool: pg.Pool, centerOf: (req: Request) => string): Router {
  const router = Router();

  router.post('/transfers', async (req, res) => {
    const centerId = centerOf(req);
    const result = await pool.query(`
      SELECT t.id, t.person_id, t.from_center_id, c.name AS from_name, t.requested_at, t.note, t.person
      FROM volunteer_transfers t JOIN centers c ON c.id = t.from_center_id
      WHERE t.to_center_id = $1 AND t.state = 'pending' ORDER BY t.requested_at LIMIT 100`, [centerId]);
    const transfers: PendingTransfer[] = result.rows.map((row) => ({
      transferId: row.id,
      personId: row.person_id,
      fromCenterId: row.from_center_id,
      fromCenterName: row.from_name,
      requestedAt: new Date(row.requested_at).toISOString(),
      note: row.note,
      person: row.person,
    }));
    res.json({ transfers });
  });

  router.post('/transfers/:id/done', async (req, res) => {
    const centerId = centerOf(req);
    const parsed = idSchema.safeParse(req.params.id);
    if (!parsed.success) throw new AppError('NOT_FOUND', 'No such request', 404);
    const done = parseInput(transferDoneSchema, req.body);
    const state = await inTransaction(pool, async (client) => {
      const found = await client.query<{ state: string; person_id: string; to_volunteer_id: string | null }>(
        'SELECT state, person_id, to_volunteer_id FROM volunteer_transfers WHERE id = $1 AND to_center_id = $2 FOR UPDATE', [parsed.data, centerId],
      );
      const transfer = found.rows[0];
      if (!transfer) throw new AppError('NOT_FOUND', 'No such request for this center', 404);
      const withdrawn = transfer.state === 'cancelled';
      if ('refused' in done) {
        if (transfer.state !== 'pending') return transfer.state;
        await client.query("UPDATE volunteer_transfers SET state = 'refused', refusal = $2, done_at = now() WHERE id = $1", [parsed.data, `${done.refused.code}: ${done.refused.message}`]);
        await client.query('INSERT INTO hub_audit (role, action, target) VALUES ($1, $2, $3)', [`center:${centerId}`, 'transfer.refused', parsed.data]);
        return 'refused';
      }
      // Told twice (the answer to the first was lost): the same volunteer is the same answer.
      if (transfer.state === 'taken' && transfer.to_volunteer_id === done.volunteerId) return 'taken';
      // Withdrawn while the station was registering the person: they are registered there now.
      if (transfer.state !== 'pending' && !withdrawn) throw new AppError('CONFLICT', `This request is already ${transfer.state}`, 409, { state: transfer.state });
      const linked = await client.query<{ person_id: string }>(
        'INSERT INTO person_links (center_id, volunteer_id, person_id) VALUES ($1, $2, $3) ON CONFLICT (center_id, volunteer_id) DO UPDATE SET center_id = EXCLUDED.center_id RETURNING person_id',
        [centerId, done.volunteerId, transfer.person_id],
      );
      if (linked.rows[0]!.person_id !== transfer.person_id) {
        throw new AppError('CONFLICT', 'That volunteer is already another district person', 409);
      }
      await client.query("UPDATE volunteer_transfers SET state = 'taken', to_volunteer_id = $2, to_card_no = $3, done_at = now() WHERE id = $1", [parsed.data, done.volunteerId, done.cardNo]);
      await client.query('INSERT INTO hub_audit (role, action, target) VALUES ($1, $2, $3)', [`center:${centerId}`, withdrawn ? 'transfer.taken-after-withdrawal' : 'transfer.taken', parsed.data]);
      return 'taken';
    });
    res.json({ transferId: parsed.data, state });
  });

  return router;
}

/**
 * People in the district: every center's volunteers, each district person once however many
 * centers they are registered at (only links made by a transfer are known to be one person).
 */
export async function districtPeople(pool: pg.Pool, volunteers: number): Promise<number> {
  const result = await pool.query<{ extra: string }>(`
    SELECT count(*) - count(DISTINCT pl.person_id) AS extra
    FROM person_links pl JOIN volunteers v ON v.center_id = pl.center_id AND v.id = pl.volunteer_id`);
  return volunteers - Number(result.rows[0]?.extra ?? 0);
}
