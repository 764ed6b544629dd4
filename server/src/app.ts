import { EventEmitter } from 'node:events';
import http from 'node:http';
import type https from 'node:https';
import express from 'express';
import { Server } from 'socket.io';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { AppContext, Notifications } from './context.ts';
import type { Logger } from './logger.ts';
import type { StationStore } from './store/station-store.ts';
import { activityRoutes } from './activities/activity-routes.ts';
import { attendanceRoutes } from './attendance/attendance-routes.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { loadSession } from './auth/session.ts';
import { boardHints } from './board/board-hints.ts';
import { boardRoutes } from './board/board-routes.ts';
import { deviceRoutes } from './devices/device-routes.ts';
import { errorHandler, notFoundApi } from './http/errors.ts';
import { noticeRoutes } from './notices/notice-routes.ts';
import { staticApp } from './http/static-apps.ts';
import { pointsRoutes } from './points/points-routes.ts';
import { contentSecurityPolicy } from './security/content-security.ts';
import { lazyRouter } from './http/lazy-router.ts';
import { boardNamespace } from './realtime/board-namespace.ts';
import { adminNamespace } from './realtime/admin-namespace.ts';
import { kioskEvents, kioskNamespace } from './realtime/kiosk-namespace.ts';
import type { KioskEventRegistry } from './realtime/kiosk-event.ts';
import { PhoneDigitGuard } from './cards/phone-digit-guard.ts';
import { digitLockRoutes } from './cards/digit-lock-routes.ts';
import { goodsRoutes } from './redemption/goods-routes.ts';
import { redeemHandler } from './redemption/redeem-handler.ts';
import { certificateRoutes } from './reports/certificate-routes.ts';
import { exportRoutes } from './reports/export-routes.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { settingsRoutes } from './settings/settings-routes.ts';
import { evaluationRoutes } from './stars/evaluation-routes.ts';
import { importRoutes } from './volunteers/import-routes.ts';
import { volunteerRoutes } from './volunteers/volunteer-routes.ts';
import { registerExportRoutes } from './volunteers/register-export.ts';
import { backupRoutes } from './backup/backup-routes.ts';
import { seriesRoutes } from './recurring/series-routes.ts';
import { BackupService } from './backup/backup-service.ts';
import { kioskGate } from './lan/kiosk-gate.ts';
import { lanRoutes } from './lan/lan-routes.ts';
import { LanStatus } from './lan/lan-status.ts';
import { setupRoutes } from './setup/setup-routes.ts';
import { refuseCrossOrigin } from './security/origin-check.ts';
import { organizingRoutes } from './signups/organizing-routes.ts';
import { meLinkHandler } from './me/me-link-handler.ts';
import { meRoutes } from './me/me-routes.ts';
import { meActionRoutes } from './me/me-actions.ts';
import { loadPhoneSession, meLinkRoute, phoneAdminRoutes } from './me/phone-sessions.ts';
import { snapRoutes } from './snaps/snap-routes.ts';
import { volunteerPhotoRoutes } from './volunteer-photos/volunteer-photo-routes.ts';
import { serviceRoutes } from './service/service-routes.ts';
import { wishWallBroadcasts } from './service/wish-wall.ts';
import { HubLink } from './hub-link/hub-link.ts';
import { favicon } from './http/favicon.ts';
import { hubLinkRoutes } from './hub-link/hub-link-routes.ts';
import { assistedCheckInRoutes } from './assisted-checkin/assisted-checkin-routes.ts';
import { homeRoutes } from './home/home-routes.ts';
import { backfillRoutes } from './backfill/backfill-routes.ts';

export interface ServerParts {
  store: StationStore;
  clock: Clock;
  config: Config;
  logger: Logger;
  cardSecret: Buffer;
}

export interface StationServer {
  ctx: AppContext;
  app: express.Express;
  /** Not listening yet: the entry point (or a test) decides where. */
  httpServer: http.Server;
  io: Server;
  /** Serves the same app and sockets on another server (the HTTPS one). */
  attach(server: http.Server | https.Server): void;
  /** How tablets reach this server (ports, local CA); filled in by startLanServices once it listens. */
  lan: LanStatus;
  backups: BackupService;
  /** The district hub link (docs/district.md); started by openStation, idle when no hub is configured. */
  hubLink: HubLink;
  /** The handler of every `/kiosk` event, looked up at each event (tests wrap them to inject failures). */
  kioskEvents: KioskEventRegistry;
  close(): Promise<void>;
}

/** The composition root: builds everything from injected parts. No globals, so tests build as many as they like. */
export function createServer(parts: ServerParts): StationServer {
  const ctx: AppContext = { ...parts, notifications: new EventEmitter<Notifications>(), live: { boardVersion: 0 } };
  ctx.notifications.setMaxListeners(50);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(refuseCrossOrigin());

  const api = express.Router();
  api.get('/health', (_req, res) => {
    // Not "ok" until every listener is up: a service manager or a test waiting for health then finds HTTPS too.
    if (lan.starting) {
      res.status(503).json({ status: 'starting', time: ctx.clock.now().toISOString() });
      return;
    }
    res.json({ status: 'ok', time: ctx.clock.now().toISOString(), centerName: ctx.store.state.settings.centerName });
  });
  api.use(loadSession(ctx));
  // The register upload carries its own Content-Type (XLSX or CSV), so it is read before the JSON parser.
  api.use(importRoutes(ctx));
  api.use(express.json({ limit: '256kb' }));
  const onlineDevices = new Map<string, number>();
  const isOnline = (id: string) => (onlineDevices.get(id) ?? 0) > 0;
  for (const routes of [authRoutes(ctx), deviceRoutes(ctx, isOnline), volunteerRoutes(ctx), pointsRoutes(ctx), activityRoutes(ctx), attendanceRoutes(ctx), goodsRoutes(ctx), settingsRoutes(ctx), exportRoutes(ctx), registerExportRoutes(ctx), reportRoutes(ctx), certificateRoutes(ctx), boardRoutes(ctx), noticeRoutes(ctx), evaluationRoutes(ctx)]) {
    api.use(routes);
  }
  const lan = new LanStatus(ctx.config);
  const backups = new BackupService({ store: ctx.store, dataDir: ctx.config.dataDir, copyDir: () => (ctx.store.state.settings.backupCopyDir === undefined ? ctx.config.backupCopyDir : ctx.store.state.settings.backupCopyDir), clock: ctx.clock, logger: ctx.logger, timeZone: () => ctx.store.state.settings.timeZone });
  api.use(lanRoutes(ctx, lan), backupRoutes(ctx, backups));
  api.use(organizingRoutes(ctx));
  // The volunteer's phone (issue 14): its own session cookie, read only by these routes.
  api.use(loadPhoneSession(ctx), meRoutes(ctx), meActionRoutes(ctx), snapRoutes(ctx), phoneAdminRoutes(ctx));
  api.use(serviceRoutes(ctx));
  const hubLink = new HubLink(ctx);
  api.use(hubLinkRoutes(ctx, hubLink));
  // Wrong phone digits at the kiosks (issue 11): counted per card number and per tablet, lock-outs listed for staff.
  const digitGuard = new PhoneDigitGuard(() => ctx.clock.now().getTime());
  api.use(digitLockRoutes(ctx, digitGuard));
  // What a newcomer expected (issue 12): staff-assisted check-in, the home page, bulk 补录.
  api.use(assistedCheckInRoutes(ctx), homeRoutes(ctx), backfillRoutes(ctx));
  // Volunteers' photos (issue 12): staff on the record, the kiosk for the volunteer just scanned.
  api.use(volunteerPhotoRoutes(ctx));
  // Recurring activities (issue 12): a series of activities made and changed in one commit.
  api.use(seriesRoutes(ctx));
  api.use(notFoundApi);
  app.use('/api', api);
  app.use('/setup', setupRoutes(lan, ctx.config.extraHostnames, () => ctx.store.state.settings.defaultLanguage));
  app.use('/kiosk', kioskGate(lan), staticApp('kiosk'));
  // The printed pages (preact, charts, QR codes) load on their first request, not at every start.
  app.use(lazyRouter(['/print', '/verify'], async () => (await import('./print/print-routes.tsx')).printRoutes(ctx, lan)));
  app.use('/admin', contentSecurityPolicy(), staticApp('admin'));
  app.use('/board', staticApp('board'));
  app.use(meLinkRoute(ctx));
  app.use('/me', staticApp('me'));
  app.get('/', (_req, res) => res.redirect('/admin/'));
  app.get('/favicon.ico', favicon);
  app.use(errorHandler(ctx.logger));

  const httpServer = http.createServer(app);
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 8_000 });
  const events = kioskEvents(ctx, redeemHandler(ctx), meLinkHandler(ctx, lan));
  const { kiosk } = kioskNamespace(io, ctx, events, digitGuard);
  // A device is online while one of its sockets is connected: kiosks and paired hall TVs alike
  // (a TV's last-seen stays at pairing time while it updates live, so only presence tells).
  const trackPresence = (id: string | undefined, socket: { on(event: 'disconnect', listener: () => void): unknown }) => {
    if (!id) return;
    onlineDevices.set(id, (onlineDevices.get(id) ?? 0) + 1);
    ctx.notifications.emit('devices:changed');
    socket.on('disconnect', () => {
      onlineDevices.set(id, (onlineDevices.get(id) ?? 1) - 1);
      ctx.notifications.emit('devices:changed');
    });
  };
  kiosk.on('connection', (socket) => trackPresence(socket.data.deviceId, socket));
  boardNamespace(io, ctx).on('connection', (socket) => trackPresence(socket.data.deviceId, socket));
  boardHints(io, ctx);
  wishWallBroadcasts(io, ctx);
  // The admin's live feed of devices, lock-outs and stock (issue 11), instead of polling.
  adminNamespace(io, ctx);

  return {
    ctx,
    lan,
    backups,
    hubLink,
    kioskEvents: events,
    app,
    httpServer,
    io,
    attach(server) {
      server.on('request', app);
      // One engine for both servers, so kiosks on HTTP and HTTPS share rooms and broadcasts.
      io.engine.attach(server, { path: '/socket.io/' });
    },
    async close() {
      await hubLink.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
