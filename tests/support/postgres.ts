import { execFile, spawnSync } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBin } from '../../scripts/test.mjs';
import { freePort } from './child-server.ts';

export { findPostgresBin };

const run = promisify(execFile);

/**
 * Hub tests need a PostgreSQL server: without one they are skipped with a clear line, except
 * under CI=true, where every test must run (.ci/run installs the Debian package postgresql).
 */
export function postgresOrSkip(): string | null {
  const bin = findPostgresBin();
  if (bin) return bin;
  const line = 'PostgreSQL not found (no /usr/lib/postgresql/<version>/bin/initdb): district hub tests will be SKIPPED (install the Debian package postgresql)';
  if (/^(true|1)$/i.test(process.env.CI ?? '')) throw new Error(`CI=true: ${line}`);
  console.log(line);
  return null;
}

export interface TestPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A throw-away cluster: initdb into a temp folder (as the postgres user when running as root,
 * since PostgreSQL refuses to run as root), a free port on 127.0.0.1, the socket in the temp
 * folder; stop() removes all of it. Never a shared database.
 */
export async function startPostgres(bin: string): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
    await chown(dir, uid, gid);
  }
  const asPostgres = (command: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]) : run(path.join(bin, command), args));
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
