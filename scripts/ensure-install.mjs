// Makes node_modules match package-lock.json, so a fresh clone needs only `npm start` / `npm test`.
// Runs before any dependency exists, hence Node built-ins only.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP_NAME = '.vs-install-stamp';
const NO_LOCK = 'no-lock';

/** sha256 of package-lock.json, or null when the project has none. */
export function lockHash(root = ROOT) {
  const lock = path.join(root, 'package-lock.json');
  if (!existsSync(lock)) return null;
  return createHash('sha256').update(readFileSync(lock)).digest('hex');
}

/** Why an install is needed, or null when node_modules is current. */
export function installReason(root = ROOT) {
  const nodeModules = path.join(root, 'node_modules');
  if (!existsSync(nodeModules)) return 'node_modules is missing';
  // With no lock file, `npm install` writes one, so the next start compares against that.
  const hash = lockHash(root) ?? NO_LOCK;
  let stamp = '';
  try {
    stamp = readFileSync(path.join(nodeModules, STAMP_NAME), 'utf8').trim();
  } catch {
    return 'no install stamp';
  }
  return stamp === hash ? null : 'package-lock.json changed';
}

// stderr is teed rather than inherited so a refusal by npm's install-script policy can be told
// apart from other failures (network, files held open by a running server).
function npm(args, root) {
  const win = process.platform === 'win32';
  return new Promise((resolve, reject) => {
    // Since the CVE-2024-27980 fix Node refuses to spawn .cmd files without a shell.
    const child = spawn(win ? 'npm.cmd' : 'npm', args, { cwd: root, stdio: ['inherit', 'inherit', 'pipe'], shell: win });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString()).slice(-64 * 1024);
    });
    child.on('error', (err) => reject(new Error(`could not run npm: ${err.message}`)));
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), stderr }));
  });
}

const SCRIPT_POLICY_ERROR = /^npm (?:error|ERR!).*(?:allow-?scripts|install[- ]scripts|approve-scripts)/im;

/**
 * Installs dependencies when node_modules is missing or was installed from another lock file.
 * Resolves true when it installed, false when node_modules was already current; rejects on failure.
 */
export async function ensureInstall({ root = ROOT, force = false } = {}) {
  const reason = force ? 'forced' : installReason(root);
  if (reason === null) return false;

  const hasLock = lockHash(root) !== null;
  const command = hasLock ? 'ci' : 'install';
  const args = [command, '--no-audit', '--no-fund'];
  console.log(`Installing dependencies (first start or package-lock.json changed)… [${reason}; npm ${command}]`);
  const started = Date.now();
  let { status, stderr } = await npm(args, root);
  if (status !== 0 && SCRIPT_POLICY_ERROR.test(stderr)) {
    // npm 11 only warns that esbuild's postinstall is not listed in `allowScripts`; a later npm
    // is announced to refuse it. That script merely checks the binary which the optional
    // @esbuild/<platform> package already installs, so the tree works without scripts.
    console.log('npm refused an install script (allowScripts policy); installing again with --ignore-scripts…');
    ({ status } = await npm([...args, '--ignore-scripts'], root));
  }
  if (status !== 0) throw new Error(`npm ${command} failed (exit code ${status}); see npm's messages above`);

  // `npm install` has just written the lock file, so hash it now rather than before.
  // npm creates no node_modules for a project without dependencies.
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', STAMP_NAME), (lockHash(root) ?? NO_LOCK) + '\n');
  console.log(`Dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

/** True when this module is the script node was started with (not merely imported). */
export function isMain(importMetaUrl) {
  if (!process.argv[1]) return false;
  const norm = (p) => {
    try {
      p = realpathSync(p);
    } catch {}
    return process.platform === 'win32' ? p.toLowerCase() : p;
  };
  return norm(path.resolve(process.argv[1])) === norm(fileURLToPath(importMetaUrl));
}

if (isMain(import.meta.url)) {
  try {
    await ensureInstall({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error(`Error: ${err.message}`);
    process.exit(1);
  }
}
