import type pg from 'pg';
import { maskIdNumber, maskName, maskPhone } from '../../server/src/domain/masking.ts';
import { minutesToHours } from '../../server/src/domain/hours.ts';
import type { HubRole } from './auth.ts';

/** GET /api/district/summary: one line per center, the DESIGN §9 fields first. */
export interface CenterSummary {
  centerId: string;
  name: string;
  volunteers: number;
  /** Attendance records that count (not removed). */
  attendance: number;
  /** Creditable hours: attendance plus service records. */
  hours: number;
  serviceRecords: number;
  redemptions: number;
  pointsSpent: number;
  lastSeenAt: string | null;
  /** Journal records the station had at its last contact that the hub has not applied yet. */
  lag: number;
  lastSeq: number;
  keyRevoked: boolean;
}

export async function districtSummary(pool: pg.Pool): Promise<{ centers: CenterSummary[]; totals: { volunteers: number; attendance: number; hours: number } }> {
  // Totals kept by triggers (migration 003), so this reads one row per center.
  const result = await pool.query(`
    SELECT c.id, c.name, c.last_seen_at, c.last_seq, c.station_seq, c.key_revoked_at IS NOT NULL AS revoked,
           coalesce(t.volunteers, 0) AS volunteers, coalesce(t.attendance, 0) AS attendance,
           coalesce(t.attendance_minutes, 0) + coalesce(t.service_minutes, 0) AS minutes,
           coalesce(t.services, 0) AS services, coalesce(t.redemptions, 0) AS redemptions, coalesce(t.points_spent, 0) AS points
    FROM centers c LEFT JOIN center_totals t ON t.center_id = c.id
    ORDER BY c.created_at, c.id`);
  const centers = result.rows.map((row): CenterSummary => ({
    centerId: row.id,
    name: row.name,
    volunteers: Number(row.volunteers),
    attendance: Number(row.attendance),
    hours: minutesToHours(Number(row.minutes)),
    serviceRecords: Number(row.services),
    redemptions: Number(row.redemptions),
    pointsSpent: Number(row.points),
    lastSeenAt: row.last_seen_at ? new Date(row.last_seen_at).toISOString() : null,
    lag: Math.max(0, Number(row.station_seq) - Number(row.last_seq)),
    lastSeq: Number(row.last_seq),
    keyRevoked: row.revoked,
  }));
  const minutes = result.rows.reduce((sum, row) => sum + Number(row.minutes), 0);
  return {
    centers,
    totals: {
      volunteers: centers.reduce((sum, c) => sum + c.volunteers, 0),
      attendance: centers.reduce((sum, c) => sum + c.attendance, 0),
      hours: minutesToHours(minutes),
    },
  };
}

export interface RegisterHit {
  centerId: string;
  centerName: string;
  volunteerId: string;
  name: string;
  phone: string | null;
  idNumber: string | null;
  cardNo: string | null;
  status: string | null;
  /** Other centers holding the same phone or ID number: the same person registered twice. */
  alsoAt: { centerId: string; centerName: string; volunteerId: string }[];
}

/** The district register: by phone, ID number (exact) or name (prefix); personal data masked for a viewer. */
export async function searchRegister(pool: pg.Pool, query: string, role: HubRole): Promise<RegisterHit[]> {
  const q = query.trim();
  const result = await pool.query(`
    SELECT v.center_id, c.name AS center_name, v.id, v.name, v.phone, v.id_number, v.card_no, v.status,
      (SELECT coalesce(json_agg(json_build_object('centerId', o.center_id, 'centerName', oc.name, 'volunteerId', o.id)), '[]'::json)
         FROM volunteers o JOIN centers oc ON oc.id = o.center_id
         WHERE o.center_id <> v.center_id AND ((v.phone IS NOT NULL AND o.phone = v.phone) OR (v.id_number IS NOT NULL AND o.id_number = v.id_number))) AS also_at
    FROM volunteers v JOIN centers c ON c.id = v.center_id
    WHERE v.phone = $1 OR v.id_number = upper($1) OR v.name LIKE $2
    ORDER BY v.name, c.name LIMIT 200`, [q, `${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`]);
  const full = role === 'admin';
  return result.rows.map((row) => ({
    centerId: row.center_id,
    centerName: row.center_name,
    volunteerId: row.id,
    name: full ? row.name : maskName(row.name),
    phone: row.phone ? (full ? row.phone : maskPhone(row.phone)) : null,
    idNumber: row.id_number ? (full ? row.id_number : maskIdNumber(row.id_number)) : null,
    cardNo: row.card_no,
    status: row.status,
    alsoAt: row.also_at,
  }));
}

/** Who is serving now across centers (open sign-ins), masked as on any board. */
export async function servingNow(pool: pg.Pool) {
  const result = await pool.query(`
    SELECT a.center_id, c.name AS center_name, a.id AS attendance_id, a.volunteer_id, v.name, a.check_in_at, act.title
    FROM attendance a JOIN centers c ON c.id = a.center_id
    LEFT JOIN volunteers v ON v.center_id = a.center_id AND v.id = a.volunteer_id
    LEFT JOIN activities act ON act.center_id = a.center_id AND act.id = a.activity_id
    WHERE a.check_out_at IS NULL AND NOT a.removed AND a.check_in_at > now() - interval '24 hours'
    ORDER BY a.check_in_at DESC LIMIT 500`);
  return result.rows.map((row) => ({
    centerId: row.center_id as string,
    centerName: row.center_name as string,
    attendanceId: row.attendance_id as string,
    volunteerId: row.volunteer_id as string,
    displayName: row.name ? maskName(row.name) : '',
    checkInAt: new Date(row.check_in_at).toISOString(),
    activityTitle: (row.title as string | null) ?? null,
  }));
}
