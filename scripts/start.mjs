// `npm start` (and `npm run dev`): the only command a center needs on a machine with just Node.
// Installs dependencies when needed, rebuilds the apps when their sources changed, runs the server.
// The server runs from one bundled JavaScript build (scripts/build-server.mjs, rebuilt when its
// sources changed), so no TypeScript is compiled at run time; if that build fails it runs from
// the sources through tsx instead. `--dev` restarts the server on changes to its sources (tsx
// watch); the apps are still built once.
import { ensureInstall, isMain } from './ensure-install.mjs';
import { exitLike, runNode, tsxCli, tsxLoader } from './run-ts.mjs';

const SERVER_ENTRY = 'server/src/index.ts';
const RESTART_EXIT_CODE = 75;
const SERVER_THREAD_POOL_SIZE = 8;

/** `node` arguments that run the server: its bundle, or its sources through tsx when it cannot be built. */
async function serverCommand() {
  try {
    const { buildServer } = await import('./build-server.mjs');
    return [await buildServer()];
  } catch (err) {
    console.error(`${err.message}\nStarting from the TypeScript sources instead (slower to start).`);
    return ['--import', tsxLoader(), SERVER_ENTRY];
  }
}

export async function start(argv = process.argv.slice(2)) {
  const dev = argv.includes('--dev');
  const serverArgs = argv.filter((a) => a !== '--dev');

  await ensureInstall();
  // After the install: build-apps imports vite, which may not have existed a moment ago.
  const { buildApps } = await import('./build-apps.mjs');
  await buildApps();

  const args = dev ? [tsxCli(), 'watch', '--clear-screen=false', SERVER_ENTRY, ...serverArgs] : [...(await serverCommand()), ...serverArgs];
  // libuv's thread pool (4 threads by default) does both the journal's fdatasync before every scan
  // ack and password hashing. It is sized when first used, so here, before the server starts:
  // setting it from inside the server is too late (the module loader has already used the pool).
  const env = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(SERVER_THREAD_POOL_SIZE) };
  for (;;) {
    const result = await runNode(args, { env });
    // 75: the server stopped to restart itself (a restore chosen in the admin runs at the next start).
    if (result.code !== RESTART_EXIT_CODE) return result;
    console.log('Restarting the server…');
  }
}

if (isMain(import.meta.url)) {
  let result;
  try {
    result = await start();
  } catch (err) {
    console.error(`Error: ${err.message}`);
    process.exit(1);
  }
  exitLike(result);
}
