import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type ApiClient, startStation, type TestStation } from '../support/station.ts';

describe('the USB copy folder set in the admin', () => {
  let t: TestStation;
  let api: ApiClient;
  let usb: string;
  beforeAll(async () => {
    t = await startStation();
    api = await adminClient(t);
    usb = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-usb-'));
  });
  afterAll(async () => {
    await t?.destroy();
    await fs.rm(usb, { recursive: true, force: true });
  });

  it('refuses a folder that is missing, a file, relative or read-only, each with its reason, and keeps nothing', async () => {
    const missing = await api.request('PUT', '/api/backups/copy-folder', { folder: path.join(usb, 'not-plugged-in') });
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: { reason: 'missing' } } } });
    const file = path.join(usb, 'a-file.txt');
    await fs.writeFile(file, 'x');
    expect((await api.request('PUT', '/api/backups/copy-folder', { folder: file })).body.error.details.reason).toBe('not-folder');
    expect((await api.request('PUT', '/api/backups/copy-folder', { folder: 'backups' })).body.error.details.reason).toBe('not-absolute');
    // root may write anywhere; the read-only case can only be shown as another user.
    if (process.getuid?.() !== 0) {
      const readOnly = path.join(usb, 'read-only');
      await fs.mkdir(readOnly, { mode: 0o555 });
      expect((await api.request('PUT', '/api/backups/copy-folder', { folder: readOnly })).body.error.details.reason).toBe('not-writable');
    }
    expect((await api.get('/api/backups')).body.copyDir).toBeNull();
  });

  it('keeps a writable folder across a restart, copies the next backup there, is audited, and can be cleared', async () => {
    const set = await api.request('PUT', '/api/backups/copy-folder', { folder: usb });
    expect(set).toMatchObject({ status: 200, body: { copyDir: usb } });
    const made = (await api.post('/api/backups')).body;
    expect(made.copiedTo).toBe(path.join(usb, made.name));
    await expect(fs.stat(path.join(usb, made.name))).resolves.toBeTruthy();
    const audit = (await api.get('/api/audit?q=copy-folder')).body.items;
    expect(audit[0]).toMatchObject({ action: 'backup.copy-folder-set', details: { folder: usb } });

    const dataDir = t.dataDir;
    await t.stop();
    t = await startStation({ dataDir });
    api = await adminClient(t);
    expect((await api.get('/api/backups')).body.copyDir).toBe(usb);
    expect((await api.request('PUT', '/api/backups/copy-folder', { folder: null })).body.copyDir).toBeNull();
    expect((await api.post('/api/backups')).body.copiedTo).toBeNull();
  });
});
