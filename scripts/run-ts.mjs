// `node scripts/run-ts.mjs file.ts [args…]`: runs a TypeScript file with tsx once dependencies are
// installed, so `npm run bench` / `npm run demo` work on a fresh clone, on Windows too.
// Also the home of the child-process helpers that start.mjs and test.mjs share.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { ensureInstall, isMain, ROOT } from './ensure-install.mjs';

/** file: URL of tsx's loader, for `node --import`; resolved here so the child's cwd does not matter. */
export function tsxLoader() {
  return import.meta.resolve('tsx');
}

/** Path of tsx's command-line entry (for `tsx watch`). */
export function tsxCli() {
  return path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
}

/**
 * Runs `node <args>` with inherited stdio and resolves {code, signal} when it ends.
 * SIGINT/SIGTERM sent to this process are passed on, so the child can shut down cleanly
 * (the server flushes its store) before this wrapper exits.
 */
export function runNode(args, { env = process.env, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env, cwd });
    const forward = (signal) => {
      // On Windows child.kill() is TerminateProcess, which would cut a clean shutdown short; the
      // child shares our console and receives Ctrl+C by itself, so only stay alive for it.
      if (process.platform !== 'win32' && child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
    };
    const signals = ['SIGINT', 'SIGTERM'];
    for (const s of signals) process.on(s, forward);
    child.on('error', (err) => {
      for (const s of signals) process.off(s, forward);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve({ code, signal });
    });
  });
}

/** Ends this process the way the child ended, so callers (npm, CI, shells) see the same status. */
export function exitLike({ code, signal }) {
  if (signal) {
    if (process.platform !== 'win32') process.kill(process.pid, signal);
    process.exit(128 + (constants.signals[signal] ?? 0));
  }
  process.exit(code ?? 1);
}

if (isMain(import.meta.url)) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: node scripts/run-ts.mjs <file.ts> [args…]');
    process.exit(2);
  }
  try {
    await ensureInstall();
  } catch (err) {
    console.error(`Error: ${err.message}`);
    process.exit(1);
  }
  // The file is named relative to where the user ran the command; the child runs at the root
  // so relative data paths (./data, bench-data/) mean the same as for the server.
  exitLike(await runNode(['--import', tsxLoader(), path.resolve(file), ...rest]));
}
