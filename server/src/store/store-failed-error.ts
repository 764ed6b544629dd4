/**
 * A commit that did not reach the disk (the journal could not be written, or the store is
 * closed). The server is stopping: callers must not acknowledge anything, so a kiosk retries
 * with the same id once the server is back. Checked with `instanceof`, never with a flag.
 */
export class StoreFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreFailedError';
  }
}
