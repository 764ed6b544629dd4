// Builds the kiosk and admin apps only when their inputs changed, so `npm start` stays fast
// and a fresh clone still gets a working UI without a separate build step.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureInstall, isMain, ROOT } from './ensure-install.mjs';

export const APPS = ['kiosk', 'admin', 'board', 'me'];
const STAMP_NAME = '.build-stamp';
// Vite may write its bundled config next to vite.config.ts for a moment; it is not a source.
const VITE_TEMP = /\.timestamp-\d+-[0-9a-f]+\.mjs$/;

/** Files (absolute paths) under dir, skipping the named top-level folders and any node_modules. */
function listFiles(dir, skipTop = []) {
  const out = [];
  const walk = (current, top) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || (top && skipTop.includes(entry.name))) continue;
        walk(full, false);
      } else if (entry.isFile() && !VITE_TEMP.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(dir, true);
  return out;
}

/** Everything that can change an app's bundle: its folder, the shared wire types, the dependency tree. */
export function appSources(app, root = ROOT) {
  const files = [
    ...listFiles(path.join(root, app), ['dist']),
    // The apps import server code only through `@protocol` (wire types, schemas, the rules the
    // admin shares with the server), which imports nothing outside its folder.
    ...listFiles(path.join(root, 'server', 'src', 'protocol')),
    // tsconfig.json drives JSX and module settings of the app's transform.
    ...['package-lock.json', 'tsconfig.json'].map((f) => path.join(root, f)).filter((f) => existsSync(f)),
  ];
  // Forward slashes keep the hash identical on Windows and Linux.
  return files.map((abs) => ({ abs, rel: path.relative(root, abs).split(path.sep).join('/') }));
}

export function appHash(app, root = ROOT) {
  const files = appSources(app, root).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const hash = createHash('sha256');
  for (const { abs, rel } of files) {
    const content = readFileSync(abs);
    // Length prefixes stop a path or content from running into the next one ambiguously.
    hash.update(`${rel}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

function readStamp(stampFile) {
  try {
    return readFileSync(stampFile, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Builds each app whose sources differ from the stamp in <app>/dist (or every app with force).
 * Resolves to a list of {app, status: 'built'|'up to date'|'skipped', seconds?}; rejects when a build fails.
 */
export async function buildApps({ force = false, root = ROOT, apps = APPS } = {}) {
  const results = [];
  for (const app of apps) {
    const appDir = path.join(root, app);
    const configFile = path.join(appDir, 'vite.config.ts');
    if (!existsSync(configFile)) {
      console.log(`${app}: skipped (no ${app}/vite.config.ts yet)`);
      results.push({ app, status: 'skipped' });
      continue;
    }
    const distDir = path.join(appDir, 'dist');
    const stampFile = path.join(distDir, STAMP_NAME);
    const hash = appHash(app, root);
    // A stamp next to a missing index.html means the output was tampered with; rebuild.
    if (!force && readStamp(stampFile) === hash && existsSync(path.join(distDir, 'index.html'))) {
      console.log(`${app}: up to date`);
      results.push({ app, status: 'up to date' });
      continue;
    }

    // A build that dies halfway must not leave a stamp claiming the output is current.
    rmSync(stampFile, { force: true });
    process.stdout.write(`${app}: building… `);
    const started = Date.now();
    // Imported here because this module is loaded before `npm ci` may have provided vite.
    const { build } = await import('vite');
    try {
      // root is given because Vite otherwise takes the process's cwd, which is the repository root.
      await build({ configFile, root: appDir, logLevel: 'warn', clearScreen: false });
    } catch (err) {
      process.stdout.write('FAILED\n');
      throw new Error(`${app}: vite build failed: ${err?.message ?? err}`, { cause: err });
    }
    mkdirSync(distDir, { recursive: true });
    writeFileSync(stampFile, hash + '\n');
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(` done in ${seconds.toFixed(1)} s\n`);
    results.push({ app, status: 'built', seconds });
  }
  return results;
}

if (isMain(import.meta.url)) {
  try {
    await ensureInstall();
    await buildApps({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error(`Error: ${err.message}`);
    process.exit(1);
  }
}
