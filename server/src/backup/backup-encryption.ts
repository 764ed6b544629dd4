import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PRIVATE_FILE_MODE } from '../security/file-modes.ts';
import { BackupInvalidError } from './backup-archive.ts';

/**
 * Backups encrypted with the admin's passphrase (issue 15, PIPL Art. 51: encryption of personal
 * data). What it protects: the copies that leave the PC, the USB drive and old backup files. What
 * it does not: the PC itself, which must hold the key, because the daily backup runs unattended.
 *
 * The passphrase is never stored. scrypt (N=2^17, r=8, p=1) turns it and a random salt into a
 * 32-byte master key, kept with the salt in DATA_DIR/backup-encryption.key (0600, like the card
 * key). Each backup file is `<header><chunks>`:
 *   header  = MAGIC, a 4-byte length, then JSON {cipher, kdf: {N, r, p, salt}, keyCheck, fileSalt, chunkSize}
 *   chunk   = flag (1 = last), 4-byte plaintext length, AES-256-GCM ciphertext, 16-byte tag
 * The file key is HKDF-SHA256(master key, a random 32-byte salt per file); each chunk's 12-byte
 * nonce is its 11-byte counter and the last-chunk flag, and the whole header is every chunk's
 * additional data: the STREAM construction (Hoang et al. 2015, as in age and Tink), so a changed,
 * reordered, dropped or appended chunk and a changed header all fail GCM's tag. `keyCheck`
 * (HKDF of the master key, not secret) tells a wrong passphrase from a damaged file before any
 * chunk is read. A restore needs only the passphrase and the file: the salt travels in the header.
 */

export const BACKUP_KEY_FILE = 'backup-encryption.key';
export const ENCRYPTED_SUFFIX = '.enc';
/** Counted in characters (code points): 10 Chinese characters make a long passphrase too. */
export const MIN_PASSPHRASE_LENGTH = 10;
const MAGIC = Buffer.from('VSBACKUP-AES256GCM-1\n', 'ascii');
const CHUNK_SIZE = 256 * 1024;
const TAG_LENGTH = 16;
const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;

const kdfSchema = z.object({
  // Bounded: a crafted header must not make a restore spend minutes or gigabytes in scrypt.
  N: z.number().int().refine((n) => n >= 2 ** 14 && n <= 2 ** 20 && (n & (n - 1)) === 0, 'N must be a power of two'),
  r: z.number().int().min(1).max(16),
  p: z.number().int().min(1).max(4),
  salt: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
});
const headerSchema = z.object({
  cipher: z.literal('aes-256-gcm'),
  kdf: kdfSchema,
  keyCheck: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  fileSalt: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  chunkSize: z.number().int().min(1024).max(4 * 1024 * 1024),
});
const keyFileSchema = z.object({ version: z.literal(1), kdf: kdfSchema, key: z.string().regex(/^[A-Za-z0-9_-]{43}$/), keyCheck: z.string(), since: z.string() });

export type KdfParams = z.infer<typeof kdfSchema>;
type Header = z.infer<typeof headerSchema>;

/** The master key and what identifies it. Crosses to the backup worker as plain strings. */
export interface BackupKey {
  kdf: KdfParams;
  /** base64url of the 32-byte master key. */
  key: string;
  keyCheck: string;
  since: string;
}

function deriveMasterKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  const { N, r, p } = kdf;
  return new Promise((resolve, reject) =>
    // libuv's thread pool: the event loop goes on acking scans for the second this takes.
    scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64url'), 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

function keyCheckOf(masterKey: Buffer, kdf: KdfParams): string {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from(kdf.salt, 'base64url'), 'volunteer-station backup v1 key check', 16)).toString('base64url');
}

function sameCheck(a: string, b: string): boolean {
  const x = Buffer.from(a, 'base64url');
  const y = Buffer.from(b, 'base64url');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Problems with a new passphrase, as field messages (empty when it is acceptable). */
export function passphraseProblems(passphrase: string, again: string): { field: string; message: string }[] {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return [{ field: 'passphrase', message: `The passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters` }];
  if (passphrase !== again) return [{ field: 'passphraseAgain', message: 'The two passphrases differ' }];
  return [];
}

/** Makes a new master key from the passphrase (a new salt) and keeps it, replacing any earlier one. */
export async function setBackupPassphrase(dataDir: string, passphrase: string, now: Date): Promise<BackupKey> {
  const kdf: KdfParams = { ...DEFAULT_KDF, salt: randomBytes(16).toString('base64url') };
  const master = await deriveMasterKey(passphrase, kdf);
  const key: BackupKey = { kdf, key: master.toString('base64url'), keyCheck: keyCheckOf(master, kdf), since: now.toISOString() };
  const file = path.join(dataDir, BACKUP_KEY_FILE);
  await fs.writeFile(`${file}.tmp`, `${JSON.stringify({ version: 1, ...key })}\n`, { mode: PRIVATE_FILE_MODE });
  await fs.rename(`${file}.tmp`, file);
  return key;
}

export async function removeBackupKey(dataDir: string): Promise<void> {
  await fs.rm(path.join(dataDir, BACKUP_KEY_FILE), { force: true });
}

/** The key new backups are encrypted with, or null when encryption is off. */
export async function loadBackupKey(dataDir: string): Promise<BackupKey | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dataDir, BACKUP_KEY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = keyFileSchema.safeParse(JSON.parse(text));
  // Never fall back to plain backups silently: the admin chose encryption.
  if (!parsed.success) throw new Error(`${BACKUP_KEY_FILE} in the data folder is damaged; set the backup passphrase again in the admin`);
  const { version: _version, ...key } = parsed.data;
  return key;
}

export async function isEncryptedBackup(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const start = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(start, 0, MAGIC.length, 0);
    return bytesRead === MAGIC.length && start.equals(MAGIC);
  } finally {
    await handle.close();
  }
}

async function readExactly(handle: fs.FileHandle, length: number, position: number): Promise<Buffer | null> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) return null;
    filled += bytesRead;
  }
  return buffer;
}

const damaged = (why: string) => new BackupInvalidError(`The encrypted backup was altered or is damaged (${why}); it is refused`);

async function readHeader(handle: fs.FileHandle): Promise<{ header: Header; bytes: Buffer }> {
  const start = await readExactly(handle, MAGIC.length + 4, 0);
  if (!start || !start.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupInvalidError('The file is not an encrypted Volunteer Station backup');
  const length = start.readUInt32BE(MAGIC.length);
  if (length > 4096) throw damaged('header too long');
  const json = await readExactly(handle, length, start.length);
  if (!json) throw damaged('cut off in its header');
  let header: Header;
  try {
    header = headerSchema.parse(JSON.parse(json.toString('utf8')));
  } catch {
    throw damaged('unreadable header');
  }
  return { header, bytes: Buffer.concat([start, json]) };
}

export async function readEncryptionHeader(file: string): Promise<Header> {
  const handle = await fs.open(file, 'r');
  try {
    return (await readHeader(handle)).header;
  } finally {
    await handle.close();
  }
}

/**
 * The master key of an encrypted backup, from the passphrase typed at the restore. A wrong
 * passphrase is BACKUP_PASSPHRASE_WRONG before anything is unpacked; no passphrase is
 * BACKUP_PASSPHRASE_REQUIRED.
 */
export async function unlockBackup(file: string, passphrase: string | undefined): Promise<string> {
  const header = await readEncryptionHeader(file);
  if (!passphrase) throw new BackupInvalidError('This backup is encrypted: give its passphrase', 'BACKUP_PASSPHRASE_REQUIRED');
  const master = await deriveMasterKey(passphrase, header.kdf);
  if (!sameCheck(keyCheckOf(master, header.kdf), header.keyCheck)) throw new BackupInvalidError('The passphrase does not open this backup', 'BACKUP_PASSPHRASE_WRONG');
  return master.toString('base64url');
}

/** Whether `key` (the server's own) is the one a backup was encrypted with. */
export async function isEncryptedWith(file: string, key: BackupKey): Promise<boolean> {
  const header = await readEncryptionHeader(file);
  return header.kdf.salt === key.kdf.salt && sameCheck(header.keyCheck, key.keyCheck);
}

function fileKeyOf(masterKey: string, fileSalt: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'base64url'), Buffer.from(fileSalt, 'base64url'), 'volunteer-station backup v1 file key', 32));
}

function nonceOf(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Encrypts the file `plain` into `encrypted` (via a temp file, synced, then renamed). */
export async function encryptBackupFile(plain: string, encrypted: string, key: BackupKey): Promise<void> {
  const header: Header = { cipher: 'aes-256-gcm', kdf: key.kdf, keyCheck: key.keyCheck, fileSalt: randomBytes(32).toString('base64url'), chunkSize: CHUNK_SIZE };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const headerBytes = Buffer.concat([MAGIC, length, json]);
  const fileKey = fileKeyOf(key.key, header.fileSalt);
  const size = (await fs.stat(plain)).size;
  const chunks = Math.max(1, Math.ceil(size / CHUNK_SIZE));
  const temp = `${encrypted}.tmp`;
  const input = await fs.open(plain, 'r');
  const output = await fs.open(temp, 'w', PRIVATE_FILE_MODE);
  try {
    await output.write(headerBytes);
    for (let index = 0; index < chunks; index++) {
      const last = index === chunks - 1;
      const chunk = (await readExactly(input, Math.min(CHUNK_SIZE, size - index * CHUNK_SIZE), index * CHUNK_SIZE)) ?? Buffer.alloc(0);
      const cipher = createCipheriv('aes-256-gcm', fileKey, nonceOf(index, last), { authTagLength: TAG_LENGTH });
      cipher.setAAD(headerBytes);
      const body = Buffer.concat([cipher.update(chunk), cipher.final()]);
      const prefix = Buffer.alloc(5);
      prefix[0] = last ? 1 : 0;
      prefix.writeUInt32BE(chunk.length, 1);
      await output.write(Buffer.concat([prefix, body, cipher.getAuthTag()]));
    }
    await output.datasync();
  } finally {
    await input.close();
    await output.close();
  }
  await fs.rename(temp, encrypted);
}

/**
 * Decrypts `encrypted` into `plain` with the master key (from unlockBackup). Every chunk's tag
 * is checked before its bytes are written; any failure removes `plain` and throws BACKUP_INVALID.
 */
export async function decryptBackupFile(encrypted: string, plain: string, masterKey: string): Promise<void> {
  const input = await fs.open(encrypted, 'r');
  const output = await fs.open(plain, 'w', PRIVATE_FILE_MODE);
  let ok = false;
  try {
    const { header, bytes: headerBytes } = await readHeader(input);
    const fileKey = fileKeyOf(masterKey, header.fileSalt);
    let position = headerBytes.length;
    for (let index = 0; ; index++) {
      const prefix = await readExactly(input, 5, position);
      if (!prefix) throw damaged('cut off: its last part is missing');
      const last = prefix[0] === 1;
      const length = prefix.readUInt32BE(1);
      if (prefix[0]! > 1 || length > header.chunkSize || (!last && length !== header.chunkSize)) throw damaged(`part ${index + 1} is malformed`);
      const body = await readExactly(input, length + TAG_LENGTH, position + 5);
      if (!body) throw damaged('cut off');
      const decipher = createDecipheriv('aes-256-gcm', fileKey, nonceOf(index, last), { authTagLength: TAG_LENGTH });
      decipher.setAAD(headerBytes);
      decipher.setAuthTag(body.subarray(length));
      let chunk: Buffer;
      try {
        chunk = Buffer.concat([decipher.update(body.subarray(0, length)), decipher.final()]);
      } catch {
        throw damaged(`part ${index + 1} fails its authentication`);
      }
      await output.write(chunk);
      position += 5 + length + TAG_LENGTH;
      if (last) break;
    }
    if (await readExactly(input, 1, position)) throw damaged('bytes after its last part');
    ok = true;
  } finally {
    await input.close();
    await output.close();
    if (!ok) await fs.rm(plain, { force: true });
  }
}
