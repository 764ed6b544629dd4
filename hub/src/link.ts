import type pg from 'pg';
import { toDistrictRecord, type DistrictCollection, type LinkBase, type LinkBatch, type LinkChange, type LinkPosition } from '../../server/src/protocol/district.ts';
import { AppError } from '../../server/src/protocol/errors.ts';
import { tables, upsertSql } from './tables.ts';
import { inTransaction } from './db.ts';

/** An attendance written by a batch, for the district board. */
export interface AppliedAttendance {
  centerId: string;
  id: string;
  volunteerId: string;
  checkInAt: string;
  checkOutAt?: string;
}

export interface LinkResult extends LinkPosition {
  attendance: AppliedAttendance[];
}

interface CenterRow {
  last_seq: string;
  epoch: string | null;
}

/** A batch or base of another store epoch than the hub's: the station must say hello again (and send a base). */
function epochChanged(position: { lastSeq: number; epoch: string | null }): AppError {
  return new AppError('LINK_OUT_OF_ORDER', 'This center’s station was restored or replaced since (another store epoch); say hello again', 409, { lastSeq: position.lastSeq, epoch: position.epoch });
}

/**
 * Applies one batch of journal records in one transaction, together with the center's new
 * position, so a batch is in the totals exactly once however often it is delivered. The row
 * lock on the center orders concurrent deliveries (a retry racing its original on another hub
 * process): the second one sees the first one's position and applies nothing twice.
 */
export async function applyBatch(pool: pg.Pool, centerId: string, batch: LinkBatch): Promise<LinkResult> {
  return inTransaction(pool, async (client) => {
    const { lastSeq, epoch } = await lockCenter(client, centerId);
    // Numbers of another epoch mean other records: never applied over this epoch's.
    if (batch.epoch !== undefined && epoch !== null && batch.epoch !== epoch) throw epochChanged({ lastSeq, epoch });
    if (batch.fromSeq > lastSeq + 1) {
      throw new AppError('LINK_OUT_OF_ORDER', `The hub has this center up to ${lastSeq}; send from ${lastSeq + 1}`, 409, { lastSeq });
    }
    if (batch.toSeq <= lastSeq) {
      await touchCenter(client, centerId, lastSeq, batch.stationSeq);
      return { centerId, lastSeq, epoch, attendance: [] };
    }
    const changes = batch.records.filter((record) => record.seq > lastSeq).flatMap((record) => record.changes);
    const attendance = await applyChanges(client, centerId, changes);
    await touchCenter(client, centerId, batch.toSeq, batch.stationSeq);
    return { centerId, lastSeq: batch.toSeq, epoch, attendance };
  });
}

/** One part of a base (the whole district state of a station at baseSeq); see linkBaseSchema. */
export async function applyBase(pool: pg.Pool, centerId: string, base: LinkBase): Promise<LinkResult> {
  return inTransaction(pool, async (client) => {
    const { lastSeq, epoch } = await lockCenter(client, centerId);
    // A base of a new epoch (the station was restored from a backup) replaces the center's data
    // whatever the numbers say: its sequence numbers start over below the old ones.
    const newEpoch = base.epoch !== undefined && base.epoch !== epoch;
    if (newEpoch && base.part !== 0) throw epochChanged({ lastSeq, epoch });
    if (!newEpoch && base.baseSeq <= lastSeq) {
      await touchCenter(client, centerId, lastSeq, base.stationSeq);
      return { centerId, lastSeq, epoch, attendance: [] };
    }
    if (base.part === 0) {
      for (const spec of Object.values(tables)) await client.query(`DELETE FROM ${spec.table} WHERE center_id = $1`, [centerId]);
    }
    await applyChanges(client, centerId, base.changes);
    const position = base.final ? base.baseSeq : newEpoch ? 0 : lastSeq;
    const nowEpoch = newEpoch ? base.epoch! : epoch;
    await touchCenter(client, centerId, position, base.stationSeq, nowEpoch);
    return { centerId, lastSeq: position, epoch: nowEpoch, attendance: [] };
  });
}

/** Records the station's contact and position (for lastSeenAt and lag) without data. */
/**
 * Records the station's contact and position (for lastSeenAt and lag) without data, and answers
 * with the hub's (epoch, lastSeq). A center without an epoch yet (new, or fed by a station
 * before epochs) takes the station's; a station with another epoch than the hub's sends a base.
 */
export async function hello(pool: pg.Pool, centerId: string, stationSeq: number, epoch?: string): Promise<LinkPosition> {
  const result = await pool.query<CenterRow>(
    'UPDATE centers SET station_seq = $2, last_seen_at = now(), epoch = coalesce(epoch, $3) WHERE id = $1 RETURNING last_seq, epoch',
    [centerId, stationSeq, epoch ?? null],
  );
  return { centerId, lastSeq: Number(result.rows[0]?.last_seq ?? 0), epoch: result.rows[0]?.epoch ?? null };
}

async function lockCenter(client: pg.PoolClient, centerId: string): Promise<{ lastSeq: number; epoch: string | null }> {
  const result = await client.query<CenterRow>('SELECT last_seq, epoch FROM centers WHERE id = $1 FOR UPDATE', [centerId]);
  if (!result.rows[0]) throw new AppError('JOIN_KEY_INVALID', 'The center no longer exists', 401);
  return { lastSeq: Number(result.rows[0].last_seq), epoch: result.rows[0].epoch };
}

async function touchCenter(client: pg.PoolClient, centerId: string, lastSeq: number, stationSeq: number, epoch?: string | null): Promise<void> {
  await client.query(
    'UPDATE centers SET last_seq = $2::bigint, station_seq = GREATEST($3::bigint, $2::bigint), last_seen_at = now(), epoch = coalesce($4, epoch) WHERE id = $1',
    [centerId, lastSeq, stationSeq, epoch ?? null],
  );
}

/**
 * Writes the changes: the last change of each record wins (records are replaced whole, so only
 * the newest matters), then one DELETE and one upsert per table.
 */
async function applyChanges(client: pg.PoolClient, centerId: string, changes: LinkChange[]): Promise<AppliedAttendance[]> {
  const latest = new Map<string, LinkChange>();
  for (const change of changes) {
    const id = 'remove' in change ? change.id : change.v.id;
    latest.set(`${change.c}\u0000${id}`, change);
  }
  const puts = new Map<DistrictCollection, Record<string, unknown>[]>();
  const removes = new Map<DistrictCollection, string[]>();
  const attendance: AppliedAttendance[] = [];
  for (const change of latest.values()) {
    if ('remove' in change) {
      removes.set(change.c, [...(removes.get(change.c) ?? []), change.id]);
      continue;
    }
    const spec = tables[change.c];
    const record = toDistrictRecord(change.c, change.v) as Record<string, unknown>;
    const row: Record<string, unknown> = { id: change.v.id, ...spec.row(record), data: record };
    let rows = puts.get(change.c);
    if (!rows) puts.set(change.c, (rows = []));
    rows.push(row);
    if (change.c === 'attendance' && !row.removed) {
      attendance.push({ centerId, id: change.v.id, volunteerId: row.volunteer_id as string, checkInAt: row.check_in_at as string, checkOutAt: (row.check_out_at as string | null) ?? undefined });
    }
  }
  for (const [collection, ids] of removes) {
    await client.query(`DELETE FROM ${tables[collection].table} WHERE center_id = $1 AND id = ANY($2)`, [centerId, ids]);
  }
  for (const [collection, rows] of puts) {
    await client.query(upsertSql(tables[collection]), [centerId, JSON.stringify(rows)]);
  }
  return attendance;
}
