import type { Logger } from '../../logger.ts';
import type { DurableStore } from '../durable-store.ts';

/** How often a running server looks for a year that has closed (1 February, store/archive/closed-years.ts). */
const CHECK_EVERY_MS = 3600_000;

/**
 * Archives closed years at start (awaited, before the server listens: on the first start after
 * an upgrade this moves every closed year at once) and then checks hourly. A failure is logged
 * and retried at the next check: the live state is untouched until a year's file is on disk.
 */
export async function startYearArchiving(store: DurableStore, logger: Logger): Promise<{ stop(): Promise<void> }> {
  let running: Promise<void> | null = null;
  const run = () => {
    // Receipts past their retention leave memory between snapshots too.
    store.pruneExpired();
    running ??= store
      .archiveClosedYears()
      .then((years) => {
        if (years.length > 0) logger.info(`Archived the closed year(s) ${years.join(', ')} to ${years.map((y) => `archive/${y}.jsonl.gz`).join(', ')}.`);
      })
      .catch((error: unknown) => logger.error('Archiving closed years failed; the records stay live and it is tried again in an hour', error))
      .finally(() => {
        running = null;
      });
    return running;
  };
  await run();
  const timer = setInterval(() => void run(), CHECK_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
