import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The store epoch the district link sends with every request (docs/district.md, "A station
 * restored from an older backup"). Journal sequence numbers go back when an older backup is
 * restored, so the hub compares them only within one epoch. The epoch is a file of the data
 * folder that is not data: a backup never carries it (its name starts with a dot, see
 * isDataEntry) and a restore removes it, so the first start after any restore — and the first
 * start of a new folder — makes a new one.
 */
export const LINK_EPOCH_FILE = '.hub-link-epoch';

export async function readOrCreateEpoch(dataDir: string): Promise<string> {
  const file = path.join(dataDir, LINK_EPOCH_FILE);
  const existing = await fs.readFile(file, 'utf8').then((text) => text.trim(), () => '');
  if (/^[\w-]{8,64}$/.test(existing)) return existing;
  return newEpoch(dataDir);
}

/** A new epoch, written before it is used (temp file and rename, so a crash leaves the old or the new one). */
export async function newEpoch(dataDir: string): Promise<string> {
  const epoch = randomUUID();
  const file = path.join(dataDir, LINK_EPOCH_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${epoch}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  return epoch;
}

/** Called by a restore once the backup's files are in place: the next start begins a new epoch. */
export async function forgetEpoch(dataDir: string): Promise<void> {
  await fs.rm(path.join(dataDir, LINK_EPOCH_FILE), { force: true });
}
