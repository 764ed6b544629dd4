import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MONITOR = path.join(ROOT, 'scripts/bench/loop-monitor.mjs');

export interface LoopReading {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /** The most CPU the main thread used between two 10 ms ticks (Linux; null elsewhere): bounds the longest synchronous stretch, whatever the load. */
  heldMaxMs?: number | null;
  rss: number;
  heapUsed: number;
  windows: [number, number][];
}

export interface BenchServer {
  name: string;
  url: string;
  pid: number;
  /** Spawn to the first good answer from /api/health. */
  startupMs: number;
  /** When it was spawned, on the epoch clock. */
  spawnedAt: number;
  output(): string;
  /** Event-loop delay measured inside the server (see loop-monitor.mjs). */
  resetLoop(): Promise<void>;
  readLoop(since?: number): Promise<LoopReading>;
  /** A full GC (when started with --expose-gc), then the heap in use and RSS. */
  collectGarbage(): Promise<{ heapUsed: number; rss: number }>;
  /** CPU time (user + system) the server has used so far, from /proc (Linux); NaN elsewhere. */
  cpuMs(): number;
  /** Resident memory from /proc (Linux), else from the process itself. */
  memory(): Promise<{ rssMb: number; peakMb: number | null }>;
  stop(): Promise<void>;
  /** SIGKILL at once: for a server drowning in its backlog. */
  kill(): Promise<void>;
}

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

/**
 * Starts a server in its own process, as `npm start` would (its bundle, or node + tsx for a .ts), so its event loop is
 * not shared with the load generator, and times spawn → /api/health answering.
 */
export async function startServer(name: string, entry: string, args: string[], env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 120_000): Promise<BenchServer> {
  const port = await freePort();
  const started = performance.now();
  const spawnedAt = epochNow();
  // A built .mjs (the station's bundle, as npm start runs it) needs no TypeScript loader.
  const loader = entry.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, '--import', MONITOR, path.resolve(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', HTTPS_PORT: '0', MDNS: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer /api/health within ${timeoutMs / 1000} s:\n${output}`);
    }
    await sleep(10);
  }
  const startupMs = performance.now() - started;
  let nextId = 0;
  const ask = <T>(message: object, type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        child.off('message', listener);
        reject(new Error(`${name} did not answer ${type} (is it stuck?)`));
      }, 60_000);
      const listener = (reply: { type?: string; id?: number }) => {
        if (reply?.type !== type || reply.id !== id) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(reply as T);
      };
      child.on('message', listener);
      child.send({ ...message, id });
    });
  return {
    name,
    url,
    pid: child.pid!,
    startupMs,
    spawnedAt,
    output: () => output,
    resetLoop: async () => {
      await ask({ type: 'monitor:reset' }, 'monitor:reset');
    },
    readLoop: (since?: number) => ask<LoopReading>({ type: 'monitor:read', since }, 'monitor'),
    collectGarbage: () => ask<{ heapUsed: number; rss: number }>({ type: 'monitor:gc' }, 'monitor:gc'),
    cpuMs: () => readProcCpuMs(child.pid!),
    memory: async () => {
      const status = readProcStatus(child.pid!);
      if (status) return status;
      const reading = await ask<LoopReading>({ type: 'monitor:read', since: Date.now() }, 'monitor');
      return { rssMb: reading.rss / 2 ** 20, peakMb: null };
    },
    stop: () => stopChild(child),
    kill: () => stopChild(child, 0),
  };
}

function readProcStatus(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

function readProcCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** SIGTERM (the server saves and stops), then SIGKILL if it takes too long. */
export function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (graceMs > 0) child.kill('SIGTERM');
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Time on a clock every process on this machine shares, for matching events seen in two processes. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
