import { rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnUntilHealthy, type ChildServer } from './child-server.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HUB_ADMIN_PASSWORD = 'hub-admin-pass-1';
export const HUB_VIEWER_PASSWORD = 'hub-viewer-pass-1';

let bundle: Promise<string> | undefined;

/**
 * The hub bundled into one file (hub/dist/, next to hub/migrations as the sources are), so a
 * process starts in a moment instead of compiling TypeScript on a loaded machine. `npm run hub`
 * runs the sources through tsx; the code is the same.
 */
function hubBundle(): Promise<string> {
  bundle ??= (async () => {
    const esbuild = await import('esbuild');
    const outfile = path.join(root, 'hub', 'dist', `test-${process.pid}.mjs`);
    await esbuild.build({ entryPoints: [path.join(root, 'hub/src/index.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'error' });
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundle;
}

export interface HubProcess extends ChildServer {
  port: number;
}

/** A hub process as `npm run hub` runs it (its entry point, bundled), so it can be killed with SIGKILL. */
export async function startHubProcess(databaseUrl: string, port: number): Promise<HubProcess> {
  const url = `http://127.0.0.1:${port}`;
  const env = { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', HUB_ADMIN_PASSWORD, HUB_VIEWER_PASSWORD, LOG_LEVEL: 'warn' };
  return { ...(await spawnUntilHealthy([await hubBundle()], url, env)), port };
}

/**
 * "Several hub processes behind one address": forwards each request to the next backend that
 * answers, round robin, so a killed process is skipped. A request cut off mid-way is sent to
 * another backend, which is how a real balancer can deliver one batch twice.
 */
export async function startBalancer(backends: string[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (let attempt = 0; attempt < backends.length; attempt++) {
      const backend = backends[next++ % backends.length]!;
      try {
        const response = await fetch(`${backend}${req.url}`, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers.authorization ?? '' },
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
        });
        res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await response.arrayBuffer()));
        return;
      } catch {
        // That process is down: try the next one.
      }
    }
    res.writeHead(502).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
