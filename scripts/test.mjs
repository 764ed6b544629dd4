// `npm test [-- vitest args]`: install, build the apps (the end-to-end tests load them from dist),
// type check, then vitest. Missing system tools skip their tests locally but fail under CI=true,
// where every test must run.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureInstall, isMain, ROOT } from './ensure-install.mjs';
import { exitLike, runNode } from './run-ts.mjs';

const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  // So a developer on a Windows or macOS laptop gets the browser tests too.
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const TOOLS = [
  { name: 'zbarimg', pkg: 'zbar-tools' },
  { name: 'pdftoppm', pkg: 'poppler-utils' },
  { name: 'ffmpeg', pkg: 'ffmpeg' },
];

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of an executable found on PATH (honouring PATHEXT on Windows), or null. */
export function which(name) {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isFile(candidate)) return candidate;
    }
  }
  return null;
}

/** The Chromium to drive in browser tests: $CHROMIUM_PATH when set, else a usual install location. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return isFile(fromEnv) ? fromEnv : null;
  return CHROMIUM_CANDIDATES.find(isFile) ?? which('chromium') ?? which('chromium-browser') ?? null;
}

/** The bin folder of the newest installed PostgreSQL server (Debian layout), or null; the hub tests start their own cluster with it. */
export function findPostgresBin() {
  if (process.env.PG_BIN && isFile(path.join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  let versions = [];
  try {
    versions = readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name)).sort((a, b) => Number(b) - Number(a));
  } catch {
    return null;
  }
  const found = versions.map((version) => path.join(root, version, 'bin')).find((bin) => isFile(path.join(bin, 'initdb')) && isFile(path.join(bin, 'pg_ctl')));
  return found ?? null;
}

/** One line per missing tool, and the Chromium path ('' when none). */
export function detectTools() {
  const missing = [];
  const chromium = findChromium();
  if (!chromium) {
    const where = process.env.CHROMIUM_PATH ? ` at CHROMIUM_PATH=${process.env.CHROMIUM_PATH}` : '';
    missing.push(
      `Chromium not found${where}: browser end-to-end tests will be SKIPPED (install the Debian package chromium)`,
    );
  }
  if (!findPostgresBin()) {
    missing.push('PostgreSQL not found (no /usr/lib/postgresql/<version>/bin/initdb): district hub tests will be SKIPPED (install the Debian package postgresql)');
  }
  for (const tool of TOOLS) {
    if (!which(tool.name)) {
      missing.push(`${tool.name} not found: tests that need it will be SKIPPED (install the Debian package ${tool.pkg})`);
    }
  }
  return { chromium: chromium ?? '', missing };
}

export async function test(vitestArgs = process.argv.slice(2)) {
  const ci = /^(true|1)$/i.test(process.env.CI ?? '');

  await ensureInstall();
  const { buildApps } = await import('./build-apps.mjs');
  await buildApps();

  console.log('Type checking (tsc)…');
  const tsc = await runNode([path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);
  if (tsc.code !== 0) {
    console.error('Type check failed; fix the errors above (tests were not run).');
    return tsc;
  }

  const { chromium, missing } = detectTools();
  for (const line of missing) (ci ? console.error : console.log)(ci ? `Error: ${line}` : line);
  if (ci && missing.length > 0) {
    console.error('CI=true: every test must run, so missing tools are an error (.ci/run installs them).');
    return { code: 1, signal: null };
  }

  // A JSON report beside the usual output, so the run ends with one plain "N passed, N failed" line.
  const summaryFile = path.join(os.tmpdir(), `vs-test-summary-${process.pid}.json`);
  const ownReporter = vitestArgs.some((arg) => arg.startsWith('--reporter'));
  const reporters = ownReporter ? [] : ['--reporter=default', '--reporter=json', `--outputFile.json=${summaryFile}`];
  const result = await runNode([path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...reporters, ...vitestArgs], {
    env: { ...process.env, CHROMIUM_PATH: chromium },
  });
  if (!ownReporter && existsSync(summaryFile)) {
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    rmSync(summaryFile, { force: true });
    console.log(`\nTests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`);
  }
  return result;
}

if (isMain(import.meta.url)) {
  let result;
  try {
    result = await test();
  } catch (err) {
    console.error(`Error: ${err.message}`);
    process.exit(1);
  }
  exitLike(result);
}
