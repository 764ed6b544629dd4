import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../scripts/build-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ChildServer {
  process: ChildProcess;
  url: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `node` arguments that run the server as `npm start` does: its bundle (built once when the sources
 * changed). VS_SERVER_FROM_SOURCE=1 runs server/src/index.ts through tsx instead.
 */
export async function serverEntryArgs(): Promise<string[]> {
  if (process.env.VS_SERVER_FROM_SOURCE === '1') return ['--import', 'tsx', path.join(root, 'server/src/index.ts')];
  return [await buildServer({ root, quiet: true })];
}

/** The real entry point in its own process, as `npm start` runs it, so it can be killed with SIGKILL. */
export async function startChildServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ChildServer> {
  const url = `http://127.0.0.1:${port}`;
  return spawnUntilHealthy(await serverEntryArgs(), url, { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', HTTPS_PORT: '0', ADMIN_PASSWORD: 'admin-pass-1', LOG_LEVEL: 'warn', MDNS: '0', ...env });
}

/** Runs `node <args>` and waits until `<url>/api/health` answers (the station, or the district hub in tests/support/hub.ts). */
export async function spawnUntilHealthy(args: string[], url: string, env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000; // generous: a loaded 2-core machine compiles slowly
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: child,
    url,
    output: () => output,
    kill: (signal = 'SIGKILL') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
