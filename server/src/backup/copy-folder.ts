import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../protocol/errors.ts';

/** Why a folder cannot take the backup copies; the admin says each in words. */
export type CopyFolderProblem = 'not-absolute' | 'missing' | 'not-folder' | 'not-writable';

function refuse(reason: CopyFolderProblem, message: string): never {
  throw new AppError('VALIDATION_FAILED', message, 400, { reason, problems: [{ field: 'folder', message }] });
}

/**
 * The folder as it will be used, once it is known to exist and take a file. The check writes
 * and removes a small file, the only sure test on Windows (ACLs) and on a read-only USB stick.
 * No mkdir: a missing folder usually means the drive is not plugged in.
 */
export async function checkCopyFolder(folder: string): Promise<string> {
  if (!path.isAbsolute(folder)) refuse('not-absolute', 'Give the folder’s full path (e.g. E:\\\\backups or /media/usb/backups)');
  const resolved = path.resolve(folder);
  const stat = await fs.stat(resolved).catch(() => null);
  if (!stat) refuse('missing', `There is no folder ${resolved} (is the USB drive plugged in?)`);
  if (!stat.isDirectory()) refuse('not-folder', `${resolved} is a file, not a folder`);
  const probe = path.join(resolved, `.volunteer-station-write-test-${process.pid}`);
  try {
    await fs.writeFile(probe, 'ok');
    await fs.rm(probe, { force: true });
  } catch {
    refuse('not-writable', `This PC cannot write to ${resolved} (read-only drive or no permission)`);
  }
  return resolved;
}
