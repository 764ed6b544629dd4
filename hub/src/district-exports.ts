import { createHash } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { parse as parseCookie } from 'cookie';
import type pg from 'pg';
import { z } from 'zod';
import { maskIdNumber, maskName, maskPhone } from '../../server/src/domain/masking.ts';
import { parseInput } from '../../server/src/http/validate.ts';
import type { Activity, Attendance, LedgerEntry, Redemption, Volunteer } from '../../server/src/protocol/model.ts';
import type { ServiceRecord } from '../../server/src/protocol/service.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';
import { attendanceColumns } from '../../server/src/reports/attendance-rows.ts';
import { ledgerColumns } from '../../server/src/reports/ledger-rows.ts';
import { LocalTimes } from '../../server/src/reports/local-times.ts';
import { itemLines, redemptionColumns, type ItemLine } from '../../server/src/reports/redemption-rows.ts';
import { sendTables, sheet, type ExportFormat, type TableColumn, type TableSheet } from '../../server/src/reports/table-export.ts';
import { nationalColumns, nationalRowOfAttendance, nationalRowOfService } from '../../server/src/signups/national-export.ts';
import { countedMinutes } from '../../server/src/store/state.ts';
import { registerColumns } from '../../server/src/volunteers/register-export.ts';
import { SESSION_COOKIE } from './auth.ts';

/**
 * The station's exports for the whole district (or one center): the same columns, written by
 * the station's own column definitions and writer, with the center in a first column; the
 * national export with the station's row mapping. Rows stream from a PostgreSQL cursor, a few
 * thousand at a time, so a district year never sits in memory. Every download is audited in
 * hub_audit before its first byte; the district viewer gets names, phones and ID numbers
 * masked, the district admin in full.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A day is written YYYY-MM-DD');
const periodSchema = z.object({ from: day, to: day, centerId: z.uuid().optional() }).refine((p) => p.from <= p.to, 'from must not be after to');
const registerSchema = z.object({ centerId: z.uuid().optional(), status: z.enum(['active', 'suspended', 'left']).optional() });
const FETCH_ROWS = 2000;

interface ExportDeps {
  pool: pg.Pool;
  admin: RequestHandler;
  viewer: RequestHandler;
  /** Days of the period and times in the files. */
  timeZone: string;
}

/** A row of any district export: the center it belongs to comes first. */
interface AtCenter {
  center: string;
}

const centerColumn: TableColumn<AtCenter> = { header: '驿站', value: (row) => row.center, width: 18 };

/** The period's bounds in the district's zone: from the first day's start to the day after the last. */
const periodWhere = (column: string) => `${column} >= $1::date::timestamp AT TIME ZONE $3 AND ${column} < ($2::date + 1)::timestamp AT TIME ZONE $3 AND ($4::uuid IS NULL OR c.id = $4)`;

/** A table's records of the period by their `at`, each with its center and volunteer. */
const recordsOfPeriod = (table: 'ledger' | 'redemptions', as: string) => `SELECT c.name AS center, r.data AS ${as}, v.data AS volunteer
  FROM ${table} r JOIN centers c ON c.id = r.center_id
  LEFT JOIN volunteers v ON v.center_id = r.center_id AND v.id = r.volunteer_id
  WHERE ${periodWhere('r.at')} ORDER BY r.at, c.name, r.id`;

interface ExportDefinition {
  title: string;
  /** The query's parameters: $1 from, $2 to, $3 the zone, $4 the center or null (the register: $1 the center, $2 the status). */
  sql: string;
  schema: typeof periodSchema | typeof registerSchema;
  sheet(rows: AsyncIterable<Record<string, unknown>>, local: LocalTimes, full: boolean): TableSheet<unknown>;
}

const exportsByName: Record<string, ExportDefinition> = {
  attendance: {
    title: '签到记录',
    schema: periodSchema,
    sql: `SELECT c.name AS center, a.data AS attendance, v.data AS volunteer, act.data AS activity
      FROM attendance a JOIN centers c ON c.id = a.center_id
      LEFT JOIN volunteers v ON v.center_id = a.center_id AND v.id = a.volunteer_id
      LEFT JOIN activities act ON act.center_id = a.center_id AND act.id = a.activity_id
      WHERE NOT a.removed AND ${periodWhere('a.check_in_at')} ORDER BY a.check_in_at, c.name, a.id`,
    sheet(rows, local, full) {
      type Row = AtCenter & { attendance: Attendance; volunteer: Volunteer | undefined; activity: Activity | undefined; volunteerId: string; at: number; minutes: number };
      const mapped = mapRows(rows, (row): Row => {
        const attendance = row.attendance as Attendance;
        return { center: row.center as string, attendance, volunteer: shown(row.volunteer, full), activity: (row.activity as Activity | null) ?? undefined, volunteerId: attendance.volunteerId, at: Date.parse(attendance.checkInAt), minutes: countedMinutes(attendance) };
      });
      return sheet<Row>({ name: '签到记录', columns: [centerColumn, ...attendanceColumns<Row>(local, (row) => row.center)], rows: mapped });
    },
  },
  ledger: {
    title: '积分台账',
    schema: periodSchema,
    sql: recordsOfPeriod('ledger', 'entry'),
    sheet(rows, local, full) {
      type Row = AtCenter & { entry: LedgerEntry; at: number; volunteer: Volunteer | undefined };
      const mapped = mapRows(rows, (row): Row => ({ center: row.center as string, entry: row.entry as LedgerEntry, at: Date.parse((row.entry as LedgerEntry).at), volunteer: shown(row.volunteer, full) }));
      return sheet<Row>({ name: '积分台账', columns: [centerColumn, ...ledgerColumns<Row>(local, (row) => row.volunteer, actorName)], rows: mapped });
    },
  },
  redemptions: {
    title: '兑换记录',
    schema: periodSchema,
    sql: recordsOfPeriod('redemptions', 'redemption'),
    sheet(rows, local, full) {
      type Line = AtCenter & ItemLine & { volunteer: Volunteer | undefined };
      const receipts = mapRows(rows, (row) => ({ center: row.center as string, redemption: row.redemption as Redemption, volunteer: shown(row.volunteer, full) }));
      return sheet<Line>({ name: '兑换记录', columns: [centerColumn, ...redemptionColumns<Line>(local, (line) => line.volunteer, actorName)], rows: asyncItemLines<Line>(receipts) });
    },
  },
  volunteers: {
    title: '志愿者名册',
    schema: registerSchema,
    sql: `SELECT c.name AS center, v.data AS volunteer,
        ARRAY(SELECT t.name FROM unnest(v.team_ids) AS team_id JOIN teams t ON t.center_id = v.center_id AND t.id = team_id) AS team_names
      FROM volunteers v JOIN centers c ON c.id = v.center_id
      WHERE ($1::uuid IS NULL OR c.id = $1) AND ($2::text IS NULL OR v.status = $2)
      ORDER BY c.created_at, c.id, length(v.card_no), v.card_no, v.id`,
    sheet(rows, _local, full) {
      type Row = Volunteer & AtCenter & { teamNames: string[] };
      const mapped = mapRows(rows, (row): Row => ({ ...shown(row.volunteer, full)!, center: row.center as string, teamNames: row.team_names as string[] }));
      return sheet<Row>({ name: '志愿者名册', columns: [centerColumn, ...registerColumns<Row>((v) => v.teamNames)], rows: mapped });
    },
  },
  national: {
    title: '全国志愿服务信息系统导入',
    schema: periodSchema,
    sql: `SELECT * FROM (
        SELECT c.name AS center, a.check_in_at AS at, a.data AS attendance, NULL::jsonb AS service, v.data AS volunteer, act.data AS activity
        FROM attendance a JOIN centers c ON c.id = a.center_id
        LEFT JOIN volunteers v ON v.center_id = a.center_id AND v.id = a.volunteer_id
        LEFT JOIN activities act ON act.center_id = a.center_id AND act.id = a.activity_id
        WHERE NOT a.removed AND a.check_out_at IS NOT NULL AND ${periodWhere('a.check_in_at')}
        UNION ALL
        SELECT c.name, s.started_at, NULL, s.data, v.data, NULL
        FROM service_records s JOIN centers c ON c.id = s.center_id
        LEFT JOIN volunteers v ON v.center_id = s.center_id AND v.id = s.volunteer_id
        WHERE NOT s.removed AND ${periodWhere('s.started_at')}) AS rows
      ORDER BY at, center`,
    sheet(rows, local, full) {
      // The station's mapping, with each row's own center as the default organizer.
      const mapped = mapRows(rows, (row) => row.attendance
        ? nationalRowOfAttendance(row.attendance as Attendance, shown(row.volunteer, full), (row.activity as Activity | null) ?? undefined, row.center as string)
        : nationalRowOfService(row.service as ServiceRecord, shown(row.volunteer, full), row.center as string));
      return sheet({ name: '服务记录', columns: nationalColumns(defaultSettings.nationalExport.columns, local), rows: mapped });
    },
  },
};

export const districtExportNames = Object.keys(exportsByName);

export function districtExportRoutes(deps: ExportDeps): Router {
  const { pool, admin, viewer, timeZone } = deps;
  const router = Router();
  for (const [name, definition] of Object.entries(exportsByName)) {
    for (const format of ['xlsx', 'csv'] as const satisfies ExportFormat[]) {
      router.get(`/district/exports/${name}.${format}`, viewer, async (req, res) => {
        const input = parseInput(definition.schema, req.query) as { from?: string; to?: string; centerId?: string; status?: string };
        const role = req.hubRole!;
        const full = role === 'admin';
        // Audited before the first byte: a download cut short was still a download of personal data.
        await pool.query('INSERT INTO hub_audit (role, action, target, actor, ip, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
          role, `export.${name}`, input.centerId ?? null, actorOf(req), req.ip ?? null,
          JSON.stringify({ format, from: input.from ?? null, to: input.to ?? null, centerId: input.centerId ?? null, status: input.status ?? null, masked: !full }),
        ]);
        const period = input.from ? `_${input.from}_${input.to}` : '';
        const params = definition.schema === registerSchema ? [input.centerId ?? null, input.status ?? null] : [input.from, input.to, timeZone, input.centerId ?? null];
        const rows = cursorRows(pool, definition.sql, params);
        await sendTables(res, format, { name: `区级${definition.title}${period}`, ascii: `district-${name}${period}` }, [definition.sheet(rows, new LocalTimes(timeZone), full)]);
      });
    }
  }
  router.get('/district/audit', admin, async (req, res) => {
    const { limit } = parseInput(z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query);
    const result = await pool.query('SELECT id, at, role, action, target, actor, ip, detail FROM hub_audit ORDER BY at DESC, id DESC LIMIT $1', [limit]);
    res.json({ items: result.rows.map((row) => ({ id: Number(row.id), at: new Date(row.at).toISOString(), role: row.role, action: row.action, target: row.target, actor: row.actor, ip: row.ip, detail: row.detail })) });
  });
  return router;
}

/** Who downloaded: the role's sign-in, as far as the hub can tell (Basic auth's user name, or the session). */
function actorOf(req: Request): string {
  const authorization = req.headers.authorization ?? '';
  if (authorization.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    return `basic:${decoded.slice(0, Math.max(0, decoded.indexOf(':'))).slice(0, 64)}`;
  }
  const token = req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
  // The session's hash prefix names the sign-in without keeping anything that could be replayed.
  return token ? `session:${createHash('sha256').update(token).digest('hex').slice(0, 12)}` : 'unknown';
}

/** The hub keeps no staff accounts: `staff:<username>` reads as the user name, as a station's paper shows it. */
function actorName(actor: string): string {
  if (actor === 'system') return '系统';
  const [kind, id = ''] = actor.split(':', 2);
  return kind === 'staff' ? id : actor;
}

/** A volunteer as the export may show them: in full to the district admin, masked to a viewer. */
function shown(data: unknown, full: boolean): Volunteer | undefined {
  if (!data) return undefined;
  const volunteer = data as Volunteer;
  if (full) return volunteer;
  return {
    ...volunteer,
    name: maskName(volunteer.name),
    phone: volunteer.phone ? maskPhone(volunteer.phone) : undefined,
    idNumber: volunteer.idNumber ? maskIdNumber(volunteer.idNumber) : undefined,
    nationalVolunteerNo: undefined,
    birthDate: undefined,
    birthYear: undefined,
  };
}

async function* mapRows<T>(rows: AsyncIterable<Record<string, unknown>>, map: (row: Record<string, unknown>) => T): AsyncGenerator<T> {
  for await (const row of rows) yield map(row);
}

async function* asyncItemLines<Line extends ItemLine>(receipts: AsyncIterable<Omit<Line, 'item'>>): AsyncGenerator<Line> {
  for await (const receipt of receipts) yield* itemLines<Line>([receipt]);
}

/**
 * The query's rows through a server-side cursor in one read-only transaction (one consistent
 * picture of the district), FETCH_ROWS at a time. Stopping early (the client went away)
 * closes the cursor and gives the connection back.
 */
async function* cursorRows(pool: pg.Pool, sql: string, params: unknown[]): AsyncGenerator<Record<string, unknown>> {
  const client = await pool.connect();
  let finished = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`DECLARE district_export NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const batch = await client.query(`FETCH ${FETCH_ROWS} FROM district_export`);
      yield* batch.rows;
      if (batch.rows.length < FETCH_ROWS) break;
    }
    await client.query('COMMIT');
    finished = true;
  } finally {
    if (!finished) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

