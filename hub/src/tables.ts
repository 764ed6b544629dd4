import { z } from 'zod';
import type { DistrictCollection } from '../../server/src/protocol/district.ts';
import { AppError } from '../../server/src/protocol/errors.ts';

/**
 * How each district collection lands in its table: the typed columns the reports query, read
 * from the station's record with a schema (a record the hub cannot read is the caller's mistake,
 * 400, never a half-applied batch), and the record itself in `data`.
 */
interface TableSpec {
  table: string;
  /** Column name → SQL type, in insert order (after center_id and id). */
  columns: Record<string, string>;
  row(record: Record<string, unknown>): Record<string, unknown>;
}

const time = z.iso.datetime({ offset: true });
const optionalTime = time.optional().nullable();
const text = z.string().max(2000);
const minutes = z.number().int().min(0).max(10_000_000).optional().nullable();
const amount = z.number().finite();
const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject({ id: z.string(), ...shape });

function reader<S extends z.ZodType>(collection: string, schema: S) {
  return (record: Record<string, unknown>): z.output<S> => {
    const result = schema.safeParse(record);
    if (!result.success) {
      throw new AppError('VALIDATION_FAILED', `A ${collection} record the hub cannot read (${record.id as string}): ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return result.data;
  };
}

const readVolunteer = reader('volunteers', loose({ name: text, phone: text.optional(), idNumber: text.optional(), cardNo: text.optional(), status: text.optional(), joinedOn: text.optional(), teamIds: z.array(text).max(1000).optional() }));
const readTeam = reader('teams', loose({ name: text }));
const readActivity = reader('activities', loose({ title: text, startsAt: optionalTime, endsAt: optionalTime }));
const readAttendance = reader('attendance', loose({ volunteerId: text, activityId: text.optional(), checkInAt: time, checkOutAt: optionalTime, creditedMinutes: minutes, removed: z.unknown().optional() }));
const readService = reader('serviceRecords', loose({ volunteerId: text, kind: text.optional(), startedAt: optionalTime, creditedMinutes: minutes, minutes: minutes, removed: z.unknown().optional() }));
const readLedger = reader('ledger', loose({ volunteerId: text, delta: amount, kind: text, at: time }));
const readRedemption = reader('redemptions', loose({ volunteerId: text, receiptNo: text.optional(), pointsSpent: amount, at: time, voided: z.unknown().optional() }));
const readStar = reader('starRecords', loose({ volunteerId: text, stars: z.number().int().min(0).max(1000) }));

export const tables: Record<DistrictCollection, TableSpec> = {
  volunteers: {
    table: 'volunteers',
    columns: { name: 'text', phone: 'text', id_number: 'text', card_no: 'text', status: 'text', joined_on: 'text', team_ids: 'text[]' },
    row(record) {
      const v = readVolunteer(record);
      return { name: v.name, phone: v.phone ?? null, id_number: v.idNumber ?? null, card_no: v.cardNo ?? null, status: v.status ?? null, joined_on: v.joinedOn ?? null, team_ids: v.teamIds ?? [] };
    },
  },
  teams: { table: 'teams', columns: { name: 'text' }, row: (record) => ({ name: readTeam(record).name }) },
  activities: {
    table: 'activities',
    columns: { title: 'text', starts_at: 'timestamptz', ends_at: 'timestamptz' },
    row(record) {
      const a = readActivity(record);
      return { title: a.title, starts_at: a.startsAt ?? null, ends_at: a.endsAt ?? null };
    },
  },
  attendance: {
    table: 'attendance',
    columns: { volunteer_id: 'text', activity_id: 'text', check_in_at: 'timestamptz', check_out_at: 'timestamptz', minutes: 'integer', removed: 'boolean' },
    row(record) {
      const a = readAttendance(record);
      const removed = Boolean(a.removed);
      // As the station counts them: nothing while open or once removed.
      return { volunteer_id: a.volunteerId, activity_id: a.activityId ?? null, check_in_at: a.checkInAt, check_out_at: a.checkOutAt ?? null, minutes: removed ? 0 : (a.creditedMinutes ?? 0), removed };
    },
  },
  serviceRecords: {
    table: 'service_records',
    columns: { volunteer_id: 'text', kind: 'text', started_at: 'timestamptz', minutes: 'integer', removed: 'boolean' },
    row(record) {
      const s = readService(record);
      const removed = Boolean(s.removed);
      return { volunteer_id: s.volunteerId, kind: s.kind ?? null, started_at: s.startedAt ?? null, minutes: removed ? 0 : (s.creditedMinutes ?? s.minutes ?? 0), removed };
    },
  },
  ledger: {
    table: 'ledger',
    columns: { volunteer_id: 'text', delta: 'numeric', kind: 'text', at: 'timestamptz' },
    row(record) {
      const l = readLedger(record);
      return { volunteer_id: l.volunteerId, delta: l.delta, kind: l.kind, at: l.at };
    },
  },
  redemptions: {
    table: 'redemptions',
    columns: { volunteer_id: 'text', receipt_no: 'text', points_spent: 'numeric', at: 'timestamptz', voided: 'boolean' },
    row(record) {
      const r = readRedemption(record);
      return { volunteer_id: r.volunteerId, receipt_no: r.receiptNo ?? null, points_spent: r.pointsSpent, at: r.at, voided: Boolean(r.voided) };
    },
  },
  starRecords: {
    table: 'star_records',
    columns: { volunteer_id: 'text', stars: 'integer' },
    row(record) {
      const s = readStar(record);
      return { volunteer_id: s.volunteerId, stars: s.stars };
    },
  },
};

/** One statement per table: rows as a JSON array, unpacked by jsonb_to_recordset, upserted by (center_id, id). */
export function upsertSql(spec: TableSpec): string {
  const names = Object.keys(spec.columns);
  const definitions = ['id text', ...names.map((name) => `${name} ${spec.columns[name]}`), 'data jsonb'].join(', ');
  const columns = ['id', ...names, 'data'];
  return `INSERT INTO ${spec.table} (center_id, ${columns.join(', ')})
    SELECT $1, ${columns.map((c) => `x.${c}`).join(', ')} FROM jsonb_to_recordset($2::jsonb) AS x(${definitions})
    ON CONFLICT (center_id, id) DO UPDATE SET ${[...names, 'data'].map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
}
