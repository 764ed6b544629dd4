import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds the named apps as `npm start` would, in a process of its own. Under vitest NODE_ENV is
 * "test", and Vite would then build a development kiosk (no service worker, so no offline shell):
 * the build gets "production", the build centers run.
 */
export function buildAppsForTest(apps: readonly ('admin' | 'kiosk' | 'board' | 'me')[]): void {
  execFileSync(process.execPath, ['--input-type=module', '-e', `await (await import('./scripts/build-apps.mjs')).buildApps({ apps: ${JSON.stringify(apps)} })`], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
