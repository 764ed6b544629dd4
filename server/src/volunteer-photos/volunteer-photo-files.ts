import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { reencodeAsJpeg, writeFileAtomically } from '../http/photo-files.ts';
import type { Volunteer, VolunteerPhoto } from '../protocol/model.ts';

/** Inside DATA_DIR, so a backup (which copies every data entry) carries the photos and a restore brings them back. */
export const VOLUNTEER_PHOTOS_DIR = 'volunteer-photos';
/** Enough to know a face on the record and the kiosk's result; small enough that years of portraits stay a few MB. */
const MAX_SIDE = 480;
/** The upload limit: a tablet's camera photo straight from `capture`; the stored copy is re-encoded and far smaller. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
/** A file this young may belong to an upload still on its way to the commit; the sweep leaves it. */
const STRAY_AFTER_MS = 10 * 60_000;

export function volunteerPhotoFile(dataDir: string, volunteerId: string, photo: Pick<VolunteerPhoto, 'sha256'>): string {
  return path.join(dataDir, VOLUNTEER_PHOTOS_DIR, `${volunteerId}-${photo.sha256.slice(0, 16)}.jpg`);
}

/** Re-encodes the upload (EXIF gone) and writes it under its content's name; the caller commits the reference. */
export async function storeVolunteerPhoto(dataDir: string, volunteerId: string, upload: Buffer, taken: { at: string; by: string }): Promise<VolunteerPhoto> {
  const [jpeg] = await reencodeAsJpeg(upload, [{ maxSide: MAX_SIDE, quality: 80, mozjpeg: true }]);
  const photo: VolunteerPhoto = {
    sha256: createHash('sha256').update(jpeg!.data).digest('hex'),
    width: jpeg!.width,
    height: jpeg!.height,
    bytes: jpeg!.data.length,
    takenAt: taken.at,
    takenBy: taken.by,
  };
  // Files first, reference second: a crash in between leaves a stray file (swept at the next start), never a record without its photo.
  await writeFileAtomically(volunteerPhotoFile(dataDir, volunteerId, photo), jpeg!.data);
  return photo;
}

/** Deletes a photo's file once the state no longer points at it (removed, replaced, anonymized). */
export async function deleteVolunteerPhotoFile(dataDir: string, volunteerId: string, photo: Pick<VolunteerPhoto, 'sha256'> | undefined): Promise<void> {
  if (photo) await fs.rm(volunteerPhotoFile(dataDir, volunteerId, photo), { force: true });
}

/**
 * Deletes files no volunteer points at: left by a crash between a removal's commit and its
 * delete, or between an upload's write and its commit. A removed photo must not linger on disk
 * (PIPL art. 47), nor travel on in the next backup.
 */
export async function sweepStrayPhotoFiles(dataDir: string, volunteers: Iterable<Volunteer>, now: Date): Promise<string[]> {
  const dir = path.join(dataDir, VOLUNTEER_PHOTOS_DIR);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  if (names.length === 0) return [];
  const kept = new Set<string>();
  for (const volunteer of volunteers) if (volunteer.photo) kept.add(path.basename(volunteerPhotoFile(dataDir, volunteer.id, volunteer.photo)));
  const removed: string[] = [];
  for (const name of names) {
    if (kept.has(name)) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile() || now.getTime() - stat.mtimeMs < STRAY_AFTER_MS) continue;
    await fs.rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
