import type { AddressInfo } from 'node:net';
import { acquireDataLock, DataFolderBusyError } from './backup/data-lock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { systemClock } from './clock.ts';
import { lanAddresses } from './lan-addresses.ts';
import { startLanServices } from './lan/lan-services.ts';
import { createLogger } from './logger.ts';
import { httpsKioskUrls } from './setup/setup-routes.ts';
import { openStation } from './station.ts';
import { StoreDamagedError } from './store/journal.ts';

/** The only file that reads the environment and listens. */
async function main(): Promise<void> {
  // Whatever else the server or a library writes into the data folder (backups, snapshots,
  // journals, keys) is private to the account that runs it; the store and backups also set
  // modes explicitly (security/file-modes.ts).
  process.umask(0o077);
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const lock = await acquireDataLock(config.dataDir, config.port);
  const station = await openStation(config, {
    clock: systemClock,
    logger,
    onStoreFailure: (error) => {
      // Never acknowledge what is not on disk: stop, and let the kiosks retry against a restarted server.
      logger.error('Stopping: the data folder cannot be written', error);
      process.exit(70);
    },
  });

  station.lan.starting = true;
  await new Promise<void>((resolve, reject) => {
    station.httpServer.once('error', reject);
    station.httpServer.listen(config.port, config.host, resolve);
  });
  const port = (station.httpServer.address() as AddressInfo).port;
  const lanServices = await startLanServices(station, config, { logger, clock: systemClock });
  station.lan.starting = false;
  // Not during start-up: checking and packing a large data set takes seconds of CPU, and the
  // first minutes after a power cut are when kiosks replay their offline queues.
  const backups = station.backups.startDailySchedule({ firstCheckAfterMs: 5 * 60_000 });
  const lan = config.host === '0.0.0.0' || config.host === '::' ? lanAddresses() : [config.host];
  const kioskUrls = lan.map((address) => `http://${address}:${port}/kiosk/`);
  console.log(`\n志愿驿站 Volunteer Station is running. Data folder: ${config.dataDir}\n`);
  console.log(`  Admin on this PC:   http://localhost:${port}/admin/`);
  for (const address of lan) console.log(`  On the Wi-Fi:       http://${address}:${port}/admin/   kiosk: http://${address}:${port}/kiosk/`);
  if (station.ctx.store.state.records.staff.size === 0) console.log('\n  First start: open the admin page and create the admin account.');
  const https = station.lan.https;
  if (https) {
    console.log(`\n  Tablets with a camera use HTTPS (port ${https.port}):`);
    for (const url of httpsKioskUrls(station.lan, config.extraHostnames)) console.log(`    ${url}`);
  }
  // Imported once listening: only the console needs it.
  const { default: QRCode } = await import('qrcode');
  if (kioskUrls[0] && https?.caCertPem) {
    console.log(`\n  New tablet? Scan to open the setup guide (trust this PC once, then the camera works):\n${await QRCode.toString(`http://${lan[0]}:${port}/setup/`, { type: 'terminal', small: true })}`);
    console.log(`  Set-up tablet: scan to open the kiosk over HTTPS:\n${await QRCode.toString(`https://${lan[0]}:${https.port}/kiosk/`, { type: 'terminal', small: true })}`);
  } else if (kioskUrls[0]) {
    console.log(`\n  Scan with a tablet to open the kiosk:\n${await QRCode.toString(kioskUrls[0], { type: 'terminal', small: true })}`);
  }

  let stopping = false;
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: saving and stopping…`);
    await backups.stop();
    await lanServices.stop();
    await station.shutdown();
    await lock.release();
    process.exit(exitCode);
  };
  // 75 tells npm start, the systemd unit and the Windows runner to start the server again.
  station.ctx.notifications.on('station:restart-requested', () => void stop('Restore requested in the admin', 75));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StoreDamagedError || error instanceof DataFolderBusyError) {
    console.error(`\n${error.message}\n`);
    process.exit(78);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`\nThe port is already in use: is Volunteer Station already running? Set PORT to use another port.\n`);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
