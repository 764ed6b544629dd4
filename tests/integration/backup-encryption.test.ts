import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderPrint } from '../support/folder-print.ts';
import { unpackBackup } from '../../server/src/backup/backup-archive.ts';
import { BACKUP_KEY_FILE, decryptBackupFile, unlockBackup } from '../../server/src/backup/backup-encryption.ts';
import { restoreBackup } from '../../server/src/backup/restore.ts';
import { certificateNames } from '../../server/src/lan/certificate-names.ts';
import { ensureLocalTls } from '../../server/src/lan/local-ca.ts';
import { adminClient, type ApiClient, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSPHRASE = '社区志愿驿站-备份口令2026';
const NAME = '欧阳明远';
const PHONE = '13912345678';

let t: TestStation;
let api: ApiClient;
let work: string;
let usb: string;
let plainBackup: string;
let encryptedBackup: { name: string; file: string; usbCopy: string };


/** A stopped station's data folder, to restore onto: what "nothing changed" is measured on. */
async function someDataFolder(label: string): Promise<string> {
  const dir = path.join(work, label);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'snapshot.jsonl'), 'existing data\n');
  return dir;
}

async function restoreError(file: string, dataDir: string, passphrase?: string): Promise<{ code?: string; message: string }> {
  const error = (await restoreBackup(file, dataDir, passphrase === undefined ? {} : { passphrase }).catch((e: unknown) => e)) as { code?: string; message: string } | undefined;
  if (!error || !(error instanceof Error)) throw new Error('the restore was expected to fail');
  return error;
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-backup-enc-'));
  usb = path.join(work, 'usb');
  await fs.mkdir(usb);
  t = await startStation();
  api = await adminClient(t);
  await ensureLocalTls(t.dataDir, certificateNames({ hostname: 'center-pc', extraHostnames: [], lanAddresses: [] }), { hostname: 'center-pc', now: new Date() });
  await registerVolunteer(api, NAME, PHONE);
  await registerVolunteer(api, '李娜', '13800000102');
  expect((await api.request('PUT', '/api/backups/copy-folder', { folder: usb })).status).toBe(200);
  const plain = (await api.post('/api/backups')).body;
  expect(plain).toMatchObject({ encrypted: false, name: expect.stringMatching(/\.tar\.gz$/) });
  plainBackup = path.join(usb, plain.name);
}, 60_000);

afterAll(async () => {
  await t?.destroy();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('backups encrypted with a passphrase', () => {
  it('a plain backup on the USB drive shows the volunteers’ names to anyone who unzips it (what encryption is for)', async () => {
    const text = gunzipSync(await fs.readFile(plainBackup)).toString('utf8');
    expect(text).toContain(NAME);
    expect(text).toContain(PHONE);
  });

  it('is turned on with a passphrase typed twice, of a minimum length; only a key made from it is kept (0600), and it is audited', async () => {
    const short = await api.request('PUT', '/api/backups/encryption', { enabled: true, passphrase: 'short', passphraseAgain: 'short' });
    expect(short).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: { problems: [{ field: 'passphrase' }] } } } });
    const differ = await api.request('PUT', '/api/backups/encryption', { enabled: true, passphrase: PASSPHRASE, passphraseAgain: `${PASSPHRASE}x` });
    expect(differ).toMatchObject({ status: 400, body: { error: { details: { problems: [{ field: 'passphraseAgain' }] } } } });
    expect((await api.get('/api/backups')).body.encryption).toMatchObject({ enabled: false, since: null });

    const set = await api.request('PUT', '/api/backups/encryption', { enabled: true, passphrase: PASSPHRASE, passphraseAgain: PASSPHRASE });
    expect(set).toMatchObject({ status: 200, body: { enabled: true, since: expect.any(String) } });
    expect((await api.get('/api/backups')).body.encryption).toMatchObject({ enabled: true, minLength: 10 });
    const keyFile = path.join(t.dataDir, BACKUP_KEY_FILE);
    const kept = await fs.readFile(keyFile, 'utf8');
    expect(kept).not.toContain(PASSPHRASE);
    expect(kept).not.toContain(Buffer.from(PASSPHRASE).toString('base64'));
    expect(JSON.parse(kept)).toMatchObject({ kdf: { N: 2 ** 17, r: 8, p: 1 } });
    if (process.platform !== 'win32') expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);
    const audit = (await api.get('/api/audit?q=backup.encryption-set')).body.items;
    expect(audit[0]).toMatchObject({ action: 'backup.encryption-set', details: { enabled: true } });
    expect(JSON.stringify(audit)).not.toContain(PASSPHRASE);
  });

  it('makes .tar.gz.enc backups whose USB copy holds no name, phone or gzip stream', async () => {
    const made = (await api.post('/api/backups')).body;
    expect(made).toMatchObject({ encrypted: true, name: expect.stringMatching(/^volunteer-station-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.tar\.gz\.enc$/), copiedTo: path.join(usb, made.name) });
    encryptedBackup = { name: made.name, file: path.join(t.dataDir, 'backups', made.name), usbCopy: made.copiedTo };
    expect((await api.get('/api/backups')).body.items.find((b: { name: string }) => b.name === made.name)).toMatchObject({ encrypted: true });
    const bytes = await fs.readFile(encryptedBackup.usbCopy);
    expect(bytes.includes(Buffer.from(NAME))).toBe(false);
    expect(bytes.includes(Buffer.from(PHONE))).toBe(false);
    expect(bytes.includes(Buffer.from('card-secret'))).toBe(false);
    expect(bytes.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(false);
    expect(() => gunzipSync(bytes)).toThrow();
    // Decrypted with the passphrase, the same file is the archive with the name inside.
    const plain = path.join(work, 'decrypted.tar.gz');
    await decryptBackupFile(encryptedBackup.usbCopy, plain, await unlockBackup(encryptedBackup.usbCopy, PASSPHRASE));
    expect(gunzipSync(await fs.readFile(plain)).toString('utf8')).toContain(NAME);
  });

  it('round trip: the USB copy restores onto an empty folder with the passphrase, and the station opens with the same volunteers', async () => {
    const dataDir = path.join(work, 'new-pc');
    const result = await restoreBackup(encryptedBackup.usbCopy, dataDir, { passphrase: PASSPHRASE });
    expect(result.counts.volunteers).toBe(2);
    // The new PC encrypts its own backups with the same passphrase from now on.
    await expect(fs.stat(path.join(dataDir, BACKUP_KEY_FILE))).resolves.toBeTruthy();
    const restored = await startStation({ dataDir });
    try {
      const names = (await (await adminClient(restored)).get('/api/volunteers')).body.items.map((v: { name: string }) => v.name).sort();
      expect(names).toEqual(['李娜', NAME].sort());
    } finally {
      await restored.stop();
    }
  }, 60_000);

  it('refuses a wrong or missing passphrase with its own code, and changes nothing', async () => {
    const dataDir = await someDataFolder('wrong-passphrase');
    const before = await folderPrint(dataDir);
    expect(await restoreError(encryptedBackup.usbCopy, dataDir, '这不是备份口令-wrong')).toMatchObject({ code: 'BACKUP_PASSPHRASE_WRONG' });
    expect(await restoreError(encryptedBackup.usbCopy, dataDir)).toMatchObject({ code: 'BACKUP_PASSPHRASE_REQUIRED' });
    expect(await folderPrint(dataDir)).toEqual(before);
  });

  it('refuses a tampered file (a byte changed in the middle or the header, the end cut off, a byte added) and changes nothing', async () => {
    const dataDir = await someDataFolder('tampered');
    const before = await folderPrint(dataDir);
    const bytes = await fs.readFile(encryptedBackup.usbCopy);
    const variants: [string, Buffer][] = [
      ['middle', Buffer.from(bytes).fill(bytes[Math.floor(bytes.length / 2)]! ^ 0x01, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 1)],
      ['last byte (a tag)', Buffer.concat([bytes.subarray(0, -1), Buffer.from([bytes.at(-1)! ^ 0x80])])],
      ['cut', bytes.subarray(0, bytes.length - 100)],
      ['appended', Buffer.concat([bytes, Buffer.from([0])])],
      ['header chunk size', Buffer.from(bytes.toString('latin1').replace('"chunkSize":262144', '"chunkSize":262145'), 'latin1')],
    ];
    for (const [label, altered] of variants) {
      expect(altered.equals(bytes), label).toBe(false);
      const file = path.join(work, `tampered-${label.replace(/\W+/g, '-')}.tar.gz.enc`);
      await fs.writeFile(file, altered);
      const error = await restoreError(file, dataDir, PASSPHRASE);
      expect(error.code, label).toBe('BACKUP_INVALID');
      expect(error.message, label).toMatch(/altered|damaged/);
    }
    expect(await folderPrint(dataDir)).toEqual(before);
  });

  it('`npm run restore -- FILE` asks for the passphrase: a wrong one exits with BACKUP_PASSPHRASE_WRONG, the right one restores', async () => {
    const dataDir = await someDataFolder('cli');
    const before = await folderPrint(dataDir);
    const run = (passphrase: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/restore.ts'), encryptedBackup.usbCopy], { cwd: root, env: { ...process.env, DATA_DIR: dataDir } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin!.end(`${passphrase}\n`);
      });
    const wrong = await run('not the passphrase at all');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('passphrase');
    expect(wrong.stderr).toContain('BACKUP_PASSPHRASE_WRONG');
    expect(wrong.stderr).toContain('Nothing was changed');
    expect(await folderPrint(dataDir)).toEqual(before);
    const right = await run(PASSPHRASE);
    expect(right.stdout).toContain('Done');
    expect(right.stdout).toContain('2 volunteers');
    expect(right.code).toBe(0);
  }, 90_000);

  it('an unencrypted backup still restores, and a restore keeps this PC’s passphrase in force', async () => {
    const dataDir = await someDataFolder('plain-restore');
    await fs.copyFile(path.join(t.dataDir, BACKUP_KEY_FILE), path.join(dataDir, BACKUP_KEY_FILE));
    const result = await restoreBackup(plainBackup, dataDir);
    expect(result.counts.volunteers).toBe(2);
    expect(await fs.readFile(path.join(dataDir, BACKUP_KEY_FILE), 'utf8')).toBe(await fs.readFile(path.join(t.dataDir, BACKUP_KEY_FILE), 'utf8'));
  });

  it('downloads an encrypted backup still encrypted and without the CA key; after a new passphrase an old one is not prepared (BACKUP_KEY_CHANGED)', async () => {
    const response = await fetch(`${t.url}/api/backups/${encryptedBackup.name}`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    const downloaded = path.join(work, `downloaded-${encryptedBackup.name}`);
    await fs.writeFile(downloaded, new Uint8Array(await response.arrayBuffer()));
    expect((await fs.readFile(downloaded)).includes(Buffer.from(NAME))).toBe(false);
    const plain = path.join(work, 'downloaded.tar.gz');
    await decryptBackupFile(downloaded, plain, await unlockBackup(downloaded, PASSPHRASE));
    expect((await unpackBackup(plain, path.join(work, 'downloaded-unpacked'))).includesCaKey).toBe(false);

    const other = 'another passphrase, set later';
    expect((await api.request('PUT', '/api/backups/encryption', { enabled: true, passphrase: other, passphraseAgain: other })).status).toBe(200);
    expect((await api.get(`/api/backups/${encryptedBackup.name}`)).body).toMatchObject({ error: { code: 'BACKUP_KEY_CHANGED' } });
    // Back to the first passphrase for the admin restore below.
    expect((await api.request('PUT', '/api/backups/encryption', { enabled: true, passphrase: PASSPHRASE, passphraseAgain: PASSPHRASE })).status).toBe(200);
  }, 60_000);

  it('the admin’s restore asks for the passphrase, refuses a wrong one or a tampered file at once, and the next start restores', async () => {
    const { name, file } = encryptedBackup;
    await registerVolunteer(api, '备份之后', '13800000199');
    expect(await api.post(`/api/backups/${name}/restore`, { confirm: name })).toMatchObject({ status: 422, body: { error: { code: 'BACKUP_PASSPHRASE_REQUIRED' } } });
    expect(await api.post(`/api/backups/${name}/restore`, { confirm: name, passphrase: 'wrong wrong wrong' })).toMatchObject({ status: 422, body: { error: { code: 'BACKUP_PASSPHRASE_WRONG' } } });
    const bytes = await fs.readFile(file);
    const middle = Math.floor(bytes.length / 2);
    await fs.writeFile(file, Buffer.from(bytes).fill(bytes[middle]! ^ 0x40, middle, middle + 1));
    expect(await api.post(`/api/backups/${name}/restore`, { confirm: name, passphrase: PASSPHRASE })).toMatchObject({ status: 422, body: { error: { code: 'BACKUP_INVALID' } } });
    expect((await api.get('/api/backups')).body.pendingRestore).toBeNull();
    await fs.writeFile(file, bytes);

    const restarting = new Promise<void>((resolve) => t.station.ctx.notifications.once('station:restart-requested', () => resolve()));
    expect((await api.post(`/api/backups/${name}/restore`, { confirm: name, passphrase: PASSPHRASE })).status).toBe(202);
    await restarting;
    // The request waiting for the next start holds a key, never the passphrase.
    expect(await fs.readFile(path.join(t.dataDir, 'restore-requested.json'), 'utf8')).not.toContain(PASSPHRASE);
    const dataDir = t.dataDir;
    await t.stop();
    t = await startStation({ dataDir });
    api = await adminClient(t);
    const names = (await api.get('/api/volunteers')).body.items.map((v: { name: string }) => v.name);
    expect(names).not.toContain('备份之后');
    expect(names).toContain(NAME);
    expect((await api.get('/api/backups')).body).toMatchObject({ lastRestore: { ok: true, backup: name }, encryption: { enabled: true } });
  }, 90_000);
});
