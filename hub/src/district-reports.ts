import type pg from 'pg';
import { minutesToHours } from '../../server/src/domain/hours.ts';
import { starsEarned } from '../../server/src/domain/stars.ts';
import { centerRulesSchema, type CenterRules } from '../../server/src/protocol/district.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';

/**
 * District reports over every center's records: figures by center or street and month, the
 * top teams of a period, and how many volunteers hold each star. Months of the period reports
 * are in the district's time zone; a center's stars follow that center's own rules (its
 * thresholds, period and time zone, as its station last told the hub), computed with the
 * station's own star function, so a center's star counts here are its station's.
 */

/** Services of the period, one row per attendance or service record, in the district's months. */
const servicesOfPeriod = `
  SELECT center_id, to_char(check_in_at AT TIME ZONE $3, 'YYYY-MM') AS month, volunteer_id, minutes, 'attendance' AS kind FROM attendance
    WHERE NOT removed AND check_in_at >= ($1 || '-01')::timestamp AT TIME ZONE $3 AND check_in_at < (($2 || '-01')::timestamp + interval '1 month') AT TIME ZONE $3
  UNION ALL
  SELECT center_id, to_char(started_at AT TIME ZONE $3, 'YYYY-MM'), volunteer_id, minutes, coalesce(kind, 'request') FROM service_records
    WHERE NOT removed AND started_at >= ($1 || '-01')::timestamp AT TIME ZONE $3 AND started_at < (($2 || '-01')::timestamp + interval '1 month') AT TIME ZONE $3`;

/** What each group of a period report counts. */
const periodFigures = `count(*) FILTER (WHERE s.kind = 'attendance') AS attendance, count(*) FILTER (WHERE s.kind <> 'attendance') AS services,
  count(*) FILTER (WHERE s.kind = 'request') AS requests, count(*) FILTER (WHERE s.kind = 'visit') AS visits, sum(s.minutes) AS minutes`;

interface PeriodFigures {
  month: string;
  /** Attendance records (sign-ins) that count. */
  attendance: number;
  /** Service records: completed requests and pairing visits. */
  services: number;
  requests: number;
  visits: number;
  /** Distinct volunteers who served. */
  people: number;
  hours: number;
}

function figuresOf(row: Record<string, unknown>): PeriodFigures {
  return {
    month: row.month as string,
    attendance: Number(row.attendance),
    services: Number(row.services),
    requests: Number(row.requests),
    visits: Number(row.visits),
    people: Number(row.people),
    hours: minutesToHours(Number(row.minutes)),
  };
}

export type CenterMonth = PeriodFigures & { centerId: string; name: string; street: string | null };
export type StreetMonth = PeriodFigures & { street: string | null; centers: number };

/** Hours, people, services and requests by center and month. */
export async function monthlyByCenter(pool: pg.Pool, from: string, to: string, timeZone: string): Promise<CenterMonth[]> {
  const result = await pool.query(`
    WITH s AS (${servicesOfPeriod})
    SELECT s.center_id, c.name, c.street, s.month, ${periodFigures}, count(DISTINCT s.volunteer_id) AS people
    FROM s JOIN centers c ON c.id = s.center_id
    GROUP BY s.center_id, c.name, c.street, s.month ORDER BY s.month, c.name`, [from, to, timeZone]);
  return result.rows.map((row) => ({ centerId: row.center_id, name: row.name, street: row.street, ...figuresOf(row) }));
}

/** The same by street (the centers of a street together; a center without a street under null). */
export async function monthlyByStreet(pool: pg.Pool, from: string, to: string, timeZone: string): Promise<StreetMonth[]> {
  const result = await pool.query(`
    WITH s AS (${servicesOfPeriod})
    SELECT c.street, s.month, ${periodFigures}, count(DISTINCT s.center_id::text || s.volunteer_id) AS people, count(DISTINCT s.center_id) AS centers
    FROM s JOIN centers c ON c.id = s.center_id
    GROUP BY c.street, s.month ORDER BY s.month, c.street NULLS LAST`, [from, to, timeZone]);
  return result.rows.map((row) => ({ street: row.street, centers: Number(row.centers), ...figuresOf(row) }));
}

export interface TeamRank {
  rank: number;
  centerId: string;
  centerName: string;
  teamId: string;
  teamName: string;
  hours: number;
  /** Attendance and service records of its members in the period. */
  services: number;
  people: number;
}

/**
 * The teams with the most hours in the period, across centers (a team belongs to its center).
 * As at a station: a volunteer in several teams counts in each, by the teams they are in now.
 */
export async function topTeams(pool: pg.Pool, from: string, to: string, timeZone: string, limit: number): Promise<TeamRank[]> {
  const result = await pool.query(`
    WITH s AS (${servicesOfPeriod}),
    ranked AS (
      SELECT s.center_id, team_id, sum(s.minutes) AS minutes, count(*) AS services, count(DISTINCT s.volunteer_id) AS people
      FROM s JOIN volunteers v ON v.center_id = s.center_id AND v.id = s.volunteer_id CROSS JOIN unnest(v.team_ids) AS team_id
      GROUP BY s.center_id, team_id
      ORDER BY minutes DESC, services DESC, s.center_id, team_id LIMIT $4)
    SELECT r.*, c.name AS center_name, t.name AS team_name
    FROM ranked r JOIN centers c ON c.id = r.center_id LEFT JOIN teams t ON t.center_id = r.center_id AND t.id = r.team_id
    ORDER BY r.minutes DESC, r.services DESC, c.name, t.name`, [from, to, timeZone, limit]);
  return result.rows.map((row, index) => ({
    rank: index + 1,
    centerId: row.center_id,
    centerName: row.center_name,
    teamId: row.team_id,
    // A team that no longer exists keeps its id as its name, as at the station.
    teamName: row.team_name ?? row.team_id,
    hours: minutesToHours(Number(row.minutes)),
    services: Number(row.services),
    people: Number(row.people),
  }));
}

export interface StarLevelCount {
  level: number;
  volunteers: number;
}

export interface CenterStars {
  centerId: string;
  name: string;
  street: string | null;
  /** The rules counted by: the center's own, or the national defaults while its station has not said. */
  rules: CenterRules;
  rulesFromStation: boolean;
  /**
   * True when the center's star also asks for a staff evaluation score: evaluations stay at the
   * station, so the hub counts that center's stars without that condition.
   */
  evaluationNotApplied: boolean;
  levels: StarLevelCount[];
}

const emptyLevels = (): StarLevelCount[] => [0, 1, 2, 3, 4, 5].map((level) => ({ level, volunteers: 0 }));

/**
 * How many volunteers hold each star at the end of `year`, per center and for the district,
 * as the station's year summary counts them: every volunteer registered by then, with the
 * creditable minutes (attendance and service records) up to the year's end, or within the year
 * for a calendar-year star, years in the center's zone; the balance at the year's end when the
 * star asks for points.
 */
export async function starCounts(pool: pg.Pool, year: number): Promise<{ year: number; centers: CenterStars[]; totals: StarLevelCount[] }> {
  const centerRows = await pool.query<{ id: string; name: string; street: string | null; rules: unknown }>('SELECT id, name, street, rules FROM centers ORDER BY created_at, id');
  const centers = new Map<string, CenterStars>();
  for (const row of centerRows.rows) {
    const parsed = centerRulesSchema.safeParse(row.rules);
    const rules = parsed.success ? parsed.data : { timeZone: defaultSettings.timeZone, stars: defaultSettings.stars };
    centers.set(row.id, { centerId: row.id, name: row.name, street: row.street, rules, rulesFromStation: parsed.success, evaluationNotApplied: rules.stars.minEvaluation != null, levels: emptyLevels() });
  }
  if (centers.size === 0) return { year, centers: [], totals: emptyLevels() };
  const bounds = [...centers.values()].map((c) => ({ id: c.centerId, zone: c.rules.timeZone, yearly: c.rules.stars.period === 'calendarYear', points: c.rules.stars.minPoints != null }));
  // One row per registered volunteer: the minutes the star counts and, where needed, the balance.
  const result = await pool.query<{ center_id: string; minutes: string; points: string | null }>(`
    WITH b AS (
      SELECT x.id AS center_id, x.yearly, x.points,
             (($1::int || '-01-01')::timestamp AT TIME ZONE x.zone) AS year_start,
             ((($1::int + 1) || '-01-01')::timestamp AT TIME ZONE x.zone) AS year_end
      FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, zone text, yearly boolean, points boolean)),
    served AS (
      SELECT a.center_id, a.volunteer_id, sum(a.minutes) AS minutes FROM attendance a JOIN b ON b.center_id = a.center_id
        WHERE NOT a.removed AND a.minutes > 0 AND a.check_in_at < b.year_end AND (NOT b.yearly OR a.check_in_at >= b.year_start)
        GROUP BY a.center_id, a.volunteer_id
      UNION ALL
      SELECT s.center_id, s.volunteer_id, sum(s.minutes) FROM service_records s JOIN b ON b.center_id = s.center_id
        WHERE NOT s.removed AND s.minutes > 0 AND s.started_at < b.year_end AND (NOT b.yearly OR s.started_at >= b.year_start)
        GROUP BY s.center_id, s.volunteer_id),
    served_total AS (SELECT center_id, volunteer_id, sum(minutes) AS minutes FROM served GROUP BY center_id, volunteer_id),
    balance AS (
      SELECT l.center_id, l.volunteer_id, sum(l.delta) AS points FROM ledger l JOIN b ON b.center_id = l.center_id
        WHERE b.points AND l.at < b.year_end GROUP BY l.center_id, l.volunteer_id)
    SELECT v.center_id, coalesce(m.minutes, 0) AS minutes, p.points
    FROM volunteers v LEFT JOIN served_total m ON m.center_id = v.center_id AND m.volunteer_id = v.id
    LEFT JOIN balance p ON p.center_id = v.center_id AND p.volunteer_id = v.id
    WHERE v.joined_on IS NULL OR v.joined_on <= $1::int || '-12-31'`, [year, JSON.stringify(bounds)]);
  const totals = emptyLevels();
  for (const row of result.rows) {
    const center = centers.get(row.center_id);
    if (!center) continue;
    const stars = starsEarned({ periodHours: minutesToHours(Number(row.minutes)), points: Number(row.points ?? 0) }, { ...center.rules.stars, minEvaluation: null });
    center.levels[stars]!.volunteers++;
    totals[stars]!.volunteers++;
  }
  return { year, centers: [...centers.values()], totals };
}

/** Stores the rules a station sent with its hello (the newest wins). */
export async function recordCenterRules(pool: pg.Pool, centerId: string, rules: CenterRules | undefined): Promise<void> {
  if (!rules) return;
  await pool.query('UPDATE centers SET rules = $2 WHERE id = $1 AND rules IS DISTINCT FROM $2::jsonb', [centerId, JSON.stringify(rules)]);
}
