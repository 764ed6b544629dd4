import { promises as fs } from 'node:fs';

/**
 * The data folder holds every volunteer's personal data and the card signing key; backups,
 * snapshots and journals are copies of it. Only the account that runs the server may read
 * them: files 0600, folders 0700. (Windows ignores these bits; its folder ACLs apply there.)
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** Makes a private folder, and tightens one that exists already (a data folder from before this rule). */
export async function makePrivateFolder(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (process.platform !== 'win32') await fs.chmod(dir, PRIVATE_FOLDER_MODE);
}
