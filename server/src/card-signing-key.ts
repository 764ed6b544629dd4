import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The card-signing key: made once, kept in DATA_DIR with owner-only permissions, never sent.
 * Losing it invalidates every printed card, so it is part of every backup.
 */
export async function loadOrCreateCardSecret(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'card-secret.key');
  try {
    const text = (await fs.readFile(file, 'utf8')).trim();
    const secret = Buffer.from(text, 'base64url');
    if (secret.length < 32) throw new Error(`${file} is damaged (too short); restore it from a backup, or every printed card stops working`);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  // 'wx': never overwrite a key that appeared meanwhile (two servers started on one folder).
  await fs.writeFile(file, `${secret.toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  return secret;
}
