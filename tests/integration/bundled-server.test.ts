import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startChildServer, type ChildServer } from '../support/child-server.ts';
import { ApiClient, makeDataDir, registerVolunteer } from '../support/station.ts';

let server: ChildServer | undefined;
let dataDir = '';

afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// The server as `npm start` runs it: the esbuild bundle (scripts/build-server.mjs), no TypeScript
// loader. What only the bundle does is checked here: worker threads started from *.worker.mjs,
// lazily imported routes and libraries resolved from the bundle's folder.
describe('the bundled server', () => {
  it('runs from server/dist without tsx, backs up in a worker thread, and loads lazy routes and libraries on first use', { timeout: 180_000 }, async () => {
    if (process.env.VS_SERVER_FROM_SOURCE === '1') return;
    dataDir = await makeDataDir();
    server = await startChildServer(dataDir, await freePort());
    const args = server.process.spawnargs.slice(1);
    expect(args.some((arg) => arg.includes('tsx'))).toBe(false);
    expect(args[0]).toMatch(/[\\/]server[\\/]dist[\\/][0-9a-f]+[\\/]index\.mjs$/);

    const api = await new ApiClient(server.url).login();
    const volunteer = await registerVolunteer(api, '王小明', '13700001234');
    // The check (opening the copy as the server would) and the gzip run in backup.worker.mjs.
    const backup = await api.post('/api/backups');
    expect(backup.status, JSON.stringify(backup.body)).toBe(201);
    expect(backup.body.counts.volunteers).toBe(1);
    expect(existsSync(path.join(dataDir, 'backups', backup.body.name))).toBe(true);
    expect((await readdir(path.join(dataDir, 'backups'))).filter((name) => name.startsWith('.staging-'))).toEqual([]);
    // A download copy is unpacked and packed again in the worker.
    const download = await api.get(`/api/backups/${encodeURIComponent(backup.body.name)}`);
    expect(download.status).toBe(200);

    // The printed pages are imported on their first request.
    const verify = await fetch(`${server.url}/verify`);
    expect(verify.status).toBe(200);
    expect(await verify.text()).toContain('<html');
    // exceljs is imported on first use.
    const template = await api.get('/api/volunteers/import/template.xlsx');
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toContain('spreadsheetml');
    // pinyin-pro (search by initials) is required on first use.
    const found = await api.get('/api/volunteers?q=wxm');
    expect(found.status).toBe(200);
    expect(found.body.items.map((v: { id: string }) => v.id)).toEqual([volunteer.id]);
  });
});
