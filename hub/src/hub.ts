import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import express, { type Request } from 'express';
import type pg from 'pg';
import { Server } from 'socket.io';
import { z } from 'zod';
import { maskName } from '../../server/src/domain/masking.ts';
import { errorHandler, notFoundApi } from '../../server/src/http/errors.ts';
import { parseInput } from '../../server/src/http/validate.ts';
import type { Logger } from '../../server/src/logger.ts';
import { linkBaseSchema, linkBatchSchema, linkHelloSchema } from '../../server/src/protocol/district.ts';
import { AppError } from '../../server/src/protocol/errors.ts';
import { hashJoinKey, loginHandler, logoutHandler, newJoinKey, requireRole, roleOf, type HubPasswords } from './auth.ts';
import { applyBase, applyBatch, hello, type LinkResult } from './link.ts';
import { recordCenterRules } from './district-reports.ts';
import { boardPageRoutes } from './board-page.ts';
import { districtExportRoutes } from './district-exports.ts';
import { districtReportRoutes } from './report-routes.ts';
import { districtPeople, transferLinkRoutes, transferRoutes } from './transfers.ts';
import { districtSummary, searchRegister, servingNow } from './reports.ts';

export interface HubOptions {
  pool: pg.Pool;
  passwords: HubPasswords;
  logger: Logger;
  /** Month boundaries of district reports (default Asia/Shanghai). */
  timeZone?: string;
}

export interface Hub {
  app: express.Express;
  httpServer: http.Server;
  io: Server;
  close(): Promise<void>;
}

export const BOARD_NAMESPACE = '/district-board';
/** Board events per batch at most: a week of catch-up must not flood the hall's screen. */
const MAX_BOARD_EVENTS = 100;
const BOARD_RECENT_MS = 12 * 3600_000;

const centerCreateSchema = z.object({ name: z.string().trim().min(1).max(100), street: z.string().trim().max(100).optional() });
const registerSchema = z.object({ q: z.string().trim().min(1).max(100) });
const centerIdSchema = z.uuid();

/**
 * The district hub: stateless (everything is in PostgreSQL), so several processes can serve
 * one address; live board events cross processes through the Socket.IO PostgreSQL adapter.
 */
export function createHub(options: HubOptions): Hub {
  const { pool, passwords, logger } = options;
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const httpServer = http.createServer(app);
  const io = new Server(httpServer, { adapter: createAdapter(pool, { errorHandler: (error) => logger.warn(`Socket.IO adapter: ${error.message}`) }), serveClient: false });
  const admin = requireRole(pool, passwords, 'admin');
  const viewer = requireRole(pool, passwords, 'viewer');
  const audit = (role: string, action: string, target?: string) => pool.query('INSERT INTO hub_audit (role, action, target) VALUES ($1, $2, $3)', [role, action, target ?? null]);

  const api = express.Router();
  api.get('/health', async (_req, res) => {
    await pool.query('SELECT 1');
    res.json({ status: 'ok', service: 'district-hub' });
  });

  // The station link: the join key is the credential, and a batch can be large.
  const link = express.Router();
  link.use(express.json({ limit: '16mb' }));
  link.use(async (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!key) throw new AppError('JOIN_KEY_INVALID', 'This station has no join key for the hub', 401);
    // A batch checks its key under the center's row lock (one round trip fewer on the busiest path).
    if (req.method === 'POST' && req.path === '/batch') {
      linkOf(req).keyHash = hashJoinKey(key);
      return next();
    }
    const result = await pool.query<{ id: string; key_revoked_at: Date | null }>('SELECT id, key_revoked_at FROM centers WHERE join_key_hash = $1', [hashJoinKey(key)]);
    const center = result.rows[0];
    if (!center) throw new AppError('JOIN_KEY_INVALID', 'The hub does not know this join key', 401);
    if (center.key_revoked_at) throw new AppError('JOIN_KEY_REVOKED', 'The district revoked this join key; ask for a new one', 403);
    linkOf(req).centerId = center.id;
    next();
  });
  link.post('/hello', async (req, res) => {
    const input = parseInput(linkHelloSchema, req.body);
    await recordCenterRules(pool, linkOf(req).centerId, input.rules);
    res.json(await hello(pool, linkOf(req).centerId, input.stationSeq, input.epoch));
  });
  link.post('/batch', async (req, res) => {
    const result = await applyBatch(pool, { keyHash: linkOf(req).keyHash }, parseInput(linkBatchSchema, req.body));
    res.json({ centerId: result.centerId, lastSeq: result.lastSeq, epoch: result.epoch });
    void announce(result).catch((error: unknown) => logger.warn(`Board events not sent: ${(error as Error).message}`));
  });
  link.post('/base', async (req, res) => {
    const result = await applyBase(pool, linkOf(req).centerId, parseInput(linkBaseSchema, req.body));
    res.json({ centerId: result.centerId, lastSeq: result.lastSeq, epoch: result.epoch });
    io.of(BOARD_NAMESPACE).emit('district:changed', { centerId: result.centerId, lastSeq: result.lastSeq });
  });
  link.use(transferLinkRoutes(pool, (req) => linkOf(req).centerId));
  api.use('/link', link);

  api.use(express.json({ limit: '64kb' }));
  api.post('/district/login', loginHandler(pool, passwords));
  api.post('/district/logout', logoutHandler(pool));
  api.get('/district/me', viewer, (req, res) => {
    res.json({ role: req.hubRole });
  });
  api.post('/district/centers', admin, async (req, res) => {
    const { name, street } = parseInput(centerCreateSchema, req.body);
    const centerId = randomUUID();
    const joinKey = newJoinKey();
    await pool.query('INSERT INTO centers (id, name, join_key_hash, street) VALUES ($1, $2, $3, $4)', [centerId, name, hashJoinKey(joinKey), street || null]);
    await audit('admin', 'center.create', centerId);
    res.status(201).json({ centerId, name, street: street || null, joinKey });
  });
  api.get('/district/centers', viewer, async (_req, res) => {
    const result = await pool.query('SELECT id, name, street, created_at, last_seen_at, last_seq, key_revoked_at IS NOT NULL AS revoked FROM centers ORDER BY created_at, id');
    res.json({
      centers: result.rows.map((row) => ({ centerId: row.id, name: row.name, street: row.street, createdAt: row.created_at.toISOString(), lastSeenAt: row.last_seen_at?.toISOString() ?? null, lastSeq: Number(row.last_seq), keyRevoked: row.revoked })),
    });
  });
  api.post('/district/centers/:id/join-key', admin, async (req, res) => {
    const centerId = parseCenterId(req.params.id);
    const joinKey = newJoinKey();
    const result = await pool.query('UPDATE centers SET join_key_hash = $2, key_revoked_at = NULL WHERE id = $1', [centerId, hashJoinKey(joinKey)]);
    if (result.rowCount === 0) throw new AppError('NOT_FOUND', 'No such center', 404);
    await audit('admin', 'center.join-key', centerId);
    res.status(201).json({ centerId, joinKey });
  });
  api.post('/district/centers/:id/revoke', admin, async (req, res) => {
    const centerId = parseCenterId(req.params.id);
    const result = await pool.query('UPDATE centers SET key_revoked_at = coalesce(key_revoked_at, now()) WHERE id = $1', [centerId]);
    if (result.rowCount === 0) throw new AppError('NOT_FOUND', 'No such center', 404);
    await audit('admin', 'center.revoke', centerId);
    res.json({ centerId, keyRevoked: true });
  });
  api.get('/district/summary', viewer, async (_req, res) => {
    const summary = await districtSummary(pool);
    // A person registered at two centers through a transfer is one person in the district's count.
    res.json({ ...summary, totals: { ...summary.totals, people: await districtPeople(pool, summary.totals.volunteers) } });
  });
  api.use(districtReportRoutes({ pool, admin, viewer, timeZone, audit }));
  api.use(districtExportRoutes({ pool, admin, viewer, timeZone }));
  const boardPage = boardPageRoutes(pool, viewer, timeZone);
  api.use(boardPage.api);
  api.get('/district/register', viewer, async (req, res) => {
    const { q } = parseInput(registerSchema, req.query);
    const role = req.hubRole!;
    // Full personal data is an export of personal data: audited (the query itself is not kept).
    if (role === 'admin') await audit(role, 'register.search');
    res.json({ results: await searchRegister(pool, q, role) });
  });
  api.get('/district/board', viewer, async (_req, res) => {
    res.json({ serving: await servingNow(pool) });
  });
  api.use(transferRoutes({ pool, admin, viewer }));
  api.use(notFoundApi);
  app.use('/api', api);
  app.use(boardPage.page);
  app.use(errorHandler(logger));

  const board = io.of(BOARD_NAMESPACE);
  board.use((socket, next) => {
    const headers = socket.handshake.headers;
    roleOf(pool, passwords, headers.authorization, headers.cookie)
      .then((role) => (role ? next() : next(new Error('UNAUTHENTICATED'))))
      .catch(() => next(new Error('UNAUTHENTICATED')));
  });

  /** Tells every board, on every hub process, about the sign-ins and sign-outs a batch brought. */
  async function announce(result: LinkResult): Promise<void> {
    board.emit('district:changed', { centerId: result.centerId, lastSeq: result.lastSeq });
    const recent = result.attendance.filter((a) => Date.now() - Date.parse(a.checkOutAt ?? a.checkInAt) < BOARD_RECENT_MS).slice(-MAX_BOARD_EVENTS);
    // Names came back with the rows (link.ts): nothing more to read.
    for (const attendance of recent) {
      board.emit('district:attendance', {
        centerId: result.centerId,
        centerName: result.centerName,
        attendanceId: attendance.id,
        volunteerId: attendance.volunteerId,
        displayName: maskName(attendance.name),
        action: attendance.checkOutAt ? 'check-out' : 'check-in',
        at: attendance.checkOutAt ?? attendance.checkInAt,
      });
    }
  }

  return {
    app,
    httpServer,
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function parseCenterId(value: unknown): string {
  const result = centerIdSchema.safeParse(value);
  if (!result.success) throw new AppError('NOT_FOUND', 'No such center', 404);
  return result.data;
}

/** The center a link request authenticated as (set by the join-key middleware). */
function linkOf(req: Request): { centerId: string; keyHash: string } {
  return ((req as Request & { link?: { centerId: string; keyHash: string } }).link ??= { centerId: '', keyHash: '' });
}
