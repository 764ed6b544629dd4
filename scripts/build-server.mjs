// Bundles the server's TypeScript (server/src/index.ts and every server/src/**/*.worker.ts) into
// plain JavaScript with esbuild, so the server starts without compiling TypeScript at run time.
// `npm start` and the tests that spawn a server call buildServer(); it rebuilds only when the
// sources changed. Each build lives in server/dist/<hash of its inputs>/ and is never rewritten,
// so servers started from an older build keep loading their lazy chunks while a newer one appears.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMain, ROOT } from './ensure-install.mjs';

const STAMP_NAME = '.build-stamp';
/** Builds other than the current one are removed once they are this old (a dev server may still run one). */
const OLD_BUILD_MS = 60 * 60_000;
/**
 * Packages bundled into the server rather than loaded from node_modules: pure ESM whose index
 * re-exports hundreds of files (date-fns: ~0.35 s of CPU to import whole, a few ms once
 * tree-shaken). Everything else stays external: native addons (sharp), WebAssembly loaded by path,
 * CommonJS with dynamic requires, and libraries the server imports lazily.
 */
const BUNDLED_PACKAGES = ['date-fns', '@date-fns/tz'];

function listFiles(dir) {
  const out = [];
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Everything that can change the bundle: the server's sources, the dependency tree, the compiler settings, and this script. */
export function serverHash(root = ROOT) {
  const sources = listFiles(path.join(root, 'server', 'src'));
  const others = ['package-lock.json', 'tsconfig.json', 'scripts/build-server.mjs'].map((f) => path.join(root, f)).filter((f) => existsSync(f));
  const files = [...sources, ...others]
    .map((abs) => ({ abs, rel: path.relative(root, abs).split(path.sep).join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const hash = createHash('sha256');
  hash.update(`node ${process.versions.node.split('.')[0]}\0`);
  for (const { abs, rel } of files) {
    const content = readFileSync(abs);
    hash.update(`${rel}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Entry points: the server and each worker thread's module, by their path under server/src. */
function entryPoints(root) {
  const src = path.join(root, 'server', 'src');
  const workers = listFiles(src).filter((f) => /\.worker\.tsx?$/.test(f));
  return [path.join(src, 'index.ts'), ...workers];
}

/**
 * A module that asks where it is (import.meta.url: static files next to it, createRequire) gets
 * the address of its source file, relative to the bundle, so it finds the same files as under tsx.
 */
function sourceLocationPlugin(outdir) {
  return {
    name: 'source-location',
    setup(build) {
      build.onLoad({ filter: /[\\/]server[\\/]src[\\/].*\.tsx?$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const loader = args.path.endsWith('x') ? 'tsx' : 'ts';
        if (!text.includes('import.meta.url')) return { contents: text, loader };
        const relative = path.relative(outdir, args.path).split(path.sep).join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader };
      });
    },
  };
}

/** Bare imports stay external (loaded from node_modules at run time) except BUNDLED_PACKAGES. */
const externalPackagesPlugin = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (BUNDLED_PACKAGES.includes(name)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

function removeOldBuilds(distRoot, keep) {
  let entries = [];
  try {
    entries = readdirSync(distRoot, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const full = path.join(distRoot, entry.name);
    try {
      if (Date.now() - statSync(full).mtimeMs > OLD_BUILD_MS) rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * Path of the bundled server entry (server/dist/<hash>/index.mjs), building it first when the
 * sources changed. Safe to call from several processes at once: each builds into its own temp
 * folder and the first rename wins.
 */
export async function buildServer({ root = ROOT, force = false, quiet = false } = {}) {
  const hash = serverHash(root);
  const distRoot = path.join(root, 'server', 'dist');
  const outdir = path.join(distRoot, hash);
  const entry = path.join(outdir, 'index.mjs');
  const stamp = path.join(outdir, STAMP_NAME);
  if (!force && existsSync(stamp) && existsSync(entry)) return entry;

  const started = Date.now();
  if (!quiet) process.stdout.write('server: building… ');
  const temp = path.join(distRoot, `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(temp, { recursive: true });
  // Imported here: esbuild comes with tsx and vite, which may not be installed a moment before.
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      entryPoints: entryPoints(root),
      outdir: temp,
      outbase: path.join(root, 'server', 'src'),
      // Flat: a chunk's relative path to the sources must not depend on which chunk it is.
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'linked',
      sourcesContent: false,
      tsconfig: path.join(root, 'tsconfig.json'),
      logLevel: 'silent',
      // Tells server/src/workers/run-worker.ts to start the bundled *.worker.mjs files.
      define: { __VS_BUNDLED__: 'true' },
      // The path under outdir, not the temp folder: the bundle is renamed there afterwards.
      plugins: [externalPackagesPlugin, sourceLocationPlugin(outdir)],
    });
    writeFileSync(path.join(temp, STAMP_NAME), hash + '\n');
    if (force) rmSync(outdir, { recursive: true, force: true });
    try {
      renameSync(temp, outdir);
    } catch (err) {
      // Another process finished the same build first: use that one.
      if (!existsSync(stamp)) throw err;
    }
  } catch (err) {
    if (!quiet) process.stdout.write('FAILED\n');
    throw new Error(`server: build failed: ${err?.message ?? err}`, { cause: err });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  removeOldBuilds(distRoot, hash);
  if (!quiet) process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return entry;
}

if (isMain(import.meta.url)) {
  try {
    console.log(await buildServer({ force: process.argv.includes('--force') }));
  } catch (err) {
    console.error(`Error: ${err.message}`);
    process.exit(1);
  }
}
