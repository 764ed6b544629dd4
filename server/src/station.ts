import { promises as fs } from 'node:fs';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { createServer, type StationServer } from './app.ts';
import { runAutoClose } from './attendance/auto-close.ts';
import { createStaffUser } from './auth/auth-routes.ts';
import { loadOrCreateCardSecret } from './card-signing-key.ts';
import { applyRequestedRestore } from './backup/requested-restore.ts';
import { DurableStore } from './store/durable-store.ts';
import { startYearArchiving } from './store/archive/archive-schedule.ts';
import { makePrivateFolder } from './security/file-modes.ts';

const AUTO_CLOSE_INTERVAL_MS = 60_000;

export interface Station extends StationServer {
  /** Stops timers, closes sockets and servers, and writes a final snapshot. */
  shutdown(): Promise<void>;
}

/**
 * Opens the data folder and builds the server: store (snapshot + journal replay), card secret,
 * the first admin from ADMIN_PASSWORD, and the auto-close timer. Used by the entry point and by
 * tests, which pass a temp DATA_DIR and their own clock.
 */
export async function openStation(config: Config, options: { clock: Clock; logger: Logger; onStoreFailure: (error: Error) => void }): Promise<Station> {
  await makePrivateFolder(config.dataDir);
  await applyRequestedRestore(config.dataDir, options.logger, () => options.clock.now());
  const store = await DurableStore.open({
    dir: config.dataDir,
    now: () => options.clock.now(),
    warn: (message) => options.logger.warn(message),
    onFailure: options.onStoreFailure,
    // A hub set in the environment: keep every journal file until it says what it has.
    retainJournalFrom: config.hubUrl ? 1 : undefined,
  });
  const cardSecret = await loadOrCreateCardSecret(config.dataDir);
  const server = createServer({ store, clock: options.clock, config, logger: options.logger, cardSecret });

  if (config.adminPassword && store.state.records.staff.size === 0) {
    await createStaffUser(server.ctx, { username: 'admin', password: config.adminPassword, role: 'admin', displayName: '管理员' }, 'ADMIN_PASSWORD');
    options.logger.info('Created the staff account "admin" from ADMIN_PASSWORD.');
  }

  const closed = await runAutoClose(server.ctx);
  if (closed > 0) options.logger.info(`Closed ${closed} sign-in(s) left open while the server was off; they are flagged for review.`);
  const timer = setInterval(() => {
    runAutoClose(server.ctx).catch((error: unknown) => options.logger.error('Auto-close failed', error));
  }, AUTO_CLOSE_INTERVAL_MS);
  timer.unref();
  const archiving = config.archiveClosedYears ? await startYearArchiving(store, options.logger) : undefined;
  server.hubLink.start();

  return {
    ...server,
    async shutdown() {
      clearInterval(timer);
      await archiving?.stop();
      await server.close();
      await store.close();
    },
  };
}
