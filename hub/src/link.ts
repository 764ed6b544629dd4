import type pg from 'pg';
import { districtCollections, toDistrictRecord, type DistrictCollection, type LinkBase, type LinkBatch, type LinkChange, type LinkPosition } from '../../server/src/protocol/district.ts';
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
  /** The volunteer's name at the hub (read in the same statement that wrote the row), '' if unknown. */
  name: string;
}

export interface LinkResult extends LinkPosition {
  centerName: string;
  attendance: AppliedAttendance[];
}

/** Which center a link request is for: by id (authenticated by the link's middleware), or by its join key's hash, checked under the lock. */
export type CenterKey = { centerId: string } | { keyHash: string };

interface CenterRow {
  id: string;
  name: string;
  last_seq: string;
  epoch: string | null;
  key_revoked_at: Date | null;
  base_epoch: string | null;
  base_seq: string | null;
  base_next_part: number | null;
}

interface LockedCenter {
  centerId: string;
  centerName: string;
  lastSeq: number;
  epoch: string | null;
  /** The base being received in parts, if one is under way: which one, and the part the hub expects next. */
  base: { epoch: string | null; seq: number; nextPart: number } | null;
}

// Named statements are parsed and planned once per connection (the apply path runs them for every batch).
const LOCK_COLUMNS = 'id, name, last_seq, epoch, key_revoked_at, base_epoch, base_seq, base_next_part';
const lockById = { name: 'hub-lock-center-by-id', text: `SELECT ${LOCK_COLUMNS} FROM centers WHERE id = $1 FOR UPDATE` };
const lockByKey = { name: 'hub-lock-center-by-key', text: `SELECT ${LOCK_COLUMNS} FROM centers WHERE join_key_hash = $1 FOR UPDATE` };
/** The center's new position, written by the same statement as a batch's last rows (a data-modifying WITH runs exactly once). */
const POSITION_CTE = 'WITH position AS (UPDATE centers SET last_seq = $3::bigint, station_seq = GREATEST($4::bigint, $3::bigint), last_seen_at = now() WHERE id = $1)';
/** Attendance rows come back with the volunteer's name for the district board, so announcing a batch reads nothing more. */
const ATTENDANCE_RETURNING = ' RETURNING id, (SELECT v.name FROM volunteers v WHERE v.center_id = $1 AND v.id = attendance.volunteer_id) AS name';
const upserts = new Map<string, { name: string; text: string }>();

function upsertStatement(collection: DistrictCollection, withPosition: boolean): { name: string; text: string } {
  const key = `${collection}${withPosition ? '+position' : ''}`;
  let statement = upserts.get(key);
  if (!statement) {
    const text = `${withPosition ? `${POSITION_CTE} ` : ''}${upsertSql(tables[collection])}${collection === 'attendance' ? ATTENDANCE_RETURNING : ''}`;
    upserts.set(key, (statement = { name: `hub-upsert-${key}`, text }));
  }
  return statement;
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
export async function applyBatch(pool: pg.Pool, who: CenterKey, batch: LinkBatch): Promise<LinkResult> {
  // Four round trips for a batch of scans: BEGIN, the lock (which also checks the join key),
  // the rows with the new position, COMMIT.
  return inTransaction(pool, async (client) => {
    const { centerId, centerName, lastSeq, epoch } = await lockCenter(client, who);
    // Numbers of another epoch mean other records: never applied over this epoch's.
    if (batch.epoch !== undefined && epoch !== null && batch.epoch !== epoch) throw epochChanged({ lastSeq, epoch });
    if (batch.fromSeq > lastSeq + 1) {
      throw new AppError('LINK_OUT_OF_ORDER', `The hub has this center up to ${lastSeq}; send from ${lastSeq + 1}`, 409, { lastSeq });
    }
    if (batch.toSeq <= lastSeq) {
      await touchCenter(client, centerId, lastSeq, batch.stationSeq);
      return { centerId, centerName, lastSeq, epoch, attendance: [] };
    }
    const changes = batch.records.filter((record) => record.seq > lastSeq).flatMap((record) => record.changes);
    const position = { lastSeq: batch.toSeq, stationSeq: batch.stationSeq };
    const { attendance, positioned } = await applyChanges(client, centerId, changes, position);
    if (!positioned) await touchCenter(client, centerId, batch.toSeq, batch.stationSeq);
    return { centerId, centerName, lastSeq: batch.toSeq, epoch, attendance };
  });
}

/**
 * One part of a base (the whole district state of a station at baseSeq); see linkBaseSchema.
 * Each part is applied once and in order: part 0 replaces the center's data, so a late second
 * delivery of it (a retry whose original was held up) would otherwise wipe the parts after it.
 */
export async function applyBase(pool: pg.Pool, centerId: string, base: LinkBase): Promise<LinkResult> {
  return inTransaction(pool, async (client) => {
    const { centerName, lastSeq, epoch, base: underWay } = await lockCenter(client, { centerId });
    const unchanged = async () => {
      await touchCenter(client, centerId, lastSeq, base.stationSeq);
      return { centerId, centerName, lastSeq, epoch, attendance: [] };
    };
    // A base of a new epoch (the station was restored from a backup) replaces the center's data
    // whatever the numbers say: its sequence numbers start over below the old ones.
    const newEpoch = base.epoch !== undefined && base.epoch !== epoch;
    if (newEpoch && base.part !== 0) throw epochChanged({ lastSeq, epoch });
    if (!newEpoch && base.baseSeq <= lastSeq) return unchanged();
    const baseEpoch = base.epoch ?? epoch;
    const sameEpoch = underWay !== null && underWay.epoch === baseEpoch;
    // An older base of this epoch than the one under way is a late delivery: the newer one wins.
    if (sameEpoch && base.baseSeq < underWay.seq) return unchanged();
    const expected = sameEpoch && base.baseSeq === underWay.seq ? underWay.nextPart : 0;
    if (base.part < expected) return unchanged();
    if (base.part > expected) {
      throw new AppError('LINK_OUT_OF_ORDER', `The hub expects part ${expected} of this base; send the base again`, 409, { lastSeq, epoch });
    }
    if (base.part === 0) {
      for (const spec of Object.values(tables)) await client.query(`DELETE FROM ${spec.table} WHERE center_id = $1`, [centerId]);
    }
    await applyChanges(client, centerId, base.changes);
    const position = base.final ? base.baseSeq : newEpoch ? 0 : lastSeq;
    const nowEpoch = newEpoch ? base.epoch! : epoch;
    await touchCenter(client, centerId, position, base.stationSeq, nowEpoch);
    await client.query('UPDATE centers SET base_epoch = $2, base_seq = $3::bigint, base_next_part = $4 WHERE id = $1', [
      centerId, base.final ? null : baseEpoch, base.final ? null : base.baseSeq, base.final ? null : base.part + 1,
    ]);
    return { centerId, centerName, lastSeq: position, epoch: nowEpoch, attendance: [] };
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

/** Locks the center's row for the transaction; by join key, the key is checked as the link's middleware does. */
async function lockCenter(client: pg.PoolClient, who: CenterKey): Promise<LockedCenter> {
  const byKey = 'keyHash' in who;
  const result = await client.query<CenterRow>({ ...(byKey ? lockByKey : lockById), values: [byKey ? who.keyHash : who.centerId] });
  const row = result.rows[0];
  if (!row) throw new AppError('JOIN_KEY_INVALID', byKey ? 'The hub does not know this join key' : 'The center no longer exists', 401);
  if (byKey && row.key_revoked_at) throw new AppError('JOIN_KEY_REVOKED', 'The district revoked this join key; ask for a new one', 403);
  const base = row.base_seq === null ? null : { epoch: row.base_epoch, seq: Number(row.base_seq), nextPart: row.base_next_part ?? 0 };
  return { centerId: row.id, centerName: row.name, lastSeq: Number(row.last_seq), epoch: row.epoch, base };
}

async function touchCenter(client: pg.PoolClient, centerId: string, lastSeq: number, stationSeq: number, epoch?: string | null): Promise<void> {
  await client.query(
    'UPDATE centers SET last_seq = $2::bigint, station_seq = GREATEST($3::bigint, $2::bigint), last_seen_at = now(), epoch = coalesce($4, epoch) WHERE id = $1',
    [centerId, lastSeq, stationSeq, epoch ?? null],
  );
}

/**
 * Writes the changes: the last change of each record wins (records are replaced whole, so only
 * the newest matters), then one DELETE and one upsert per table, tables in a fixed order
 * (volunteers before attendance, so a new volunteer's first scan finds their name). Given a
 * position, the last upsert also moves the center to it (`positioned`).
 */
async function applyChanges(
  client: pg.PoolClient,
  centerId: string,
  changes: LinkChange[],
  position?: { lastSeq: number; stationSeq: number },
): Promise<{ attendance: AppliedAttendance[]; positioned: boolean }> {
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
      attendance.push({ centerId, id: change.v.id, volunteerId: row.volunteer_id as string, checkInAt: row.check_in_at as string, checkOutAt: (row.check_out_at as string | null) ?? undefined, name: '' });
    }
  }
  for (const [collection, ids] of removes) {
    await client.query(`DELETE FROM ${tables[collection].table} WHERE center_id = $1 AND id = ANY($2)`, [centerId, ids]);
  }
  const ordered = districtCollections.filter((collection) => puts.has(collection));
  for (const [index, collection] of ordered.entries()) {
    const withPosition = position !== undefined && index === ordered.length - 1;
    const values: unknown[] = [centerId, JSON.stringify(puts.get(collection))];
    if (withPosition) values.push(position.lastSeq, position.stationSeq);
    const result = await client.query<{ id: string; name: string | null }>({ ...upsertStatement(collection, withPosition), values });
    if (collection === 'attendance') {
      const names = new Map(result.rows.map((row) => [row.id, row.name ?? '']));
      for (const applied of attendance) applied.name = names.get(applied.id) ?? '';
    }
  }
  return { attendance, positioned: position !== undefined && ordered.length > 0 };
}
